import { requireGc } from "./gc.ts";
import {
  type ContestantResult,
  printTable,
  runtimeInfo,
  type SuiteResult,
  writeResult,
} from "./report.ts";
import { median, roundOrder, spread } from "./stats.ts";

/**
 * Builds one contestant's timed function. It is called once, before the first round, so each
 * contestant owns its driver loop (its own call sites, its own type feedback). Return `undefined`
 * (or a string saying why) when the contestant does not exist on this runtime, e.g. a native
 * built-in on Node 20: it is then listed as skipped.
 */
export type ContestantFactory<R> = () =>
  | (() => R | Promise<R>)
  | string
  | undefined
  | Promise<(() => R | Promise<R>) | string | undefined>;

/** Options of {@link compare}. */
export interface CompareOptions<R> {
  /** The suite's title, also the JSON file name. */
  suite: string;
  /** The contestant every ratio is taken against (the hand-written loop). Must be available. */
  floor: string;
  /** Contestants by display name; table order follows insertion order. */
  contestants: Record<string, ContestantFactory<R>>;
  /** Operations per sample, for the ns/op column. */
  ops?: number;
  /**
   * Checks each sample's result; return `true` when right, `false` or a message when not. A wrong
   * result aborts the suite: no contestant may win by doing less work. Default: none.
   */
  expect?: (result: R, contestant: string) => boolean | string;
  /** Timed rounds at most. Default 15. */
  rounds?: number;
  /** Timed rounds at least, even over the budget. Default 5. */
  minRounds?: number;
  /** Untimed warm-up rounds. Default 1. */
  warmup?: number;
  /** Stop starting new rounds after this much wall time (ms), once `minRounds` are done. Default 60 000. */
  budgetMs?: number;
  /** Print the table (default true) and write the JSON (default true). */
  print?: boolean;
  write?: boolean;
}

type Timed<R> = () => R | Promise<R>;

async function sample<R>(fn: Timed<R>, gc: () => void): Promise<{ ms: number; result: R }> {
  gc();
  const t0 = process.hrtime.bigint();
  let result = fn();
  if (result instanceof Promise) result = await result;
  const t1 = process.hrtime.bigint();
  return { ms: Number(t1 - t0) / 1e6, result: result as R };
}

/**
 * Times the contestants round-robin in this process and reports, for each, the median sample time
 * and the median (with p25–p75 and min–max) of its within-round ratio to the floor.
 */
export async function compare<R>(options: CompareOptions<R>): Promise<SuiteResult> {
  const gc = requireGc();
  const rounds = options.rounds ?? 15;
  const minRounds = Math.min(options.minRounds ?? 5, rounds);
  const warmup = options.warmup ?? 1;
  const budget = options.budgetMs ?? 60_000;
  const names = Object.keys(options.contestants);
  if (!names.includes(options.floor)) {
    throw new RangeError(`floor ${JSON.stringify(options.floor)} is not one of the contestants`);
  }

  const fns = new Map<string, Timed<R>>();
  const skipped = new Map<string, string>();
  for (const name of names) {
    const made = await options.contestants[name]!();
    if (typeof made === "function") fns.set(name, made);
    else skipped.set(name, made ?? "not available on this runtime");
  }
  if (!fns.has(options.floor)) {
    throw new Error(`the floor ${options.floor} is not available: ${skipped.get(options.floor)}`);
  }
  const active = names.filter((n) => fns.has(n));
  const check = (name: string, result: R) => {
    if (!options.expect) return;
    const verdict = options.expect(result, name);
    if (verdict !== true) {
      const why = typeof verdict === "string" ? verdict : `unexpected result ${String(result)}`;
      throw new Error(`${options.suite}: contestant ${name} gave a wrong result: ${why}`);
    }
  };

  for (let w = 0; w < warmup; w++) {
    for (const name of roundOrder(active, w))
      check(name, (await sample(fns.get(name)!, gc)).result);
  }

  const times = new Map<string, number[]>(active.map((n) => [n, []]));
  const ratios = new Map<string, number[]>(active.map((n) => [n, []]));
  const start = Date.now();
  let done = 0;
  while (done < rounds && (done < minRounds || Date.now() - start < budget)) {
    const roundTimes = new Map<string, number>();
    for (const name of roundOrder(active, done + warmup)) {
      const { ms, result } = await sample(fns.get(name)!, gc);
      check(name, result);
      roundTimes.set(name, ms);
    }
    const floorMs = roundTimes.get(options.floor)!;
    for (const name of active) {
      times.get(name)!.push(roundTimes.get(name)!);
      ratios.get(name)!.push(roundTimes.get(name)! / floorMs);
    }
    done++;
  }

  const contestants: ContestantResult[] = names.map((name) => {
    const t = times.get(name);
    if (!t) return { name, samples: 0, note: skipped.get(name) };
    const r = ratios.get(name)!;
    const medianMs = median(t);
    return {
      name,
      samples: t.length,
      medianMs,
      ...(options.ops ? { nsPerOp: (medianMs * 1e6) / options.ops } : {}),
      ratio: spread(r),
    };
  });
  const result: SuiteResult = {
    suite: options.suite,
    kind: "time",
    floor: options.floor,
    ...(options.ops ? { ops: options.ops } : {}),
    rounds: done,
    ...runtimeInfo(),
    contestants,
  };
  if (options.print ?? true) printTable(result);
  if (options.write ?? true) writeResult(result);
  return result;
}
