/**
 * Where an exact LRU's time goes, number keys: mnemonist's `LRUCache` (the floor here, the fastest
 * exact LRU on pure hits), its algorithm written out (lib/anatomy.ts, step 0), then one addition of
 * `WeakCache` per step, then `WeakCache` itself. Same workloads as lru-number-keys.bench.ts (mixed
 * and pure hits); every contestant has its own driver loop and its hit count is checked against the
 * exact LRU model.
 */
import { compare } from "@heapwise/bench";
import { WeakCache } from "@heapwise/cache";
import { LRUCache as MnemonistLRUCache } from "mnemonist";
import { CountingLru, DispatchingLru, MinimalLru, WrappedLru } from "./lib/anatomy.ts";
import {
  CAPACITY as C,
  exactLruHits,
  hitKey,
  numberKeys as keys,
  mixedKey,
  mixedOp,
  OPS,
  values,
} from "./lib/workload.ts";

type V = { id: number };
const FLOOR = "mnemonist LRUCache";
const STEP0 = "step 0: its algorithm, written out";
const STEP1 = "step 1: + null-prototype index, stats counters";
const STEP2 = "step 2: + key-type dispatch";
const STEP3 = "step 3: + behind a private field";
const OURS = "@heapwise/cache WeakCache (weak: false)";

const lru = exactLruHits(C);

await compare<number>({
  suite: "LRU anatomy, mixed 80-20 get-set, 100k Zipf number keys, capacity 10k",
  floor: FLOOR,
  ops: OPS,
  expect: (hits) => hits === lru || `${hits} hits, expected ${lru}`,
  contestants: {
    [FLOOR]: () => () => {
      const c = new MnemonistLRUCache<number, V>(C);
      let hits = 0;
      for (let i = 0; i < OPS; i++) {
        const k = mixedKey[i]!;
        if (mixedOp[i] === 0) {
          if (c.get(keys[k]!) !== undefined) hits++;
        } else c.set(keys[k]!, values[k]!);
      }
      return hits;
    },
    [STEP0]: () => () => {
      const c = new MinimalLru<number, V>(C);
      let hits = 0;
      for (let i = 0; i < OPS; i++) {
        const k = mixedKey[i]!;
        if (mixedOp[i] === 0) {
          if (c.get(keys[k]!) !== undefined) hits++;
        } else c.set(keys[k]!, values[k]!);
      }
      return hits;
    },
    [STEP1]: () => () => {
      const c = new CountingLru<number, V>(C);
      let hits = 0;
      for (let i = 0; i < OPS; i++) {
        const k = mixedKey[i]!;
        if (mixedOp[i] === 0) {
          if (c.get(keys[k]!) !== undefined) hits++;
        } else c.set(keys[k]!, values[k]!);
      }
      return hits;
    },
    [STEP2]: () => () => {
      const c = new DispatchingLru<number, V>(C);
      let hits = 0;
      for (let i = 0; i < OPS; i++) {
        const k = mixedKey[i]!;
        if (mixedOp[i] === 0) {
          if (c.get(keys[k]!) !== undefined) hits++;
        } else c.set(keys[k]!, values[k]!);
      }
      return hits;
    },
    [STEP3]: () => () => {
      const c = new WrappedLru<number, V>(C);
      let hits = 0;
      for (let i = 0; i < OPS; i++) {
        const k = mixedKey[i]!;
        if (mixedOp[i] === 0) {
          if (c.get(keys[k]!) !== undefined) hits++;
        } else c.set(keys[k]!, values[k]!);
      }
      return hits;
    },
    [OURS]: () => () => {
      const c = new WeakCache<number, V>({ max: C, weak: false });
      let hits = 0;
      for (let i = 0; i < OPS; i++) {
        const k = mixedKey[i]!;
        if (mixedOp[i] === 0) {
          if (c.get(keys[k]!) !== undefined) hits++;
        } else c.set(keys[k]!, values[k]!);
      }
      return hits;
    },
  },
});

await compare<number>({
  suite: "LRU anatomy, pure hits, 10k number keys in a full cache of 10k",
  floor: FLOOR,
  ops: OPS,
  expect: (hits) => hits === OPS || `${hits} hits, expected ${OPS}`,
  contestants: {
    [FLOOR]: () => {
      const c = new MnemonistLRUCache<number, V>(C);
      for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
      return () => {
        let hits = 0;
        for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
        return hits;
      };
    },
    [STEP0]: () => {
      const c = new MinimalLru<number, V>(C);
      for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
      return () => {
        let hits = 0;
        for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
        return hits;
      };
    },
    [STEP1]: () => {
      const c = new CountingLru<number, V>(C);
      for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
      return () => {
        let hits = 0;
        for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
        return hits;
      };
    },
    [STEP2]: () => {
      const c = new DispatchingLru<number, V>(C);
      for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
      return () => {
        let hits = 0;
        for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
        return hits;
      };
    },
    [STEP3]: () => {
      const c = new WrappedLru<number, V>(C);
      for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
      return () => {
        let hits = 0;
        for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
        return hits;
      };
    },
    [OURS]: () => {
      const c = new WeakCache<number, V>({ max: C, weak: false });
      for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
      return () => {
        let hits = 0;
        for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
        return hits;
      };
    },
  },
});
