/**
 * The outcome-aware exit protocol between this package's managers and its scopes. Keys are
 * registered symbols so that two copies of the package (an ESM and a CJS one) understand each other.
 */

/** How the body of a scope ended: `failed` with `error`, or not. */
export interface Outcome {
  /** Whether the body (or an exit that ran before this one) threw and nothing suppressed it. */
  readonly failed: boolean;
  /** What was thrown; `undefined` when `failed` is false. */
  readonly error: unknown;
}

/** Sync exit: sees the outcome; returns true to suppress the failure (Python's `__exit__`). */
export const EXIT: unique symbol = Symbol.for("@heapwise/dispose:exit");
/** Async exit: as EXIT, awaited. */
export const ASYNC_EXIT: unique symbol = Symbol.for("@heapwise/dispose:asyncExit");
/** The value a manager hands to `enter` (Python's `__enter__` result). */
export const VALUE: unique symbol = Symbol.for("@heapwise/dispose:value");

export interface SyncExit {
  [EXIT](outcome: Outcome): boolean;
}
export interface AsyncExit {
  [ASYNC_EXIT](outcome: Outcome): Promise<boolean>;
}

export const SUCCESS: Outcome = Object.freeze({ failed: false, error: undefined });

export const failure = (error: unknown): Outcome => Object.freeze({ failed: true, error });

export function hasSyncExit(value: unknown): value is SyncExit {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<SyncExit>)[EXIT] === "function"
  );
}

export function hasAsyncExit(value: unknown): value is AsyncExit {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<AsyncExit>)[ASYNC_EXIT] === "function"
  );
}
