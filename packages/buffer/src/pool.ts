import {
  type Allocator,
  allocateChecked,
  checkAllocator,
  defaultAllocator,
  type Memory,
  viewMemory,
} from "./allocator.ts";
import {
  checkDType,
  type DType,
  describe,
  type TypedArrayOf,
  typedArrayConstructor,
} from "./dtype.ts";
import { NDArray } from "./ndarray.ts";

/** Options of {@link BufferPool}. */
export interface BufferPoolOptions {
  /** Where buffers come from and go back to when the pool trims or is disposed. Default {@link defaultAllocator}. */
  allocator?: Allocator;
  /**
   * Smallest size class in bytes (a power of two). Default 64. Requests are rounded up to a power
   * of two: at most 2× the requested bytes are held, in exchange for reuse across nearby sizes.
   */
  minClassBytes?: number;
  /**
   * Free buffers kept per size class; a returned buffer beyond this is released to the allocator.
   * Default 8.
   */
  maxFreePerClass?: number;
  /** Total free bytes kept across classes; beyond it returned buffers are released. Default 64 MiB. */
  maxFreeBytes?: number;
}

/** Counters of a {@link BufferPool}. */
export interface BufferPoolStats {
  /** Leases not yet disposed. */
  inUse: number;
  /** Bytes of the buffers behind those leases (size-class bytes). */
  inUseBytes: number;
  /** Free buffers held for reuse. */
  free: number;
  /** Bytes of those free buffers. */
  freeBytes: number;
  /** Highest `inUseBytes + freeBytes` ever held. */
  highWaterBytes: number;
  /** Buffers obtained from the allocator. */
  allocations: number;
  /** Leases served from a free buffer. */
  reuses: number;
  /** Buffers given back to the allocator. */
  releases: number;
}

/**
 * A leased typed array from a {@link BufferPool}: zeroed, exactly `length` elements (a view of a
 * size-classed buffer). Dispose it (a `using` declaration) to return the buffer to the pool; after
 * that, `array` throws.
 */
export interface Lease<D extends DType> extends Disposable {
  /** The zeroed elements. Throws a ReferenceError once the lease is returned. */
  readonly array: TypedArrayOf<D>;
  /** Element type. */
  readonly dtype: D;
  /** Whether the lease was returned. */
  readonly returned: boolean;
  /** The elements as an NDArray of `shape` (default 1-D), sharing memory; valid until return. */
  toNDArray(shape?: readonly number[]): NDArray<D>;
}

/**
 * Size-classed reuse of typed-array memory, the way pymalloc keeps pools of same-size blocks for
 * small objects: `acquire(dtype, length)` hands out a zeroed typed array backed by a power-of-two
 * buffer from a free list when one is there (else from the allocator), and disposing the lease puts
 * the buffer back. Hot loops that need scratch arrays stop allocating (and stop feeding the GC).
 *
 * @example
 * ```ts
 * const pool = new BufferPool();
 * for (const batch of batches) {
 *   using lease = pool.acquire("float64", batch.length);
 *   const scratch = lease.array;     // zeroed
 *   // … use scratch …
 * }                                  // returned to the pool at the end of each iteration
 * pool.stats();                      // { inUse: 0, free: 1, allocations: 1, reuses: …, … }
 * ```
 */
export class BufferPool implements Disposable {
  readonly #allocator: Allocator;
  readonly #minClass: number;
  readonly #maxFreePerClass: number;
  readonly #maxFreeBytes: number;
  readonly #free = new Map<number, Memory[]>();
  #stats: BufferPoolStats = {
    inUse: 0,
    inUseBytes: 0,
    free: 0,
    freeBytes: 0,
    highWaterBytes: 0,
    allocations: 0,
    reuses: 0,
    releases: 0,
  };
  #disposed = false;

  constructor(options: BufferPoolOptions = {}) {
    this.#allocator =
      options.allocator === undefined ? defaultAllocator : checkAllocator(options.allocator);
    const min = options.minClassBytes ?? 64;
    if (!Number.isSafeInteger(min) || min < 8 || (min & (min - 1)) !== 0) {
      throw new RangeError(`minClassBytes must be a power of two >= 8, got ${describe(min)}`);
    }
    this.#minClass = min;
    const perClass = options.maxFreePerClass ?? 8;
    if (!Number.isSafeInteger(perClass) || perClass < 0) {
      throw new RangeError(
        `maxFreePerClass must be a non-negative integer, got ${describe(perClass)}`,
      );
    }
    this.#maxFreePerClass = perClass;
    const maxFree = options.maxFreeBytes ?? 64 * 1024 * 1024;
    if (!Number.isSafeInteger(maxFree) || maxFree < 0) {
      throw new RangeError(`maxFreeBytes must be a non-negative integer, got ${describe(maxFree)}`);
    }
    this.#maxFreeBytes = maxFree;
  }

  /** The size class (bytes) that serves a request of `bytes`. */
  classFor(bytes: number): number {
    let c = this.#minClass;
    while (c < bytes) c *= 2;
    return c;
  }

  /**
   * Leases a zeroed typed array of `length` elements of `dtype`. Throws on a bad dtype or length
   * before taking anything from the pool.
   */
  acquire<D extends DType>(dtype: D, length: number): Lease<D> {
    if (this.#disposed) throw new ReferenceError("BufferPool was used after dispose");
    const dt = checkDType(dtype) as D;
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`length must be a non-negative integer, got ${describe(length)}`);
    }
    const Ctor = typedArrayConstructor(dt);
    const bytes = length * Ctor.prototype.BYTES_PER_ELEMENT;
    const cls = this.classFor(bytes);
    const list = this.#free.get(cls);
    let buffer = list?.pop();
    const st = this.#stats;
    if (buffer) {
      st.free--;
      st.freeBytes -= cls;
      st.reuses++;
      // the whole class block: no stale bytes behind lease.array.buffer
      viewMemory(Uint8Array, buffer, 1).fill(0);
    } else {
      buffer = allocateChecked(this.#allocator, cls);
      st.allocations++;
    }
    st.inUse++;
    st.inUseBytes += cls;
    st.highWaterBytes = Math.max(st.highWaterBytes, st.inUseBytes + st.freeBytes);
    const array = (
      buffer instanceof ArrayBuffer
        ? new Ctor(buffer, 0, length)
        : new Ctor(buffer.buffer, buffer.byteOffset, length)
    ) as TypedArrayOf<D>;
    let returned = false;
    const held = buffer;
    const check = () => {
      if (returned)
        throw new ReferenceError(
          `lease of ${length} ${dt} was used after it was returned to the pool`,
        );
      return array;
    };
    return {
      dtype: dt,
      get array() {
        return check();
      },
      get returned() {
        return returned;
      },
      toNDArray: (shape?: readonly number[]) => new NDArray(check(), shape ? { shape } : {}),
      [Symbol.dispose]: () => {
        if (returned) return;
        returned = true;
        this.#giveBack(held, cls);
      },
    };
  }

  #giveBack(buffer: Memory, cls: number): void {
    const st = this.#stats;
    st.inUse--;
    st.inUseBytes -= cls;
    const list = this.#free.get(cls) ?? [];
    if (
      this.#disposed ||
      list.length >= this.#maxFreePerClass ||
      st.freeBytes + cls > this.#maxFreeBytes
    ) {
      this.#allocator.release(buffer);
      st.releases++;
      return;
    }
    list.push(buffer);
    this.#free.set(cls, list);
    st.free++;
    st.freeBytes += cls;
    st.highWaterBytes = Math.max(st.highWaterBytes, st.inUseBytes + st.freeBytes);
  }

  /** A snapshot of the counters. */
  stats(): BufferPoolStats {
    return { ...this.#stats };
  }

  /** Releases every free buffer to the allocator (leases in use are unaffected). */
  trim(): void {
    for (const list of this.#free.values()) {
      for (const b of list) {
        this.#allocator.release(b);
        this.#stats.releases++;
      }
    }
    this.#free.clear();
    this.#stats.free = 0;
    this.#stats.freeBytes = 0;
  }

  /**
   * Releases the free buffers; leases still out release their buffer to the allocator when they
   * are disposed. Further `acquire` calls throw. Idempotent.
   */
  [Symbol.dispose](): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.trim();
  }
}
