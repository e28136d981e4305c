import {
  options as checkOptions,
  describe,
  isWeakable,
  weakProvider,
} from "./internal/validate.ts";
import { WeakValueCore } from "./internal/weak-value-core.ts";
import { nativeWeakProvider, type WeakProvider } from "./weak-provider.ts";

/**
 * Options of {@link WeakValueMap}.
 *
 * @example
 * ```ts
 * new WeakValueMap<string, Session>(null, { weakProvider: new TestWeakProvider() });
 * ```
 */
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
 * - A late finalizer never deletes a key that was set again meanwhile: the cleanup removes the key
 *   only if the reference the map holds for it now is dead (Python's `_remove_dead_weakref`).
 * - Iterating while values die is safe (Python's bug #79796 / bpo-35615): iteration follows `Map`
 *   semantics (entries deleted meanwhile are skipped, none is visited twice) and skips values that
 *   are gone.
 *
 * Cost: `get` is a `Map` lookup plus one `deref()`; the map stores the `WeakRef` itself (no record
 * per entry), as lean as a hand-written Map of WeakRef. With the native provider a value `set` in
 * the current job is stored as it is (held strongly) until the job's microtask checkpoint, where its
 * `WeakRef` and finalization registration are made, only if the key still maps to it. ECMA-262
 * keeps the target of a `WeakRef` created in a job alive until the job ends anyway
 * (AddToKeptObjects), so this changes no lifetime; it saves the weak bookkeeping for values
 * overwritten or deleted within the job, and reads of values set in the job skip `deref()`, which
 * in V8 adds its target to the job's kept-objects set (a runtime call and a hash-set insertion on
 * every read). Each registration holds its key until its value is collected (like Python's
 * `KeyedRef`).
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
  /** All state lives in the core (plain fields: fast); this one private field hides it. */
  readonly #core: WeakValueCore<K, V>;

  /**
   * @param entries initial `[key, value]` pairs, set in order (a bad value throws a `TypeError`).
   * @param options see {@link WeakValueMapOptions}.
   */
  constructor(entries?: Iterable<readonly [K, V]> | null, options?: WeakValueMapOptions) {
    const opts = checkOptions("WeakValueMap", options, KNOWN);
    this.#core = new WeakValueCore<K, V>(
      opts.weakProvider === undefined
        ? nativeWeakProvider
        : weakProvider<WeakProvider>("weakProvider", opts.weakProvider),
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
    return this.#core.map.size;
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
    return this.#core.get(key);
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
    this.#core.set(key, value);
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
    return this.#core.delete(key);
  }

  /** Removes every entry. O(n). */
  clear(): void {
    this.#core.clear();
  }

  /**
   * `[key, value]` for every live entry, in insertion order. Values that are gone are skipped; the
   * map may be changed while iterating (same rules as `Map`).
   */
  *entries(): IterableIterator<[K, V]> {
    const core = this.#core;
    const map = core.map;
    for (const [key, entry] of map) {
      const value = core.valueOf(entry);
      if (value === undefined) map.delete(key);
      else yield [key, value];
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
}
