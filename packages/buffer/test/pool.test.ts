import { describe, expect, it } from "vitest";
import { type Allocator, BufferPool } from "../src/index.ts";

function counting(): Allocator & { live: number; count: number } {
  const a = {
    live: 0,
    count: 0,
    allocate(n: number) {
      a.live += n;
      a.count++;
      return new ArrayBuffer(n);
    },
    release(b: ArrayBuffer) {
      a.live -= b.byteLength;
    },
  };
  return a;
}

describe("BufferPool", () => {
  it("reuses size-classed buffers and hands out zeroed memory", () => {
    const alloc = counting();
    const pool = new BufferPool({ allocator: alloc });
    {
      using lease = pool.acquire("float64", 100);
      expect(lease.array.length).toBe(100);
      lease.array.fill(42);
      expect(pool.stats()).toMatchObject({ inUse: 1, inUseBytes: 1024, free: 0, allocations: 1 });
    }
    expect(pool.stats()).toMatchObject({ inUse: 0, free: 1, freeBytes: 1024 });
    {
      using again = pool.acquire("int32", 200); // 800 bytes: same 1024-byte class
      expect(Array.from(again.array).every((v) => v === 0)).toBe(true);
      expect(again.toNDArray([20, 10]).shape).toEqual([20, 10]);
    }
    expect(pool.stats()).toMatchObject({ allocations: 1, reuses: 1, highWaterBytes: 1024 });
    expect(alloc.count).toBe(1);
    pool[Symbol.dispose]();
    expect(alloc.live).toBe(0);
    expect(() => pool.acquire("float64", 1)).toThrow(/after dispose/);
  });

  it("a returned lease can no longer be read through the lease, and double dispose is harmless", () => {
    const pool = new BufferPool();
    const lease = pool.acquire("uint8", 10);
    lease[Symbol.dispose]();
    lease[Symbol.dispose]();
    expect(lease.returned).toBe(true);
    expect(() => lease.array).toThrow(
      "lease of 10 uint8 was used after it was returned to the pool",
    );
    expect(pool.stats()).toMatchObject({ inUse: 0, free: 1 });
  });

  it("keeps at most maxFreePerClass free buffers and releases the rest to the allocator", () => {
    const alloc = counting();
    const pool = new BufferPool({ allocator: alloc, maxFreePerClass: 2 });
    const leases = [1, 2, 3, 4].map(() => pool.acquire("float64", 8));
    expect(pool.stats().highWaterBytes).toBe(4 * 64);
    for (const l of leases) l[Symbol.dispose]();
    expect(pool.stats()).toMatchObject({ free: 2, releases: 2, allocations: 4 });
    expect(alloc.live).toBe(2 * 64);
    pool.trim();
    expect(alloc.live).toBe(0);
  });

  it("leases outstanding at dispose go straight back to the allocator", () => {
    const alloc = counting();
    const pool = new BufferPool({ allocator: alloc });
    const lease = pool.acquire("float32", 1000);
    pool[Symbol.dispose]();
    expect(alloc.live).toBe(4096);
    lease[Symbol.dispose]();
    expect(alloc.live).toBe(0);
  });

  it("validates its options", () => {
    expect(() => new BufferPool({ minClassBytes: 100 })).toThrow(
      "minClassBytes must be a power of two >= 8, got 100",
    );
    expect(() => new BufferPool({ maxFreePerClass: -1 })).toThrow(/maxFreePerClass/);
    // @ts-expect-error: not an allocator
    expect(() => new BufferPool({ allocator: {} })).toThrow(/allocate\(\) and release\(\)/);
  });
});
