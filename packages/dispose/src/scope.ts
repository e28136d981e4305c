/**
 * Outcome-aware scopes: Python's `with` / `ExitStack` semantics, which `using` cannot express.
 * Exit handlers see whether the body failed and with what, can suppress the failure, and generator
 * managers receive the error at their `yield`.
 */
import type { AsyncContextManager, ContextManager } from "./context-manager.js";
import { callWithThis } from "./internal/call.js";
import { describe, isObject } from "./internal/describe.js";
import {
  ASYNC_EXIT,
  type AsyncExit,
  EXIT,
  failure,
  hasAsyncExit,
  hasSyncExit,
  type Outcome,
  SUCCESS,
  type SyncExit,
} from "./internal/exit.js";
import { asyncDisposeSymbol, disposeSymbol } from "./internal/symbols.js";
import type { ErrorSuppressor } from "./managers.js";
import { SUPPRESSED_MESSAGE, SuppressedError } from "./suppressed-error.js";

export type { Outcome } from "./internal/exit.js";

/** An outcome-aware exit handler: return `true` (exactly) to suppress the failure. */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing is the common case
export type ExitHandler = (outcome: Outcome) => boolean | void;
/** The async twin of {@link ExitHandler}. */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing is the common case
export type AsyncExitHandler = (outcome: Outcome) => PromiseLike<boolean | void> | boolean | void;

/** The object a {@link scope} body receives: register what must be released when it ends. */
export interface Scope {
  /** Registers a disposable (or one of this package's managers); returns it. `null`/`undefined` are ignored. */
  use<T extends Disposable | null | undefined>(resource: T): T;
  /** Python's `ExitStack.enter_context`: registers a manager and returns its `value`. */
  enter(suppressor: ErrorSuppressor): undefined;
  enter<T>(manager: ContextManager<T>): T;
  /** Registers a disposable and returns it (for objects that are not managers). */
  enter<T extends Disposable>(resource: T): T;
  /** Registers `value` with its cleanup, called as `onExit(value)`; returns `value`. */
  adopt<T>(value: T, onExit: (value: T) => void): T;
  /** Registers a callback (Python's `ExitStack.callback`). */
  defer(onExit: () => void): void;
  /** Registers an outcome-aware handler (Python's `ExitStack.push` with an `__exit__`). */
  onExit(handler: ExitHandler): void;
}

/** The object an {@link asyncScope} body receives. */
export interface AsyncScope {
  /** Registers an async or sync disposable (or a manager); returns it. */
  use<T extends AsyncDisposable | Disposable | null | undefined>(resource: T): T;
  /** Python's `AsyncExitStack.enter_async_context`: awaits a pending manager, registers it, gives its `value`. */
  enter<T>(manager: PromiseLike<AsyncContextManager<T> | ContextManager<T>>): Promise<T>;
  enter(suppressor: ErrorSuppressor): undefined;
  enter<T>(manager: AsyncContextManager<T> | ContextManager<T>): T;
  enter<T extends AsyncDisposable | Disposable>(resource: T): T;
  /** Registers `value` with its (possibly async) cleanup. */
  adopt<T>(value: T, onExit: (value: T) => PromiseLike<void> | void): T;
  /** Registers a (possibly async) callback. */
  defer(onExit: () => PromiseLike<void> | void): void;
  /** Registers an outcome-aware handler; it may be async. */
  onExit(handler: AsyncExitHandler): void;
}

const DISPOSE = 0; // target, method: Call(method, target), or method() when target is undefined
const ASYNC_DISPOSE = 1; // the same, awaited
const SYNC_EXIT = 2; // target has [EXIT]
const ASYNC_EXIT_KIND = 3; // target has [ASYNC_EXIT]
const HANDLER = 4; // method(outcome)

type Fn = (...args: unknown[]) => unknown;

/** Folds an exit's throw into the outcome, as DisposeResources does (newest outermost). */
const fold = (outcome: Outcome, error: unknown): Outcome =>
  failure(outcome.failed ? new SuppressedError(error, outcome.error, SUPPRESSED_MESSAGE) : error);

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  isObject(value) && typeof (value as { then?: unknown }).then === "function";

abstract class ScopeBase {
  /** Flat (kind, target, method) triples, or null once the exit has started. */
  protected entries: unknown[] | null = [];
  protected abstract readonly name: string;

  protected open(method: string): unknown[] {
    const entries = this.entries;
    if (entries === null) {
      throw new ReferenceError(`${this.name}.${method}: the scope has already exited`);
    }
    return entries;
  }

  adopt<T>(value: T, onExit: (value: T) => unknown): T {
    const entries = this.open("adopt");
    if (typeof onExit !== "function") {
      throw new TypeError(`${this.name}.adopt: onExit must be a function, got ${describe(onExit)}`);
    }
    entries.push(this.asyncKinds ? ASYNC_DISPOSE : DISPOSE, undefined, () => onExit(value));
    return value;
  }

  defer(onExit: () => unknown): void {
    const entries = this.open("defer");
    if (typeof onExit !== "function") {
      throw new TypeError(`${this.name}.defer: onExit must be a function, got ${describe(onExit)}`);
    }
    entries.push(this.asyncKinds ? ASYNC_DISPOSE : DISPOSE, undefined, onExit);
  }

  onExit(handler: (outcome: Outcome) => unknown): void {
    const entries = this.open("onExit");
    if (typeof handler !== "function") {
      throw new TypeError(
        `${this.name}.onExit: handler must be a function, got ${describe(handler)}`,
      );
    }
    entries.push(HANDLER, undefined, handler);
  }

  protected abstract readonly asyncKinds: boolean;
}

class SyncScope extends ScopeBase {
  protected readonly name = "scope";
  protected readonly asyncKinds = false;

  use<T extends Disposable | null | undefined>(resource: T): T {
    const entries = this.open("use");
    if (resource === null || resource === undefined) return resource;
    if (!isObject(resource)) {
      throw new TypeError(`scope.use: expected a disposable, got ${describe(resource)}`);
    }
    if (hasSyncExit(resource)) {
      entries.push(SYNC_EXIT, resource, undefined);
      return resource;
    }
    const method = (resource as unknown as Record<symbol, unknown>)[disposeSymbol];
    if (typeof method !== "function") {
      const onlyAsync =
        hasAsyncExit(resource) ||
        typeof (resource as unknown as Record<symbol, unknown>)[asyncDisposeSymbol] === "function";
      throw new TypeError(
        onlyAsync
          ? `scope.use: ${describe(resource)} can only be disposed asynchronously: use asyncScope()`
          : `scope.use: ${describe(resource)} has no [Symbol.dispose]() method`,
      );
    }
    entries.push(DISPOSE, resource, method);
    return resource;
  }

  enter(resource: object): unknown {
    this.use(resource as Disposable);
    return hasSyncExit(resource) ? (resource as { value?: unknown }).value : resource;
  }

  /** Runs the exits in reverse order with the body's outcome; returns the final outcome. */
  exit(outcome: Outcome): Outcome {
    const entries = this.entries!;
    this.entries = null;
    for (let i = entries.length - 3; i >= 0; i -= 3) {
      const kind = entries[i];
      const target = entries[i + 1];
      const method = entries[i + 2] as Fn;
      try {
        let suppressed = false;
        if (kind === SYNC_EXIT) suppressed = (target as SyncExit)[EXIT](outcome);
        else if (kind === HANDLER) suppressed = method(outcome) === true;
        else if (target === undefined) method();
        else callWithThis(method, target);
        if (suppressed && outcome.failed) outcome = SUCCESS;
      } catch (error) {
        outcome = fold(outcome, error);
      }
    }
    return outcome;
  }
}

class AsyncScopeImpl extends ScopeBase {
  protected readonly name = "asyncScope";
  protected readonly asyncKinds = true;
  #pending = new Set<Promise<unknown>>();

  use<T extends AsyncDisposable | Disposable | null | undefined>(resource: T): T {
    return this.#register(resource, "use") as T;
  }

  #register(resource: unknown, method: string, whileExiting = false): unknown {
    const entries = whileExiting && this.entries !== null ? this.entries : this.open(method);
    if (resource === null || resource === undefined) return resource;
    if (!isObject(resource)) {
      throw new TypeError(`asyncScope.${method}: expected a disposable, got ${describe(resource)}`);
    }
    if (hasAsyncExit(resource)) entries.push(ASYNC_EXIT_KIND, resource, undefined);
    else if (hasSyncExit(resource)) entries.push(SYNC_EXIT, resource, undefined);
    else {
      const r = resource as Record<symbol, unknown>;
      const asyncMethod = r[asyncDisposeSymbol];
      if (typeof asyncMethod === "function") entries.push(ASYNC_DISPOSE, resource, asyncMethod);
      else {
        const syncMethod = r[disposeSymbol];
        if (typeof syncMethod !== "function") {
          throw new TypeError(
            `asyncScope.${method}: ${describe(resource)} has neither a [Symbol.asyncDispose]() nor a [Symbol.dispose]() method`,
          );
        }
        entries.push(DISPOSE, resource, syncMethod);
      }
    }
    return resource;
  }

  enter(resource: unknown): unknown {
    if (isThenable(resource)) {
      this.open("enter");
      const task = Promise.resolve(resource).then((manager) => {
        // Registered even if the body has finished meanwhile: the exit waits for pending enters.
        this.#register(manager, "enter", true);
        return hasSyncExit(manager) || hasAsyncExit(manager)
          ? (manager as { value?: unknown }).value
          : manager;
      });
      const settled = task.then(
        () => {},
        () => {},
      );
      this.#pending.add(settled);
      void settled.then(() => this.#pending.delete(settled));
      return task;
    }
    this.#register(resource, "enter");
    return hasSyncExit(resource) || hasAsyncExit(resource)
      ? (resource as { value?: unknown }).value
      : resource;
  }

  async exit(outcome: Outcome): Promise<Outcome> {
    // Managers still being entered are registered (and so exited) before anything runs.
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
    const entries = this.entries!;
    this.entries = null;
    for (let i = entries.length - 3; i >= 0; i -= 3) {
      const kind = entries[i];
      const target = entries[i + 1];
      const method = entries[i + 2] as Fn;
      try {
        let suppressed = false;
        if (kind === ASYNC_EXIT_KIND) suppressed = await (target as AsyncExit)[ASYNC_EXIT](outcome);
        else if (kind === SYNC_EXIT) suppressed = (target as SyncExit)[EXIT](outcome);
        else if (kind === HANDLER) suppressed = (await method(outcome)) === true;
        else if (kind === ASYNC_DISPOSE) {
          await (target === undefined ? method() : callWithThis(method, target));
        } else if (target === undefined) method();
        else callWithThis(method, target);
        if (suppressed && outcome.failed) outcome = SUCCESS;
      } catch (error) {
        outcome = fold(outcome, error);
      }
    }
    return outcome;
  }
}

/**
 * Runs `body` with a {@link Scope}, then exits everything it registered, in reverse order, with the
 * body's outcome (Python's `with ExitStack() as stack:`). Exit handlers and generator managers see
 * whether the body threw and with what; one that suppresses the failure (a handler returning
 * `true`, `suppress(...)`, a generator that catches the error at its `yield`) makes the scope return
 * `undefined` instead of throwing. An exit that throws replaces the outcome, chained with the
 * previous error as `SuppressedError` (as `DisposableStack` does).
 *
 * The body must be synchronous: if it returns a promise, the scope exits at once with a TypeError
 * (use {@link asyncScope}). Registering after the exit started throws a ReferenceError.
 *
 * @param body - the code that uses the resources
 * @returns the body's result, or `undefined` when a failure was suppressed
 * @example
 * ```ts
 * import { contextManager, scope } from "@heapwise/dispose";
 *
 * const rows = scope((s) => {
 *   const tx = s.enter(transaction(db)); // rolled back at its yield if the body throws
 *   s.onExit(({ failed, error }) => { if (failed) metrics.count("tx.failed", error); });
 *   return tx.select("select * from t");
 * });
 * ```
 */
export function scope<R>(body: (scope: Scope) => R): R | undefined {
  if (typeof body !== "function") {
    throw new TypeError(`scope: body must be a function, got ${describe(body)}`);
  }
  const s = new SyncScope();
  let result: R | undefined;
  let outcome: Outcome = SUCCESS;
  try {
    result = body(s as unknown as Scope);
    if (isThenable(result)) {
      // Its rejection, if any, is superseded by this error: keep it from being unhandled.
      Promise.resolve(result).then(undefined, () => {});
      result = undefined;
      outcome = failure(
        new TypeError("scope: the body returned a promise; use asyncScope() for async bodies"),
      );
    }
  } catch (error) {
    outcome = failure(error);
  }
  const final = s.exit(outcome);
  if (final.failed) throw final.error;
  return outcome.failed ? undefined : result;
}

/**
 * The asynchronous {@link scope} (Python's `async with AsyncExitStack() as stack:`): awaits the
 * body, then exits everything in reverse order, awaiting each exit. `enter` also takes a promise of
 * a manager (`s.enter(connection(url))`); managers still being entered when the body ends are
 * registered and exited too.
 *
 * @returns the body's result, or `undefined` when a failure was suppressed
 * @example
 * ```ts
 * import { asyncScope, suppress } from "@heapwise/dispose";
 *
 * await asyncScope(async (s) => {
 *   const conn = await s.enter(connection(url));
 *   s.enter(suppress(AbortError));
 *   await conn.query("…", { signal });
 * });
 * ```
 */
export async function asyncScope<R>(
  body: (scope: AsyncScope) => R | PromiseLike<R>,
): Promise<Awaited<R> | undefined> {
  if (typeof body !== "function") {
    throw new TypeError(`asyncScope: body must be a function, got ${describe(body)}`);
  }
  const s = new AsyncScopeImpl();
  let result: Awaited<R> | undefined;
  let outcome: Outcome = SUCCESS;
  try {
    result = await body(s as unknown as AsyncScope);
  } catch (error) {
    outcome = failure(error);
  }
  const final = await s.exit(outcome);
  if (final.failed) throw final.error;
  return outcome.failed ? undefined : result;
}

/**
 * Python's `ExitStack.enter_context` for the standard stacks: `stack.use(manager)` and return the
 * manager's `value` (a manager from `contextManager`, `closing`, …). With an
 * `AsyncDisposableStack`, a promise of a manager is awaited first.
 *
 * Note that stacks pass no outcome: a generator manager is resumed as after a success. Use
 * {@link scope} to have errors delivered at the `yield`.
 *
 * @example
 * ```ts
 * import { DisposableStack, enterContext } from "@heapwise/dispose";
 *
 * using stack = new DisposableStack();
 * const file = enterContext(stack, openFile(path)); // the yielded file, closed with the stack
 * ```
 */
export function enterContext<T>(stack: DisposableStack, manager: ContextManager<T>): T;
export function enterContext<T>(
  stack: AsyncDisposableStack,
  manager: AsyncContextManager<T> | ContextManager<T>,
): T;
export function enterContext<T>(
  stack: AsyncDisposableStack,
  manager: PromiseLike<AsyncContextManager<T> | ContextManager<T>>,
): Promise<T>;
export function enterContext(
  stack: DisposableStack | AsyncDisposableStack,
  manager: unknown,
): unknown {
  if (!isObject(stack) || typeof (stack as { use?: unknown }).use !== "function") {
    throw new TypeError(
      `enterContext: stack must be a DisposableStack or AsyncDisposableStack, got ${describe(stack)}`,
    );
  }
  const enterNow = (m: unknown) => {
    if (!isObject(m) || !("value" in m)) {
      throw new TypeError(
        `enterContext: expected a context manager (with a value), got ${describe(m)}`,
      );
    }
    (stack as { use(v: unknown): unknown }).use(m);
    return (m as { value: unknown }).value;
  };
  return isThenable(manager) ? Promise.resolve(manager).then(enterNow) : enterNow(manager);
}
