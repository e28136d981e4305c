import { requireGc } from "./gc.ts";
import {
  type ContestantResult,
  printTable,
  runtimeInfo,
  type SuiteResult,
  writeResult,
} from "./report.ts";
import { median, roundOrder, spread } from "./stats.ts";

/** Options of {@link memory}. */
export interface MemoryOptions {
  suite: string;
  /** Contestant the byte ratios are taken against. Default: none (no ratio column). */
  floor?: string;
  /**
   * Each factory builds the structure to weigh and returns it (or `undefined`/a string: not
   * available here). The harness holds the returned value while it measures, then drops it.
   */
  contestants: Record<string, () => unknown>;
  /** Measurements per contestant, interleaved. Default 5. */
  rounds?: number;
  print?: boolean;
  write?: boolean;
}

function used(): number {
  const m = process.memoryUsage();
  // Typed arrays live outside the JS heap: count them too.
  return m.heapUsed + m.arrayBuffers;
}

function settle(gc: () => void): void {
  gc();
  gc();
}

/**
 * Retained bytes of what each contestant builds: `heapUsed + arrayBuffers` after `gc()` with the
 * structure alive, minus the same before it was built. Median over interleaved rounds.
 */
export async function memory(options: MemoryOptions): Promise<SuiteResult> {
  const gc = requireGc();
  const rounds = options.rounds ?? 5;
  const names = Object.keys(options.contestants);
  const bytes = new Map<string, number[]>(names.map((n) => [n, []]));
  const skipped = new Map<string, string>();
  for (let round = 0; round < rounds; round++) {
    for (const name of roundOrder(names, round)) {
      if (skipped.has(name)) continue;
      settle(gc);
      const before = used();
      let kept: unknown = options.contestants[name]!();
      if (kept === undefined || typeof kept === "string") {
        skipped.set(name, (kept as string | undefined) ?? "not available on this runtime");
        continue;
      }
      settle(gc);
      bytes.get(name)!.push(used() - before);
      kept = undefined;
      void kept;
    }
  }
  const medians = new Map(
    names.filter((n) => !skipped.has(n)).map((n) => [n, median(bytes.get(n)!)]),
  );
  const floorBytes = options.floor ? medians.get(options.floor) : undefined;
  const contestants: ContestantResult[] = names.map((name) => {
    const b = medians.get(name);
    if (b === undefined) return { name, samples: 0, note: skipped.get(name) };
    const list = bytes.get(name)!;
    const ratio = floorBytes && floorBytes > 0 ? spread(list, floorBytes) : undefined;
    return { name, samples: list.length, bytes: b, ...(ratio ? { ratio } : {}) };
  });
  const result: SuiteResult = {
    suite: options.suite,
    kind: "memory",
    ...(options.floor ? { floor: options.floor } : {}),
    rounds,
    ...runtimeInfo(),
    contestants,
  };
  if (options.print ?? true) printTable(result);
  if (options.write ?? true) writeResult(result);
  return result;
}
