import { type Clock, systemClock } from "./clock.ts";
import { type BudgetCore, budgetCore } from "./internal/budget-core.ts";
import { type CoreConfig, ExtraCore, LeanCore, LruCore, MAX_SLOTS } from "./internal/core.ts";
import { Load } from "./internal/load.ts";
import {
  options as checkOptions,
  describe,
  fn,
  positiveInteger,
  weakProvider,
} from "./internal/validate.ts";
import type { MemoryBudget } from "./memory-budget.ts";
import { nativeWeakProvider, type WeakProvider } from "./weak-provider.ts";

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
 *
 * @example
 * ```ts
 * const cache = new WeakCache<string, FileHandle>({
 *   max: 100,
 *   weak: false,
 *   onRemove: (key, handle, reason) => {
 *     if (reason !== "set") void handle?.close();
 *   },
 * });
 * ```
 */
export type RemovalReason = "evict" | "expire" | "delete" | "set" | "collected";

/**
 * Counters of a {@link WeakCache}, from {@link WeakCache.stats}. Counters only grow (`clear()` keeps
 * them); `entries`, `weakEntries` and `bytes` are the current state.
 *
 * @example
 * ```ts
 * const { hits, weakHits, misses } = cache.stats();
 * metrics.gauge("cache.hit_ratio", (hits + weakHits) / (hits + weakHits + misses || 1));
 * ```
 */
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

/**
 * Options of {@link WeakCache}. At least one bound (`max`, `maxBytes`, `ttl`, `budget`) is required;
 * unknown options are refused.
 *
 * @example
 * ```ts
 * new WeakCache<string, Buffer>({ max: 10_000, maxBytes: 64 << 20, sizeOf: (b) => b.byteLength, ttl: 60_000 });
 * ```
 */
export interface WeakCacheOptions<K, V> {
  /**
   * Most entries in the strong tier (a positive integer). Default: no count bound. Cost: up to
   * 65,536 the slot arrays (keys, values, 16-bit recency links: about 20 bytes a slot) are allocated
   * at construction, `max` long, as mnemonist does; above that they grow as entries arrive (32-bit
   * links).
   * @example `new WeakCache({ max: 10_000 })`
   */
  max?: number;
  /**
   * Most bytes in the strong tier, as measured by `sizeOf` (a positive integer). Default: no byte
   * bound. Requires `sizeOf`. A value larger than `maxBytes` is refused with a `RangeError`.
   * @example `new WeakCache<string, string>({ maxBytes: 1 << 20, sizeOf: (s) => 2 * s.length })`
   */
  maxBytes?: number;
  /**
   * Size of an entry in bytes (a safe integer >= 0), called once per `set`. Required with `maxBytes`
   * or `budget`. It must not throw for values you set; if it returns something else than a valid
   * size, `set` throws and the cache is unchanged. Cost: one call per set.
   * @example `sizeOf: (value: Uint8Array) => value.byteLength`
   */
  sizeOf?: (value: V, key: K) => number;
  /**
   * Milliseconds after `set` at which an entry expires (a positive integer). Default: never.
   * Reading does not extend it. Expired entries are never returned; one timer per cache (never
   * keeping the process alive, and not keeping the cache alive either) removes them, calling
   * `onRemove(…, "expire")`. Cost: a clock read per `get`/`set`, O(log n) per set.
   * @example `new WeakCache({ ttl: 5 * 60_000 })`
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
   * @example `new WeakCache<string, Connection>({ max: 50, weak: false, onRemove: (_k, c) => c?.close() })`
   */
  weak?: boolean;
  /**
   * Called after an entry left the cache, with the reason (see {@link RemovalReason}), once the
   * cache is consistent again (so it may use the cache). Not called when an entry moves to the weak
   * tier. If it throws, the operation still completes and the error is rethrown at its end (several
   * errors as an `AggregateError`). Default: none.
   * @example `onRemove: (key, _value, reason) => log.debug("cache removal", { key, reason })`
   */
  onRemove?: (key: K, value: V | undefined, reason: RemovalReason) => void;
  /**
   * Time source and timers for `ttl`. Default {@link systemClock}; tests inject `ManualClock`.
   * @example `new WeakCache({ ttl: 1000, clock: new ManualClock() })`
   */
  clock?: Clock;
  /**
   * Where weak references come from. Default {@link nativeWeakProvider}. A custom provider (tests,
   * heap-sim) is the authority on liveness: with `weak: true`, object values are registered with it
   * in both tiers, so an entry whose value it reports collected is removed (reason `collected`)
   * whichever its tier; there is no per-job limit.
   * @example `new WeakCache({ max: 10, weakProvider: new TestWeakProvider() })`
   */
  weakProvider?: WeakProvider;
  /**
   * A byte budget shared with other caches (see {@link MemoryBudget}). Requires `sizeOf`.
   * @example `new WeakCache<string, Uint8Array>({ budget, sizeOf: (b) => b.byteLength })`
   */
  budget?: MemoryBudget;
}

/**
 * Options of {@link WeakCache.getOrLoad}.
 *
 * @example
 * ```ts
 * await cache.getOrLoad(url, fetchText, { signal: AbortSignal.timeout(2000) });
 * ```
 */
export interface GetOrLoadOptions {
  /**
   * Aborts this caller's wait: its promise rejects with `signal.reason`. The shared load itself is
   * aborted (its signal fires) only when every caller waiting for it has aborted.
   */
  signal?: AbortSignal;
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
 * linked list in two typed arrays (16-bit links up to 65,536 slots). A hit is a `Map` lookup and
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
  /** All state lives in the core (plain fields: fast); this one private field hides it. */
  readonly #core: LruCore<K, V>;
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
    const max = o.max === undefined ? Number.POSITIVE_INFINITY : positiveInteger("max", o.max);
    if (max !== Number.POSITIVE_INFINITY && max > MAX_SLOTS) {
      throw new RangeError(`max must be at most ${MAX_SLOTS}, got ${describe(o.max)}`);
    }
    const maxBytes =
      o.maxBytes === undefined ? Number.POSITIVE_INFINITY : positiveInteger("maxBytes", o.maxBytes);
    const ttl = o.ttl === undefined ? 0 : positiveInteger("ttl", o.ttl);
    let budget: BudgetCore | undefined;
    if (o.budget !== undefined) {
      budget = budgetCore(o.budget);
      if (budget === undefined) {
        throw new TypeError(`budget must be a MemoryBudget, got ${describe(o.budget)}`);
      }
    }
    const sizeOf =
      o.sizeOf === undefined ? undefined : fn<(value: V, key: K) => number>("sizeOf", o.sizeOf);
    const bytesBound = o.maxBytes !== undefined || budget !== undefined;
    if (bytesBound && sizeOf === undefined) {
      throw new TypeError(
        `${o.maxBytes !== undefined ? "maxBytes" : "budget"} needs sizeOf (a function returning an entry's size in bytes)`,
      );
    }
    if (!bytesBound && sizeOf !== undefined) {
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
    const config: CoreConfig<K, V> = {
      max,
      maxBytes,
      ttl,
      sizeOf,
      budget,
      weak: o.weak ?? true,
      onRemove:
        o.onRemove === undefined
          ? undefined
          : fn<(key: K, value: V | undefined, reason: RemovalReason) => void>(
              "onRemove",
              o.onRemove,
            ),
      clock: o.clock === undefined ? systemClock : checkClock(o.clock),
      provider:
        o.weakProvider === undefined
          ? nativeWeakProvider
          : weakProvider<WeakProvider>("weakProvider", o.weakProvider),
    };
    this.#core =
      ttl !== 0 || sizeOf !== undefined || budget !== undefined
        ? new ExtraCore<K, V>(config)
        : !config.weak && config.onRemove === undefined
          ? new LeanCore<K, V>(config)
          : new LruCore<K, V>(config);
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────────

  /**
   * The value for `key`, marking it most recently used; `undefined` when absent, expired or
   * collected. A weak-tier hit promotes the entry back to the strong tier (which may evict another).
   * O(1): a `Map` lookup and four typed-array writes, no allocation.
   *
   * @example
   * ```ts
   * const user = users.get(id) ?? (await loadUser(id));
   * ```
   */
  get(key: K): V | undefined {
    return this.#core.get(key);
  }

  /**
   * The value for `key` without touching recency, statistics or tiers; `undefined` when absent,
   * expired or collected. O(1).
   *
   * @example
   * ```ts
   * cache.peek("a"); // does not make "a" recently used
   * ```
   */
  peek(key: K): V | undefined {
    return this.#core.peek(key);
  }

  /**
   * Whether `get(key)` would return a value, without touching recency or statistics. O(1).
   *
   * @example
   * ```ts
   * if (!cache.has(id)) prefetch(id);
   * ```
   */
  has(key: K): boolean {
    return this.#core.peek(key) !== undefined;
  }

  /**
   * Entries now, strong plus weak. Weak-tier entries whose values were collected count until their
   * finalizers run (exact once they have). O(1).
   */
  get size(): number {
    return this.#core.size;
  }

  /**
   * A snapshot of the counters. O(1).
   *
   * @example
   * ```ts
   * const { hits, weakHits, misses } = cache.stats();
   * const hitRatio = (hits + weakHits) / (hits + weakHits + misses);
   * ```
   */
  stats(): WeakCacheStats {
    const core = this.#core;
    const weakEntries = core.tier?.count ?? 0;
    return {
      hits: core.hits,
      weakHits: core.weakHits,
      misses: core.misses,
      evictions: core.evictions,
      expirations: core.expirations,
      collected: core.collected,
      entries: core.count + weakEntries,
      weakEntries,
      bytes: core.bytes,
    };
  }

  /** The `max` option (Infinity when not set). */
  get max(): number {
    return this.#core.max;
  }

  /** The `maxBytes` option (Infinity when not set). */
  get maxBytes(): number {
    return this.#core.maxBytes;
  }

  /** The `ttl` option in ms (0 when not set). */
  get ttl(): number {
    return this.#core.ttl;
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
    const core = this.#core;
    if (value === undefined || core.guard) return this.#setGuarded(key, value);
    core.set(key, value);
    return this;
  }

  /**
   * Removes `key`; `onRemove(key, value, "delete")`. Returns `true` if it held a live, unexpired
   * value. An in-flight `getOrLoad` for `key` will not store its result. O(1).
   *
   * @example
   * ```ts
   * cache.delete(userId); // after the user changed
   * ```
   */
  delete(key: K): boolean {
    const core = this.#core;
    if (core.guard) this.#supersede(key);
    return core.delete(key);
  }

  /**
   * Removes every entry, calling `onRemove(…, "delete")` for each (`"expire"` for one already
   * expired, `"collected"` for a weak-tier one already gone); statistics are kept. O(n).
   *
   * @example
   * ```ts
   * cache.clear();
   * ```
   */
  clear(): void {
    for (const key of [...this.#loads.keys()]) this.#supersede(key);
    this.#core.clear();
  }

  /**
   * Removes every expired entry now (strong and weak tier), calling `onRemove(…, "expire")` (or
   * `"collected"` for a weak-tier entry whose value is already gone). The purge timer does this on
   * its own at each expiry. Returns the number of entries removed.
   *
   * @example
   * ```ts
   * cache.purgeExpired(); // e.g. before taking a heap snapshot
   * ```
   */
  purgeExpired(): number {
    return this.#core.purgeExpired();
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
        this.#core.guard = true;
        this.#run(key, load, loader);
      }
      const started = load;
      return started.wait(signal, () => this.#forget(key, started));
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
    for (const key of this.#core.keySnapshot()) {
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
    this.#core.guard = true;
    const reason = new DOMException("The WeakCache was disposed", "AbortError");
    const loads = [...this.#loads.values()];
    this.#loads.clear();
    for (const load of loads) load.cancel(reason);
    const core = this.#core;
    try {
      core.clear();
    } finally {
      if (core.link !== undefined) core.budget!.leave(core.link);
    }
  }

  get [Symbol.toStringTag](): string {
    return "WeakCache";
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────

  #run(key: K, load: Load<V>, loader: (key: K, signal: AbortSignal) => V | PromiseLike<V>): void {
    let result: V | PromiseLike<V>;
    try {
      result = loader(key, load.signal);
    } catch (error) {
      this.#forget(key, load);
      load.reject(error);
      return;
    }
    Promise.resolve(result).then(
      (value) => {
        this.#forget(key, load);
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
        this.#forget(key, load);
        load.reject(error);
      },
    );
  }

  /** set() while disposed or with loads in flight (or a bad value). */
  #setGuarded(key: K, value: V): this {
    if (value === undefined) {
      throw new TypeError(
        `WeakCache cannot hold undefined (get() returns undefined for a miss); key ${describe(key)}`,
      );
    }
    if (this.#disposed) throw new ReferenceError("WeakCache is disposed");
    this.#core.set(key, value);
    this.#supersede(key);
    return this;
  }

  /** A set/delete/clear of `key` wins over its in-flight load: the load will not store. */
  #supersede(key: K): void {
    const load = this.#loads.get(key);
    if (load === undefined) return;
    load.superseded = true;
    this.#forget(key, load);
  }

  #forget(key: K, load: Load<V>): void {
    if (this.#loads.get(key) === load) this.#loads.delete(key);
    this.#core.guard = this.#disposed || this.#loads.size !== 0;
  }
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
