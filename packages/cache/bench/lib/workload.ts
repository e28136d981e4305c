/**
 * The workloads of the issue, generated once per process from a fixed seed so every contestant
 * replays the same operations, and the models that give each contestant's exact expected hit count.
 *
 * - capacity 10,000; 1,000,000 operations per sample;
 * - mixed: 80 % get / 20 % set over 100,000 string keys, Zipf-like (s = 1) popularity;
 * - pure hits: 1,000,000 gets over the 10,000 keys a full cache holds (same Zipf shape);
 * - set with eviction: 1,000,000 sets cycling over the 100,000 keys (every set misses and evicts).
 *
 * Keys: key index n is either the string "user:<n>:profile" (the common case for a service cache)
 * or the number n (dense numeric ids); each bench file runs one key type. Strings are built once and
 * reused, so no contestant pays for string building. Values are objects held by the driver (so weak
 * contestants never lose one to the collector and their hit counts are exact).
 */

export const CAPACITY = 10_000;
export const KEYS = 100_000;
export const OPS = 1_000_000;

/** xorshift32 with a fixed seed: the same sequence in every process. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Zipf(s = 1) ranks over n items, mapped through a random permutation (hot keys are scattered). */
function zipf(n: number, count: number, random: () => number): Int32Array {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += 1 / (i + 1);
    cdf[i] = acc;
  }
  for (let i = 0; i < n; i++) cdf[i]! /= acc;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  const out = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const u = random();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    out[k] = perm[lo]!;
  }
  return out;
}

export const keys: string[] = Array.from({ length: KEYS }, (_, i) => `user:${i}:profile`);
export const numberKeys: number[] = Array.from({ length: KEYS }, (_, i) => i);
export const values: { id: number }[] = Array.from({ length: KEYS }, (_, i) => ({ id: i }));

const random = rng(0x5eed);
/** Mixed workload: key index and operation (0 = get, 1 = set) of each step. */
export const mixedKey = zipf(KEYS, OPS, random);
export const mixedOp = new Uint8Array(OPS);
for (let i = 0; i < OPS; i++) mixedOp[i] = random() < 0.8 ? 0 : 1;
/** Pure hits: key indexes below CAPACITY. */
export const hitKey = zipf(CAPACITY, OPS, random);

// ── models (obviously correct, slow is fine: they run once) ────────────────────────────────────

/** Hits of an exact LRU of `capacity` on the mixed workload (Map order = recency). */
export function exactLruHits(capacity: number): number {
  const lru = new Map<number, true>();
  let hits = 0;
  for (let i = 0; i < OPS; i++) {
    const k = mixedKey[i]!;
    if (mixedOp[i] === 0) {
      if (lru.has(k)) {
        hits++;
        lru.delete(k);
        lru.set(k, true);
      }
    } else {
      lru.delete(k);
      lru.set(k, true);
      if (lru.size > capacity) lru.delete(lru.keys().next().value!);
    }
  }
  return hits;
}

/** Hits of an unbounded map on the mixed workload: every get of a key set before. */
export function unboundedHits(): number {
  const seen = new Uint8Array(KEYS);
  let hits = 0;
  for (let i = 0; i < OPS; i++) {
    const k = mixedKey[i]!;
    if (mixedOp[i] === 0) hits += seen[k]!;
    else seen[k] = 1;
  }
  return hits;
}

/** Hits of quick-lru's two-generation scheme (not an exact LRU) on the mixed workload. */
export function quickLruHits(maxSize: number): number {
  let cache = new Map<number, true>();
  let old = new Map<number, true>();
  let size = 0;
  const put = (k: number) => {
    cache.set(k, true);
    if (++size >= maxSize) {
      size = 0;
      old = cache;
      cache = new Map();
    }
  };
  let hits = 0;
  for (let i = 0; i < OPS; i++) {
    const k = mixedKey[i]!;
    if (mixedOp[i] === 0) {
      if (cache.has(k)) hits++;
      else if (old.has(k)) {
        hits++;
        old.delete(k);
        put(k);
      }
    } else if (cache.has(k)) {
      cache.set(k, true);
    } else {
      put(k);
    }
  }
  return hits;
}

/**
 * Hits (strong + weak) of WeakCache with its weak tier on the mixed workload, all values alive, the
 * whole sample in one job: an evicted entry enters the weak tier if it already has a weak record
 * (it was promoted from the weak tier before) or while fewer than `capacity` new weak records were
 * made in the job; otherwise it is dropped. A weak hit promotes the entry and keeps its record.
 */
export function weakTierHits(capacity: number): { hits: number; weakHits: number } {
  const strong = new Map<number, true>();
  const weak = new Set<number>();
  const record = new Set<number>();
  let fresh = 0;
  const evictIfFull = () => {
    if (strong.size <= capacity) return;
    const k = strong.keys().next().value!;
    strong.delete(k);
    if (record.has(k)) weak.add(k);
    else if (fresh < capacity) {
      fresh++;
      record.add(k);
      weak.add(k);
    }
  };
  let hits = 0;
  let weakHits = 0;
  for (let i = 0; i < OPS; i++) {
    const k = mixedKey[i]!;
    if (mixedOp[i] === 0) {
      if (strong.has(k)) {
        hits++;
        strong.delete(k);
        strong.set(k, true);
      } else if (weak.has(k)) {
        weakHits++;
        weak.delete(k);
        strong.set(k, true);
        evictIfFull();
      }
    } else if (strong.has(k)) {
      strong.delete(k);
      strong.set(k, true);
    } else {
      weak.delete(k); // same value again: its record is kept
      strong.set(k, true);
      evictIfFull();
    }
  }
  return { hits, weakHits };
}

/** Keys quick-lru holds (current and old generation) after `OPS` sets cycling over `KEYS` keys. */
export function quickLruAfterCyclingSets(maxSize: number): Set<number> {
  let cache = new Set<number>();
  let old = new Set<number>();
  for (let i = 0; i < OPS; i++) {
    const k = i % KEYS;
    if (cache.has(k)) continue;
    old.delete(k);
    cache.add(k);
    if (cache.size >= maxSize) {
      old = cache;
      cache = new Set();
    }
  }
  return new Set([...cache, ...old]);
}
