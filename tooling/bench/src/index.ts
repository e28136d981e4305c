/**
 * The benchmark harness of the heapwise monorepo.
 *
 * It follows `shared/BENCHMARKING.md`: contestants run round-robin in one process (the order rotates
 * and reverses every round, so a load spike hits everyone alike), `gc()` runs before every sample,
 * each contestant gets its own driver loop from a factory (no shared megamorphic call site), every
 * result is checked, and what is reported is the median time and the median of the within-round
 * ratios to a floor (the hand-written loop), with the spread of those ratios.
 *
 * @example
 * ```ts
 * import { compare } from "@heapwise/bench";
 *
 * await compare({
 *   suite: "sum of 1e7 float64",
 *   floor: "for loop",
 *   ops: 1e7,
 *   expect: (r) => Math.abs(r - expected) < 1e-6,
 *   contestants: {
 *     "for loop": () => () => { let s = 0; for (let i = 0; i < n; i++) s += a[i]; return s; },
 *     "ours": () => () => sum(a),
 *   },
 * });
 * ```
 */
export { type CompareOptions, type ContestantFactory, compare } from "./compare.ts";
export { type ExternalContestant, type ExternalOptions, external } from "./external.ts";
export { type MemoryOptions, memory } from "./memory.ts";
export {
  type ContestantResult,
  printTable,
  type RatioSummary,
  runtimeInfo,
  type SuiteResult,
  writeResult,
} from "./report.ts";
export { median, quantile, spread } from "./stats.ts";
