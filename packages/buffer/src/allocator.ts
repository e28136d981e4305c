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
  /**
   * Returns `byteLength` new zero-filled bytes: an `ArrayBuffer` of exactly that length, or a
   * `Uint8Array` of exactly that length inside a larger buffer (an arena such as {@link WasmHeap}),
   * starting at a multiple of 8 bytes so that every dtype can view it.
   */
  allocate(byteLength: number): Memory;
  /**
   * Called once, with the very object `allocate` returned, when the library no longer uses it
   * (e.g. a pool shrinks, an array is disposed).
   */
  release(memory: Memory): void;
}

/** What an {@link Allocator} hands out: a whole `ArrayBuffer`, or a `Uint8Array` range of one. */
export type Memory = ArrayBuffer | Uint8Array;

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

/**
 * Allocates through `allocator` and checks the contract (exact length; an ArrayBuffer, or a
 * Uint8Array starting at a multiple of 8 bytes). A broken contract throws a `TypeError` after
 * giving the memory back, so nothing leaks.
 */
export function allocateChecked(allocator: Allocator, byteLength: number): Memory {
  const memory = allocator.allocate(byteLength);
  const ok =
    memory instanceof ArrayBuffer
      ? memory.byteLength === byteLength
      : memory instanceof Uint8Array &&
        memory.byteLength === byteLength &&
        memory.byteOffset % 8 === 0;
  if (!ok) {
    const got =
      memory instanceof ArrayBuffer || memory instanceof Uint8Array
        ? `${memory.constructor.name} of ${memory.byteLength} bytes${
            memory instanceof Uint8Array ? ` at byte offset ${memory.byteOffset}` : ""
          }`
        : String(memory);
    if (memory instanceof ArrayBuffer || memory instanceof Uint8Array) allocator.release(memory);
    throw new TypeError(
      `allocator.allocate(${byteLength}) must return an ArrayBuffer of exactly ${byteLength} bytes or a Uint8Array of exactly ${byteLength} bytes at a multiple of 8 bytes, got ${got}`,
    );
  }
  return memory;
}

/** A typed array of class `Ctor` over all of `memory`. */
export function viewMemory<T>(
  Ctor: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T,
  memory: Memory,
  bytesPerElement: number,
): T {
  return memory instanceof ArrayBuffer
    ? new Ctor(memory, 0, memory.byteLength / bytesPerElement)
    : new Ctor(memory.buffer, memory.byteOffset, memory.byteLength / bytesPerElement);
}
