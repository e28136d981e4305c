/**
 * An AbortController tied to a scope: `using scope = abortScope()`; leaving the block aborts every
 * operation that was given `scope.signal`.
 */
import { describe, isObject } from "./internal/describe.js";
import { disposeSymbol } from "./internal/symbols.js";
import { noteCreated, noteDisposed } from "./leak-tracker.js";
import { isAbortSignal, type Timer, type TimerFunctions, timeout } from "./timers.js";

/** Options of {@link abortScope}. */
export interface AbortScopeOptions {
  /** A parent signal: when it aborts, this scope aborts with the same reason. */
  signal?: AbortSignal;
  /**
   * Abort after this many milliseconds with a `TimeoutError` DOMException (like
   * `AbortSignal.timeout`, but cleared when the scope is disposed).
   */
  timeout?: number;
  /**
   * The reason the signal aborts with when the scope is disposed. Default: a DOMException named
   * `AbortError`, "The operation was aborted because its scope was disposed".
   */
  reason?: unknown;
  /** Timer functions for `timeout` (inject fakes in tests). Default: the global ones. */
  timers?: TimerFunctions;
}

/** An AbortController that aborts when disposed. */
export interface AbortScope extends Disposable {
  /** Pass this to the operations the scope owns. */
  readonly signal: AbortSignal;
  /** Aborts now (default reason: an `AbortError` DOMException). Idempotent. */
  abort(reason?: unknown): void;
  /** Whether `[Symbol.dispose]()` was called. */
  readonly disposed: boolean;
}

interface ScopeState {
  readonly controller: AbortController;
  parent: AbortSignal | undefined;
  readonly onParentAbort: () => void;
  timer: Timer | undefined;
}

function detach(state: ScopeState): void {
  state.parent?.removeEventListener("abort", state.onParentAbort);
  state.parent = undefined;
  state.timer?.[disposeSymbol]();
  state.timer = undefined;
}

const abortError = (message: string): unknown =>
  typeof DOMException === "function"
    ? new DOMException(message, "AbortError")
    : Object.assign(new Error(message), { name: "AbortError" });

class AbortScopeHandle implements AbortScope {
  readonly #state: ScopeState;
  readonly #reason: unknown;
  readonly #hasReason: boolean;
  #disposed = false;

  constructor(options: AbortScopeOptions) {
    const controller = new AbortController();
    const state: ScopeState = {
      controller,
      parent: undefined,
      onParentAbort: () => {
        const reason = state.parent?.reason;
        detach(state);
        controller.abort(reason);
      },
      timer: undefined,
    };
    this.#state = state;
    this.#hasReason = "reason" in options;
    this.#reason = options.reason;
    noteCreated(this, "abortScope");
    if (options.signal) {
      if (options.signal.aborted) {
        controller.abort(options.signal.reason);
        return;
      }
      state.parent = options.signal;
      options.signal.addEventListener("abort", state.onParentAbort, { once: true });
    }
    if (options.timeout !== undefined) {
      const ms = options.timeout;
      state.timer = timeout(
        ms,
        () => {
          state.timer = undefined;
          detach(state);
          controller.abort(
            typeof DOMException === "function"
              ? new DOMException(`The operation timed out after ${ms} ms`, "TimeoutError")
              : Object.assign(new Error(`The operation timed out after ${ms} ms`), {
                  name: "TimeoutError",
                }),
          );
        },
        options.timers ? { timers: options.timers } : undefined,
      );
    }
  }

  get signal(): AbortSignal {
    return this.#state.controller.signal;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  abort(...reason: [reason?: unknown]): void {
    const state = this.#state;
    detach(state);
    if (state.controller.signal.aborted) return;
    state.controller.abort(reason.length > 0 ? reason[0] : abortError("The operation was aborted"));
  }

  [disposeSymbol](): void {
    if (this.#disposed) return;
    this.#disposed = true;
    noteDisposed(this);
    const state = this.#state;
    detach(state);
    if (!state.controller.signal.aborted) {
      state.controller.abort(
        this.#hasReason
          ? this.#reason
          : abortError("The operation was aborted because its scope was disposed"),
      );
    }
  }
}

/**
 * An AbortController whose signal aborts when the scope is disposed, when `options.signal` (a
 * parent) aborts, or after `options.timeout` ms. Every listener and timer it sets up is removed
 * on dispose, so a long-lived parent signal does not accumulate listeners.
 *
 * @example
 * ```ts
 * import { abortScope } from "@heapwise/dispose";
 *
 * async function handle(request: Request) {
 *   using scope = abortScope({ signal: request.signal, timeout: 10_000 });
 *   const [a, b] = await Promise.all([
 *     fetch(urlA, { signal: scope.signal }),
 *     fetch(urlB, { signal: scope.signal }),
 *   ]);
 *   // leaving the function aborts whatever is still running
 * }
 * ```
 */
export function abortScope(options: AbortScopeOptions = {}): AbortScope {
  if (!isObject(options)) {
    throw new TypeError(`abortScope: options must be an object, got ${describe(options)}`);
  }
  if (options.signal !== undefined && !isAbortSignal(options.signal)) {
    throw new TypeError(
      `abortScope: signal must be an AbortSignal, got ${describe(options.signal)}`,
    );
  }
  if (
    options.timeout !== undefined &&
    (typeof options.timeout !== "number" ||
      !Number.isFinite(options.timeout) ||
      options.timeout < 0)
  ) {
    throw new RangeError(
      `abortScope: timeout must be a finite number of ms >= 0, got ${describe(options.timeout)}`,
    );
  }
  return new AbortScopeHandle(options);
}
