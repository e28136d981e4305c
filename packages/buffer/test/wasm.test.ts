import { execFileSync } from "node:child_process";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  BufferPool,
  dot,
  GrowableBuffer,
  NDArray,
  sum,
  WasmHeap,
  zeros,
} from "../src/index.ts";
import { sharesMemory } from "../src/internal/copy.ts";

const MiB = 2 ** 20;

describe("WasmHeap as an allocator", () => {
  it("matches a model: blocks aligned, inside the heap, never overlapping, zeroed; free space coalesces", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant("alloc" as const), bytes: fc.nat({ max: 40_000 }) }),
            fc.record({ op: fc.constant("free" as const), pick: fc.nat() }),
          ),
          { maxLength: 80 },
        ),
        (steps) => {
          using heap = new WasmHeap({ bytes: 256 * 1024 });
          const live: Uint8Array[] = [];
          const reserved = (b: Uint8Array) => Math.ceil(b.byteLength / 64) * 64;
          for (const step of steps) {
            if (step.op === "alloc") {
              const before = heap.stats();
              let block: Uint8Array;
              try {
                block = heap.allocate(step.bytes);
              } catch (e) {
                expect(e).toBeInstanceOf(RangeError);
                expect(before.largestFree).toBeLessThan(step.bytes);
                expect(heap.stats()).toEqual(before); // a refused request changes nothing
                continue;
              }
              expect(block.byteLength).toBe(step.bytes);
              expect(block.byteOffset % 64).toBe(0);
              expect(block.byteOffset + reserved(block)).toBeLessThanOrEqual(heap.capacity);
              expect(block.every((v) => v === 0)).toBe(true);
              for (const other of live) {
                if (block.byteLength === 0 || other.byteLength === 0) continue;
                const apart =
                  block.byteOffset + reserved(block) <= other.byteOffset ||
                  other.byteOffset + reserved(other) <= block.byteOffset;
                expect(apart).toBe(true);
              }
              block.fill(0xab); // dirty it: the next owner of these bytes must get zeros
              live.push(block);
            } else if (live.length > 0) {
              const [block] = live.splice(step.pick % live.length, 1);
              heap.release(block!);
            }
            const s = heap.stats();
            expect(s.blocks).toBe(live.length);
            expect(s.used).toBe(live.reduce((t, b) => t + reserved(b), 0));
            expect(s.free).toBe(s.capacity - s.used);
          }
          for (const b of live.splice(0)) heap.release(b);
          expect(heap.stats().largestFree).toBe(heap.capacity); // every range merged back
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses bad capacities and bad requests with errors that name the value", () => {
    for (const bytes of [0, -3, 1.5, Number.NaN, 2 ** 32 - 65535, "1024"]) {
      expect(() => new WasmHeap({ bytes: bytes as number })).toThrow(
        new RangeError(
          `bytes must be a positive integer of at most 4294901760 (4 GiB − 64 KiB, wasm32's limit), got ${typeof bytes === "string" ? JSON.stringify(bytes) : String(bytes)}`,
        ),
      );
    }
    expect(() => new WasmHeap(null as never)).toThrow(TypeError);
    using heap = new WasmHeap({ bytes: 1 });
    expect(heap.capacity).toBe(65536); // whole pages
    expect(() => heap.allocate(-1)).toThrow("byteLength must be a non-negative integer, got -1");
    expect(() => heap.allocate(70_000)).toThrow(
      "WasmHeap of 65536 bytes cannot allocate 70000 bytes: 65536 bytes free, the largest free range is 65536 bytes",
    );
    const block = heap.allocate(100);
    heap.release(block);
    expect(() => heap.release(block)).toThrow(/released twice, or from another allocator/);
    expect(() => heap.release(new ArrayBuffer(8))).toThrow(TypeError);
    expect(heap.stats().blocks).toBe(0);
  });

  it("an array that does not fit is refused before anything is allocated or lost", () => {
    using heap = new WasmHeap({ bytes: MiB });
    using a = zeros([100_000], { allocator: heap }).fill(1); // 800,000 bytes
    expect(() => zeros([100_000], { allocator: heap })).toThrow(RangeError);
    expect(() => add(a, a, { allocator: heap })).toThrow(RangeError);
    expect(heap.stats().blocks).toBe(1);
    expect(sum(a)).toBe(100_000);
  });

  it("arrays, growable buffers and pool leases take blocks and give them back when disposed", () => {
    using heap = new WasmHeap({ bytes: 4 * MiB });
    {
      using a = zeros([1000], { allocator: heap });
      const view = a.slice("::10");
      expect(view.retainedBytes).toBe(8000); // the block, not the whole heap
      expect(heap.stats().blocks).toBe(1);
    }
    expect(heap.stats().blocks).toBe(0);
    {
      using g = new GrowableBuffer("float64", { allocator: heap });
      for (let i = 0; i < 10_000; i++) g.push(i);
      expect(heap.stats().blocks).toBe(1); // every outgrown storage went back
      expect(heap.stats().allocations).toBeGreaterThan(5);
      using view = g.view(); // over the heap's memory: the SIMD sum
      expect(sum(view.toNDArray())).toBe((9999 * 10_000) / 2);
    }
    {
      using pool = new BufferPool({ allocator: heap });
      {
        using lease = pool.acquire("float64", 500);
        lease.array.fill(3);
        expect(sum(lease.toNDArray())).toBe(1500);
      }
      using again = pool.acquire("float64", 500);
      expect(again.array.every((v) => v === 0)).toBe(true);
    }
    expect(heap.stats().blocks).toBe(0);
    expect(heap.stats().largestFree).toBe(heap.capacity);
  });

  it("arrays side by side in the heap are not copied as if they overlapped; overlapping views still are", () => {
    using heap = new WasmHeap({ bytes: MiB });
    using x = zeros([1000], { allocator: heap });
    for (let i = 0; i < 1000; i++) x.data[x.offset + i] = i;
    // out = x[1:], inputs x[:-1]: overlapping and not the same view, so the input is read first.
    add(x.slice(":-1"), 1, { out: x.slice("1:") });
    expect(Array.from(x.data.subarray(x.offset, x.offset + 5))).toEqual([0, 1, 2, 3, 4]);
    expect(x.data[x.offset + 999]).toBe(999);
    using y = zeros([1000], { allocator: heap }).fill(2);
    using z = zeros([1000], { allocator: heap });
    expect(x.data.buffer).toBe(z.data.buffer);
    expect(sharesMemory(x, z)).toBe(false);
    expect(sharesMemory(x.slice("::-1"), x.slice("999:"))).toBe(true);
    expect(sharesMemory(x.slice(":500"), x.slice("500:"))).toBe(false);
    add(x, y, { out: z });
    expect(z.data[z.offset + 10]).toBe(12);
  });

  it("after the heap is disposed its arrays stay readable, run the JavaScript kernels, and dispose quietly", () => {
    const heap = new WasmHeap({ bytes: MiB });
    const a = zeros([20_000], { allocator: heap });
    for (let i = 0; i < a.size; i++) a.data[a.offset + i] = 1 / (i + 1);
    const simd = sum(a);
    heap[Symbol.dispose]();
    heap[Symbol.dispose]();
    expect(heap.disposed).toBe(true);
    expect(Object.is(sum(a), simd)).toBe(true);
    a[Symbol.dispose]();
    expect(() => heap.allocate(8)).toThrow(ReferenceError);
    expect(() => zeros([2], { allocator: heap })).toThrow(ReferenceError);
  });

  it("a float64 array the user places in the heap's memory gets the SIMD kernels too", () => {
    using heap = new WasmHeap({ bytes: MiB });
    const block = heap.allocate(8 * 10_000);
    const mine = new NDArray(new Float64Array(block.buffer, block.byteOffset, 10_000)).fill(0.1);
    expect(Object.is(sum(mine), sum(mine.compact()))).toBe(true);
    heap.release(block);
  });

  it("arrays past 2 GiB (addresses beyond int32) give the same bits", () => {
    // Untouched pages cost no resident memory: this reserves 2 GiB + 16 MiB and writes ~2 MiB.
    using heap = new WasmHeap({ bytes: 2 ** 31 + 2 ** 24 });
    const pad = heap.allocate(2 ** 31 + 64);
    using x = zeros([100_000], { allocator: heap });
    using y = zeros([100_000], { allocator: heap });
    for (let i = 0; i < x.size; i++) {
      x.data[x.offset + i] = 1 / (i + 1);
      y.data[y.offset + i] = i;
    }
    expect(x.data.byteOffset).toBeGreaterThan(2 ** 31);
    const px = x.compact();
    const py = y.compact();
    expect(Object.is(sum(x), sum(px))).toBe(true);
    expect(Object.is(sum(x.slice("::-3")), sum(px.slice("::-3")))).toBe(true);
    expect(Object.is(dot(x, y), dot(px, py))).toBe(true);
    using z = add(x, y, { allocator: heap });
    expect(Object.is(sum(z), sum(add(px, py)))).toBe(true);
    heap.release(pad);
  });

  it("a dropped heap (and its arrays) is garbage collected", async () => {
    const gc = (globalThis as { gc?: () => void }).gc!;
    // Made in a plain function: a suspended async function keeps its dead locals reachable.
    const make = () => {
      const heap = new WasmHeap({ bytes: 16 * MiB });
      sum(zeros([1000], { allocator: heap }).fill(1));
      return new WeakRef(heap);
    };
    const ref = make();
    for (let i = 0; i < 20 && ref.deref() !== undefined; i++) {
      await new Promise((r) => setTimeout(r, 0));
      gc();
    }
    expect(ref.deref()).toBeUndefined();
  });
});

describe("the Allocator contract", () => {
  it("a Uint8Array range at a multiple of 8 bytes backs arrays, and the same object comes back on release", () => {
    const arena = new ArrayBuffer(1024);
    const released: unknown[] = [];
    const allocator = {
      allocate: (n: number) => new Uint8Array(arena, 64, n),
      release: (m: ArrayBuffer | Uint8Array) => released.push(m),
    };
    const a = zeros([4], { allocator }).fill(7);
    expect(a.data.buffer).toBe(arena);
    expect(a.data.byteOffset).toBe(64);
    expect(a.retainedBytes).toBe(32);
    expect(new Float64Array(arena, 64, 4)).toEqual(new Float64Array([7, 7, 7, 7]));
    const data = a.data;
    a[Symbol.dispose]();
    expect(released).toHaveLength(1);
    expect(released[0]).toBeInstanceOf(Uint8Array);
    expect((released[0] as Uint8Array).byteOffset).toBe(data.byteOffset);
  });

  it("a breach is a TypeError that says what came back, after giving it back", () => {
    const released: unknown[] = [];
    const wrong = (make: (n: number) => ArrayBuffer | Uint8Array) => ({
      allocate: make,
      release: (m: ArrayBuffer | Uint8Array) => released.push(m),
    });
    expect(() => zeros([4], { allocator: wrong((n) => new ArrayBuffer(n + 8)) })).toThrow(
      new TypeError(
        "allocator.allocate(32) must return an ArrayBuffer of exactly 32 bytes or a Uint8Array of exactly 32 bytes at a multiple of 8 bytes, got ArrayBuffer of 40 bytes",
      ),
    );
    expect(() =>
      zeros([4], { allocator: wrong((n) => new Uint8Array(new ArrayBuffer(64), 4, n)) }),
    ).toThrow(/got Uint8Array of 32 bytes at byte offset 4$/);
    expect(released).toHaveLength(2);
    expect(() => zeros([4], { allocator: wrong(() => "nope" as never) })).toThrow(/got nope$/);
  });

  it("NDArray's memory option must be the bytes of data", () => {
    const allocator = { allocate: (n: number) => new ArrayBuffer(n), release: () => {} };
    const data = new Float64Array(new ArrayBuffer(64), 16, 4);
    expect(() => new NDArray(data, { allocator, memory: new Uint8Array(64) })).toThrow(
      "memory must be data.buffer (an ArrayBuffer) or a Uint8Array over the bytes of data",
    );
    expect(
      () => new NDArray(data, { allocator, memory: new Uint8Array(data.buffer, 24, 8) }),
    ).toThrow(TypeError);
    const ok = new NDArray(data, { allocator, memory: new Uint8Array(data.buffer, 16, 32) });
    expect(ok.retainedBytes).toBe(32);
  });
});

describe("without WebAssembly", () => {
  it("the package works and WasmHeap says what is missing (node --jitless has no WebAssembly)", () => {
    const src = join(import.meta.dirname, "..", "src", "index.ts");
    const script = `
      import { register } from "tsx/esm/api";
      register();
      const { WasmHeap, add, arange, sum } = await import(${JSON.stringify(src)});
      console.log(sum(add(arange(10), 1)));
      try { new WasmHeap({ bytes: 65536 }); } catch (e) { console.log(String(e)); }`;
    const out = execFileSync(
      process.execPath,
      ["--jitless", "--no-warnings", "--input-type=module", "-e", script],
      { cwd: import.meta.dirname, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    expect(out.trim().split("\n")).toEqual([
      "55",
      "TypeError: WasmHeap needs WebAssembly, which this runtime does not offer (node --jitless?); the rest of the package works without it",
    ]);
  });
});

describe("the committed WebAssembly module", () => {
  it("is what scripts/build-wasm.mjs makes of wasm/kernels.wat", () => {
    const pkg = join(import.meta.dirname, "..");
    expect(() =>
      execFileSync(process.execPath, [join(pkg, "scripts", "build-wasm.mjs"), "--check"], {
        cwd: pkg,
        stdio: "pipe",
      }),
    ).not.toThrow();
  });
});
