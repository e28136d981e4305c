import type { Runtime } from "./internal/runtime.ts";

let makeTracemalloc: ((rt: Runtime) => Tracemalloc) | undefined;

/** @internal */
export function createTracemalloc(rt: Runtime): Tracemalloc {
  return makeTracemalloc!(rt);
}

/**
 * `tracemalloc` for the simulated heap: the bytes *requested* from the object, mem and raw
 * allocators since `start()` (not pymalloc's 16-byte blocks, not pool or arena overhead), as
 * CPython's tracemalloc reports them. A `realloc` counts as one trace replaced by another.
 *
 * @example
 * ```ts
 * py.tracemalloc.start();
 * const lst = py.list();
 * for (let i = 0; i < 1000; i++) lst.append(py.float(i));
 * py.tracemalloc.getTracedMemory(); // [current, peak]
 * ```
 */
export class Tracemalloc {
  readonly #rt: Runtime;

  private constructor(rt: Runtime) {
    this.#rt = rt;
  }

  static {
    makeTracemalloc = (rt) => new Tracemalloc(rt);
  }

  /** `tracemalloc.start()`: allocations made from now on are traced. */
  start(): void {
    this.#rt.pm.startTracing();
  }

  /** `tracemalloc.stop()`: forget all traces. */
  stop(): void {
    this.#rt.pm.stopTracing();
  }

  /** `tracemalloc.is_tracing()`. */
  isTracing(): boolean {
    return this.#rt.pm.tracing;
  }

  /** `tracemalloc.get_traced_memory()`: [current, peak] bytes ([0, 0] when not tracing). */
  getTracedMemory(): [number, number] {
    const pm = this.#rt.pm;
    return pm.tracing ? [pm.tracedCurrent, pm.tracedPeak] : [0, 0];
  }

  /** `tracemalloc.reset_peak()`. */
  resetPeak(): void {
    this.#rt.pm.resetPeak();
  }
}
