/**
 * Oracle c (`c_gc_trigger.py`): when automatic collections run. From the same start state
 * (count0 at loop start, the long-lived heap size), every event (iteration, generation, count0
 * before and after) and every checkpoint (counts, collections and collected per generation) of
 * the eight recorded runs is reproduced exactly: the period of 701 (the collection runs inside the
 * allocation), gen 1 on the 12th trigger, gen 2 deferred by the 25 % long-lived rule, free lists.
 */
import { describe, expect, it } from "vitest";
import { simulateTrigger, type TriggerRun } from "./helpers/gc-trigger.ts";
import { oracle, pythonFor, runOracleScript } from "./helpers/oracle.ts";

const DROP = ["frozen_objects", "event_fields", "checkpoint_fields", "checkpoint_note"];

function comparable(run: TriggerRun | Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(run)) if (!DROP.includes(k)) out[k] = v;
  return out;
}

function simulateLike(want: TriggerRun, version: "3.11" | "3.12" | "3.13" = "3.11"): TriggerRun {
  return simulateTrigger({
    workload: want.workload as "keep" | "churn" | "cycles",
    mode: want.mode as "events" | "checkpoints",
    n: want.n_iterations,
    bigheap: want.bigheap_objects,
    bookkeeping: want.count_at_loop_start[0]!,
    startupObjects:
      want.bigheap_objects > 0 ? want.gen2_objects_after_reset - want.bigheap_objects - 2 : 0,
    version,
  });
}

describe("oracle c: automatic collection triggers", () => {
  const runs = oracle<{ runs: TriggerRun[] }>("c_gc_trigger").runs;

  for (const want of runs) {
    const label = `${want.workload}/${want.mode}/${want.n_iterations}${want.bigheap_objects ? ` on a ${want.bigheap_objects}-object heap` : ""}`;
    it(`reproduces ${label} exactly`, () => {
      expect(comparable(simulateLike(want))).toEqual(comparable(want));
    });
  }

  it("3.13: threshold 2000, so collections every 2001 allocations", () => {
    const want = oracle<{ runs: TriggerRun[] }>("c_gc_trigger", "3.13.0").runs[0]!;
    const got = simulateLike(want, "3.13");
    expect(got.thresholds).toEqual(want.thresholds);
    expect(got.events).toEqual(want.events);
    expect(got.end_count).toEqual(want.end_count);
  });

  it("3.12: the same trigger iterations, and the cycles a collection finds", () => {
    const want = oracle<{ runs: TriggerRun[] }>("c_gc_trigger", "3.12.1").runs;
    for (const w of [want[0]!, want[4]!]) {
      const got = simulateLike(w, "3.12");
      expect(got.events?.map((e) => [e[0], e[1]])).toEqual(w.events?.map((e) => [e[0], e[1]]));
      expect(got.collected_total).toEqual(w.collected_total);
    }
  });

  const python = pythonFor("3.11");
  it.skipIf(python === undefined)(
    "matches CPython live with other loop lengths and heap sizes",
    () => {
      for (const args of [
        ["cycles", "events", "7777", "0"],
        ["keep", "checkpoints", "9000", "0"],
        ["keep", "events", "120000", "50000"],
      ]) {
        const live = runOracleScript<TriggerRun>(python!, "c_gc_trigger.py", ["--child", ...args]);
        expect(comparable(simulateLike(live))).toEqual(comparable(live));
      }
    },
  );
});
