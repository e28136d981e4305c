/**
 * isolate(): is the memory of a batch given back when it ends? Each contestant runs in a fresh
 * process (bench/fixtures/rss-child.mjs): RSS is read after start-up and again after a batch that
 * builds ~300 MiB of small objects and returns only a summary, with gc() before each reading.
 * "retained" is the process's RSS after the batch; the floor is a process that ran no batch.
 * The contestants run one after another in each round (processes cannot be interleaved within
 * one), 5 rounds; medians are reported. Rows: the batch in the caller's own thread (plain, and
 * followed by V8's memory-reducing collection), in isolate()'s worker thread (read at once, and
 * after 9 s of idle event loop), and in isolate()'s child process (the default mode).
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import {
  median,
  printTable,
  quantile,
  runtimeInfo,
  type SuiteResult,
  writeResult,
} from "@heapwise/bench";

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
  'batch in the main thread, then gc({ flavor: "last-resort" })': "main-last-resort",
  'isolate(…, { mode: "worker" })': "worker",
  'isolate(…, { mode: "worker" }), 9 s later': "worker-9s",
  'isolate(…, { mode: "process" }) (default)': "process",
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
const result: SuiteResult = {
  suite: `RSS after a ${MB} MiB batch`,
  kind: "memory",
  floor: floorName,
  rounds: REPEATS,
  ...runtimeInfo(),
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
printTable(result);
writeResult(result);
