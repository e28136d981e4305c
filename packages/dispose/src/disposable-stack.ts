import { AsyncDisposableStackPonyfill } from "./ponyfill/async-disposable-stack.js";
import { DisposableStackPonyfill } from "./ponyfill/disposable-stack.js";
import { registerRealmIntrinsic } from "./ponyfill/realm.js";

const host = globalThis as {
  DisposableStack?: DisposableStackConstructor;
  AsyncDisposableStack?: AsyncDisposableStackConstructor;
};

/** Whether `DisposableStack` comes from the host (true on Node 24) rather than from the ponyfill. */
export const nativeDisposableStack: boolean = typeof host.DisposableStack === "function";

/** Whether `AsyncDisposableStack` comes from the host rather than from the ponyfill. */
export const nativeAsyncDisposableStack: boolean = typeof host.AsyncDisposableStack === "function";

/**
 * `DisposableStack` (ECMA-262 27.3): a stack of resources disposed together, last in first out.
 * `use(resource)` records a `Disposable`, `adopt(value, onDispose)` a value with its cleanup,
 * `defer(fn)` a callback; `dispose()` runs every one of them even when some throw, and throws the
 * errors as a chain of `SuppressedError` (the newest outermost); `move()` hands the resources to a
 * new stack (Python's `ExitStack.pop_all`). After `dispose()`, every method but `dispose` throws a
 * `ReferenceError`.
 *
 * This is the host's own `globalThis.DisposableStack` when there is one (Node 24), else this
 * package's ponyfill, which follows the spec step by step and passes every test262 test.
 *
 * Cost: `use` reads `[Symbol.dispose]` once and pushes two slots on an array; `dispose` is one loop
 * (no recursion, so 20,000 throwing callbacks are fine). Caveat: `use` rejects values that are not
 * disposable when they are added, not when the stack is disposed.
 *
 * @example
 * ```ts
 * import { DisposableStack } from "@heapwise/dispose";
 *
 * function openBoth(a: string, b: string) {
 *   using stack = new DisposableStack();
 *   const first = stack.use(openFile(a));
 *   const second = stack.use(openFile(b)); // if this throws, `first` is closed
 *   const owned = stack.move(); // success: the caller now owns both files
 *   return { first, second, [Symbol.dispose]: () => owned.dispose() };
 * }
 * ```
 */
export const DisposableStack: DisposableStackConstructor = nativeDisposableStack
  ? host.DisposableStack!
  : DisposableStackPonyfill;

/** An instance of {@link DisposableStack}. */
export type DisposableStack = globalThis.DisposableStack;

/**
 * `AsyncDisposableStack` (ECMA-262 27.4): the asynchronous twin of {@link DisposableStack}, for
 * `await using`. `use` accepts objects with `[Symbol.asyncDispose]()` or `[Symbol.dispose]()`;
 * `disposeAsync()` awaits each disposal in turn, last in first out, with exactly the spec's
 * microtask count. Python: `contextlib.AsyncExitStack`.
 *
 * The host's own `globalThis.AsyncDisposableStack` when there is one, else the ponyfill.
 *
 * @example
 * ```ts
 * import { AsyncDisposableStack } from "@heapwise/dispose";
 *
 * await using stack = new AsyncDisposableStack();
 * const db = stack.use(await connect());
 * stack.defer(async () => { await flushMetrics(); });
 * ```
 */
export const AsyncDisposableStack: AsyncDisposableStackConstructor = nativeAsyncDisposableStack
  ? host.AsyncDisposableStack!
  : AsyncDisposableStackPonyfill;

/** An instance of {@link AsyncDisposableStack}. */
export type AsyncDisposableStack = globalThis.AsyncDisposableStack;

if (!nativeDisposableStack) registerRealmIntrinsic("DisposableStack", DisposableStack.prototype);
if (!nativeAsyncDisposableStack) {
  registerRealmIntrinsic("AsyncDisposableStack", AsyncDisposableStack.prototype);
}
