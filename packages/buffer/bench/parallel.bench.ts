/**
 * The GIL lesson in Node: CPU-bound kernels on worker threads over SharedArrayBuffer, against the
 * same kernel on one thread (the floor), and against piscina (a well-kept pool) running the same
 * kernel, to decide whether the package should depend on it. 10,000,000 float64, 2 threads.
 * Memory-bound sum gains little (both threads share the memory bandwidth); compute-bound exp gains
 * close to the core count.
 */
import { availableParallelism } from "node:os";
import { compare } from "@heapwise/bench";
import { sum, unary, zeros } from "@heapwise/buffer";
import { ParallelPool } from "@heapwise/buffer/node";
import { Piscina } from "piscina";

const N = 10_000_000;
const THREADS = 2;
const x = zeros([N], { shared: true });
const xd = x.data;
for (let i = 0; i < N; i++) xd[i] = ((i * 2654435761) % 1000) / 1000;
const refSum = sum(x, { algorithm: "kahan" });

// tsx maps the package name to src/ through tsconfig "paths"; the worker must be the built JS.
const pool = new ParallelPool({
  threads: THREADS,
  worker: new URL("../dist/worker.js", import.meta.url),
});
const piscina = new Piscina({
  filename: new URL("./external/piscina-worker.mjs", import.meta.url).href,
  minThreads: THREADS,
  maxThreads: THREADS,
});
const ranges = (n: number) => {
  const per = Math.ceil(n / THREADS / 8192) * 8192;
  const out: [number, number][] = [];
  for (let lo = 0; lo < n; lo += per) out.push([lo, Math.min(n, lo + per)]);
  return out;
};

console.log(`availableParallelism() = ${availableParallelism()}; ${THREADS} threads`);
try {
  await compare({
    suite: "parallel sum of 1e7 float64 (2 threads)",
    floor: "@heapwise/buffer sum (1 thread)",
    ops: N,
    rounds: 15,
    expect: (r: number) => Math.abs(r - refSum) <= 1e-9 * refSum || `sum ${r}`,
    contestants: {
      "@heapwise/buffer sum (1 thread)": () => () => sum(x),
      "ParallelPool.sum (2 threads)": () => () => pool.sum(x),
      "piscina 5 (2 threads, same kernel)": () => async () => {
        const parts = await Promise.all(
          ranges(N).map(([lo, hi]) => piscina.run({ op: "sum", x: xd, lo, hi })),
        );
        return (parts as number[]).reduce((a, b) => a + b, 0);
      },
    },
  });

  const outs = [0, 1, 2].map(() => zeros([N], { shared: true }));
  const probe = (o: { data: unknown }) =>
    [0, 12345, N - 1].map((i) => (o.data as Float64Array)[i]! - Math.exp(xd[i]!));
  await compare({
    suite: "parallel exp of 1e7 float64 (2 threads)",
    floor: "@heapwise/buffer unary exp (1 thread)",
    ops: N,
    rounds: 15,
    expect: (r: number[]) => r.every((d) => d === 0) || `exp differs: ${r}`,
    contestants: {
      "@heapwise/buffer unary exp (1 thread)": () => () => probe(unary("exp", x, { out: outs[0] })),
      "ParallelPool.unary exp (2 threads)": () => async () =>
        probe(await pool.unary("exp", x, { out: outs[1] })),
      "piscina 5 (2 threads, same kernel)": () => async () => {
        await Promise.all(
          ranges(N).map(([lo, hi]) =>
            piscina.run({ op: "exp", x: xd, out: outs[2]!.data, lo, hi }),
          ),
        );
        return probe(outs[2]!);
      },
    },
  });
} finally {
  await pool.close();
  await piscina.destroy();
}
