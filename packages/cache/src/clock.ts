/**
 * Time as the caches see it. Inject a {@link Clock} to control TTLs in tests
 * (`ManualClock` in `@heapwise/cache/testing`); the default is {@link systemClock}.
 */

/**
 * A monotonic millisecond clock and the one-shot timers scheduled on it.
 *
 * @example
 * ```ts
 * const clock: Clock = {
 *   now: () => performance.now(),
 *   setTimeout: (callback, ms) => setTimeout(callback, ms),
 *   clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
 * };
 * ```
 */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  /**
   * Calls `callback` once after `ms` milliseconds; returns a handle for {@link Clock.clearTimeout}.
   * A real timer must not keep the process alive (Node: `unref()` it): a cache's purge timer is
   * never a reason for a program to keep running.
   */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer; a no-op when it already ran or was cancelled. */
  clearTimeout(handle: unknown): void;
}

/** Node clamps larger delays to 1 ms; timers further out are re-armed when they fire. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * `performance.now()` and the global `setTimeout`, with every timer `unref()`'d where the runtime
 * supports it (Node, Deno, Bun), so no cache timer keeps a process alive.
 *
 * @example
 * ```ts
 * const cache = new WeakCache({ ttl: 60_000, clock: systemClock }); // the default anyway
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now(): number {
    return performance.now();
  },
  setTimeout(callback: () => void, ms: number): unknown {
    const handle = setTimeout(callback, Math.min(Math.max(ms, 0), MAX_DELAY)) as unknown as {
      unref?: () => void;
    };
    if (typeof handle === "object" && handle !== null && typeof handle.unref === "function") {
      handle.unref();
    }
    return handle;
  },
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as Parameters<typeof clearTimeout>[0]);
  },
});
