/**
 * Memory of 1,000,000 float64 values: GrowableBuffer (each growth policy, and after
 * shrinkToFit) against a number[] and a Float64Array (the floor) in this process (retained
 * heapUsed + arrayBuffers after gc), and CPython's list and array('d') (tracemalloc, in a child
 * process; added to the same table and marked cross-process).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { memory } from "@heapwise/bench";
import { GrowableBuffer } from "@heapwise/buffer";

const N = 1_000_000;
const value = (i: number) => i * 0.37 + 0.5; // non-integer doubles, as a Python float list holds

const result = await memory({
  suite: "memory of 1e6 float64 values",
  floor: "Float64Array(1e6)",
  rounds: 5,
  contestants: {
    "Float64Array(1e6)": () => {
      const a = new Float64Array(N);
      for (let i = 0; i < N; i++) a[i] = value(i);
      return a;
    },
    "GrowableBuffer, 1e6 pushes (doubling)": () => {
      const b = new GrowableBuffer("float64");
      for (let i = 0; i < N; i++) b.push(value(i));
      return b;
    },
    "GrowableBuffer, 1e6 pushes, then shrinkToFit": () => {
      const b = new GrowableBuffer("float64");
      for (let i = 0; i < N; i++) b.push(value(i));
      b.shrinkToFit();
      return b;
    },
    'GrowableBuffer, 1e6 pushes (growth: "python")': () => {
      const b = new GrowableBuffer("float64", { growth: "python" });
      for (let i = 0; i < N; i++) b.push(value(i));
      return b;
    },
    "GrowableBuffer float32, 1e6 pushes": () => {
      const b = new GrowableBuffer("float32");
      for (let i = 0; i < N; i++) b.push(value(i));
      return b;
    },
    "number[], 1e6 pushes (unboxed doubles)": () => {
      const a: number[] = [];
      for (let i = 0; i < N; i++) a.push(value(i));
      return a;
    },
    "number[] with one non-number (boxed HeapNumbers)": () => {
      const a: unknown[] = [];
      for (let i = 0; i < N; i++) a.push(value(i));
      a.push("end");
      return a;
    },
  },
});

// CPython's figures, measured now in a child process, go into the same table.
const py = spawnSync(
  process.env.HEAPWISE_PYTHON || "python3",
  [join(import.meta.dirname, "external", "python-memory.py")],
  {
    encoding: "utf8",
  },
);
if (py.status === 0) {
  const m = JSON.parse(py.stdout.trim().split("\n").at(-1)!) as {
    python: string;
    list: number;
    array: number;
  };
  const floor = result.contestants.find((c) => c.name === result.floor)?.bytes ?? 0;
  for (const [name, bytes] of [
    [`Python ${m.python} list, 1e6 appends (tracemalloc)`, m.list],
    [`Python ${m.python} array('d'), 1e6 appends (tracemalloc)`, m.array],
  ] as const) {
    const r = floor > 0 ? bytes / floor : 0;
    result.contestants.push({
      name,
      samples: 1,
      bytes,
      note: "cross-process",
      ratio: { median: r, p25: r, p75: r, min: r, max: r },
    });
    console.log(
      `${name}: ${(bytes / 2 ** 20).toFixed(2)} MiB (${r.toFixed(2)}× floor) [cross-process]`,
    );
  }
  let root = process.cwd();
  while (!existsSync(join(root, "pnpm-workspace.yaml")) && dirname(root) !== root)
    root = dirname(root);
  const dir = join(process.env.HEAPWISE_BENCH_OUT ?? join(root, "bench-results"), "buffer");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `memory-of-1e6-float64-values.node${process.versions.node.split(".")[0]}.json`),
    `${JSON.stringify(result, null, 2)}\n`,
  );
} else {
  console.log(`Python rows skipped: ${py.error?.message ?? py.stderr}`);
}
