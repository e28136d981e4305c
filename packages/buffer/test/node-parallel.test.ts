import { afterAll, describe, expect, it } from "vitest";
import { add, arange, dot, mean, sum, variance, zeros } from "../src/index.ts";
import { ParallelPool } from "../src/node.ts";

function filled(n: number, f: (i: number) => number) {
  const a = zeros([n], { shared: true });
  const d = a.data;
  for (let i = 0; i < n; i++) d[i] = f(i);
  return a;
}

describe("ParallelPool (worker threads over SharedArrayBuffer)", () => {
  const worker = new URL("./helpers/ts-worker.mjs", import.meta.url);
  const pool = new ParallelPool({ threads: 2, worker });
  afterAll(() => pool.close());

  it("parallel sum, mean, variance and dot agree with the one-thread kernels", async () => {
    const n = 300_000;
    const x = filled(n, (i) => Math.sin(i) * 1000);
    const y = filled(n, (i) => Math.cos(i));
    const s = await pool.sum(x);
    expect(Math.abs(s - sum(x))).toBeLessThanOrEqual(1e-9);
    expect(await pool.sum(x, { algorithm: "kahan" })).toBeCloseTo(
      sum(x, { algorithm: "kahan" }),
      9,
    );
    expect(await pool.mean(x)).toBeCloseTo(mean(x), 12);
    expect(await pool.variance(x)).toBeCloseTo(variance(x), 6);
    expect(await pool.dot(x, y)).toBeCloseTo(dot(x, y), 8);
  });

  it("elementwise kernels write into shared out arrays, in place too", async () => {
    const n = 200_000;
    const a = filled(n, (i) => i);
    const b = filled(n, (i) => 2 * i);
    const c = await pool.add(a, b);
    expect(c.isShared).toBe(true);
    expect(c.slice(":4").toArray()).toEqual([0, 3, 6, 9]);
    expect(c.get(n - 1)).toBe(3 * (n - 1));
    await pool.binary("multiply", a, b, { out: a });
    expect(a.get(3)).toBe(18);
    const e = await pool.unary(
      "exp",
      filled(n, () => 1),
    );
    expect(e.get(n - 1)).toBe(Math.E);
    expect(sum(add(e, 0))).toBeCloseTo(n * Math.E, 6);
  });

  it("small arrays run on the calling thread with the same results", async () => {
    const x = filled(1000, (i) => i);
    expect(await pool.sum(x)).toBe(sum(x));
  });

  it("refuses non-shared, non-contiguous or mismatched operands with a message saying what to do", async () => {
    await expect(pool.sum(arange(10))).rejects.toThrow(/SharedArrayBuffer.*\{ shared: true \}/);
    const s = zeros([4, 4], { shared: true });
    await expect(pool.sum(s.T)).rejects.toThrow(/must be C-contiguous/);
    await expect(
      pool.add(zeros([3], { shared: true }), zeros([4], { shared: true })),
    ).rejects.toThrow(/shapes \[3\] and \[4\] differ/);
    // @ts-expect-error: not a unary function
    await expect(pool.unary("gamma", s)).rejects.toThrow(/unknown unary function "gamma"/);
    expect(() => new ParallelPool({ threads: 0 })).toThrow(
      "threads must be a positive integer, got 0",
    );
  });

  it("close() terminates the workers, is idempotent, and later use throws", async () => {
    const p = new ParallelPool({ threads: 1, minParallel: 0, worker });
    expect(await p.sum(filled(10, () => 1))).toBe(10);
    await p[Symbol.asyncDispose]();
    await p.close();
    expect(p.closed).toBe(true);
    await expect(p.sum(filled(10, () => 1))).rejects.toThrow(/after close/);
  });
});

describe("ParallelPool after a worker crash", () => {
  it("rejects the pending task and recovers with fresh workers on the next call", async () => {
    const crashing = new URL("./helpers/crash-worker.mjs", import.meta.url);
    const p = new ParallelPool({ threads: 1, minParallel: 0, worker: crashing });
    const x = zeros([100], { shared: true }).fill(1);
    x.set(0, 13);
    await expect(p.sum(x)).rejects.toThrow(/boom/);
    x.set(0, 1);
    expect(await p.sum(x)).toBe(100);
    await p.close();
    expect(p.liveThreads).toBe(0);
  });
});
