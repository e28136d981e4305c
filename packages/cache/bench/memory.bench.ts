/**
 * Retained heap (heapUsed + arrayBuffers after gc()) of each structure, full: 10,000 entries for the
 * LRU caches (capacity 10,000, filled with 20,000 sets so that eviction machinery has run; string
 * keys, then number keys), 100,000 for the weak-value maps. Keys and values are allocated once
 * beforehand and shared, so only the structure itself is weighed.
 *
 * WeakValueMap normally makes its WeakRefs at the end of the job; memory() weighs synchronously, so
 * it is given a provider equal to the native one but not identical, which makes them at once: the
 * same steady-state structure (an entry, a WeakRef and a registration per key).
 */
import { memory } from "@heapwise/bench";
import { WeakCache, type WeakProvider, WeakValueMap } from "@heapwise/cache";
import { LRUCache } from "lru-cache";
import { LRUMap, LRUCache as MnemonistLRUCache } from "mnemonist";
import QuickLRU from "quick-lru";
import { LRFUExpirer, WeakLRUCache } from "weak-lru-cache";
import { NaiveWeakMap } from "./lib/naive.ts";
import { CAPACITY, KEYS, keys, numberKeys, values } from "./lib/workload.ts";

type V = { id: number };
const C = CAPACITY;
const FILL = 2 * C;

/** The LRU caches, each filled with 20,000 sets of `ks` (10,000 of them stay). */
async function lruMemory<K extends string | number>(label: string, ks: readonly K[]) {
  await memory({
    suite: `Retained heap, LRU caches holding 10k ${label}`,
    floor: "Map (10k entries)",
    rounds: 7,
    contestants: {
      "Map (10k entries)": () => {
        const c = new Map<K, V>();
        for (let i = C; i < FILL; i++) c.set(ks[i]!, values[i]!);
        return c;
      },
      "@heapwise/cache WeakCache (weak: false)": () => {
        const c = new WeakCache<K, V>({ max: C, weak: false });
        for (let i = 0; i < FILL; i++) c.set(ks[i]!, values[i]!);
        return c;
      },
      "lru-cache 11": () => {
        const c = new LRUCache<K, V>({ max: C });
        for (let i = 0; i < FILL; i++) c.set(ks[i]!, values[i]!);
        return c;
      },
      "quick-lru 7": () => {
        const c = new QuickLRU<K, V>({ maxSize: C });
        for (let i = 0; i < FILL; i++) c.set(ks[i]!, values[i]!);
        return c;
      },
      "mnemonist LRUCache": () => {
        const c = new MnemonistLRUCache<K, V>(C);
        for (let i = 0; i < FILL; i++) c.set(ks[i]!, values[i]!);
        return c;
      },
      "mnemonist LRUMap": () => {
        const c = new LRUMap<K, V>(C);
        for (let i = 0; i < FILL; i++) c.set(ks[i]!, values[i]!);
        return c;
      },
      "weak-lru-cache": () => {
        const c = new WeakLRUCache<K, V>({ expirer: new LRFUExpirer({ lruSize: C >> 2 }) });
        for (let i = 0; i < FILL; i++) c.setValue(ks[i]!, values[i]!);
        return c;
      },
    },
  });
}

await lruMemory("string keys", keys);
await lruMemory("number keys", numberKeys);

const eager: WeakProvider = {
  weakRef: (target) => new WeakRef(target),
  finalizationRegistry: (cleanup) => new FinalizationRegistry(cleanup),
};

await memory({
  suite: "Retained heap, weak-value maps holding 100k live values",
  floor: "naive Map of WeakRef + FinalizationRegistry",
  rounds: 7,
  contestants: {
    "naive Map of WeakRef + FinalizationRegistry": () => {
      const m = new NaiveWeakMap<string, V>();
      for (let i = 0; i < KEYS; i++) m.set(keys[i]!, values[i]!);
      return m;
    },
    "@heapwise/cache WeakValueMap": () => {
      const m = new WeakValueMap<string, V>(null, { weakProvider: eager });
      for (let i = 0; i < KEYS; i++) m.set(keys[i]!, values[i]!);
      return m;
    },
  },
});
