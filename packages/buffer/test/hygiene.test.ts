/**
 * Resource hygiene with --expose-gc: memory pinned only while something needs it, nothing left
 * running after dispose/close.
 */
import { setImmediate as tick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { GrowableBuffer, zeros } from "../src/index.ts";
import { ParallelPool } from "../src/node.ts";

const gc = (globalThis as { gc?: () => void }).gc;

async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 100 && ref.deref() !== undefined; i++) {
    await tick();
    gc!();
  }
  return ref.deref() === undefined;
}

describe("resource hygiene", () => {
  it("runs with gc exposed", () => {
    expect(typeof gc).toBe("function");
  });

  it("a view pins its base's buffer; compact() lets it go (numpy #10273)", async () => {
    let big: ReturnType<typeof zeros> | undefined = zeros([1_000_000]);
    const bigRef = new WeakRef(big.data.buffer);
    const view = big.slice(":10");
    big = undefined;
    expect(await collected(bigRef)).toBe(false); // the view still holds it
    let big2: ReturnType<typeof zeros> | undefined = zeros([1_000_000]);
    const ref2 = new WeakRef(big2.data.buffer);
    const copy = big2.slice(":10").compact();
    big2 = undefined;
    expect(await collected(ref2)).toBe(true);
    expect(view.size + copy.size).toBe(20);
  });

  it("GrowableBuffer drops its old storage on growth, and dropped views do not pin it", async () => {
    const buf = new GrowableBuffer("float64", { initialCapacity: 1000 });
    const first = new WeakRef(buf.view().array.buffer); // never released: export count stays 1…
    expect(buf.exports).toBe(1);
    buf[Symbol.dispose](); // …until dispose releases every export
    expect(buf.exports).toBe(0);
    expect(await collected(first)).toBe(true);
    const h = new GrowableBuffer("float64");
    h.push(1);
    const old = new WeakRef(
      (() => {
        using v = h.view();
        return v.array.buffer;
      })(),
    );
    for (let i = 0; i < 100; i++) h.push(i);
    expect(await collected(old)).toBe(true);
  });

  it("a closed ParallelPool leaves no worker running, and an unused one starts none", async () => {
    const worker = new URL("./helpers/ts-worker.mjs", import.meta.url);
    const idle = new ParallelPool({ threads: 2, worker });
    expect(idle.liveThreads).toBe(0);
    await idle.close();
    const pool = new ParallelPool({ threads: 2, worker, minParallel: 0 });
    const x = zeros([1000], { shared: true }).fill(1);
    expect(await pool.sum(x)).toBe(1000);
    expect(pool.liveThreads).toBe(2);
    await pool.close();
    for (let i = 0; i < 50 && pool.liveThreads > 0; i++) await tick();
    expect(pool.liveThreads).toBe(0);
  });
});
