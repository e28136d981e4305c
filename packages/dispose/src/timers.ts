/**
 * Timers that are cleared when disposed: `using t = timeout(1000, onTimeout)`.
 */
import { describe, isObject } from "./internal/describe.js";
import { disposeSymbol } from "./internal/symbols.js";
import { noteCreated, noteDisposed } from "./leak-tracker.js";

/** The timer functions a timer uses (inject fakes in tests). Default: the global ones. */
export interface TimerFunctions {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Options of {@link timeout} and {@link interval}. */
export interface TimerOptions {
  /** Clears the timer when this signal aborts (and at once if it already has). */
  signal?: AbortSignal;
  /**
   * Node: do not keep the process alive for this timer (`handle.unref()`). Ignored where timer
   * handles have no `unref` (browsers). Default `false`.
   */
  unref?: boolean;
  /** Timer functions to use. Default: `globalThis.setTimeout` and friends. */
  timers?: TimerFunctions;
}

/** A running timer; disposing it clears it. */
export interface Timer extends Disposable {
  /** True until a timeout has fired, the timer was disposed or its signal aborted. */
  readonly active: boolean;
  /** Whether `[Symbol.dispose]()` was called. */
  readonly disposed: boolean;
}

const globalTimers: TimerFunctions = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle as ReturnType<typeof setInterval>),
};

function validate(who: string, ms: unknown, callback: unknown, options: unknown): TimerOptions {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`${who}: ms must be a finite number >= 0, got ${describe(ms)}`);
  }
  if (typeof callback !== "function") {
    throw new TypeError(`${who}: callback must be a function, got ${describe(callback)}`);
  }
  if (options === undefined) return {};
  if (!isObject(options)) {
    throw new TypeError(`${who}: options must be an object, got ${describe(options)}`);
  }
  const o = options as TimerOptions;
  if (o.signal !== undefined && !isAbortSignal(o.signal)) {
    throw new TypeError(`${who}: signal must be an AbortSignal, got ${describe(o.signal)}`);
  }
  if (o.timers !== undefined) {
    const t = o.timers as Partial<TimerFunctions>;
    for (const name of ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] as const) {
      if (typeof t?.[name] !== "function") {
        throw new TypeError(
          `${who}: timers.${name} must be a function, got ${describe(t?.[name])}`,
        );
      }
    }
  }
  return o;
}

/** @internal */
export function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    isObject(value) &&
    typeof (value as AbortSignal).aborted === "boolean" &&
    typeof (value as AbortSignal).addEventListener === "function" &&
    typeof (value as AbortSignal).removeEventListener === "function"
  );
}

/**
 * What the runtime's timer and the abort listener hold: never the handle itself, so that a handle
 * the caller dropped without disposing can be collected (and reported by a leak tracker).
 */
interface TimerState {
  open: boolean;
  handle: unknown;
  signal: AbortSignal | undefined;
  readonly clear: (handle: unknown) => void;
  readonly onAbort: () => void;
}

function closeTimer(state: TimerState, clear: boolean): void {
  if (!state.open) return;
  state.open = false;
  if (clear) state.clear(state.handle);
  state.handle = undefined;
  state.signal?.removeEventListener("abort", state.onAbort);
  state.signal = undefined;
}

class TimerHandle implements Timer {
  readonly #state: TimerState;
  #disposed = false;

  constructor(
    kind: "timeout" | "interval",
    ms: number,
    callback: () => void,
    options: TimerOptions,
  ) {
    const timers = options.timers ?? globalTimers;
    const state: TimerState = {
      open: true,
      handle: undefined,
      signal: undefined,
      clear: kind === "timeout" ? timers.clearTimeout : timers.clearInterval,
      onAbort: () => closeTimer(state, true),
    };
    this.#state = state;
    noteCreated(this, kind, state);
    if (options.signal?.aborted) {
      state.open = false;
      return;
    }
    const run =
      kind === "timeout"
        ? () => {
            closeTimer(state, false);
            callback();
          }
        : () => callback();
    state.handle = kind === "timeout" ? timers.setTimeout(run, ms) : timers.setInterval(run, ms);
    if (options.unref) (state.handle as { unref?: () => void } | undefined)?.unref?.();
    if (options.signal) {
      state.signal = options.signal;
      options.signal.addEventListener("abort", state.onAbort, { once: true });
    }
  }

  get active(): boolean {
    return this.#state.open;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  [disposeSymbol](): void {
    if (this.#disposed) return;
    this.#disposed = true;
    noteDisposed(this);
    closeTimer(this.#state, true);
  }
}

/**
 * `setTimeout` that is cleared when disposed (or when `options.signal` aborts).
 *
 * @param ms - delay in milliseconds (finite, >= 0)
 * @param callback - runs once after `ms`, unless disposed first
 * @example
 * ```ts
 * import { timeout } from "@heapwise/dispose";
 *
 * using watchdog = timeout(5_000, () => log.warn("slow request"));
 * await handle(request); // the watchdog is cleared when the block exits
 * ```
 */
export function timeout(ms: number, callback: () => void, options?: TimerOptions): Timer {
  return new TimerHandle("timeout", ms, callback, validate("timeout", ms, callback, options));
}

/**
 * `setInterval` that is cleared when disposed (or when `options.signal` aborts).
 *
 * @example
 * ```ts
 * import { interval } from "@heapwise/dispose";
 *
 * using heartbeat = interval(1_000, () => socket.ping(), { unref: true });
 * ```
 */
export function interval(ms: number, callback: () => void, options?: TimerOptions): Timer {
  return new TimerHandle("interval", ms, callback, validate("interval", ms, callback, options));
}
