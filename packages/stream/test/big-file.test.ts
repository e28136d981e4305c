/**
 * The real-file test of the issue: a generated CSV of at least 200 MB is summed column-wise in
 * batches of 10,000 rows with peak RSS under 150 MB, measured in a child process; the same code on a
 * file twice as large peaks at the same RSS (± 20 %): memory does not depend on the input's size.
 * Each file is read three times and the median peak is compared (one run's peak moves with GC
 * timing by about ±10 %).
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateNumericCsv } from "../bench/csv/generate.ts";

const here = import.meta.dirname;
const tsx = createRequire(import.meta.url).resolve("tsx/esm");
const files: string[] = [];
afterAll(() => {
  for (const f of files) rmSync(f, { force: true });
});

type ChildResult = { sum: number; rows: number; batches: number; maxRssMiB: number };

/** Three runs; the result of the run with the median peak RSS (GC timing moves a single peak). */
function medianOfThree(file: string): ChildResult {
  const runs = [sumInChild(file), sumInChild(file), sumInChild(file)].sort(
    (x, y) => x.maxRssMiB - y.maxRssMiB,
  );
  return runs[1]!;
}

function sumInChild(file: string): {
  sum: number;
  rows: number;
  batches: number;
  maxRssMiB: number;
} {
  const out = execFileSync(
    process.execPath,
    ["--import", tsx, join(here, "fixtures", "sum-csv-column.ts"), file],
    {
      cwd: join(here, ".."),
      encoding: "utf8",
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

describe("memory does not depend on the size of the file", () => {
  it("200 MB and 400 MB CSVs: exact sums, peak RSS < 150 MB, peaks within ±20 %", {
    timeout: 300_000,
  }, async () => {
    const small = await generateNumericCsv(
      join(tmpdir(), `heapwise-stream-${process.pid}-200.csv`),
      200,
      7,
    );
    files.push(small.file);
    expect(small.bytes).toBeGreaterThanOrEqual(200e6);
    const a = medianOfThree(small.file);
    rmSync(small.file, { force: true });
    const large = await generateNumericCsv(
      join(tmpdir(), `heapwise-stream-${process.pid}-400.csv`),
      400,
      8,
    );
    files.push(large.file);
    const b = medianOfThree(large.file);
    rmSync(large.file, { force: true });

    expect([a.sum, a.rows, a.batches]).toEqual([
      small.sumB,
      small.rows,
      Math.ceil(small.rows / 10_000),
    ]);
    expect([b.sum, b.rows]).toEqual([large.sumB, large.rows]);
    console.log(
      `peak RSS: ${a.maxRssMiB.toFixed(1)} MiB for ${small.bytes / 1e6} MB, ${b.maxRssMiB.toFixed(1)} MiB for ${large.bytes / 1e6} MB`,
    );
    expect(a.maxRssMiB * 1.048576).toBeLessThan(150); // MiB → MB
    expect(b.maxRssMiB * 1.048576).toBeLessThan(150);
    expect(Math.abs(b.maxRssMiB - a.maxRssMiB) / a.maxRssMiB).toBeLessThanOrEqual(0.2);
  });
});
