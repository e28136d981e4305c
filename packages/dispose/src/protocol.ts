/**
 * Recognising and normalising disposables, including objects keyed by the fallback symbols that
 * ponyfills and transpilers used before `Symbol.dispose` existed.
 */
import { callWithThis } from "./internal/call.js";
import { describe, isObject } from "./internal/describe.js";
import {
  ASYNC_DISPOSE_KEYS,
  asyncDisposeSymbol,
  disposeSymbol,
  SYNC_DISPOSE_KEYS,
} from "./internal/symbols.js";

type Method = (...args: unknown[]) => unknown;

function findMethod(value: unknown, keys: readonly symbol[]): Method | undefined {
  if (!isObject(value)) return undefined;
  for (const key of keys) {
    const method = (value as Record<symbol, unknown>)[key];
    if (typeof method === "function") return method as Method;
  }
  return undefined;
}

/**
 * The symbol keys recognised as a synchronous dispose method, most standard first:
 * `Symbol.dispose`, `Symbol.for("Symbol.dispose")` (esbuild, Babel, core-js),
 * `Symbol.for("nodejs.dispose")` (Node 18.18–23), `Symbol.for("dispose")` (@whatwg-node),
 * `Symbol.for("@esfx/disposable:Disposable.dispose")` (@esfx).
 */
export const disposeKeys: readonly symbol[] = SYNC_DISPOSE_KEYS;

/** The asynchronous counterparts of {@link disposeKeys}. */
export const asyncDisposeKeys: readonly symbol[] = ASYNC_DISPOSE_KEYS;

/**
 * Whether `value` can be disposed synchronously: an object (or function) with a callable
 * `[Symbol.dispose]`, or with a dispose method under one of the fallback keys in
 * {@link disposeKeys}. Reads those keys (getters run); never calls the method.
 *
 * @example
 * ```ts
 * import { isDisposable } from "@heapwise/dispose";
 *
 * if (isDisposable(resource)) stack.use(toDisposable(resource));
 * ```
 */
export function isDisposable(value: unknown): boolean {
  return findMethod(value, SYNC_DISPOSE_KEYS) !== undefined;
}

/**
 * Whether `value` has an asynchronous dispose method: `[Symbol.asyncDispose]` or one of the
 * fallbacks in {@link asyncDisposeKeys}. (`await using` also accepts synchronous disposables: test
 * `isAsyncDisposable(v) || isDisposable(v)` for that.)
 */
export function isAsyncDisposable(value: unknown): boolean {
  return findMethod(value, ASYNC_DISPOSE_KEYS) !== undefined;
}

const once = (run: () => void): Disposable => {
  let pending = true;
  return {
    [disposeSymbol]() {
      if (!pending) return;
      pending = false;
      run();
    },
  };
};

/**
 * A `Disposable` for `value`, keyed by this runtime's `Symbol.dispose`:
 * - an object whose `[Symbol.dispose]` is callable is returned as is;
 * - an object with a dispose method under a fallback key (see {@link disposeKeys}) is wrapped:
 *   disposing the wrapper calls that method on the object, once;
 * - a function becomes a disposable that calls it once (like `defer`).
 *
 * Anything else is a TypeError that names the value.
 *
 * @example
 * ```ts
 * import { toDisposable } from "@heapwise/dispose";
 *
 * // an object made by an old @whatwg-node ponyfill, keyed Symbol.for("dispose"):
 * using handle = toDisposable(legacyHandle);
 * using _ = toDisposable(() => console.log("bye"));
 * ```
 */
export function toDisposable(value: unknown): Disposable {
  if (
    typeof value === "function" &&
    typeof (value as unknown as Disposable)[disposeSymbol] !== "function"
  ) {
    const fn = value as () => unknown;
    return once(() => void fn());
  }
  const own = isObject(value) ? (value as Record<symbol, unknown>)[disposeSymbol] : undefined;
  if (typeof own === "function") return value as Disposable;
  const method = findMethod(value, SYNC_DISPOSE_KEYS);
  if (method === undefined) {
    throw new TypeError(
      `toDisposable: expected a disposable object or a cleanup function, got ${describe(value)}`,
    );
  }
  return once(() => void callWithThis(method, value));
}

/**
 * An `AsyncDisposable` for `value`, keyed by this runtime's `Symbol.asyncDispose`:
 * - an object whose `[Symbol.asyncDispose]` is callable is returned as is;
 * - an object with an async dispose method under a fallback key is wrapped (awaited);
 * - an object with only a synchronous dispose method (any key) is wrapped; like the spec's
 *   `AsyncDisposableStack.use`, what that method returns is not awaited;
 * - a function becomes an async disposable that calls it once and awaits its result.
 *
 * @example
 * ```ts
 * import { toAsyncDisposable } from "@heapwise/dispose";
 *
 * await using _ = toAsyncDisposable(() => server.close());
 * ```
 */
export function toAsyncDisposable(value: unknown): AsyncDisposable {
  let pending = true;
  const wrap = (run: () => unknown): AsyncDisposable => ({
    async [asyncDisposeSymbol]() {
      if (!pending) return;
      pending = false;
      await run();
    },
  });
  if (
    typeof value === "function" &&
    typeof (value as unknown as AsyncDisposable)[asyncDisposeSymbol] !== "function" &&
    findMethod(value, SYNC_DISPOSE_KEYS) === undefined
  ) {
    const fn = value as () => unknown;
    return wrap(() => fn());
  }
  const own = isObject(value) ? (value as Record<symbol, unknown>)[asyncDisposeSymbol] : undefined;
  if (typeof own === "function") return value as AsyncDisposable;
  const asyncMethod = findMethod(value, ASYNC_DISPOSE_KEYS);
  if (asyncMethod !== undefined) return wrap(() => callWithThis(asyncMethod, value));
  const syncMethod = findMethod(value, SYNC_DISPOSE_KEYS);
  if (syncMethod !== undefined) {
    return wrap(() => {
      callWithThis(syncMethod, value);
    });
  }
  throw new TypeError(
    `toAsyncDisposable: expected a disposable object or a cleanup function, got ${describe(value)}`,
  );
}
