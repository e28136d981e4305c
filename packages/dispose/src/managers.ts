/**
 * Small context managers: Python's `closing`, `aclosing`, `nullcontext`, `suppress`, and `defer`
 * (Go's `defer`, `ExitStack.callback` as a standalone disposable).
 */
import type { AsyncContextManager, ContextManager } from "./context-manager.js";
import { callWithThis } from "./internal/call.js";
import { describe, isObject } from "./internal/describe.js";
import { ASYNC_EXIT, EXIT, type Outcome, SUCCESS } from "./internal/exit.js";
import { asyncDisposeSymbol, disposeSymbol } from "./internal/symbols.js";
import { noteCreated, noteDisposed } from "./leak-tracker.js";

class CallbackManager<T> implements ContextManager<T> {
  readonly value: T;
  #onExit: (() => void) | undefined;

  constructor(value: T, onExit: () => void, kind: string | undefined) {
    this.value = value;
    this.#onExit = onExit;
    if (kind !== undefined) noteCreated(this, kind);
  }

  get disposed(): boolean {
    return this.#onExit === undefined;
  }

  [EXIT](_outcome: Outcome): boolean {
    const onExit = this.#onExit;
    if (onExit === undefined) return false;
    this.#onExit = undefined;
    noteDisposed(this);
    onExit();
    return false;
  }

  [disposeSymbol](): void {
    this[EXIT](SUCCESS);
  }
}

class AsyncCallbackManager<T> implements AsyncContextManager<T> {
  readonly value: T;
  #onExit: (() => unknown) | undefined;

  constructor(value: T, onExit: () => unknown, kind: string | undefined) {
    this.value = value;
    this.#onExit = onExit;
    if (kind !== undefined) noteCreated(this, kind);
  }

  get disposed(): boolean {
    return this.#onExit === undefined;
  }

  async [ASYNC_EXIT](_outcome: Outcome): Promise<boolean> {
    const onExit = this.#onExit;
    if (onExit === undefined) return false;
    this.#onExit = undefined;
    noteDisposed(this);
    await onExit();
    return false;
  }

  async [asyncDisposeSymbol](): Promise<void> {
    await this[ASYNC_EXIT](SUCCESS);
  }
}

function closeMethod(
  object: unknown,
  method: unknown,
  who: string,
): (...args: unknown[]) => unknown {
  if (!isObject(object)) {
    throw new TypeError(`${who}: expected an object to close, got ${describe(object)}`);
  }
  if (typeof method !== "string" && typeof method !== "symbol") {
    throw new TypeError(`${who}: method must be a string or a symbol, got ${describe(method)}`);
  }
  const fn = (object as Record<PropertyKey, unknown>)[method];
  if (typeof fn !== "function") {
    throw new TypeError(`${who}: ${describe(object)} has no ${String(method)}() method`);
  }
  return fn as (...args: unknown[]) => unknown;
}

/**
 * Python's `contextlib.closing`: a manager whose exit calls `object[method]()` (default `close`).
 * For objects that have a close method but no `[Symbol.dispose]`. The method is looked up now (a
 * missing one is a TypeError at once) and called with `object` as `this` on exit. If it returns a
 * promise, use {@link asyncClosing}, which awaits it.
 *
 * @param object - the object to close
 * @param method - the name (or symbol) of its close method; default `"close"`
 * @example
 * ```ts
 * import { closing } from "@heapwise/dispose";
 *
 * using db = closing(new Database(":memory:")); // better-sqlite3: db.close()
 * db.value.exec("create table t (x)");
 * ```
 */
export function closing<T extends object>(
  object: T,
  method: PropertyKey = "close",
): ContextManager<T> {
  const fn = closeMethod(object, method, "closing");
  return new CallbackManager(object, () => void callWithThis(fn, object), "closing");
}

/**
 * Python's `contextlib.aclosing`: like {@link closing}, and awaits what the close method returns.
 *
 * @example
 * ```ts
 * import { asyncClosing } from "@heapwise/dispose";
 *
 * await using client = asyncClosing(new Client(options), "end"); // pg: await client.end()
 * await client.value.connect();
 * ```
 */
export function asyncClosing<T extends object>(
  object: T,
  method: PropertyKey = "close",
): AsyncContextManager<T> {
  const fn = closeMethod(object, method, "asyncClosing");
  return new AsyncCallbackManager(object, () => callWithThis(fn, object), "asyncClosing");
}

/**
 * Python's `contextlib.nullcontext`: a manager that does nothing on exit, for code that takes a
 * manager but sometimes has nothing to manage. Usable with `using` and `await using`.
 *
 * @param value - what `value` (and `Scope.enter`) gives back; default `undefined`
 * @example
 * ```ts
 * import { closing, nullContext } from "@heapwise/dispose";
 *
 * using out = path ? closing(openFile(path)) : nullContext(process.stdout);
 * out.value.write("hello\n");
 * ```
 */
export function nullContext<T = undefined>(value?: T): ContextManager<T> & AsyncContextManager<T> {
  const manager = new CallbackManager(value as T, () => {}, undefined) as CallbackManager<T> &
    AsyncContextManager<T>;
  Object.defineProperty(manager, asyncDisposeSymbol, {
    value: async () => manager[disposeSymbol](),
    enumerable: false,
  });
  return manager;
}

/**
 * A disposable that runs `onDispose` once when disposed: Go's `defer`, or `ExitStack.callback` as a
 * standalone object. Disposing again does nothing.
 *
 * @param onDispose - the cleanup; runs with no arguments
 * @example
 * ```ts
 * import { defer } from "@heapwise/dispose";
 *
 * lock.acquire();
 * using _ = defer(() => lock.release());
 * ```
 */
export function defer(onDispose: () => void): ContextManager<undefined> {
  if (typeof onDispose !== "function") {
    throw new TypeError(`defer: onDispose must be a function, got ${describe(onDispose)}`);
  }
  return new CallbackManager(undefined, () => void onDispose(), "defer");
}

/**
 * The async twin of {@link defer}: `onDispose` may return a promise, which `await using` awaits.
 *
 * @example
 * ```ts
 * import { asyncDefer } from "@heapwise/dispose";
 *
 * await using _ = asyncDefer(() => server.close());
 * ```
 */
export function asyncDefer(
  onDispose: () => PromiseLike<void> | void,
): AsyncContextManager<undefined> {
  if (typeof onDispose !== "function") {
    throw new TypeError(`asyncDefer: onDispose must be a function, got ${describe(onDispose)}`);
  }
  return new AsyncCallbackManager(undefined, () => onDispose(), "asyncDefer");
}

/** An exit handler for scopes (see {@link suppress}): not a disposable, it only works in a scope. */
export interface ErrorSuppressor {
  /** The error classes it suppresses. */
  readonly errorTypes: readonly (abstract new (
    ...args: never[]
  ) => unknown)[];
}

class Suppressor implements ErrorSuppressor {
  readonly errorTypes: readonly (abstract new (
    ...args: never[]
  ) => unknown)[];
  readonly value: undefined = undefined;

  constructor(errorTypes: (abstract new (...args: never[]) => unknown)[]) {
    this.errorTypes = Object.freeze(errorTypes);
  }

  [EXIT](outcome: Outcome): boolean {
    if (!outcome.failed) return false;
    for (const type of this.errorTypes) if (outcome.error instanceof type) return true;
    return false;
  }
}

/**
 * Python's `contextlib.suppress`: entered into a scope, it swallows a failure of the body when the
 * error is an instance of one of `errorTypes`; the scope then returns `undefined`. It is not a
 * `Disposable` on purpose: a plain `using` cannot see errors, so it would silently do nothing.
 *
 * @param errorTypes - error classes to suppress (at least one)
 * @example
 * ```ts
 * import { scope, suppress } from "@heapwise/dispose";
 *
 * scope((s) => {
 *   s.enter(suppress(NotFoundError));
 *   removeFile(path); // a NotFoundError ends the scope quietly
 * });
 * ```
 */
export function suppress(
  ...errorTypes: (abstract new (
    ...args: never[]
  ) => unknown)[]
): ErrorSuppressor {
  if (errorTypes.length === 0) {
    throw new TypeError("suppress: give at least one error class, e.g. suppress(TypeError)");
  }
  for (const [i, type] of errorTypes.entries()) {
    if (typeof type !== "function") {
      throw new TypeError(`suppress: argument ${i} must be an error class, got ${describe(type)}`);
    }
  }
  return new Suppressor(errorTypes);
}
