import {
  options as checkOptions,
  describe,
  isWeakable,
  weakProvider,
} from "./internal/validate.ts";
import {
  type FinalizationRegistryLike,
  nativeWeakProvider,
  type WeakProvider,
  type WeakRefLike,
} from "./weak-provider.ts";

/** Options of {@link WeakValueMap}. */
export interface WeakValueMapOptions {
  /**
   * Where weak references and finalization registries come from. Default
   * {@link nativeWeakProvider} (real `WeakRef` / `FinalizationRegistry`). Pass the provider of
   * `@heapwise/cache/testing` to decide collections in tests, or heap-sim's to hold simulated
   * objects. With a custom provider the weak reference is made at once (no end-of-job batching,
   * see the class notes), so a collection the provider reports is visible immediately.
   */
  weakProvider?: WeakProvider;
}

/** One key's record. Held by the map and, as held value, by the registry. */
class Entry<K, V extends object> {
  /** The key while the entry is current; `undefined` once it is dead (releases the key). */
  key: K | undefined;
  /** The weak reference; created at the end of the job with the native provider. */
  ref: WeakRefLike<V> | undefined = undefined;
  /** The value while the entry is new in the current job (native provider only). */
  strong: V | undefined = undefined;
  /** Replaced, deleted or collected: a late finalizer for it must do nothing. */
  dead = false;
  constructor(key: K) {
    this.key = key;
  }
}

const KNOWN = ["weakProvider"] as const;

/**
 * A `Map` whose values are held weakly: Python's `weakref.WeakValueDictionary`. An entry disappears
 * once its value is garbage-collected (or, with a custom {@link WeakProvider}, once the provider says
 * so). The registry you want when several parts of a program should share one live object per key
 * without keeping it alive: interned objects, open handles by id, per-key singletons.
 *
 * - `get`, `has` and iteration never return a collected value.
 * - `size` counts entries whose values may already be collected but whose finalizers have not run
 *   yet; it is exact once they have.
 * - A late finalizer never deletes a key that was set again meanwhile: each entry is a record and
 *   the finalizer removes the key only if the map still holds that very record (Python's
 *   `_remove_dead_weakref` check).
 * - Iterating while values die is safe (Python's bug #79796 / bpo-35615): iteration follows `Map`
 *   semantics (entries deleted meanwhile are skipped, none is visited twice) and skips values that
 *   are gone.
 *
 * Cost: `get` is a `Map` lookup plus one `deref()`. With the native provider a value `set` in the
 * current job is held strongly until the job's microtask checkpoint, where its `WeakRef` and
 * finalization registration are made, only for entries still current. ECMA-262 keeps the target of
 * a `WeakRef` created in a job alive until the job ends anyway (AddToKeptObjects), so this changes
 * no lifetime; it saves the weak bookkeeping (about 175 ns in V8) for values overwritten or deleted
 * within the job, and reads of such values skip `deref()`.
 *
 * @example
 * ```ts
 * import { WeakValueMap } from "@heapwise/cache";
 *
 * const sessions = new WeakValueMap<string, Session>();
 * sessions.set(session.id, session);
 * sessions.get(session.id); // the session, while anything else holds it
 * // once every other reference is gone and the collector ran: get() === undefined, size drops
 * ```
 */
export class WeakValueMap<K, V extends object> implements Iterable<[K, V]> {
  readonly #map = new Map<K, Entry<K, V>>();
  readonly #provider: WeakProvider;
  readonly #registry: FinalizationRegistryLike<Entry<K, V>>;
  /** Native provider: make weak references at the end of the job (see the class notes). */
  readonly #deferred: boolean;
  /** Entries holding `strong` until the end of the job. */
  readonly #pending: Entry<K, V>[] = [];
  #scheduled = false;

  /**
   * @param entries initial `[key, value]` pairs, set in order (a bad value throws a `TypeError`).
   * @param options see {@link WeakValueMapOptions}.
   */
  constructor(entries?: Iterable<readonly [K, V]> | null, options?: WeakValueMapOptions) {
    const opts = checkOptions("WeakValueMap", options, KNOWN);
    this.#provider =
      opts.weakProvider === undefined
        ? nativeWeakProvider
        : weakProvider<WeakProvider>("weakProvider", opts.weakProvider);
    this.#deferred = this.#provider === nativeWeakProvider;
    this.#registry = this.#provider.finalizationRegistry<Entry<K, V>>((entry) =>
      this.#finalized(entry),
    );
    if (entries !== undefined && entries !== null) {
      if (typeof (entries as Partial<Iterable<unknown>>)[Symbol.iterator] !== "function") {
        throw new TypeError(`WeakValueMap entries must be iterable, got ${describe(entries)}`);
      }
      for (const pair of entries) {
        if (typeof pair !== "object" || pair === null) {
          throw new TypeError(
            `WeakValueMap entries must be [key, value] pairs, got ${describe(pair)}`,
          );
        }
        this.set(pair[0], pair[1]);
      }
    }
  }

  /**
   * Entries in the map, including those whose values were collected but whose finalizers have not
   * run yet (exact once they have). O(1).
   */
  get size(): number {
    return this.#map.size;
  }

  /**
   * The value for `key`, or `undefined` if there is none or it was collected. O(1).
   *
   * @example
   * ```ts
   * const s = sessions.get(id);
   * if (s) s.touch();
   * ```
   */
  get(key: K): V | undefined {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    const held = entry.strong;
    if (held !== undefined) return held;
    return this.#deref(entry);
  }

  /**
   * Whether `key` has a live value. O(1). Like `WeakRef.prototype.deref()`, it keeps the value
   * alive until the end of the current job.
   */
  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * Sets `key` to `value`, held weakly. O(1). With the native provider the `WeakRef` and the
   * finalization registration are made at the end of the current job, and not at all if the key is
   * set again or deleted within the job.
   *
   * @throws {TypeError} when `value` is not an object or function (a primitive cannot be held
   *   weakly); the map is unchanged.
   * @example
   * ```ts
   * registry.set("config", configObject).set("pool", pool);
   * ```
   */
  set(key: K, value: V): this {
    if (!isWeakable(value)) {
      throw new TypeError(
        `WeakValueMap values must be objects or functions (held weakly), got ${describe(value)}`,
      );
    }
    const map = this.#map;
    const old = map.get(key);
    if (old !== undefined) {
      if (old.strong === value) return this;
      kill(old);
    }
    const entry = new Entry<K, V>(key);
    if (this.#deferred) {
      this.#hold(entry, value);
    } else {
      entry.ref = this.#provider.weakRef(value);
      this.#registry.register(value, entry);
    }
    map.set(key, entry);
    return this;
  }

  /**
   * Removes `key`. Returns `true` if it had a live value. O(1).
   *
   * @example
   * ```ts
   * sessions.delete(id);
   * ```
   */
  delete(key: K): boolean {
    const entry = this.#map.get(key);
    if (entry === undefined) return false;
    const alive = entry.strong !== undefined || entry.ref?.deref() !== undefined;
    kill(entry);
    this.#map.delete(key);
    return alive;
  }

  /** Removes every entry. O(n). */
  clear(): void {
    for (const entry of this.#map.values()) kill(entry);
    this.#map.clear();
  }

  /**
   * `[key, value]` for every live entry, in insertion order. Values that are gone are skipped; the
   * map may be changed while iterating (same rules as `Map`).
   */
  *entries(): IterableIterator<[K, V]> {
    for (const entry of this.#map.values()) {
      const key = entry.key as K;
      const value = entry.strong ?? this.#deref(entry);
      if (value !== undefined) yield [key, value];
    }
  }

  /** Keys of live entries, in insertion order. */
  *keys(): IterableIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  /** Live values, in insertion order. */
  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  /** Same as {@link WeakValueMap.entries}. */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** Calls `callback(value, key, map)` for every live entry, in insertion order. */
  forEach(callback: (value: V, key: K, map: this) => void, thisArg?: unknown): void {
    if (typeof callback !== "function") {
      throw new TypeError(`forEach callback must be a function, got ${describe(callback)}`);
    }
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  get [Symbol.toStringTag](): string {
    return "WeakValueMap";
  }

  /** Reads a value through its weak reference; drops the entry if the value is gone. */
  #deref(entry: Entry<K, V>): V | undefined {
    const value = entry.ref?.deref();
    if (value === undefined) {
      // Collected; the finalizer has not run yet. Drop the entry now (it will find it dead).
      if (!entry.dead) {
        this.#map.delete(entry.key as K);
        kill(entry);
      }
      return undefined;
    }
    return value;
  }

  /** Holds `value` strongly until the end of the job (native provider; see the class notes). */
  #hold(entry: Entry<K, V>, value: V): void {
    entry.strong = value;
    this.#pending.push(entry);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#endOfJob);
    }
  }

  /** Runs in the job's microtask checkpoint, where the engine would release kept objects too. */
  readonly #endOfJob = (): void => {
    this.#scheduled = false;
    const pending = this.#pending;
    for (let i = 0; i < pending.length; i++) {
      const entry = pending[i]!;
      const value = entry.strong;
      if (value === undefined) continue;
      entry.strong = undefined;
      if (entry.ref === undefined && !entry.dead) {
        entry.ref = new WeakRef(value);
        this.#registry.register(value, entry);
      }
    }
    pending.length = 0;
  };

  /** Registry cleanup: remove the key only if the map still holds this very entry. */
  #finalized(entry: Entry<K, V>): void {
    if (entry.dead) return;
    const key = entry.key as K;
    if (this.#map.get(key) === entry) this.#map.delete(key);
    kill(entry);
  }
}

function kill<K, V extends object>(entry: Entry<K, V>): void {
  entry.dead = true;
  entry.key = undefined;
  entry.strong = undefined;
  entry.ref = undefined;
}
