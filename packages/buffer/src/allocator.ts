/**
 * Where the library gets raw memory from. Every `ArrayBuffer` that `GrowableBuffer`, the `NDArray`
 * constructors and `BufferPool` create comes from an allocator, and goes back to it (once) through
 * `release` when the library stops using it. The default allocates with `new ArrayBuffer` and lets
 * the garbage collector reclaim it; `@heapwise/heap-sim` provides one that counts every raw
 * allocation in its simulated heap, and a test can pass a counting one to check that nothing leaks.
 *
 * @example
 * ```ts
 * const counting: Allocator = {
 *   allocate: (n) => { live += n; return new ArrayBuffer(n); },
 *   release: (b) => { live -= b.byteLength; },
 * };
 * using a = zeros([1000], { allocator: counting }); // live === 8000 until the scope ends
 * ```
 */
export interface Allocator {
  /** Returns a new zero-filled ArrayBuffer of exactly byteLength bytes. */
  allocate(byteLength: number): ArrayBuffer;
  /** Called once when the buffer is no longer used by the library (e.g. a pool shrinks, an array is disposed). */
  release(buffer: ArrayBuffer): void;
}

/**
 * The default {@link Allocator}: `new ArrayBuffer(byteLength)` (zero-filled by the language) and a
 * no-op `release` (the garbage collector reclaims the memory once nothing references it).
 *
 * @example
 * ```ts
 * zeros([10], { allocator: defaultAllocator }); // same as zeros([10])
 * ```
 */
export const defaultAllocator: Allocator = Object.freeze({
  allocate(byteLength: number): ArrayBuffer {
    return new ArrayBuffer(byteLength);
  },
  release(_buffer: ArrayBuffer): void {},
});

/** Validates an allocator option (internal helper shared by the constructors). */
export function checkAllocator(allocator: unknown, what = "allocator"): Allocator {
  if (
    allocator === null ||
    typeof allocator !== "object" ||
    typeof (allocator as Allocator).allocate !== "function" ||
    typeof (allocator as Allocator).release !== "function"
  ) {
    throw new TypeError(
      `${what} must have allocate() and release() methods, got ${String(allocator)}`,
    );
  }
  return allocator as Allocator;
}

/** Allocates through `allocator` and checks the contract (exact length, a real ArrayBuffer). */
export function allocateChecked(allocator: Allocator, byteLength: number): ArrayBuffer {
  const buffer = allocator.allocate(byteLength);
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength !== byteLength) {
    throw new TypeError(
      `allocator.allocate(${byteLength}) must return an ArrayBuffer of exactly ${byteLength} bytes, got ${
        buffer instanceof ArrayBuffer ? `${buffer.byteLength} bytes` : String(buffer)
      }`,
    );
  }
  return buffer;
}
