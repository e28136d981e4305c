/**
 * The three LRU workloads of issue 3 (see workload.ts), run against WeakCache and the LRU caches a
 * user would otherwise pick: mixed 80/20 get/set over 100,000 Zipf keys, pure hits, set with
 * eviction. Capacity 10,000, 1,000,000 operations per sample, contestants interleaved in one
 * process, each with its own driver loop. Every sample's hit count is checked against a model: the
 * exact LRU hit count for the exact LRU caches, and each other contestant's own exact count
 * (unbounded map, quick-lru's two generations, the weak tiers with every value alive).
 *
 * `runLruSuites` is called once per process (one bench file per key type): called twice in one
 * process, the driver loops below would share their feedback between key types.
 */
import { compare } from "@heapwise/bench";
import { WeakCache } from "@heapwise/cache";
import { LRUCache } from "lru-cache";
import { LRUMap, LRUCache as MnemonistLRUCache } from "mnemonist";
import QuickLRU from "quick-lru";
import { LRFUExpirer, WeakLRUCache } from "weak-lru-cache";
import { NaiveWeakMap } from "./naive.ts";
import {
  CAPACITY,
  exactLruHits,
  hitKey,
  KEYS,
  mixedKey,
  mixedOp,
  OPS,
  quickLruAfterCyclingSets,
  quickLruHits,
  unboundedHits,
  values,
  weakTierHits,
} from "./workload.ts";

type V = { id: number };
const C = CAPACITY;

/**
 * Runs the three suites with `keys` (100,000 of them, one per key index) as the keys; `label` names
 * the key type in the suite titles ("string keys", "number keys").
 */
export async function runLruSuites<K extends string | number>(
  label: string,
  keys: readonly K[],
): Promise<void> {
  const FLOOR = "Map, unbounded";
  const OURS = "@heapwise/cache WeakCache (weak: false)";
  const OURS_WEAK = "@heapwise/cache WeakCache (weak tier)";
  const LRU_CACHE = "lru-cache 11";
  const QUICK = "quick-lru 7 (2 generations)";
  const MN_CACHE = "mnemonist LRUCache";
  const MN_MAP = "mnemonist LRUMap";
  const WEAK_LRU = "weak-lru-cache (weak tier)";
  const NAIVE = "Map of WeakRef + FinalizationRegistry (unbounded)";

  const lru = exactLruHits(C);
  const unbounded = unboundedHits();
  const quick = quickLruHits(C);
  const weakTier = weakTierHits(C);

  // ── mixed ────────────────────────────────────────────────────────────────────────────────────────

  const mixedExpected: Record<string, number> = {
    [FLOOR]: unbounded,
    [OURS]: lru,
    [OURS_WEAK]: weakTier.hits + weakTier.weakHits,
    [LRU_CACHE]: lru,
    [QUICK]: quick,
    [MN_CACHE]: lru,
    [MN_MAP]: lru,
    [WEAK_LRU]: unbounded,
    [NAIVE]: unbounded,
  };

  await compare<number>({
    suite: `LRU mixed 80-20 get-set, 100k Zipf ${label}, capacity 10k`,
    floor: FLOOR,
    ops: OPS,
    expect: (hits, name) =>
      hits === mixedExpected[name] || `${hits} hits, expected ${mixedExpected[name]}`,
    contestants: {
      [FLOOR]: () => () => {
        const c = new Map<K, V>();
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
        const c = new WeakCache<K, V>({ max: C, weak: false });
        let hits = 0;
        for (let i = 0; i < OPS; i++) {
          const k = mixedKey[i]!;
          if (mixedOp[i] === 0) {
            if (c.get(keys[k]!) !== undefined) hits++;
          } else c.set(keys[k]!, values[k]!);
        }
        return hits;
      },
      [OURS_WEAK]: () => () => {
        const c = new WeakCache<K, V>({ max: C });
        let hits = 0;
        for (let i = 0; i < OPS; i++) {
          const k = mixedKey[i]!;
          if (mixedOp[i] === 0) {
            if (c.get(keys[k]!) !== undefined) hits++;
          } else c.set(keys[k]!, values[k]!);
        }
        const s = c.stats();
        if (s.hits !== weakTier.hits || s.weakHits !== weakTier.weakHits) {
          throw new Error(
            `weak tier: ${s.hits} + ${s.weakHits}, model ${weakTier.hits} + ${weakTier.weakHits}`,
          );
        }
        return hits;
      },
      [LRU_CACHE]: () => () => {
        const c = new LRUCache<K, V>({ max: C });
        let hits = 0;
        for (let i = 0; i < OPS; i++) {
          const k = mixedKey[i]!;
          if (mixedOp[i] === 0) {
            if (c.get(keys[k]!) !== undefined) hits++;
          } else c.set(keys[k]!, values[k]!);
        }
        return hits;
      },
      [QUICK]: () => () => {
        const c = new QuickLRU<K, V>({ maxSize: C });
        let hits = 0;
        for (let i = 0; i < OPS; i++) {
          const k = mixedKey[i]!;
          if (mixedOp[i] === 0) {
            if (c.get(keys[k]!) !== undefined) hits++;
          } else c.set(keys[k]!, values[k]!);
        }
        return hits;
      },
      [MN_CACHE]: () => () => {
        const c = new MnemonistLRUCache<K, V>(C);
        let hits = 0;
        for (let i = 0; i < OPS; i++) {
          const k = mixedKey[i]!;
          if (mixedOp[i] === 0) {
            if (c.get(keys[k]!) !== undefined) hits++;
          } else c.set(keys[k]!, values[k]!);
        }
        return hits;
      },
      [MN_MAP]: () => () => {
        const c = new LRUMap<K, V>(C);
        let hits = 0;
        for (let i = 0; i < OPS; i++) {
          const k = mixedKey[i]!;
          if (mixedOp[i] === 0) {
            if (c.get(keys[k]!) !== undefined) hits++;
          } else c.set(keys[k]!, values[k]!);
        }
        return hits;
      },
      [WEAK_LRU]: () => () => {
        const c = new WeakLRUCache<K, V>({ expirer: new LRFUExpirer({ lruSize: C >> 2 }) });
        let hits = 0;
        for (let i = 0; i < OPS; i++) {
          const k = mixedKey[i]!;
          if (mixedOp[i] === 0) {
            if (c.getValue(keys[k]!) !== undefined) hits++;
          } else c.setValue(keys[k]!, values[k]!);
        }
        return hits;
      },
      [NAIVE]: () => () => {
        const c = new NaiveWeakMap<K, V>();
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

  // ── pure hits ────────────────────────────────────────────────────────────────────────────────────

  await compare<number>({
    suite: `LRU pure hits, 10k ${label} in a full cache of 10k`,
    floor: FLOOR,
    ops: OPS,
    expect: (hits) => hits === OPS || `${hits} hits, expected ${OPS}`,
    contestants: {
      [FLOOR]: () => {
        const c = new Map<K, V>();
        for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
        return () => {
          let hits = 0;
          for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
          return hits;
        };
      },
      [OURS]: () => {
        const c = new WeakCache<K, V>({ max: C, weak: false });
        for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
        return () => {
          let hits = 0;
          for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
          return hits;
        };
      },
      [LRU_CACHE]: () => {
        const c = new LRUCache<K, V>({ max: C });
        for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
        return () => {
          let hits = 0;
          for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
          return hits;
        };
      },
      [QUICK]: () => {
        // maxSize C + 1: quick-lru starts a new generation when one reaches maxSize, and a full
        // generation of C keys must stay in `cache` for its gets to be plain hits like everyone's.
        const c = new QuickLRU<K, V>({ maxSize: C + 1 });
        for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
        return () => {
          let hits = 0;
          for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
          return hits;
        };
      },
      [MN_CACHE]: () => {
        const c = new MnemonistLRUCache<K, V>(C);
        for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
        return () => {
          let hits = 0;
          for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
          return hits;
        };
      },
      [MN_MAP]: () => {
        const c = new LRUMap<K, V>(C);
        for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
        return () => {
          let hits = 0;
          for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
          return hits;
        };
      },
      [WEAK_LRU]: () => {
        const c = new WeakLRUCache<K, V>({ expirer: new LRFUExpirer({ lruSize: C >> 2 }) });
        for (let k = 0; k < C; k++) c.setValue(keys[k]!, values[k]!);
        return () => {
          let hits = 0;
          for (let i = 0; i < OPS; i++) if (c.getValue(keys[hitKey[i]!]!) !== undefined) hits++;
          return hits;
        };
      },
      [NAIVE]: () => {
        const c = new NaiveWeakMap<K, V>();
        for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
        return () => {
          let hits = 0;
          for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) hits++;
          return hits;
        };
      },
    },
  });

  // ── set with eviction ────────────────────────────────────────────────────────────────────────────

  /**
   * 1,000,000 sets cycling over 100,000 keys: in a bounded cache every set is a new key and evicts.
   * The result is how many of the last 10,000 keys set are present at the end (peek/has, no
   * recency change) times 10 plus whether the key set 10,001 steps before the end is gone: an exact
   * LRU of 10,000 holds exactly the last 10,000 (100,001); an unbounded map holds all (100,000).
   */
  const lastKeys = Array.from({ length: C }, (_, j) => (OPS - 1 - j) % KEYS);
  const evictedKey = (OPS - 1 - C) % KEYS;
  /** `has` takes a key index. */
  const probe = (has: (k: number) => boolean): number => {
    let present = 0;
    for (const k of lastKeys) if (has(k)) present++;
    return present * 10 + (has(evictedKey) ? 0 : 1);
  };
  const exactProbe = C * 10 + 1;
  const quickHeld = quickLruAfterCyclingSets(C);
  const evictExpected: Record<string, number> = {
    [FLOOR]: C * 10,
    [OURS]: exactProbe,
    [OURS_WEAK]: exactProbe,
    [LRU_CACHE]: exactProbe,
    [QUICK]: probe((k) => quickHeld.has(k)), // its two generations, modelled
    [MN_CACHE]: exactProbe,
    [MN_MAP]: exactProbe,
    [WEAK_LRU]: C * 10,
    [NAIVE]: C * 10,
  };

  await compare<number>({
    suite: `LRU set with eviction, 1M sets cycling 100k ${label}, capacity 10k`,
    floor: FLOOR,
    ops: OPS,
    expect: (r, name) => r === evictExpected[name] || `probe ${r}, expected ${evictExpected[name]}`,
    contestants: {
      [FLOOR]: () => () => {
        const c = new Map<K, V>();
        for (let i = 0; i < OPS; i++) c.set(keys[i % KEYS]!, values[i % KEYS]!);
        return probe((k) => c.has(keys[k]!));
      },
      [OURS]: () => () => {
        const c = new WeakCache<K, V>({ max: C, weak: false });
        for (let i = 0; i < OPS; i++) c.set(keys[i % KEYS]!, values[i % KEYS]!);
        return probe((k) => c.has(keys[k]!));
      },
      [OURS_WEAK]: () => () => {
        // The weak tier keeps evicted values reachable, but at most `max` new ones per job (here the
        // whole sample), so the probe still sees an exact LRU: the key 10,001 back was dropped.
        const c = new WeakCache<K, V>({ max: C });
        for (let i = 0; i < OPS; i++) c.set(keys[i % KEYS]!, values[i % KEYS]!);
        const present = probe((k) => c.has(keys[k]!));
        return present;
      },
      [LRU_CACHE]: () => () => {
        const c = new LRUCache<K, V>({ max: C });
        for (let i = 0; i < OPS; i++) c.set(keys[i % KEYS]!, values[i % KEYS]!);
        return probe((k) => c.has(keys[k]!));
      },
      [QUICK]: () => () => {
        const c = new QuickLRU<K, V>({ maxSize: C });
        for (let i = 0; i < OPS; i++) c.set(keys[i % KEYS]!, values[i % KEYS]!);
        return probe((k) => c.has(keys[k]!));
      },
      [MN_CACHE]: () => () => {
        const c = new MnemonistLRUCache<K, V>(C);
        for (let i = 0; i < OPS; i++) c.set(keys[i % KEYS]!, values[i % KEYS]!);
        return probe((k) => c.has(keys[k]!));
      },
      [MN_MAP]: () => () => {
        const c = new LRUMap<K, V>(C);
        for (let i = 0; i < OPS; i++) c.set(keys[i % KEYS]!, values[i % KEYS]!);
        return probe((k) => c.has(keys[k]!));
      },
      [WEAK_LRU]: () => () => {
        const c = new WeakLRUCache<K, V>({ expirer: new LRFUExpirer({ lruSize: C >> 2 }) });
        for (let i = 0; i < OPS; i++) c.setValue(keys[i % KEYS]!, values[i % KEYS]!);
        return probe((k) => c.getValue(keys[k]!) !== undefined);
      },
      [NAIVE]: () => () => {
        const c = new NaiveWeakMap<K, V>();
        for (let i = 0; i < OPS; i++) c.set(keys[i % KEYS]!, values[i % KEYS]!);
        return probe((k) => c.get(keys[k]!) !== undefined);
      },
    },
  });
}
