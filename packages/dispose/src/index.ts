export {
  AsyncDisposableStack,
  DisposableStack,
  nativeAsyncDisposableStack,
  nativeDisposableStack,
} from "./disposable-stack.js";
export { nativeSuppressedError, SuppressedError } from "./suppressed-error.js";
