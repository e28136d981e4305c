export { type AbortScope, type AbortScopeOptions, abortScope } from "./abort.js";
export {
  type AsyncContextManager,
  asyncContextManager,
  type ContextManager,
  contextManager,
} from "./context-manager.js";
export {
  AsyncDisposableStack,
  DisposableStack,
  nativeAsyncDisposableStack,
  nativeDisposableStack,
} from "./disposable-stack.js";
export { flattenSuppressed, isSuppressedError } from "./errors.js";
export {
  type FinalizationProvider,
  type FinalizationRegistryLike,
  type LeakReport,
  type LeakTracker,
  type LeakTrackerOptions,
  trackLeaks,
  trackResource,
  untrackResource,
} from "./leak-tracker.js";
export {
  type EventEmitterLike,
  type EventTargetLike,
  type Listener,
  type ListenOptions,
  listen,
} from "./listen.js";
export {
  asyncClosing,
  asyncDefer,
  closing,
  defer,
  type ErrorSuppressor,
  nullContext,
  suppress,
} from "./managers.js";
export {
  asyncDisposeKeys,
  disposeKeys,
  isAsyncDisposable,
  isDisposable,
  toAsyncDisposable,
  toDisposable,
} from "./protocol.js";
export {
  type AsyncExitHandler,
  type AsyncScope,
  asyncScope,
  type ExitHandler,
  enterContext,
  type Outcome,
  type Scope,
  scope,
} from "./scope.js";
export { type AcquireOptions, type Lease, Mutex, Semaphore } from "./semaphore.js";
export { nativeSuppressedError, SuppressedError } from "./suppressed-error.js";
export {
  interval,
  type Timer,
  type TimerFunctions,
  type TimerOptions,
  timeout,
} from "./timers.js";
