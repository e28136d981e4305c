import type { Allocator, Memory } from "./allocator.ts";
import { WASM_KERNELS_BASE64 } from "./internal/wasm-kernels.generated.ts";
import { registerWasm, unregisterWasm, type WasmKernels } from "./internal/wasm-registry.ts";

/**
 * The WebAssembly memory of a {@link WasmHeap} (the part of the WebAssembly JS API's `Memory` this
 * package relies on; the object is a real `WebAssembly.Memory`).
 */
export interface WasmMemory {
  /** The memory's bytes (never detached: a heap's memory does not grow). */
  readonly buffer: ArrayBuffer;
}

// The package compiles without the DOM library, where the WebAssembly JS API is declared; these
// are the members it uses (the runtime's own global, nothing is emitted).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
  Instance: new (
    module: object,
    imports: { env: { memory: WasmMemory } },
  ) => { exports: Record<string, unknown> };
};

/** WebAssembly's page size. */
const PAGE = 65536;
/**
 * wasm32 addresses 4 GiB (65,536 pages); one page less keeps every block's end address below 2³²,
 * where the kernels' unsigned address arithmetic would wrap to 0.
 */
const MAX_BYTES = 65535 * PAGE;
/** Blocks start at multiples of a cache line. */
const ALIGN = 64;

/** Options of {@link WasmHeap}. */
export interface WasmHeapOptions {
  /**
   * Capacity in bytes, rounded up to whole 64 KiB pages; at most 4 GiB − 64 KiB (wasm32's limit). Fixed
   * for the heap's life: growing a WebAssembly memory would detach every array over it. The
   * operating system commits pages only when they are first written, so an ample capacity costs
   * address space, not resident memory.
   */
  bytes: number;
}

/** A snapshot of a {@link WasmHeap}'s counters (bytes include the 64-byte alignment). */
export interface WasmHeapStats {
  /** Bytes the heap manages. */
  capacity: number;
  /** Bytes in blocks not yet released. */
  used: number;
  /** `capacity - used`. */
  free: number;
  /** The largest block `allocate` could return now (free space is split by live blocks). */
  largestFree: number;
  /** Blocks not yet released (arrays not yet disposed). */
  blocks: number;
  /** The most bytes ever in use at once. */
  peakUsed: number;
  /** Blocks handed out so far. */
  allocations: number;
  /** Blocks given back so far. */
  releases: number;
}

let compiled: object | undefined;

/** The kernels' module, compiled once per process (2.4 KB: small enough to compile synchronously). */
function kernelsModule(): object {
  if (compiled === undefined) {
    const text = atob(WASM_KERNELS_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

function describe(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/**
 * An arena of WebAssembly memory that is also an {@link Allocator}: arrays allocated from it
 * (`zeros(shape, { allocator: heap })`, `GrowableBuffer`, `BufferPool`, `compact`, the `out` of
 * `add`) live in memory that WebAssembly can read, so their float64 sums, dot products, axpy and
 * `add`/`subtract`/`multiply`/`divide` run on 128-bit SIMD kernels: on 10⁷ elements 1.2–2.1× as
 * fast as the JavaScript loops (within 1.3× of vectorized C; see the README's benchmarks), with
 * bit-for-bit the same results (the same pairwise tree). Every other dtype and operation runs the
 * JavaScript loops as usual.
 *
 * The price is C's: a block is only reused after it is released, so arrays from a heap are
 * disposed (`using`), not left to the garbage collector. An array dropped without dispose keeps its
 * block until the heap is disposed; {@link WasmHeap.stats} shows what is still out. The capacity
 * is fixed at construction (growing WebAssembly memory detaches every view of it).
 *
 * Compiling WebAssembly needs `'wasm-unsafe-eval'` under a Content-Security-Policy; the rest of
 * the package needs no such permission (it never uses `eval` or `new Function`).
 *
 * Python counterpart: NumPy's C loops over memory outside Python's object heap.
 *
 * @example
 * ```ts
 * using heap = new WasmHeap({ bytes: 256 * 2 ** 20 });
 * using x = zeros([10_000_000], { allocator: heap });
 * x.fill(1);
 * sum(x); // 10000000, on the SIMD kernel
 * ```
 */
export class WasmHeap implements Allocator, Disposable {
  /** Bytes the heap manages (the requested size rounded up to 64 KiB pages). */
  readonly capacity: number;
  /** The WebAssembly memory behind every block (for your own WebAssembly modules, too). */
  readonly memory: WasmMemory;
  readonly #buffer: ArrayBuffer;
  /** Free ranges [starts[i], ends[i]), sorted and never adjacent (coalesced). */
  #starts: number[] = [];
  #ends: number[] = [];
  /** Live blocks and their reserved size. */
  readonly #live = new Map<Uint8Array, number>();
  /** Bytes at or above this address have never been handed out, so they are still zero. */
  #clean = 0;
  #used = 0;
  #peak = 0;
  #allocations = 0;
  #releases = 0;
  #disposed = false;

  /**
   * Reserves the memory and instantiates the kernels. Throws a `RangeError` for a capacity that is
   * not a positive integer up to 4 GiB − 64 KiB, and whatever `WebAssembly.Memory` throws when the runtime
   * cannot reserve it.
   */
  constructor(options: WasmHeapOptions) {
    if (options === null || typeof options !== "object") {
      throw new TypeError(
        `options must be an object like { bytes: 2 ** 28 }, got ${describe(options)}`,
      );
    }
    const { bytes } = options;
    if (
      typeof bytes !== "number" ||
      !Number.isSafeInteger(bytes) ||
      bytes <= 0 ||
      bytes > MAX_BYTES
    ) {
      throw new RangeError(
        `bytes must be a positive integer of at most ${MAX_BYTES} (4 GiB − 64 KiB, wasm32's limit), got ${describe(bytes)}`,
      );
    }
    if (typeof WebAssembly === "undefined") {
      throw new TypeError(
        "WasmHeap needs WebAssembly, which this runtime does not offer (node --jitless?); the rest of the package works without it",
      );
    }
    const pages = Math.ceil(bytes / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const instance = new WebAssembly.Instance(kernelsModule(), { env: { memory: this.memory } });
    this.#buffer = this.memory.buffer;
    this.capacity = this.#buffer.byteLength;
    this.#starts.push(0);
    this.#ends.push(this.capacity);
    registerWasm(this.#buffer, instance.exports as unknown as WasmKernels);
  }

  /**
   * `byteLength` zeroed bytes at a 64-byte boundary, as a `Uint8Array` over the heap's memory.
   * First fit over the free ranges (O(free ranges)). Throws a `RangeError` naming the request and
   * the free space when no free range is large enough; nothing changes then.
   */
  allocate(byteLength: number): Uint8Array {
    if (this.#disposed) throw new ReferenceError("WasmHeap was used after dispose");
    if (typeof byteLength !== "number" || !Number.isSafeInteger(byteLength) || byteLength < 0) {
      throw new RangeError(
        `byteLength must be a non-negative integer, got ${describe(byteLength)}`,
      );
    }
    const size = Math.ceil(byteLength / ALIGN) * ALIGN;
    let i = 0;
    if (size > 0) {
      while (i < this.#starts.length && this.#ends[i]! - this.#starts[i]! < size) i++;
      if (i === this.#starts.length) {
        throw new RangeError(
          `WasmHeap of ${this.capacity} bytes cannot allocate ${byteLength} bytes: ${this.capacity - this.#used} bytes free, the largest free range is ${this.#largestFree()} bytes`,
        );
      }
    }
    const start = size > 0 ? this.#starts[i]! : 0;
    if (size > 0) {
      if (this.#ends[i] === start + size) {
        this.#starts.splice(i, 1);
        this.#ends.splice(i, 1);
      } else this.#starts[i] = start + size;
    }
    const block = new Uint8Array(this.#buffer, start, byteLength);
    if (start < this.#clean) block.subarray(0, this.#clean - start).fill(0);
    this.#clean = Math.max(this.#clean, start + size);
    this.#live.set(block, size);
    this.#used += size;
    this.#peak = Math.max(this.#peak, this.#used);
    this.#allocations++;
    return block;
  }

  /**
   * Gives a block back (its range is merged with free neighbours). A `TypeError` for anything that
   * is not a live block of this heap (released twice, or from another allocator). After the heap
   * is disposed this is a no-op, so arrays can still be disposed in any order.
   */
  release(memory: Memory): void {
    if (this.#disposed) return;
    const size = memory instanceof Uint8Array ? this.#live.get(memory) : undefined;
    if (size === undefined) {
      throw new TypeError(
        `release() needs a live block of this WasmHeap, got ${
          memory instanceof Uint8Array
            ? `a Uint8Array of ${memory.byteLength} bytes that is not one (released twice, or from another allocator)`
            : describe(memory)
        }`,
      );
    }
    this.#live.delete(memory as Uint8Array);
    this.#used -= size;
    this.#releases++;
    if (size > 0) this.#free((memory as Uint8Array).byteOffset, size);
  }

  /** Inserts [start, start + size) into the sorted free ranges, merging with neighbours. */
  #free(start: number, size: number): void {
    const starts = this.#starts;
    const ends = this.#ends;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    const end = start + size;
    const before = lo > 0 && ends[lo - 1] === start;
    const after = lo < starts.length && starts[lo] === end;
    if (before && after) {
      ends[lo - 1] = ends[lo]!;
      starts.splice(lo, 1);
      ends.splice(lo, 1);
    } else if (before) ends[lo - 1] = end;
    else if (after) starts[lo] = start;
    else {
      starts.splice(lo, 0, start);
      ends.splice(lo, 0, end);
    }
  }

  #largestFree(): number {
    let best = 0;
    for (let i = 0; i < this.#starts.length; i++)
      best = Math.max(best, this.#ends[i]! - this.#starts[i]!);
    return best;
  }

  /** A snapshot of the counters. */
  stats(): WasmHeapStats {
    return {
      capacity: this.capacity,
      used: this.#used,
      free: this.capacity - this.#used,
      largestFree: this.#largestFree(),
      blocks: this.#live.size,
      peakUsed: this.#peak,
      allocations: this.#allocations,
      releases: this.#releases,
    };
  }

  /** Whether {@link WasmHeap.[Symbol.dispose]} ran. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Stops allocating and unhooks the SIMD kernels. Arrays still alive stay readable and writable
   * (they keep the memory alive; it goes with the last of them) and run the JavaScript kernels.
   * Idempotent.
   */
  [Symbol.dispose](): void {
    if (this.#disposed) return;
    this.#disposed = true;
    unregisterWasm(this.#buffer);
    this.#live.clear();
    this.#starts = [];
    this.#ends = [];
  }
}
