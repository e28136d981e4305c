/**
 * Which buffers are the memory of a live `WasmHeap`, and the SIMD kernels that run on them. The
 * number kernels ask {@link wasmOf} before running their JavaScript loops; with no heap alive the
 * question costs one comparison, and the WebAssembly module itself is only loaded by code that
 * imports `WasmHeap`.
 */

/** The exports of wasm/kernels.wat (addresses and strides in bytes). @internal */
export interface WasmKernels {
  /** JavaScript's `sumPairwise` of n elements from byte address p, s bytes apart. */
  sumAll(p: number, n: number, s: number): number;
  /** JavaScript's `dotPairwise` of n unit-stride elements from byte addresses px and py. */
  dotAll(px: number, py: number, n: number): number;
  axpy(alpha: number, px: number, py: number, n: number): void;
  add(pa: number, pb: number, po: number, n: number): void;
  subtract(pa: number, pb: number, po: number, n: number): void;
  multiply(pa: number, pb: number, po: number, n: number): void;
  divide(pa: number, pb: number, po: number, n: number): void;
}

const heaps = new WeakMap<ArrayBufferLike, WasmKernels>();
let live = 0;

/** Registers the memory of a new heap. @internal */
export function registerWasm(buffer: ArrayBufferLike, kernels: WasmKernels): void {
  heaps.set(buffer, kernels);
  live++;
}

/** Forgets a disposed heap: its arrays stay readable, and run the JavaScript kernels. @internal */
export function unregisterWasm(buffer: ArrayBufferLike): void {
  if (heaps.delete(buffer)) live--;
}

/** The SIMD kernels for a float64 array in a live heap's memory, else undefined. @internal */
export function wasmOf(x: ArrayLike<number>): WasmKernels | undefined {
  return live === 0 || !(x instanceof Float64Array) ? undefined : heaps.get(x.buffer);
}
