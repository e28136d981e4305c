/**
 * DESIGN.md's allocator seam, end to end: @heapwise/buffer's `GrowableBuffer`, `NDArray`
 * constructors and `BufferPool`, given `heap.allocator({ domain: "mem" })`, take every buffer from
 * the simulated heap as CPython's `PyMem_Malloc` would: a pymalloc block up to 512 bytes, a raw
 * `malloc` above, seen by `sys._debugmallocstats()`'s counters and tracemalloc. Oracle e's lesson
 * (a million floats: a list against `array('d')`) with a real GrowableBuffer.
 */
import { BufferPool, GrowableBuffer, zeros } from "@heapwise/buffer";
import { describe, expect, it } from "vitest";
import { Heap } from "../src/index.ts";
import { oracle } from "./helpers/oracle.ts";

/** What the simulated heap holds now, per kind of block. */
function charge(py: Heap) {
  const st = py.pymalloc.stats();
  return {
    pymalloc: st.sizeClasses.map((c) => c.blocksInUse),
    rawBlocks: st.rawAllocatedBlocks,
    rawBytes: st.rawBytes,
  };
}

/** The charge of `base` plus one block of `bytes` requested through `PyMem_Malloc`. */
function plusBlock(base: ReturnType<typeof charge>, bytes: number) {
  const out = { ...base, pymalloc: [...base.pymalloc] };
  if (bytes > 0 && bytes <= 512) out.pymalloc[(bytes - 1) >> 4]!++;
  else {
    out.rawBlocks++;
    out.rawBytes += bytes;
  }
  return out;
}

describe("@heapwise/buffer on the simulated heap", () => {
  it("NDArray constructors: a pymalloc block up to 512 bytes, raw malloc above; dispose frees", () => {
    const py = new Heap();
    const allocator = py.allocator({ domain: "mem" });
    const base = charge(py);
    py.tracemalloc.start();
    {
      using small = zeros([3, 4], { allocator }); // 96 bytes: pymalloc's 96-byte class
      expect(charge(py)).toEqual(plusBlock(base, 96));
      using big = zeros([1000], { allocator, dtype: "float32" }); // 4000 bytes: raw
      expect(charge(py)).toEqual(plusBlock(plusBlock(base, 96), 4000));
      expect(py.tracemalloc.getTracedMemory()).toEqual([4096, 4096]);
      expect(small.nbytes + big.nbytes).toBe(allocator.outstandingBytes);
    } // disposed: both buffers go back
    expect(charge(py)).toEqual(base);
    expect(py.tracemalloc.getTracedMemory()).toEqual([0, 4096]);
    expect(allocator.outstanding).toBe(0);
    expect(py.check()).toEqual([]);
  });

  it("GrowableBuffer: each growth allocates the new capacity and releases the old buffer", () => {
    const py = new Heap();
    const allocator = py.allocator({ domain: "mem" });
    const base = charge(py);
    const buf = new GrowableBuffer("float64", { allocator, growth: "python" });
    let capacities = 0;
    let last = -1;
    for (let i = 0; i < 200; i++) {
      buf.push(i);
      if (buf.capacity !== last) {
        last = buf.capacity;
        capacities++;
        // Exactly one block is charged: the current storage, 8 bytes per element of capacity.
        expect(charge(py)).toEqual(plusBlock(base, 8 * buf.capacity));
      }
    }
    expect(capacities).toBeGreaterThan(8); // 4, 8, 16, 25, 34, 44, 54, 65 (520 bytes: raw), ...
    expect(allocator.outstandingBytes).toBe(buf.byteCapacity);
    buf[Symbol.dispose]();
    expect(charge(py)).toEqual(base);
    expect(allocator.outstanding).toBe(0);
  });

  it("BufferPool: a reused buffer is no new allocation; trim and dispose release", () => {
    const py = new Heap();
    const allocator = py.allocator({ domain: "mem" });
    const base = charge(py);
    const pool = new BufferPool({ allocator });
    {
      using lease = pool.acquire("float64", 1000); // 8000 bytes → the 8192-byte class: raw
      lease.array[0] = 1;
      expect(charge(py)).toEqual(plusBlock(base, 8192));
    }
    expect(charge(py)).toEqual(plusBlock(base, 8192)); // kept by the pool, not released
    {
      using lease = pool.acquire("float64", 900); // the same class: reused
      expect(lease.array[0]).toBe(0); // zeroed again
      using small = pool.acquire("float32", 10); // 40 bytes → the 64-byte class: pymalloc
      expect(small.array.length).toBe(10);
      expect(charge(py)).toEqual(plusBlock(plusBlock(base, 8192), 64));
    }
    expect(pool.stats()).toMatchObject({ allocations: 2, reuses: 1, free: 2, inUse: 0 });
    expect(allocator.outstanding).toBe(2);
    pool.trim();
    expect(charge(py)).toEqual(base);
    const held = pool.acquire("uint8", 100);
    pool[Symbol.dispose](); // a lease still out releases its buffer when it is disposed
    expect(charge(py)).toEqual(plusBlock(base, 128));
    held[Symbol.dispose]();
    expect(charge(py)).toEqual(base);
    expect(allocator.outstanding).toBe(0);
  });

  it("oracle e: a million floats take 4 times the memory in a list as in a GrowableBuffer", () => {
    const want = oracle<{ results: Record<string, Record<string, number>> }>(
      "e_container_footprint",
    ).results;
    const N = 1_000_000;
    const py = new Heap();
    py.gc.disable();
    using f = py.frame();

    // lst = [float(i) for i in range(N)]
    py.tracemalloc.start();
    f.set("lst", py.list());
    const lst = f.get("lst");
    for (let i = 0; i < N; i++) lst.append(py.float(i));
    const [listBytes] = py.tracemalloc.getTracedMemory();
    py.tracemalloc.stop();
    const listWant = want.list_of_floats_comprehension!.tracemalloc_current!;
    expect(Math.abs(listBytes - listWant)).toBeLessThanOrEqual(1024); // as in oracle-e's test
    f.del("lst");
    py.gc.collect();

    // arr = array('d', range(N)): the same appends, into a GrowableBuffer of "python" growth.
    py.tracemalloc.start();
    const allocator = py.allocator({ domain: "mem" });
    using buf = new GrowableBuffer("float64", { allocator, growth: "python" });
    let previous = 0;
    for (let i = 0; i < N; i++) {
      const cap = buf.capacity;
      buf.push(i);
      if (buf.capacity !== cap) previous = cap;
    }
    const [bufBytes, bufPeak] = py.tracemalloc.getTracedMemory();
    py.tracemalloc.stop();
    // array.array's capacity sequence, so its item buffer is exactly array('d')'s: getsizeof(arr)
    // minus the 80-byte array object (here the GrowableBuffer, a JS object).
    expect(bufBytes).toBe(8 * buf.capacity);
    expect(bufBytes).toBe(want.array_d_from_range!.getsizeof! - 80);
    expect(listBytes / bufBytes).toBeCloseTo(3.965, 2);
    // CPython grows the array with realloc, which tracemalloc sees as one block; a JS buffer cannot
    // grow in place, so the peak holds the last two capacities at once.
    expect(bufPeak).toBe(8 * (previous + buf.capacity));
    expect(want.array_d_from_range!.tracemalloc_peak! - bufBytes).toBeLessThan(1024);
  });
});
