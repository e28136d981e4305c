/**
 * The child of oracle c (`c_gc_trigger.py`) on a simulated heap: the same start state (a
 * near-empty collector after `freeze()` + `collect()`, `count_at_loop_start` bookkeeping objects,
 * an optional long-lived heap), the same loop and the same event/checkpoint recording.
 */
import { Heap, type PythonVersion } from "../../src/index.ts";

export interface TriggerRun {
  workload: string;
  mode: string;
  n_iterations: number;
  bigheap_objects: number;
  thresholds: number[];
  gen2_objects_after_reset: number;
  count_at_loop_start: number[];
  end_count: number[];
  collections_total: number[];
  collected_total: number[];
  n_events?: number;
  events_by_generation?: number[];
  events?: number[][];
  distinct_gaps?: number[];
  checkpoints?: number[][];
}

export interface TriggerParams {
  workload: "keep" | "churn" | "cycles";
  mode: "events" | "checkpoints";
  n: number;
  bigheap: number;
  /** GC objects alive at loop start (the script's bookkeeping), `count_at_loop_start[0]`. */
  bookkeeping: number;
  /** Other long-lived objects of the interpreter that survive into generation 2 with the heap. */
  startupObjects: number;
  version?: PythonVersion;
}

export function simulateTrigger(p: TriggerParams): TriggerRun {
  const py = new Heap({ version: p.version ?? "3.11" });
  const Leaf = py.defineClass("Leaf");
  const Pair = py.defineClass("Pair", { slots: ["o"] });
  py.gc.disable();
  using f = py.frame("child");
  // heap = [Leaf() for _ in range(bigheap)] (+ the interpreter's own long-lived objects)
  f.set("heap", py.list());
  for (let i = 0; i < p.bigheap; i++) f.get("heap").append(py.new(Leaf));
  f.set("startup", py.list());
  for (let i = 0; i < p.startupObjects; i++) f.get("startup").append(py.list());
  py.gc.collect();
  py.gc.freeze();
  if (p.bigheap > 0) py.gc.unfreeze();
  py.gc.collect();
  // The script's bookkeeping, in its order: each probe allocates its result like CPython's, and
  // the results the script keeps are kept here too (from the free lists the probes just filled).
  const genObjects = py.gc.getObjects(2).length;
  const thresholds = py.gc.getThreshold();
  f.set("thresholds", py.tuple(thresholds));
  const startStats = py.gc.getStats();
  f.set("start_stats", py.list(startStats.map(() => py.dict())));
  // objs = [], objs_append = objs.append, rec = [0] * ..., events = [0] * ...
  // count0 so far: 1 (get_objects' list) + 1 (thresholds) + 3 (start_stats' dicts); the priming
  // below adds 5 (a tuple, a list, three dicts); the rest are the script's own lists and method.
  f.set("objs", py.list());
  for (let i = 1; i < p.bookkeeping - 10; i++) f.set(`book${i}`, py.list());
  py.gc.getCount();
  py.gc.getStats();
  py.gc.getCount();
  py.gc.getStats();
  let [prev0, prev1, prev2] = py.gc.getCount();
  const start = [prev0, prev1, prev2];
  py.gc.enable();
  const events: number[][] = [];
  const checkpoints: number[][] = [];
  const objs = f.get("objs");
  for (let i = 1; i <= p.n; i++) {
    if (p.workload === "keep") objs.append(py.new(Leaf));
    else if (p.workload === "churn") py.new(Leaf).dispose();
    else {
      f.set("a", py.new(Pair));
      f.set("b", py.new(Pair));
      f.get("a").setAttr("o", f.get("b"));
      f.get("b").setAttr("o", f.get("a"));
    }
    if (p.mode === "events") {
      const [c0, c1, c2] = py.gc.getCount();
      if (c0 < prev0 || c1 !== prev1 || c2 !== prev2) {
        const g =
          c1 === prev1 + 1 ? 0 : c1 === 0 && c2 === prev2 + 1 ? 1 : c1 === 0 && c2 === 0 ? 2 : -1;
        events.push([i, g, prev0, c0]);
      }
      [prev0, prev1, prev2] = [c0, c1, c2];
    } else if (i % 100 === 0) {
      const [c0, c1, c2] = py.gc.getCount();
      const st = py.gc.getStats();
      const collected = (s: typeof st) => s[0]!.collected + s[1]!.collected + s[2]!.collected;
      checkpoints.push([
        i,
        c0,
        c1,
        c2,
        st[0]!.collections - startStats[0]!.collections,
        st[1]!.collections - startStats[1]!.collections,
        st[2]!.collections - startStats[2]!.collections,
        collected(st) - collected(startStats),
        st[2]!.collected - startStats[2]!.collected,
      ]);
    }
  }
  py.gc.disable();
  const endCount = py.gc.getCount();
  const endStats = py.gc.getStats();
  const out: TriggerRun = {
    workload: p.workload,
    mode: p.mode,
    n_iterations: p.n,
    bigheap_objects: p.bigheap,
    thresholds,
    gen2_objects_after_reset: genObjects,
    count_at_loop_start: start,
    end_count: endCount,
    collections_total: endStats.map((e, k) => e.collections - startStats[k]!.collections),
    collected_total: endStats.map((e, k) => e.collected - startStats[k]!.collected),
  };
  if (p.mode === "events") {
    out.n_events = events.length;
    out.events_by_generation = [0, 1, 2].map((g) => events.filter((e) => e[1] === g).length);
    out.events = events.slice(0, 1000);
    const its = out.events.map((e) => e[0]!);
    out.distinct_gaps = [...new Set(its.slice(1).map((x, k) => x - its[k]!))].sort((a, b) => a - b);
  } else {
    out.checkpoints = checkpoints;
  }
  return out;
}
