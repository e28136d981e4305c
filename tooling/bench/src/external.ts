import { spawnSync } from "node:child_process";
import {
  type ContestantResult,
  printTable,
  runtimeInfo,
  type SuiteResult,
  writeResult,
} from "./report.ts";
import { median, spread } from "./stats.ts";

/** A contestant that runs in its own process (NumPy, a C kernel, a parser under `/usr/bin/time`). */
export interface ExternalContestant {
  /** Command and arguments. */
  cmd: readonly string[];
  /** Working directory. Default: the current one. */
  cwd?: string;
  /**
   * Reads the sample time (ms) from the command's stdout. Default: the last line parsed as JSON
   * `{ "ms": number }`. Time the work inside the process, so start-up does not count.
   */
  parse?: (stdout: string) => number;
  /** Return a string to skip the contestant (e.g. "numpy not installed"), undefined to run it. */
  skip?: () => string | undefined;
}

/** Options of {@link external}. */
export interface ExternalOptions {
  suite: string;
  /** Contestant the ratios are taken against; may itself be external. */
  floor?: string;
  contestants: Record<string, ExternalContestant>;
  ops?: number;
  /** Back-to-back repetitions per contestant (they cannot be interleaved). Default 5. */
  repeats?: number;
  print?: boolean;
  write?: boolean;
}

const defaultParse = (stdout: string): number => {
  const last = stdout.trim().split("\n").at(-1) ?? "";
  const ms = (JSON.parse(last) as { ms?: unknown }).ms;
  if (typeof ms !== "number")
    throw new Error(`expected {"ms": number} as the last line, got ${last}`);
  return ms;
};

/**
 * Cross-process contestants, run back to back and marked as such: their ratios are between medians
 * measured seconds apart, not within one round, so they carry more noise than {@link compare}'s.
 */
export async function external(options: ExternalOptions): Promise<SuiteResult> {
  const repeats = options.repeats ?? 5;
  const times = new Map<string, number[]>();
  const skipped = new Map<string, string>();
  for (const [name, c] of Object.entries(options.contestants)) {
    const why = c.skip?.();
    if (why) {
      skipped.set(name, why);
      continue;
    }
    const list: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const run = spawnSync(c.cmd[0]!, c.cmd.slice(1), {
        cwd: c.cwd,
        encoding: "utf8",
        maxBuffer: 64 << 20,
      });
      if (run.status !== 0) {
        throw new Error(`${name}: ${c.cmd.join(" ")} exited ${run.status}: ${run.stderr}`);
      }
      list.push((c.parse ?? defaultParse)(run.stdout));
    }
    times.set(name, list);
  }
  const floorMs = options.floor ? times.get(options.floor) : undefined;
  const floorMedian = floorMs ? median(floorMs) : undefined;
  const contestants: ContestantResult[] = Object.keys(options.contestants).map((name) => {
    const t = times.get(name);
    if (!t) return { name, samples: 0, note: skipped.get(name) };
    const m = median(t);
    return {
      name,
      samples: t.length,
      medianMs: m,
      note: "cross-process",
      ...(options.ops ? { nsPerOp: (m * 1e6) / options.ops } : {}),
      ...(floorMedian ? { ratio: spread(t, floorMedian) } : {}),
    };
  });
  const result: SuiteResult = {
    suite: options.suite,
    kind: "external",
    ...(options.floor ? { floor: options.floor } : {}),
    ...(options.ops ? { ops: options.ops } : {}),
    rounds: repeats,
    ...runtimeInfo(),
    contestants,
  };
  if (options.print ?? true) printTable(result);
  if (options.write ?? true) writeResult(result);
  return result;
}
