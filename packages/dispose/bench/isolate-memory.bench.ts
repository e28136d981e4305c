/**
 * isolate(): is the memory of a batch given back when it ends? Each contestant runs in a fresh
 * process (bench/fixtures/rss-child.mjs): RSS is read after start-up and again after a batch that
 * builds ~300 MiB of small objects and returns only a summary, with gc() before each reading.
 * "retained" is the process's RSS after the batch; the floor is a process that ran no batch.
 * Processes run back to back (they cannot be interleaved), 5 times each; medians are reported.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { median, quantile } from "@heapwise/bench";

const MB = 300;
const REPEATS = 5;
const here = import.meta.dirname;
const child = join(here, "fixtures", "rss-child.mjs");

interface Reading {
  mode: string;
  startup: number;
  after: number;
  summary: { rows: number; sum: number } | null;
}

function measure(mode: string): Reading {
  const run = spawnSync(process.execPath, ["--expose-gc", child, mode, String(MB)], {
    encoding: "utf8",
    cwd: dirname(here),
  });
  if (run.status !== 0) throw new Error(`${mode}: exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Reading;
}

const contestants = {
  "no batch (start-up only)": "none",
  "batch in the main thread": "main",
  "batch in isolate() (worker thread)": "isolate",
} as const;
const readings = new Map<string, Reading[]>();
for (let round = 0; round < REPEATS; round++) {
  for (const [name, mode] of Object.entries(contestants)) {
    const r = measure(mode);
    if (mode !== "none") {
      // Check the work: both ways must compute the same summary.
      const expectedRows = Math.ceil((MB * 1024 * 1024) / 120);
      if (r.summary?.rows !== expectedRows) {
        throw new Error(`${name}: wrong summary ${JSON.stringify(r.summary)}`);
      }
    }
    readings.set(name, [...(readings.get(name) ?? []), r]);
  }
}

const floorName = "no batch (start-up only)";
const floorBytes = median(readings.get(floorName)!.map((r) => r.after));
const result = {
  suite: `RSS after a ${MB} MiB batch`,
  package: "@heapwise/dispose",
  kind: "memory" as const,
  floor: floorName,
  rounds: REPEATS,
  node: process.versions.node,
  v8: process.versions.v8,
  date: new Date().toISOString(),
  contestants: Object.keys(contestants).map((name) => {
    const bytes = readings.get(name)!.map((r) => r.after);
    return {
      name,
      samples: bytes.length,
      bytes: median(bytes),
      note: "separate process",
      ratio: {
        median: median(bytes) / floorBytes,
        p25: quantile(bytes, 0.25) / floorBytes,
        p75: quantile(bytes, 0.75) / floorBytes,
        min: Math.min(...bytes) / floorBytes,
        max: Math.max(...bytes) / floorBytes,
      },
    };
  }),
};

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
console.log(`\n@heapwise/dispose · ${result.suite} · node ${result.node} · ${REPEATS} runs each`);
for (const c of result.contestants) {
  console.log(`${c.name.padEnd(40)} ${mib(c.bytes).padStart(12)} ${c.ratio.median.toFixed(2)}×`);
}

// Written where @heapwise/bench writes its results, in the same shape, for `pnpm bench:readme`.
let root = process.cwd();
while (!existsSync(join(root, "pnpm-workspace.yaml")) && dirname(root) !== root)
  root = dirname(root);
const out = join(process.env.HEAPWISE_BENCH_OUT ?? join(root, "bench-results"), "dispose");
mkdirSync(out, { recursive: true });
const slug = result.suite
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, "-")
  .replace(/^-|-$/g, "");
const file = join(out, `${slug}.node${result.node.split(".")[0]}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
