/**
 * CSV throughput and peak RSS: sum one column of a generated 200 MB numeric CSV, streaming from the
 * file, one child process per run (the parsers cannot share a process fairly: RSS is per process).
 * Contestants: @heapwise/stream's readCsv (columns, 10,000-row batches), csv-parse, papaparse,
 * udsv, csv-parser, @fast-csv/parse, Python's csv module and pandas (chunksize=10,000), and a
 * hand-rolled scan without quote handling (the floor: the speed of reading and splitting, not a
 * parser). Every run's sum is checked. Goal of issue 4: ≥ 150 MB/s, peak RSS ≤ 128 MiB.
 *
 * The file is generated in os.tmpdir() and deleted at the end. Python contestants use
 * $HEAPWISE_PYTHON (default python3, then /usr/bin/python3) and are skipped when missing.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { external, median } from "@heapwise/bench";
import { generateNumericCsv } from "./csv/generate.ts";

const here = import.meta.dirname;
const file = join(tmpdir(), `heapwise-stream-bench-${process.pid}.csv`);
const data = await generateNumericCsv(file, 200, 3);
const rss = new Map<string, number[]>();

const check = (name: string) => (stdout: string) => {
  const last = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
    ms: number;
    sum: number;
    rows: number;
    maxRssMiB: number;
  };
  if (last.sum !== data.sumB || last.rows !== data.rows) {
    throw new Error(
      `${name}: sum ${last.sum} over ${last.rows} rows, expected ${data.sumB} over ${data.rows}`,
    );
  }
  rss.set(name, [...(rss.get(name) ?? []), last.maxRssMiB * 1024 * 1024]);
  return last.ms;
};

function pythonWith(module: string): string | undefined {
  for (const py of [process.env.HEAPWISE_PYTHON, "python3", "/usr/bin/python3"]) {
    if (!py) continue;
    const r = spawnSync(py, ["-c", `import ${module}`], { encoding: "utf8" });
    if (r.status === 0) return py;
  }
  return undefined;
}
const pyCsv = pythonWith("csv");
const pyPandas = pythonWith("pandas");

const node = (parser: string) => ({
  cmd: [process.execPath, join(here, "csv", "sum-column.mjs"), parser, file],
  parse: check(parser),
});
const python = (kind: string, py: string | undefined, name: string) => ({
  cmd: [py ?? "python3", join(here, "csv", "sum_column.py"), kind, file],
  parse: check(name),
  skip: () => (py ? undefined : `no Python with ${kind === "pandas" ? "pandas" : "csv"}`),
});

const suite = "sum one column of a 200 MB numeric CSV";
try {
  await external({
    suite,
    floor: "hand-rolled scan (no quotes)",
    repeats: 3,
    contestants: {
      "hand-rolled scan (no quotes)": node("handrolled"),
      "@heapwise/stream readCsv": node("heapwise"),
      "udsv 0.7.3 typedArrs": node("udsv"),
      "udsv 0.7.3 stringArrs, 1 MiB reads": node("udsv-strings"),
      "papaparse 5.7.1": node("papaparse"),
      "csv-parser 3.2.1": node("csv-parser"),
      "csv-parse 7.0.3": node("csv-parse"),
      "@fast-csv/parse 5.0.8": node("fast-csv"),
      "Python csv": python("csv", pyCsv, "Python csv"),
      "pandas read_csv(chunksize)": python("pandas", pyPandas, "pandas read_csv(chunksize)"),
    },
  });
} finally {
  rmSync(file, { force: true });
}

// Peak RSS of the same runs, as a table of its own (medians of the children's maxRSS).
const names: Record<string, string> = {
  handrolled: "hand-rolled scan (no quotes)",
  heapwise: "@heapwise/stream readCsv",
  udsv: "udsv 0.7.3 typedArrs",
  "udsv-strings": "udsv 0.7.3 stringArrs, 1 MiB reads",
  papaparse: "papaparse 5.7.1",
  "csv-parser": "csv-parser 3.2.1",
  "csv-parse": "csv-parse 7.0.3",
  "fast-csv": "@fast-csv/parse 5.0.8",
};
const floorRss = median(rss.get("handrolled")!);
const result = {
  suite: `${suite}: peak RSS`,
  package: "@heapwise/stream",
  kind: "memory",
  floor: names.handrolled,
  rounds: 3,
  node: process.versions.node,
  v8: process.versions.v8,
  date: new Date().toISOString(),
  contestants: [...rss.entries()].map(([key, list]) => ({
    name: names[key] ?? key,
    samples: list.length,
    bytes: median(list),
    ratio: {
      median: median(list) / floorRss,
      p25: Math.min(...list) / floorRss,
      p75: Math.max(...list) / floorRss,
      min: Math.min(...list) / floorRss,
      max: Math.max(...list) / floorRss,
    },
  })),
};
console.log(
  `\npeak RSS (MiB): ${result.contestants.map((c) => `${c.name} ${(c.bytes / 1048576).toFixed(1)}`).join(", ")}`,
);
// Same place and name scheme as the harness's own JSON (bench-results/stream/<slug>.node<major>.json).
const slug = result.suite
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, "-")
  .replace(/^-|-$/g, "");
const root = join(here, "..", "..", "..");
const out = join(
  process.env.HEAPWISE_BENCH_OUT ?? join(root, "bench-results"),
  "stream",
  `${slug}.node${process.versions.node.split(".")[0]}.json`,
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
