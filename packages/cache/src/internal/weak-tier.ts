/**
 * The weak tier of a WeakCache: entries evicted from the strong tier whose values are objects stay
 * reachable through a weak reference until the program drops them. Lives beside the core (same
 * Map, keys mapping to a WeakEntry instead of a slot number) and is only reached on slower paths:
 * evictions, weak hits, finalizers.
 */
import type { RemovalReason } from "../weak-cache.ts";
import {
  type FinalizationRegistryLike,
  nativeWeakProvider,
  type WeakProvider,
  type WeakRefLike,
} from "../weak-provider.ts";
import type { LruCore } from "./core.ts";
import { EntryHeap } from "./entry-heap.ts";
import { GuardedRegistry } from "./guarded-registry.ts";
import { StaleTracker } from "./stale.ts";
import { isWeakable } from "./validate.ts";

/** A weak-tier record: the key, a weak reference to the value, and what the strong tier knew. */
export class WeakEntry<K> {
  key: K | undefined;
  ref: WeakRefLike<object> | undefined;
  size = 0;
  expires = Number.POSITIVE_INFINITY;
  /** Position in the weak expiry heap (ttl only), -1 when not in it. */
  index = -1;
  /** Replaced, removed or collected: its registration's late cleanup must do nothing. */
  dead = false;
  constructor(key: K, ref: WeakRefLike<object>) {
    this.key = key;
    this.ref = ref;
  }
}

function kill<K>(entry: WeakEntry<K>): void {
  entry.dead = true;
  entry.key = undefined;
  entry.ref = undefined;
}

export class WeakTier<K, V> {
  /** Entries in the weak tier now (including collected ones whose finalizer has not run). */
  count = 0;
  readonly #core: LruCore<K, V>;
  readonly #provider: WeakProvider;
  #registry: FinalizationRegistryLike<WeakEntry<K>> | undefined;
  /**
   * The weak record of each promoted slot, reused when it is evicted again: one WeakRef and one
   * registration per (key, value) for as long as the value stays.
   */
  #records: (WeakEntry<K> | undefined)[] | undefined;
  readonly #heap: EntryHeap<WeakEntry<K>> | undefined;
  /** Native provider: a new WeakRef keeps its target alive until the job ends (AddToKeptObjects). */
  readonly #kept: boolean;
  #jobNew = 0;
  #jobBytes = 0;
  #jobScheduled = false;
  /** Watches registrations left behind by killed records (see stale.ts); tokens are the records. */
  readonly #stale: StaleTracker;

  constructor(core: LruCore<K, V>, provider: WeakProvider, ttl: boolean) {
    this.#core = core;
    this.#provider = provider;
    this.#kept = provider === nativeWeakProvider;
    this.#stale = new StaleTracker(this.#kept);
    this.#heap = ttl ? new EntryHeap<WeakEntry<K>>() : undefined;
  }

  /**
   * Whether evicted slot `s` (holding `value` of `size` bytes) may enter the weak tier: objects only
   * and, with the native provider, at most `max` new weak references (and `maxBytes` bytes) per job,
   * since each keeps its target alive until the job ends. A slot with a record needs no new one.
   */
  admits(s: number, value: unknown, size: number): boolean {
    if (!isWeakable(value)) return false;
    if (this.#records?.[s] !== undefined) return true; // no new weak reference needed
    if (!this.#kept) return false; // a custom provider refused this value (see record)
    const core = this.#core;
    if (this.#jobNew >= core.max || this.#jobBytes + size > core.entryLimit) return false;
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

  /** Moves evicted slot `s` into the weak tier. */
  demote(s: number, key: K, value: object, size: number, expires: number): void {
    let entry = this.#records?.[s];
    if (entry === undefined) {
      entry = this.#newEntry(key, value);
    } else {
      this.#records![s] = undefined;
    }
    entry.size = size;
    entry.expires = expires;
    this.#core.put(key, entry);
    this.count++;
    this.#heap?.push(entry);
  }

  /**
   * Custom providers: a record for a strong-tier value (a weak reference and a registration), so
   * that the provider reporting the value collected removes the entry (see `collected`). Undefined
   * for a value that cannot be held weakly: a primitive, or one the provider refuses (heap-sim
   * refuses what CPython cannot weakly reference); such a value lives in the strong tier only.
   */
  record(key: K, value: unknown): WeakEntry<K> | undefined {
    if (!isWeakable(value)) return undefined;
    let entry: WeakEntry<K>;
    try {
      entry = this.#newEntry(key, value);
    } catch {
      return undefined;
    }
    return entry;
  }

  /** Slot `s` keeps `entry` as its record (promotion, the same value set again, a new record). */
  attach(s: number, entry: WeakEntry<K>): void {
    if (entry.dead) return; // its value was reported collected meanwhile
    if (this.#records === undefined) this.#records = new Array(this.#core.cap);
    this.#records[s] = entry;
  }

  /** The value of slot `s` is being replaced or dropped: its record is dead. */
  forget(s: number): void {
    const records = this.#records;
    if (records === undefined) return;
    const entry = records[s];
    if (entry !== undefined) {
      this.#retire(entry);
      records[s] = undefined;
    }
  }

  grow(cap: number): void {
    if (this.#records !== undefined) this.#records.length = cap;
  }

  /** A get found `entry`: promote it if its value is alive and unexpired, else remove it. */
  hit(key: K, entry: WeakEntry<K>): V | undefined {
    const core = this.#core;
    const value = entry.ref!.deref() as V | undefined;
    if (value === undefined || (core.ttl !== 0 && entry.expires <= core.clock.now())) {
      this.remove(key, entry, "delete");
      core.misses++;
      core.flush();
      return undefined;
    }
    this.#unlist(key, entry);
    core.promote(key, value, entry);
    core.weakHits++;
    if (core.notes.length !== 0) core.flush();
    return value;
  }

  /** The value of `entry` without promoting it, or undefined when gone or expired. */
  peek(entry: WeakEntry<K>): V | undefined {
    const core = this.#core;
    if (core.ttl !== 0 && entry.expires <= core.clock.now()) return undefined;
    return entry.ref?.deref() as V | undefined;
  }

  /**
   * Removes `entry` of `key`. Its value decides the reason: gone → "collected", expired → "expire",
   * else `reason`. Returns whether it had a live, unexpired value.
   */
  remove(key: K, entry: WeakEntry<K>, reason: RemovalReason): boolean {
    const core = this.#core;
    const value = entry.ref?.deref() as V | undefined;
    this.#unlist(key, entry);
    if (value === undefined) {
      kill(entry); // its cleanup is on its way
      core.collected++;
      core.note(key, undefined, "collected");
      return false;
    }
    this.#retire(entry);
    if (core.ttl !== 0 && entry.expires <= core.clock.now()) {
      core.expirations++;
      core.note(key, value, "expire");
      return false;
    }
    core.note(key, value, reason);
    return true;
  }

  /**
   * `set(key, value)` over weak `entry`: the same value again keeps the record (returned, for the
   * new strong slot); another value removes the entry with reason "set".
   */
  replace(key: K, entry: WeakEntry<K>, value: V): WeakEntry<K> | undefined {
    if (entry.ref?.deref() === value) {
      this.#unlist(key, entry);
      return entry;
    }
    this.remove(key, entry, "set");
    return undefined;
  }

  /** Removes every weak entry ("delete", or "expire"/"collected" per its value). */
  clear(): void {
    const core = this.#core;
    for (const key of core.weakKeys()) {
      const entry = core.find(key);
      if (entry !== undefined && typeof entry !== "number") this.remove(key, entry, "delete");
    }
  }

  /** Removes the weak entries expired at `now`; returns how many. */
  purge(now: number): number {
    const heap = this.#heap;
    if (heap === undefined) return 0;
    let removed = 0;
    while (heap.length !== 0 && heap.peekTime() <= now) {
      const entry = heap.peek()!;
      this.remove(entry.key as K, entry, "expire");
      removed++;
    }
    return removed;
  }

  /** The earliest weak-tier expiry, or Infinity. */
  nextExpiry(): number {
    return this.#heap === undefined ? Number.POSITIVE_INFINITY : this.#heap.peekTime();
  }

  #makeRegistry(): FinalizationRegistryLike<WeakEntry<K>> {
    if (!this.#kept) {
      return this.#provider.finalizationRegistry<WeakEntry<K>>((e) => this.collected(e));
    }
    // Held weakly by its cleanup, kept alive by the guard until its last registration is done.
    const owner = new WeakRef(this);
    return new GuardedRegistry<WeakEntry<K>>((e) => owner.deref()?.collected(e));
  }

  /** Kills `entry`, whose value may be alive: its registration is cancelled or watched (stale.ts). */
  #retire(entry: WeakEntry<K>): void {
    const ref = entry.ref;
    kill(entry);
    if (ref !== undefined && this.#stale.due()) this.#stale.letGo(this.#registry!, entry, ref);
  }

  /** A record for `value` under `key`: a weak reference and a registration (the record is its token). */
  #newEntry(key: K, value: object): WeakEntry<K> {
    const entry = new WeakEntry(key, this.#provider.weakRef(value));
    this.#registry ??= this.#makeRegistry();
    this.#registry.register(value, entry, this.#stale.tokens ? entry : undefined);
    return entry;
  }

  /** Takes `entry` out of the map, the count and the expiry heap (not killing it). */
  #unlist(key: K, entry: WeakEntry<K>): void {
    this.#core.drop(key);
    this.count--;
    this.#heap?.delete(entry);
  }

  /** Registry cleanup: the value of `entry` was collected. */
  collected(entry: WeakEntry<K>): void {
    if (entry.dead) return;
    const core = this.#core;
    const key = entry.key as K;
    const current = core.find(key);
    if (current === entry) {
      this.#unlist(key, entry);
    } else if (typeof current === "number" && this.#records?.[current] === entry) {
      // A custom provider reported a value the strong tier still holds as collected.
      core.removeSlot(current);
    } else {
      kill(entry);
      return;
    }
    kill(entry);
    core.collected++;
    core.note(key, undefined, "collected");
    core.flush();
  }
}
