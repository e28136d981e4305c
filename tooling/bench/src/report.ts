import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Spread of within-round ratios to the floor. */
export interface RatioSummary {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

/** One contestant's line in a suite's table. */
export interface ContestantResult {
  name: string;
  /** Timed samples (rounds) behind the figures; 0 when skipped. */
  samples: number;
  /** Median time of one sample, ms (time suites). */
  medianMs?: number;
  /** Median ns per operation, when the suite gave `ops`. */
  nsPerOp?: number;
  /** Within-round ratio to the floor (time suites), or bytes ratio (memory suites). */
  ratio?: RatioSummary;
  /** Median retained bytes (memory suites). */
  bytes?: number;
  /** "cross-process", or why it was skipped. */
  note?: string;
}

/** A suite's whole result, as printed and as written to JSON. */
export interface SuiteResult {
  suite: string;
  package: string;
  kind: "time" | "memory" | "external";
  floor?: string;
  ops?: number;
  rounds: number;
  node: string;
  v8: string;
  date: string;
  contestants: ContestantResult[];
}

function findUp(start: string, file: string): string | undefined {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, file))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The name of the package being benchmarked (nearest package.json from the working directory). */
export function currentPackage(): string {
  const dir = findUp(process.cwd(), "package.json");
  if (!dir) return "unknown";
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string }).name;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

const fmt = (x: number, digits = 2): string =>
  x >= 1000 ? x.toFixed(0) : x >= 100 ? x.toFixed(1) : x.toFixed(digits);

const fmtBytes = (b: number): string =>
  Math.abs(b) >= 1 << 20
    ? `${(b / (1 << 20)).toFixed(2)} MiB`
    : Math.abs(b) >= 1024
      ? `${(b / 1024).toFixed(1)} KiB`
      : `${b.toFixed(0)} B`;

/** Prints the suite as a table (medians and ratios) on stdout. */
export function printTable(result: SuiteResult): void {
  const head =
    result.kind === "memory"
      ? ["contestant", "retained", "× floor"]
      : ["contestant", "median ms", "ns/op", "× floor (median)", "ratio p25–p75", "min–max"];
  const rows = result.contestants.map((c) => {
    const floorMark = c.name === result.floor ? " (floor)" : "";
    if (c.samples === 0) return [`${c.name}${floorMark}`, `— ${c.note ?? "skipped"}`];
    if (result.kind === "memory") {
      return [
        `${c.name}${floorMark}`,
        fmtBytes(c.bytes ?? 0),
        c.ratio ? `${fmt(c.ratio.median)}×` : "",
      ];
    }
    return [
      `${c.name}${floorMark}${c.note ? ` [${c.note}]` : ""}`,
      fmt(c.medianMs ?? 0, 3),
      c.nsPerOp === undefined ? "" : fmt(c.nsPerOp),
      c.ratio ? `${fmt(c.ratio.median)}×` : "",
      c.ratio ? `${fmt(c.ratio.p25)}–${fmt(c.ratio.p75)}` : "",
      c.ratio ? `${fmt(c.ratio.min)}–${fmt(c.ratio.max)}` : "",
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ");
  console.log(
    `\n${result.package} · ${result.suite}` +
      `${result.ops ? ` · ${result.ops.toLocaleString("en-US")} ops` : ""}` +
      ` · node ${result.node} · ${result.rounds} rounds`,
  );
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r.concat(Array(head.length - r.length).fill(""))));
}

/**
 * Writes the suite as JSON under `bench-results/<package>/` at the workspace root (ignored by git),
 * or under `$HEAPWISE_BENCH_OUT` when set. Returns the file written.
 */
export function writeResult(result: SuiteResult): string {
  const root = findUp(process.cwd(), "pnpm-workspace.yaml") ?? process.cwd();
  const base = process.env.HEAPWISE_BENCH_OUT ?? join(root, "bench-results");
  const dir = join(base, slug(result.package.replace(/^@[^/]+\//, "")));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${slug(result.suite)}.node${result.node.split(".")[0]}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Fields every result shares. */
export function runtimeInfo(): Pick<SuiteResult, "node" | "v8" | "date" | "package"> {
  return {
    node: process.versions.node,
    v8: process.versions.v8,
    date: new Date().toISOString(),
    package: currentPackage(),
  };
}
