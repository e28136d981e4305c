/**
 * WeakValueMap against the naive Map of WeakRef + FinalizationRegistry (lib/naive.ts), on the mixed
 * workload of lib/workload.ts (1,000,000 operations, 80 % get / 20 % set over 100,000 Zipf keys).
 * Every set stores a fresh value object, which the driver also keeps in `live` (the program holding
 * it), so hit counts are exact: a get hits iff its key was set before in the sample. The previous
 * value of the key becomes garbage, as in a real registry.
 *
 * Two suites: the whole sample in one job (a batch), and a job boundary (`setImmediate`) every 1,000
 * operations (a server handling requests). Samples are async and end after the job's microtask
 * checkpoint, so WeakValueMap's end-of-job work is inside the timing.
 *
 * Both contestants' cleanups run (the bench keeps the naive maps reachable, see lib/naive.ts), so
 * the finalization work is in the timing too.
 *
 * Two reference rows that are not weak-value maps show where the time goes: a plain `Map` holding
 * the values strongly (the driver, the allocations and the job boundaries), and a `Map` of `WeakRef`
 * with no FinalizationRegistry (the weak references alone; it never removes a dead key). Any map
 * that holds its values through `WeakRef` costs at least the second row.
 *
 * Each contestant has its own copy of the driver loop (as in lib/lru-suites.ts): one shared loop
 * would carry every map's type feedback and run them all polymorphically.
 */
import { compare } from "@heapwise/bench";
import { WeakValueMap } from "@heapwise/cache";
import { NaiveWeakMap } from "./lib/naive.ts";
import { KEYS, keys, mixedKey, mixedOp, OPS, unboundedHits } from "./lib/workload.ts";

type V = { id: number; at: number };
const expected = unboundedHits();
const live: (V | undefined)[] = new Array(KEYS);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

for (const every of [0, 1000]) {
  await compare<number>({
    suite:
      every === 0
        ? "WeakValueMap vs naive, 1M ops in one job"
        : "WeakValueMap vs naive, a new job every 1000 ops",
    floor: "naive Map of WeakRef + FinalizationRegistry",
    ops: OPS,
    expect: (hits) => hits === expected || `${hits} hits, expected ${expected}`,
    contestants: {
      "naive Map of WeakRef + FinalizationRegistry": () => async () => {
        const m = new NaiveWeakMap<string, V>();
        let hits = 0;
        for (let i = 0; i < OPS; i++) {
          const k = mixedKey[i]!;
          if (mixedOp[i] === 0) {
            if (m.get(keys[k]!) !== undefined) hits++;
          } else {
            const v = { id: k, at: i };
            live[k] = v;
            m.set(keys[k]!, v);
          }
          if (every !== 0 && i % every === every - 1) await tick();
        }
        await null;
        live.fill(undefined);
        return hits;
      },
      "Map, strong values (reference: not weak)": () => async () => {
        const m = new Map<string, V>();
        let hits = 0;
        for (let i = 0; i < OPS; i++) {
          const k = mixedKey[i]!;
          if (mixedOp[i] === 0) {
            if (m.get(keys[k]!) !== undefined) hits++;
          } else {
            const v = { id: k, at: i };
            live[k] = v;
            m.set(keys[k]!, v);
          }
          if (every !== 0 && i % every === every - 1) await tick();
        }
        await null;
        live.fill(undefined);
        return hits;
      },
      "Map of WeakRef, no registry (reference: never drops dead keys)": () => async () => {
        const m = new Map<string, WeakRef<V>>();
        let hits = 0;
        for (let i = 0; i < OPS; i++) {
          const k = mixedKey[i]!;
          if (mixedOp[i] === 0) {
            if (m.get(keys[k]!)?.deref() !== undefined) hits++;
          } else {
            const v = { id: k, at: i };
            live[k] = v;
            m.set(keys[k]!, new WeakRef(v));
          }
          if (every !== 0 && i % every === every - 1) await tick();
        }
        await null;
        live.fill(undefined);
        return hits;
      },
      "@heapwise/cache WeakValueMap": () => async () => {
        const m = new WeakValueMap<string, V>();
        let hits = 0;
        for (let i = 0; i < OPS; i++) {
          const k = mixedKey[i]!;
          if (mixedOp[i] === 0) {
            if (m.get(keys[k]!) !== undefined) hits++;
          } else {
            const v = { id: k, at: i };
            live[k] = v;
            m.set(keys[k]!, v);
          }
          if (every !== 0 && i % every === every - 1) await tick();
        }
        await null;
        live.fill(undefined);
        return hits;
      },
    },
  });
}
