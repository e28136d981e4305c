import { type Clock, systemClock } from "./clock.ts";
import { type BudgetCore, budgetCore, type MemberLink } from "./internal/budget-core.ts";
import { EntryHeap } from "./internal/entry-heap.ts";
import { ExpiryHeap } from "./internal/expiry-heap.ts";
import { Load } from "./internal/load.ts";
import {
  options as checkOptions,
  describe,
  fn,
  isWeakable,
  positiveInteger,
  weakProvider,
} from "./internal/validate.ts";
import type { MemoryBudget } from "./memory-budget.ts";
import {
  type FinalizationRegistryLike,
  nativeWeakProvider,
  type WeakProvider,
  type WeakRefLike,
} from "./weak-provider.ts";

/**
 * Why an entry left a {@link WeakCache}, as passed to `onRemove`:
 *
 * - `evict`: pushed out of the strong tier by a bound (`max`, `maxBytes`, a shared
 *   {@link MemoryBudget}) and not kept in the weak tier (primitive value, `weak: false`, or the
 *   per-job weak-tier limit was reached).
 * - `expire`: its `ttl` passed.
 * - `delete`: `delete()`, `clear()` or disposal.
 * - `set`: replaced by `set()` with a different value (the old value is passed).
 * - `collected`: it was in the weak tier and its value was garbage-collected (the value is
 *   `undefined`: it is gone).
 */
export type RemovalReason = "evict" | "expire" | "delete" | "set" | "collected";

/** Counters of a {@link WeakCache}, from {@link WeakCache.stats}. */
export interface WeakCacheStats {
  /** `get` (or `getOrLoad`) found the key in the strong tier. */
  readonly hits: number;
  /** `get` found the key in the weak tier, alive (the entry was promoted back to the strong tier). */
  readonly weakHits: number;
  /** `get` found nothing (absent, expired or collected). */
  readonly misses: number;
  /** Entries pushed out of the strong tier by a bound (to the weak tier, or dropped). */
  readonly evictions: number;
  /** Entries removed because their `ttl` passed. */
  readonly expirations: number;
  /** Weak-tier entries removed because their value was garbage-collected. */
  readonly collected: number;
  /** Entries now: strong plus weak (see {@link WeakCache.size}). */
  readonly entries: number;
  /** Of which in the weak tier. */
  readonly weakEntries: number;
  /** Bytes held by the strong tier, by `sizeOf` (0 without `sizeOf`). */
  readonly bytes: number;
}

/** Options of {@link WeakCache}. At least one bound (`max`, `maxBytes`, `ttl`, `budget`) is required. */
export interface WeakCacheOptions<K, V> {
  /**
   * Most entries in the strong tier (a positive integer). Default: no count bound. Slot arrays grow
   * to this size as entries arrive (they are not allocated up front); up to 65,536 they use 16-bit
   * links.
   */
  max?: number;
  /**
   * Most bytes in the strong tier, as measured by `sizeOf` (a positive integer). Default: no byte
   * bound. Requires `sizeOf`. A value larger than `maxBytes` is refused with a `RangeError`.
   */
  maxBytes?: number;
  /**
   * Size of an entry in bytes (a safe integer >= 0), called once per `set`. Required with `maxBytes`
   * or `budget`. It must not throw for values you set; if it returns something else than a valid
   * size, `set` throws and the cache is unchanged. Cost: one call per set.
   */
  sizeOf?: (value: V, key: K) => number;
  /**
   * Milliseconds after `set` at which an entry expires (a positive integer). Default: never.
   * Reading does not extend it. Expired entries are never returned; one timer per cache (never
   * keeping the process alive, and not keeping the cache alive either) removes them, calling
   * `onRemove(…, "expire")`. Cost: a clock read per `get`/`set`, O(log n) per set.
   */
  ttl?: number;
  /**
   * Keep object values that fall out of the strong tier reachable through a `WeakRef` (the weak
   * tier) until the program drops them: a `get` then still hits (and promotes the entry back) while
   * anyone else holds the value. Default `true`; it applies to object and function values only
   * (primitives are simply evicted). Weak-tier entries do not count toward `max`/`maxBytes`: their
   * values are held by someone else. Caveat: with the native provider a `WeakRef` keeps its target
   * alive until the current job ends, so per job at most `max` entries (and `maxBytes` bytes) enter
   * the weak tier; beyond that, evicted entries are dropped. Set `false` when `onRemove` must see
   * every value leave (a collected value cannot be passed to `onRemove`).
   */
  weak?: boolean;
  /**
   * Called after an entry left the cache, with the reason (see {@link RemovalReason}), once the
   * cache is consistent again (so it may use the cache). Not called when an entry moves to the weak
   * tier. If it throws, the operation still completes and the error is rethrown at its end (several
   * errors as an `AggregateError`). Default: none.
   */
  onRemove?: (key: K, value: V | undefined, reason: RemovalReason) => void;
  /** Time source and timers for `ttl`. Default {@link systemClock}; tests inject `ManualClock`. */
  clock?: Clock;
  /**
   * Where weak references come from. Default {@link nativeWeakProvider}. A custom provider (tests,
   * heap-sim) decides when weak-tier values are collected; it has no per-job limit.
   */
  weakProvider?: WeakProvider;
  /** A byte budget shared with other caches (see {@link MemoryBudget}). Requires `sizeOf`. */
  budget?: MemoryBudget;
}

/** Options of {@link WeakCache.getOrLoad}. */
export interface GetOrLoadOptions {
  /**
   * Aborts this caller's wait: its promise rejects with `signal.reason`. The shared load itself is
   * aborted (its signal fires) only when every caller waiting for it has aborted.
   */
  signal?: AbortSignal;
}

/** A weak-tier record: the key, a weak reference to the value, and what the strong tier knew. */
class WeakEntry<K> {
  key: K | undefined;
  ref: WeakRefLike<object> | undefined;
  size = 0;
  expires = Number.POSITIVE_INFINITY;
  /** Position in the weak expiry heap (ttl only), -1 when not in it. */
  index = -1;
  dead = false;
  constructor(key: K, ref: WeakRefLike<object>) {
    this.key = key;
    this.ref = ref;
  }
}

const KNOWN = [
  "max",
  "maxBytes",
  "sizeOf",
  "ttl",
  "weak",
  "onRemove",
  "clock",
  "weakProvider",
  "budget",
] as const;

const INITIAL_SLOTS = 16;
const MAX_SLOTS = 2 ** 32 - 1;
type Links = Uint16Array | Uint32Array;

/**
 * A bounded cache with O(1) LRU `get`/`set`/`delete` and, for object values, a weak tier: an entry
 * evicted from the strong tier stays reachable through a `WeakRef` until the program drops the
 * value, so a hit is still a hit while anyone else holds it, yet the cache itself never pins more
 * than its bound. Python's lesson: a global cache pins objects; weak references fix it.
 *
 * Bounds (at least one): `max` entries, `maxBytes` with `sizeOf`, `ttl`, or a shared
 * {@link MemoryBudget}; an unbounded cache is refused, as lru-cache does.
 *
 * Layout: one `Map` from key to slot number; keys and values in slot arrays; recency as a doubly
 * linked list in one typed array (16-bit links up to 65,536 slots). A hit is a `Map` lookup and
 * four typed-array writes: no allocation.
 *
 * @example
 * ```ts
 * import { WeakCache } from "@heapwise/cache";
 *
 * const users = new WeakCache<string, User>({ max: 1000, ttl: 60_000 });
 * const user = await users.getOrLoad(id, (id, signal) => db.user(id, { signal }));
 * users.stats(); // { hits, weakHits, misses, evictions, expirations, collected, entries, … }
 * ```
 */
export class WeakCache<K, V> implements Iterable<[K, V]>, Disposable {
  readonly #map = new Map<K, number | WeakEntry<K>>();
  #keys: (K | undefined)[];
  #vals: (V | undefined)[];
  /** links[2s] = the slot before s (toward the most recent), links[2s+1] = the slot after it. */
  #links: Links;
  #head = -1;
  #tail = -1;
  #count = 0;
  #used = 0;
  #cap: number;
  readonly #free: number[] = [];
  readonly #max: number;
  readonly #maxSlots: number;

  readonly #sizeOf: ((value: V, key: K) => number) | undefined;
  readonly #maxBytes: number;
  readonly #entryLimit: number;
  #sizes: Float64Array | undefined;
  #bytes = 0;

  readonly #ttl: number;
  readonly #heap: ExpiryHeap | undefined;
  readonly #clock: Clock;
  #timer: unknown = undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  /** Weak-tier entries by expiry (ttl only). */
  readonly #weakHeap: EntryHeap<WeakEntry<K>> | undefined;

  readonly #budget: BudgetCore | undefined;
  readonly #link: MemberLink | undefined;
  #stamps: Float64Array | undefined;

  readonly #weak: boolean;
  readonly #provider: WeakProvider;
  #registry: FinalizationRegistryLike<WeakEntry<K>> | undefined;
  /** The weak record of a promoted entry, reused when it is evicted again. */
  #recs: (WeakEntry<K> | undefined)[] | undefined;
  #weakCount = 0;
  /** Native provider: WeakRef targets are kept until the job ends, so limit new ones per job. */
  readonly #kept: boolean;
  #jobNew = 0;
  #jobBytes = 0;
  #jobScheduled = false;

  #hits = 0;
  #weakHits = 0;
  #misses = 0;
  #evictions = 0;
  #expirations = 0;
  #collected = 0;

  readonly #onRemove: ((key: K, value: V | undefined, reason: RemovalReason) => void) | undefined;
  #notes: unknown[] = [];

  readonly #loads = new Map<K, Load<V>>();
  #disposed = false;

  /**
   * @throws {TypeError} when no bound is given, an option has the wrong type, or an option is unknown.
   * @throws {RangeError} when a bound is not a positive integer.
   */
  constructor(options: WeakCacheOptions<K, V>) {
    if (options === undefined) {
      throw new TypeError(
        "WeakCache needs a bound: max, maxBytes (with sizeOf), ttl or budget; got no options",
      );
    }
    const o = checkOptions("WeakCache", options, KNOWN);
    this.#max = o.max === undefined ? Number.POSITIVE_INFINITY : positiveInteger("max", o.max);
    if (this.#max !== Number.POSITIVE_INFINITY && this.#max > MAX_SLOTS) {
      throw new RangeError(`max must be at most ${MAX_SLOTS}, got ${describe(o.max)}`);
    }
    this.#maxBytes =
      o.maxBytes === undefined ? Number.POSITIVE_INFINITY : positiveInteger("maxBytes", o.maxBytes);
    this.#ttl = o.ttl === undefined ? 0 : positiveInteger("ttl", o.ttl);
    let budget: BudgetCore | undefined;
    if (o.budget !== undefined) {
      budget = budgetCore(o.budget);
      if (budget === undefined) {
        throw new TypeError(`budget must be a MemoryBudget, got ${describe(o.budget)}`);
      }
    }
    this.#sizeOf =
      o.sizeOf === undefined ? undefined : fn<(value: V, key: K) => number>("sizeOf", o.sizeOf);
    const bytesBound = o.maxBytes !== undefined || budget !== undefined;
    if (bytesBound && this.#sizeOf === undefined) {
      throw new TypeError(
        `${o.maxBytes !== undefined ? "maxBytes" : "budget"} needs sizeOf (a function returning an entry's size in bytes)`,
      );
    }
    if (!bytesBound && this.#sizeOf !== undefined) {
      throw new TypeError("sizeOf is only used with maxBytes or budget; give one of them");
    }
    if (o.max === undefined && !bytesBound && o.ttl === undefined) {
      throw new TypeError(
        "WeakCache needs a bound: max, maxBytes (with sizeOf), ttl or budget; an unbounded cache is a leak",
      );
    }
    if (o.weak !== undefined && typeof o.weak !== "boolean") {
      throw new TypeError(`weak must be a boolean, got ${describe(o.weak)}`);
    }
    this.#weak = o.weak ?? true;
    this.#onRemove =
      o.onRemove === undefined
        ? undefined
        : fn<(key: K, value: V | undefined, reason: RemovalReason) => void>("onRemove", o.onRemove);
    this.#clock = o.clock === undefined ? systemClock : checkClock(o.clock);
    this.#provider =
      o.weakProvider === undefined
        ? nativeWeakProvider
        : weakProvider<WeakProvider>("weakProvider", o.weakProvider);
    this.#kept = this.#provider === nativeWeakProvider;
    this.#entryLimit = Math.min(this.#maxBytes, budget?.maxBytes ?? Number.POSITIVE_INFINITY);

    this.#maxSlots = Math.min(this.#max, MAX_SLOTS);
    this.#cap = Math.min(INITIAL_SLOTS, this.#maxSlots);
    this.#keys = new Array<K | undefined>(this.#cap);
    this.#vals = new Array<V | undefined>(this.#cap);
    this.#links =
      this.#maxSlots <= 65_536 ? new Uint16Array(2 * this.#cap) : new Uint32Array(2 * this.#cap);
    if (this.#sizeOf !== undefined) this.#sizes = new Float64Array(this.#cap);
    this.#heap = this.#ttl !== 0 ? new ExpiryHeap(this.#cap) : undefined;
    this.#weakHeap = this.#ttl !== 0 ? new EntryHeap<WeakEntry<K>>() : undefined;
    if (budget !== undefined) {
      this.#budget = budget;
      this.#stamps = new Float64Array(this.#cap);
      this.#link = budget.join({
        oldestStamp: () => (this.#tail < 0 ? Number.POSITIVE_INFINITY : this.#stamps![this.#tail]!),
        evictOldest: () => {
          this.#evictTail(false);
        },
        flush: () => this.#flush(),
      });
    }
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────────

  /**
   * The value for `key`, marking it most recently used; `undefined` when absent, expired or
   * collected. A weak-tier hit promotes the entry back to the strong tier (which may evict another).
   * O(1).
   *
   * @example
   * ```ts
   * const user = users.get(id) ?? (await loadUser(id));
   * ```
   */
  get(key: K): V | undefined {
    const s = this.#map.get(key);
    if (typeof s === "number") {
      const heap = this.#heap;
      if (heap !== undefined && heap.time[s]! <= this.#clock.now()) return this.#expiredHit(key, s);
      if (s !== this.#head) this.#moveToHead(s);
      const stamps = this.#stamps;
      if (stamps !== undefined) stamps[s] = ++this.#budget!.tick;
      this.#hits++;
      return this.#vals[s];
    }
    if (s === undefined) {
      this.#misses++;
      return undefined;
    }
    return this.#weakHit(key, s);
  }

  /**
   * The value for `key` without touching recency, statistics or tiers; `undefined` when absent,
   * expired or collected. O(1).
   */
  peek(key: K): V | undefined {
    const s = this.#map.get(key);
    if (s === undefined) return undefined;
    if (typeof s === "number") {
      const heap = this.#heap;
      if (heap !== undefined && heap.time[s]! <= this.#clock.now()) return undefined;
      return this.#vals[s];
    }
    if (this.#ttl !== 0 && s.expires <= this.#clock.now()) return undefined;
    return s.ref?.deref() as V | undefined;
  }

  /** Whether `get(key)` would return a value, without touching recency or statistics. O(1). */
  has(key: K): boolean {
    return this.peek(key) !== undefined;
  }

  /**
   * Entries now, strong plus weak. Weak-tier entries whose values were collected count until their
   * finalizers run (exact once they have). O(1).
   */
  get size(): number {
    return this.#count + this.#weakCount;
  }

  /** A snapshot of the counters. O(1). */
  stats(): WeakCacheStats {
    return {
      hits: this.#hits,
      weakHits: this.#weakHits,
      misses: this.#misses,
      evictions: this.#evictions,
      expirations: this.#expirations,
      collected: this.#collected,
      entries: this.#count + this.#weakCount,
      weakEntries: this.#weakCount,
      bytes: this.#bytes,
    };
  }

  /** The `max` option (Infinity when not set). */
  get max(): number {
    return this.#max;
  }

  /** The `maxBytes` option (Infinity when not set). */
  get maxBytes(): number {
    return this.#maxBytes;
  }

  /** The `ttl` option in ms (0 when not set). */
  get ttl(): number {
    return this.#ttl;
  }

  // ── writing ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Sets `key` to `value` as the most recently used entry, evicting least recently used entries
   * beyond the bounds. O(1) (O(log n) with `ttl`). An in-flight `getOrLoad` for `key` will not
   * overwrite it.
   *
   * @throws {TypeError} when `value` is `undefined`, or `sizeOf` returns a non-number.
   * @throws {RangeError} when `sizeOf` returns a negative, non-integer or too large size.
   * @throws {ReferenceError} when the cache is disposed.
   * In every case the cache is unchanged.
   * @example
   * ```ts
   * cache.set("a", value).set("b", other);
   * ```
   */
  set(key: K, value: V): this {
    if (value === undefined) {
      throw new TypeError(
        `WeakCache cannot hold undefined (get() returns undefined for a miss); key ${describe(key)}`,
      );
    }
    if (this.#disposed) throw new ReferenceError("WeakCache is disposed");
    const size = this.#sizeOf === undefined ? 0 : this.#measure(key, value);
    const s = this.#map.get(key);
    if (typeof s === "number") {
      this.#update(s, key, value, size);
    } else {
      const record = s === undefined ? undefined : this.#replaceWeak(key, s, value);
      const slot = this.#insert(key, value, size);
      if (record !== undefined) this.#records()[slot] = record;
    }
    if (this.#loads.size !== 0) this.#supersede(key);
    if (this.#notes.length !== 0) this.#flush();
    return this;
  }

  /**
   * Removes `key`; `onRemove(key, value, "delete")`. Returns `true` if it held a live, unexpired
   * value. An in-flight `getOrLoad` for `key` will not store its result. O(1).
   */
  delete(key: K): boolean {
    if (this.#loads.size !== 0) this.#supersede(key);
    const s = this.#map.get(key);
    if (s === undefined) return false;
    let removed: boolean;
    if (typeof s === "number") {
      const value = this.#vals[s];
      const expired = this.#heap !== undefined && this.#heap.time[s]! <= this.#clock.now();
      this.#removeSlot(s);
      if (expired) this.#expirations++;
      this.#note(key, value, expired ? "expire" : "delete");
      removed = !expired;
    } else {
      removed = this.#removeWeak(key, s, "delete");
    }
    this.#flush();
    return removed;
  }

  /**
   * Removes every entry, calling `onRemove(…, "delete")` for each (`"expire"` for one already
   * expired, `"collected"` for a weak-tier one already gone); statistics are kept. O(n).
   */
  clear(): void {
    for (const key of this.#loads.keys()) this.#supersede(key);
    const heap = this.#heap;
    const now = heap === undefined ? 0 : this.#clock.now();
    while (this.#head >= 0) {
      const s = this.#head;
      const key = this.#keys[s] as K;
      const value = this.#vals[s];
      const expired = heap !== undefined && heap.time[s]! <= now;
      this.#removeSlot(s);
      if (expired) this.#expirations++;
      this.#note(key, value, expired ? "expire" : "delete");
    }
    for (const [key, s] of this.#map) {
      if (typeof s !== "number") this.#removeWeak(key, s, "delete");
    }
    this.#disarm();
    this.#flush();
  }

  /**
   * The cached value, or the result of `loader(key, signal)`, stored in the cache. Concurrent
   * callers for the same key share one in-flight load; a rejection is passed to every waiting
   * caller and not cached (the next call loads again). A caller's `signal` aborts its own wait; the
   * load's `signal` fires when every waiting caller has aborted or the cache is disposed, and then
   * its result is not stored. A `set`/`delete`/`clear` of the key meanwhile wins: the load's result
   * goes to its callers but is not stored.
   *
   * @throws (rejects) {TypeError} when `loader` is not a function, the options are invalid, or the
   *   loader resolves to `undefined`; whatever the loader throws; `signal.reason` on abort;
   *   {ReferenceError} when the cache is disposed.
   * @example
   * ```ts
   * const page = await pages.getOrLoad(url, (url, signal) => fetch(url, { signal }).then((r) => r.text()), {
   *   signal: request.signal,
   * });
   * ```
   */
  getOrLoad(
    key: K,
    loader: (key: K, signal: AbortSignal) => V | PromiseLike<V>,
    options?: GetOrLoadOptions,
  ): Promise<V> {
    try {
      if (typeof loader !== "function") {
        throw new TypeError(`loader must be a function, got ${describe(loader)}`);
      }
      const o = checkOptions("getOrLoad", options, ["signal"]);
      const signal = o.signal as AbortSignal | undefined;
      if (signal !== undefined && !(signal instanceof AbortSignal)) {
        throw new TypeError(`signal must be an AbortSignal, got ${describe(signal)}`);
      }
      if (this.#disposed) throw new ReferenceError("WeakCache is disposed");
      if (signal?.aborted) return Promise.reject(signal.reason);
      const cached = this.get(key);
      if (cached !== undefined) return Promise.resolve(cached);
      let load = this.#loads.get(key);
      if (load === undefined) {
        load = new Load<V>();
        this.#loads.set(key, load);
        this.#run(key, load, loader);
      }
      return load.wait(signal, () => {
        if (this.#loads.get(key) === load) this.#loads.delete(key);
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // ── iteration ────────────────────────────────────────────────────────────────────────────────

  /**
   * `[key, value]` of every live entry: the strong tier from most to least recently used, then the
   * weak tier. Does not touch recency or statistics. The keys are taken when iteration starts; an
   * entry removed meanwhile is skipped, values are read when reached.
   */
  *entries(): IterableIterator<[K, V]> {
    const keys: K[] = [];
    for (let s = this.#head, n = this.#count; n > 0; n--, s = this.#links[2 * s + 1]!) {
      keys.push(this.#keys[s] as K);
    }
    for (const [key, s] of this.#map) if (typeof s !== "number") keys.push(key);
    for (const key of keys) {
      const value = this.peek(key);
      if (value !== undefined) yield [key, value];
    }
  }

  /** Keys of live entries, in the order of {@link WeakCache.entries}. */
  *keys(): IterableIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  /** Live values, in the order of {@link WeakCache.entries}. */
  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  /** Same as {@link WeakCache.entries}. */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** Calls `callback(value, key, cache)` for every live entry, in the order of `entries()`. */
  forEach(callback: (value: V, key: K, cache: this) => void, thisArg?: unknown): void {
    if (typeof callback !== "function") {
      throw new TypeError(`forEach callback must be a function, got ${describe(callback)}`);
    }
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  /**
   * Disposes the cache: clears its timer, aborts in-flight loads (their callers reject with an
   * `AbortError`), leaves its budget, and removes every entry with `onRemove(…, "delete")`. Later
   * `set`/`getOrLoad` throw a `ReferenceError`; `get` misses. Idempotent.
   *
   * @example
   * ```ts
   * {
   *   using cache = new WeakCache<string, Buffer>({ max: 100 });
   *   // …
   * } // disposed here
   * ```
   */
  [Symbol.dispose](): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const reason = new DOMException("The WeakCache was disposed", "AbortError");
    const loads = [...this.#loads.values()];
    this.#loads.clear();
    for (const load of loads) load.cancel(reason);
    try {
      this.clear();
    } finally {
      if (this.#link !== undefined) this.#budget!.leave(this.#link);
    }
  }

  get [Symbol.toStringTag](): string {
    return "WeakCache";
  }

  // ── internals: strong tier ───────────────────────────────────────────────────────────────────

  #moveToHead(s: number): void {
    const links = this.#links;
    const prev = links[2 * s]!;
    const next = links[2 * s + 1]!;
    links[2 * prev + 1] = next;
    if (s === this.#tail) this.#tail = prev;
    else links[2 * next] = prev;
    const head = this.#head;
    links[2 * s + 1] = head;
    links[2 * head] = s;
    this.#head = s;
  }

  #linkAtHead(s: number): void {
    const head = this.#head;
    if (head < 0) {
      this.#tail = s;
    } else {
      this.#links[2 * head] = s;
      this.#links[2 * s + 1] = head;
    }
    this.#head = s;
  }

  #unlink(s: number): void {
    const links = this.#links;
    if (s === this.#head) {
      if (s === this.#tail) {
        this.#head = -1;
        this.#tail = -1;
      } else {
        this.#head = links[2 * s + 1]!;
      }
    } else if (s === this.#tail) {
      this.#tail = links[2 * s]!;
    } else {
      const prev = links[2 * s]!;
      const next = links[2 * s + 1]!;
      links[2 * prev + 1] = next;
      links[2 * next] = prev;
    }
  }

  /** A free slot for a new entry, evicting the least recently used one at `max`. */
  #allocate(): number {
    if (this.#count >= this.#max) return this.#evictTail(true);
    const free = this.#free;
    if (free.length !== 0) return free.pop()!;
    if (this.#used === this.#cap) this.#grow();
    return this.#used++;
  }

  #grow(): void {
    const cap = Math.min(Math.max(this.#cap * 2, INITIAL_SLOTS), this.#maxSlots);
    const keys = new Array<K | undefined>(cap);
    const vals = new Array<V | undefined>(cap);
    for (let i = 0; i < this.#used; i++) {
      keys[i] = this.#keys[i];
      vals[i] = this.#vals[i];
    }
    this.#keys = keys;
    this.#vals = vals;
    const links =
      this.#links instanceof Uint16Array ? new Uint16Array(2 * cap) : new Uint32Array(2 * cap);
    links.set(this.#links);
    this.#links = links;
    if (this.#sizes !== undefined) this.#sizes = growFloat(this.#sizes, cap);
    if (this.#stamps !== undefined) this.#stamps = growFloat(this.#stamps, cap);
    this.#heap?.grow(cap);
    if (this.#recs !== undefined) this.#recs.length = cap;
    this.#cap = cap;
  }

  #insert(key: K, value: V, size: number): number {
    const s = this.#allocate();
    this.#keys[s] = key;
    this.#vals[s] = value;
    this.#map.set(key, s);
    this.#linkAtHead(s);
    this.#count++;
    if (this.#heap !== undefined) this.#setExpiry(s, this.#clock.now() + this.#ttl);
    if (this.#sizes !== undefined) this.#account(s, size);
    return s;
  }

  #update(s: number, key: K, value: V, size: number): void {
    const old = this.#vals[s];
    const heap = this.#heap;
    if (old !== value) {
      this.#vals[s] = value;
      this.#forgetRecord(s);
      const expired = heap !== undefined && heap.time[s]! <= this.#clock.now();
      if (expired) this.#expirations++;
      this.#note(key, old, expired ? "expire" : "set");
    }
    if (s !== this.#head) this.#moveToHead(s);
    if (heap !== undefined) this.#setExpiry(s, this.#clock.now() + this.#ttl);
    if (this.#sizes !== undefined) {
      const before = this.#sizes[s]!;
      this.#bytes -= before;
      if (this.#link !== undefined) {
        this.#link.bytes -= before;
        this.#budget!.bytes -= before;
      }
      this.#account(s, size);
    }
  }

  /** Records the size (and stamp) of the head slot `s` and enforces the byte bounds. */
  #account(s: number, size: number): void {
    this.#sizes![s] = size;
    this.#bytes += size;
    while (this.#bytes > this.#maxBytes && this.#tail !== s) this.#evictTail(false);
    const budget = this.#budget;
    if (budget !== undefined) {
      this.#stamps![s] = ++budget.tick;
      this.#link!.bytes += size;
      budget.bytes += size;
      if (budget.bytes > budget.maxBytes) budget.shrinkTo(budget.maxBytes);
    }
  }

  #setExpiry(s: number, at: number): void {
    this.#heap!.set(s, at);
    if (at < this.#timerAt) this.#arm(at);
  }

  /**
   * Takes the least recently used entry out of the strong tier: into the weak tier when allowed,
   * else dropped with `onRemove(…, "evict")`. Returns its slot, freed unless `reuse`.
   */
  #evictTail(reuse: boolean): number {
    const s = this.#tail;
    const key = this.#keys[s] as K;
    const value = this.#vals[s] as V;
    this.#unlink(s);
    this.#count--;
    this.#evictions++;
    const size = this.#release(s);
    if (this.#weak && isWeakable(value) && this.#admit(s, size)) {
      this.#demote(s, key, value, size);
    } else {
      this.#map.delete(key);
      this.#forgetRecord(s);
      this.#note(key, value, "evict");
    }
    this.#keys[s] = undefined;
    this.#vals[s] = undefined;
    if (!reuse) this.#free.push(s);
    return s;
  }

  /** Removes slot `s` from the strong tier and the map (no note). */
  #removeSlot(s: number): void {
    this.#map.delete(this.#keys[s] as K);
    this.#unlink(s);
    this.#count--;
    this.#release(s);
    this.#forgetRecord(s);
    this.#keys[s] = undefined;
    this.#vals[s] = undefined;
    this.#free.push(s);
  }

  /** Returns the bytes, expiry and budget share of slot `s`; the slot's size. */
  #release(s: number): number {
    this.#heap?.delete(s);
    if (this.#sizes === undefined) return 0;
    const size = this.#sizes[s]!;
    this.#bytes -= size;
    if (this.#link !== undefined) {
      this.#link.bytes -= size;
      this.#budget!.bytes -= size;
    }
    return size;
  }

  #expiredHit(key: K, s: number): undefined {
    const value = this.#vals[s];
    this.#removeSlot(s);
    this.#expirations++;
    this.#misses++;
    this.#note(key, value, "expire");
    this.#flush();
    return undefined;
  }

  // ── internals: weak tier ─────────────────────────────────────────────────────────────────────

  /** Whether an entry of `size` may enter the weak tier now (the per-job limit, native only). */
  #admit(s: number, size: number): boolean {
    if (!this.#kept || this.#recs?.[s] !== undefined) return true; // no new WeakRef needed
    if (this.#jobNew >= this.#max || this.#jobBytes + size > this.#entryLimit) return false;
    this.#jobNew++;
    this.#jobBytes += size;
    if (!this.#jobScheduled) {
      this.#jobScheduled = true;
      queueMicrotask(() => {
        this.#jobScheduled = false;
        this.#jobNew = 0;
        this.#jobBytes = 0;
      });
    }
    return true;
  }

  #demote(s: number, key: K, value: V & object, size: number): void {
    let entry = this.#recs?.[s];
    if (entry === undefined) {
      entry = new WeakEntry(key, this.#provider.weakRef(value));
      this.#registry ??= this.#provider.finalizationRegistry<WeakEntry<K>>((e) =>
        this.#finalized(e),
      );
      this.#registry.register(value, entry);
    } else {
      this.#recs![s] = undefined;
    }
    entry.size = size;
    entry.expires = this.#heap === undefined ? Number.POSITIVE_INFINITY : this.#heap.time[s]!;
    this.#map.set(key, entry);
    this.#weakCount++;
    this.#weakHeap?.push(entry);
  }

  /** The per-slot weak records, made on first use. */
  #records(): (WeakEntry<K> | undefined)[] {
    if (this.#recs === undefined) this.#recs = new Array<WeakEntry<K> | undefined>(this.#cap);
    return this.#recs;
  }

  /** Kills the weak record kept for slot `s` (its value is being replaced or dropped). */
  #forgetRecord(s: number): void {
    const recs = this.#recs;
    if (recs === undefined) return;
    const entry = recs[s];
    if (entry !== undefined) {
      kill(entry);
      recs[s] = undefined;
    }
  }

  #weakHit(key: K, entry: WeakEntry<K>): V | undefined {
    const value = entry.ref!.deref() as (V & object) | undefined;
    if (value === undefined || (this.#ttl !== 0 && entry.expires <= this.#clock.now())) {
      this.#removeWeak(key, entry, "delete");
      this.#misses++;
      this.#flush();
      return undefined;
    }
    // Promote: back to the strong tier, most recently used, keeping the record for its next eviction.
    this.#map.delete(key);
    this.#weakCount--;
    this.#weakHeap?.delete(entry);
    const s = this.#allocate();
    this.#keys[s] = key;
    this.#vals[s] = value;
    this.#map.set(key, s);
    this.#linkAtHead(s);
    this.#count++;
    this.#records()[s] = entry;
    if (this.#heap !== undefined) this.#setExpiry(s, entry.expires);
    if (this.#sizes !== undefined) this.#account(s, entry.size);
    this.#weakHits++;
    if (this.#notes.length !== 0) this.#flush();
    return value;
  }

  /**
   * Removes weak entry `entry` of `key`. Its value decides the reason: gone → "collected",
   * expired → "expire", else `reason`. Returns whether it had a live, unexpired value.
   */
  #removeWeak(key: K, entry: WeakEntry<K>, reason: RemovalReason): boolean {
    const value = entry.ref?.deref() as V | undefined;
    this.#map.delete(key);
    this.#weakCount--;
    this.#weakHeap?.delete(entry);
    kill(entry);
    if (value === undefined) {
      this.#collected++;
      this.#note(key, undefined, "collected");
      return false;
    }
    if (this.#ttl !== 0 && entry.expires <= this.#clock.now()) {
      this.#expirations++;
      this.#note(key, value, "expire");
      return false;
    }
    this.#note(key, value, reason);
    return true;
  }

  /**
   * `set` over a weak-tier entry: the old value (if alive and different) leaves with reason "set".
   * Setting the same value again returns the record, to be kept for the new strong entry.
   */
  #replaceWeak(key: K, entry: WeakEntry<K>, value: V): WeakEntry<K> | undefined {
    if (entry.ref?.deref() === value) {
      this.#map.delete(key);
      this.#weakCount--;
      this.#weakHeap?.delete(entry);
      return entry;
    }
    this.#removeWeak(key, entry, "set");
    return undefined;
  }

  /** Registry cleanup: the value of `entry` was collected. */
  #finalized(entry: WeakEntry<K>): void {
    if (entry.dead) return;
    const key = entry.key as K;
    const current = this.#map.get(key);
    if (current === entry) {
      this.#map.delete(key);
      this.#weakCount--;
      this.#weakHeap?.delete(entry);
      kill(entry);
      this.#collected++;
      this.#note(key, undefined, "collected");
    } else if (typeof current === "number" && this.#recs?.[current] === entry) {
      // A custom provider reported a value the strong tier still holds as collected.
      this.#removeSlot(current);
      this.#collected++;
      this.#note(key, undefined, "collected");
    } else {
      kill(entry);
      return;
    }
    this.#flush();
  }

  // ── internals: time ──────────────────────────────────────────────────────────────────────────

  #arm(at: number): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timerAt = at;
    // The timer holds the cache weakly: a dropped cache is not kept alive by its purge timer.
    const self = new WeakRef(this);
    this.#timer = this.#clock.setTimeout(
      () => {
        const cache = self.deref();
        if (cache !== undefined) cache.#onTimer();
      },
      Math.max(0, at - this.#clock.now()),
    );
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #onTimer(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.purgeExpired();
  }

  /**
   * Removes every expired entry now (strong and weak tier), calling `onRemove(…, "expire")` (or
   * `"collected"` for a weak-tier entry whose value is already gone). The purge timer does this on
   * its own at each expiry. Returns the number of entries removed.
   */
  purgeExpired(): number {
    const heap = this.#heap;
    const weakHeap = this.#weakHeap;
    if (heap === undefined || weakHeap === undefined) return 0;
    const now = this.#clock.now();
    let removed = 0;
    while (heap.length !== 0 && heap.peekTime() <= now) {
      const s = heap.peek();
      const key = this.#keys[s] as K;
      const value = this.#vals[s];
      this.#removeSlot(s);
      this.#expirations++;
      this.#note(key, value, "expire");
      removed++;
    }
    while (weakHeap.length !== 0 && weakHeap.peekTime() <= now) {
      const entry = weakHeap.peek()!;
      this.#removeWeak(entry.key as K, entry, "expire");
      removed++;
    }
    const next = Math.min(heap.peekTime(), weakHeap.peekTime());
    if (next !== Number.POSITIVE_INFINITY && next < this.#timerAt) this.#arm(next);
    this.#flush();
    return removed;
  }

  // ── internals: loads, sizes, notes ───────────────────────────────────────────────────────────

  #run(key: K, load: Load<V>, loader: (key: K, signal: AbortSignal) => V | PromiseLike<V>): void {
    let result: V | PromiseLike<V>;
    try {
      result = loader(key, load.signal);
    } catch (error) {
      if (this.#loads.get(key) === load) this.#loads.delete(key);
      load.reject(error);
      return;
    }
    Promise.resolve(result).then(
      (value) => {
        if (this.#loads.get(key) === load) this.#loads.delete(key);
        if (value === undefined) {
          load.reject(
            new TypeError(
              `loader for key ${describe(key)} resolved to undefined, which cannot be cached`,
            ),
          );
          return;
        }
        try {
          if (!load.superseded && !load.signal.aborted && !this.#disposed) this.set(key, value);
        } catch (error) {
          load.reject(error);
          return;
        }
        load.resolve(value);
      },
      (error: unknown) => {
        if (this.#loads.get(key) === load) this.#loads.delete(key);
        load.reject(error);
      },
    );
  }

  #supersede(key: K): void {
    const load = this.#loads.get(key);
    if (load === undefined) return;
    load.superseded = true;
    this.#loads.delete(key);
  }

  #measure(key: K, value: V): number {
    const size = this.#sizeOf!(value, key);
    if (typeof size !== "number") {
      throw new TypeError(
        `sizeOf must return a number of bytes, got ${describe(size)} for key ${describe(key)}`,
      );
    }
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(
        `sizeOf must return an integer >= 0, got ${describe(size)} for key ${describe(key)}`,
      );
    }
    if (size > this.#entryLimit) {
      throw new RangeError(
        `size ${size} of key ${describe(key)} exceeds ${this.#maxBytes <= this.#entryLimit ? "maxBytes" : "the budget's maxBytes"} ${this.#entryLimit}`,
      );
    }
    return size;
  }

  #note(key: K, value: V | undefined, reason: RemovalReason): void {
    if (this.#onRemove !== undefined) this.#notes.push(key, value, reason);
  }

  /** Calls onRemove for the queued removals; rethrows their errors once all have run. */
  #flush(): void {
    const notes = this.#notes;
    if (notes.length === 0) return;
    this.#notes = [];
    const onRemove = this.#onRemove!;
    let errors: unknown[] | undefined;
    for (let i = 0; i < notes.length; i += 3) {
      try {
        onRemove(notes[i] as K, notes[i + 1] as V | undefined, notes[i + 2] as RemovalReason);
      } catch (error) {
        if (errors === undefined) errors = [];
        errors.push(error);
      }
    }
    if (errors !== undefined) {
      throw errors.length === 1
        ? errors[0]
        : new AggregateError(errors, `${errors.length} onRemove callbacks threw`);
    }
  }
}

function kill<K>(entry: WeakEntry<K>): void {
  entry.dead = true;
  entry.key = undefined;
  entry.ref = undefined;
}

function growFloat(array: Float64Array, cap: number): Float64Array {
  const grown = new Float64Array(cap);
  grown.set(array);
  return grown;
}

function checkClock(clock: unknown): Clock {
  const c = clock as Partial<Clock> | null;
  if (
    typeof c !== "object" ||
    c === null ||
    typeof c.now !== "function" ||
    typeof c.setTimeout !== "function" ||
    typeof c.clearTimeout !== "function"
  ) {
    throw new TypeError(
      `clock must have now(), setTimeout() and clearTimeout(), got ${describe(clock)}`,
    );
  }
  return c as Clock;
}
