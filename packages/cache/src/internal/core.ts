/**
 * The engine of WeakCache: an index from key to slot number (or to a weak-tier entry), keys and
 * values in slot arrays, recency as a doubly linked list in two typed arrays, bounds, TTL and
 * statistics. Plain fields, not `#private` ones: in V8 11 (Node 20) private-field access on this
 * hot path cost about 1.6× in the mixed benchmark; WeakCache keeps the whole core behind one
 * private field, so nothing here is reachable from outside the package.
 *
 * The index is a `Map`, except for two kinds of keys, each kept in a null-prototype object while
 * that is the cheaper side (measured in V8 11 and 13, 10,000 keys):
 *
 * - String keys while the cache mostly reads. A property load from a dictionary-mode object takes
 *   about half the time of `Map.get` (the engine compares internalized strings by pointer;
 *   `Map.get` dereferences every candidate key in its bucket chain), but a delete plus a new key
 *   costs about twice a `Map`'s (the dictionary rehashes as deleted entries pile up). So the core
 *   counts reads per removal and moves its string keys to the cheaper side.
 * - Array-index numbers (integers 0 to 2^32 - 1) while they are dense. V8 then stores them as an
 *   array: a lookup takes a third of `Map.get`, a delete plus a new key under half. Sparse, they
 *   would be a number dictionary whose churn costs 3.5 times a `Map`'s, so when the largest one seen
 *   is far above the number of entries (V8's own rule is about 1 in 14), they move to the `Map`.
 *
 * Reviews happen every `indexTuning.period` removals; a switch is O(entries).
 */
import type { Clock } from "../clock.ts";
import type { RemovalReason } from "../weak-cache.ts";
import { nativeWeakProvider, type WeakProvider } from "../weak-provider.ts";
import type { BudgetCore, MemberLink } from "./budget-core.ts";
import { ExpiryHeap } from "./expiry-heap.ts";
import { armTimer, disarmTimer, flushNotes, measureSize, purgeExpired } from "./upkeep.ts";
import { type WeakEntry, WeakTier } from "./weak-tier.ts";

export interface CoreConfig<K, V> {
  max: number;
  maxBytes: number;
  ttl: number;
  sizeOf: ((value: V, key: K) => number) | undefined;
  weak: boolean;
  onRemove: ((key: K, value: V | undefined, reason: RemovalReason) => void) | undefined;
  clock: Clock;
  provider: WeakProvider;
  budget: BudgetCore | undefined;
}

const INITIAL_SLOTS = 16;
/**
 * Up to this many slots (the 16-bit link range), the slot arrays are allocated at construction,
 * exactly `max` long (about 20 bytes a slot): measured in V8 11, a cache whose arrays grew while it
 * filled ran the mixed benchmark about 10 % slower than one allocated at once. Above it they grow.
 */
export const PREALLOCATE_UP_TO = 65_536;

/**
 * When the string-key index changes sides (see the module notes). Mutable for tests only.
 * Break-even measured in V8 11 and 13: about 5 reads per removal.
 */
export const indexTuning = {
  /** Index removals (evictions, deletes, expirations) between two reviews. */
  period: 4096,
  /** String keys: dictionary → Map when a window had fewer reads (get) than this per removal. */
  toMap: 3,
  /** String keys: Map → dictionary when a window had more reads than this per removal. */
  toDict: 8,
  /** Number keys stay in their object while the largest is below density × entries + slack. */
  density: 12,
  slack: 1024,
};

type Slot<K> = number | WeakEntry<K>;
type Dict<K> = Record<string, Slot<K> | undefined>;
type Nums<K> = Record<number, Slot<K> | undefined>;

function newDict<K>(): Dict<K> {
  // Object.create(null) is in dictionary mode from the start in V8; no prototype, so any string
  // (including "__proto__", "constructor", "1") is an ordinary own key.
  return Object.create(null) as Dict<K>;
}

/** Whether `key` is an array index (an integer 0 to 2^32 - 1; -0 counts as 0, as in a Map). */
function isIndex(key: unknown): key is number {
  return typeof key === "number" && key >>> 0 === key;
}
export const MAX_SLOTS = 2 ** 32 - 1;
type Links = Uint16Array | Uint32Array;

export class LruCore<K, V> {
  /** The index of every key, but string keys while `strings` is set and indexes while `ints` is. */
  map = new Map<K, Slot<K>>();
  /** The index of string keys while `strings` is set (a dictionary-mode object). */
  dict: Dict<K> = newDict<K>();
  /** String keys are indexed in `dict` (reads dominate) rather than `map` (churn dominates). */
  strings = true;
  /** The index of array-index number keys while `ints` is set (an object V8 keeps as an array). */
  nums: Nums<K> = newDict<K>();
  /** Array-index number keys are indexed in `nums` (they are dense) rather than `map`. */
  ints = true;
  /** The largest number key put in `nums`. */
  intMax = -1;
  /** Removals left until the next review of `strings`, and the reads counted at the last one. */
  reviewIn = indexTuning.period;
  readsAtReview = 0;
  keys: (K | undefined)[];
  vals: (V | undefined)[];
  /** prev[s]: the slot before s (toward the most recent); next[s]: the slot after it. */
  prev: Links;
  next: Links;
  head = -1;
  tail = -1;
  count = 0;
  used = 0;
  cap: number;
  readonly free: number[] = [];
  readonly max: number;
  readonly maxSlots: number;

  readonly sizeOf: ((value: V, key: K) => number) | undefined;
  readonly maxBytes: number;
  /** The largest size one entry may have: min(maxBytes, the budget's maxBytes). */
  readonly entryLimit: number;
  sizes: Float64Array | undefined;
  bytes = 0;

  readonly ttl: number;
  readonly heap: ExpiryHeap | undefined;
  readonly clock: Clock;
  timer: unknown = undefined;
  timerAt = Number.POSITIVE_INFINITY;

  readonly budget: BudgetCore | undefined;
  readonly link: MemberLink | undefined;
  stamps: Float64Array | undefined;

  /** ttl, sizes or a budget: hits and writes take the slower, complete path. */
  readonly extra: boolean;
  /** No extras, no weak tier, no onRemove: an eviction is just a Map delete. */
  readonly lean: boolean;
  /** Set by WeakCache while it is disposed or loads are in flight: writes take its slow path. */
  guard = false;
  readonly tier: WeakTier<K, V> | undefined;
  /**
   * A custom provider (tests, heap-sim) is the authority on liveness: strong-tier object values are
   * registered with it too, so an entry whose value it reports collected leaves whichever its tier.
   */
  readonly tracked: boolean;

  hits = 0;
  weakHits = 0;
  misses = 0;
  evictions = 0;
  expirations = 0;
  collected = 0;

  readonly onRemove: ((key: K, value: V | undefined, reason: RemovalReason) => void) | undefined;
  /** Removals to report: flat [key, value, reason] triples, delivered by flush(). */
  notes: unknown[] = [];

  constructor(config: CoreConfig<K, V>) {
    this.max = config.max;
    this.maxBytes = config.maxBytes;
    this.ttl = config.ttl;
    this.sizeOf = config.sizeOf;
    this.onRemove = config.onRemove;
    this.clock = config.clock;
    this.budget = config.budget;
    this.entryLimit = Math.min(this.maxBytes, this.budget?.maxBytes ?? Number.POSITIVE_INFINITY);
    this.maxSlots = Math.min(this.max, MAX_SLOTS);
    this.cap =
      this.maxSlots <= PREALLOCATE_UP_TO ? this.maxSlots : Math.min(INITIAL_SLOTS, this.maxSlots);
    this.keys = new Array<K | undefined>(this.cap);
    this.vals = new Array<V | undefined>(this.cap);
    this.prev = this.maxSlots <= 65_536 ? new Uint16Array(this.cap) : new Uint32Array(this.cap);
    this.next = this.maxSlots <= 65_536 ? new Uint16Array(this.cap) : new Uint32Array(this.cap);
    if (this.sizeOf !== undefined) this.sizes = new Float64Array(this.cap);
    this.heap = this.ttl !== 0 ? new ExpiryHeap(this.cap) : undefined;
    this.extra = this.ttl !== 0 || this.sizeOf !== undefined || this.budget !== undefined;
    this.tier = config.weak ? new WeakTier<K, V>(this, config.provider, this.ttl !== 0) : undefined;
    this.lean = !this.extra && this.tier === undefined && this.onRemove === undefined;
    this.tracked = this.tier !== undefined && config.provider !== nativeWeakProvider;
    if (this.budget !== undefined) {
      this.stamps = new Float64Array(this.cap);
      this.link = this.budget.join({
        oldestStamp: () => (this.tail < 0 ? Number.POSITIVE_INFINITY : this.stamps![this.tail]!),
        evictOldest: () => {
          this.evictTail(false);
        },
        flush: () => this.flush(),
      });
    }
  }

  get size(): number {
    return this.count + (this.tier === undefined ? 0 : this.tier.count);
  }

  // ── index ──────────────────────────────────────────────────────────────────────────────────

  /** The slot number or weak-tier entry of `key`. */
  find(key: K): Slot<K> | undefined {
    if (typeof key === "string") return this.strings ? this.dict[key] : this.map.get(key);
    return this.ints && isIndex(key) ? this.nums[key] : this.map.get(key);
  }

  put(key: K, slot: Slot<K>): void {
    if (typeof key === "string") {
      if (this.strings) this.dict[key] = slot;
      else this.map.set(key, slot);
    } else if (this.ints && isIndex(key)) {
      this.nums[key] = slot;
      if (key > this.intMax) this.intMax = key;
    } else this.map.set(key, slot);
  }

  drop(key: K): void {
    this.unindex(key);
    if (--this.reviewIn === 0) this.review();
  }

  /** Removes `key` from the index (no review). */
  unindex(key: K): void {
    if (typeof key === "string") {
      if (this.strings) delete this.dict[key];
      else this.map.delete(key);
    } else if (this.ints && isIndex(key)) delete this.nums[key];
    else this.map.delete(key);
  }

  /** Every `indexTuning.period` removals: moves string and number keys to the cheaper side. */
  review(): void {
    const { period, toMap, toDict, density, slack } = indexTuning;
    this.reviewIn = period;
    const reads = this.hits + this.weakHits + this.misses;
    const perRemoval = (reads - this.readsAtReview) / period;
    this.readsAtReview = reads;
    if (this.strings ? perRemoval < toMap : perRemoval > toDict) this.switchStrings();
    if (this.ints && this.intMax >= density * this.size + slack) this.switchInts();
  }

  /** Moves the string keys from the dictionary to the map, or back. O(entries). */
  switchStrings(): void {
    const map = new Map<K, Slot<K>>();
    const dict = newDict<K>();
    if (this.strings) {
      for (const [key, slot] of this.map) map.set(key, slot);
      for (const key in this.dict) map.set(key as K, this.dict[key]!);
    } else {
      for (const [key, slot] of this.map) {
        if (typeof key === "string") dict[key] = slot;
        else map.set(key, slot);
      }
    }
    this.map = map;
    this.dict = dict;
    this.strings = !this.strings;
  }

  /** Moves the number keys from their object to the map, for good (they are sparse). O(entries). */
  switchInts(): void {
    for (const key in this.nums)
      this.map.set(Number(key) as K, this.nums[key as unknown as number]!);
    this.nums = newDict<K>();
    this.ints = false;
  }

  /** Keys of the weak-tier entries (their order is unspecified). */
  weakKeys(): K[] {
    const keys: K[] = [];
    if (this.tier === undefined || this.tier.count === 0) return keys;
    for (const [key, slot] of this.map) if (typeof slot !== "number") keys.push(key);
    for (const key in this.dict) if (typeof this.dict[key] !== "number") keys.push(key as K);
    for (const key in this.nums) {
      const slot = this.nums[key as unknown as number];
      if (typeof slot !== "number") keys.push(Number(key) as K);
    }
    return keys;
  }

  // ── operations ─────────────────────────────────────────────────────────────────────────────

  get(key: K): V | undefined {
    const s = this.find(key);
    if (typeof s === "number") {
      if (s !== this.head) this.moveToHead(s);
      this.hits++;
      return this.vals[s];
    }
    if (s === undefined) {
      this.misses++;
      return undefined;
    }
    return this.tier!.hit(key, s);
  }

  getExtra(key: K, s: number): V | undefined {
    const heap = this.heap;
    if (heap !== undefined && heap.time[s]! <= this.clock.now()) {
      const value = this.vals[s];
      this.removeSlot(s);
      this.expirations++;
      this.misses++;
      this.note(key, value, "expire");
      this.flush();
      return undefined;
    }
    if (s !== this.head) this.moveToHead(s);
    if (this.stamps !== undefined) this.stamps[s] = ++this.budget!.tick;
    this.hits++;
    return this.vals[s];
  }

  peek(key: K): V | undefined {
    const s = this.find(key);
    if (s === undefined) return undefined;
    if (typeof s === "number") {
      const heap = this.heap;
      if (heap !== undefined && heap.time[s]! <= this.clock.now()) return undefined;
      return this.vals[s];
    }
    return this.tier!.peek(s);
  }

  set(key: K, value: V): void {
    const found = this.find(key);
    if (typeof found === "number" && this.vals[found] === value) {
      if (found !== this.head) this.moveToHead(found);
    } else this.setSlow(key, value, found);
  }

  /** set() of a new key, of another value, or over a weak-tier entry. */
  setSlow(key: K, value: V, s: Slot<K> | undefined): void {
    if (typeof s === "number") {
      this.replaceAndMove(s, key, value);
      return;
    }
    if (s === undefined) {
      if (this.tracked) this.insertTracked(key, value, 0, false);
      else this.insertSlot(key, value);
    } else {
      const record = this.tier!.replace(key, s, value);
      if (record !== undefined) this.tier!.attach(this.insertSlot(key, value), record);
      else if (this.tracked) this.insertTracked(key, value, 0, false);
      else this.insertSlot(key, value);
    }
    if (this.notes.length !== 0) this.flush();
  }

  /** set() with ttl, sizes or a budget: the size is measured (and may be refused) first. */
  setExtra(key: K, value: V): void {
    const size = this.sizeOf === undefined ? 0 : this.measure(key, value);
    const s = this.find(key);
    if (typeof s === "number") {
      if (this.vals[s] !== value) this.replaceValue(s, key, value);
      if (s !== this.head) this.moveToHead(s);
      this.refresh(s, size);
    } else {
      const record = s === undefined ? undefined : this.tier!.replace(key, s, value);
      if (record !== undefined) this.tier!.attach(this.insert(key, value, size), record);
      else if (this.tracked) this.insertTracked(key, value, size, true);
      else this.insert(key, value, size);
    }
    if (this.notes.length !== 0) this.flush();
  }

  delete(key: K): boolean {
    const s = this.find(key);
    if (s === undefined) return false;
    let removed: boolean;
    if (typeof s === "number") {
      const value = this.vals[s];
      const expired = this.heap !== undefined && this.heap.time[s]! <= this.clock.now();
      this.removeSlot(s);
      if (expired) this.expirations++;
      this.note(key, value, expired ? "expire" : "delete");
      removed = !expired;
    } else {
      removed = this.tier!.remove(key, s, "delete");
    }
    this.flush();
    return removed;
  }

  clear(): void {
    const heap = this.heap;
    const now = heap === undefined ? 0 : this.clock.now();
    while (this.head >= 0) {
      const s = this.head;
      const key = this.keys[s] as K;
      const value = this.vals[s];
      const expired = heap !== undefined && heap.time[s]! <= now;
      this.removeSlot(s);
      if (expired) this.expirations++;
      this.note(key, value, expired ? "expire" : "delete");
    }
    this.tier?.clear();
    this.disarm();
    this.flush();
  }

  /** Keys of the strong tier from most to least recent, then of the weak tier. */
  keySnapshot(): K[] {
    const keys: K[] = [];
    for (let s = this.head, n = this.count; n > 0; n--, s = this.next[s]!) {
      keys.push(this.keys[s] as K);
    }
    for (const key of this.weakKeys()) keys.push(key);
    return keys;
  }

  purgeExpired(): number {
    return purgeExpired(this);
  }

  // ── strong tier ────────────────────────────────────────────────────────────────────────────

  moveToHead(s: number): void {
    const prevs = this.prev;
    const nexts = this.next;
    const before = prevs[s]!;
    const after = nexts[s]!;
    nexts[before] = after;
    if (s === this.tail) this.tail = before;
    else prevs[after] = before;
    const head = this.head;
    nexts[s] = head;
    prevs[head] = s;
    this.head = s;
  }

  unlink(s: number): void {
    if (s === this.head) {
      if (s === this.tail) {
        this.head = -1;
        this.tail = -1;
      } else {
        this.head = this.next[s]!;
      }
    } else if (s === this.tail) {
      this.tail = this.prev[s]!;
    } else {
      const before = this.prev[s]!;
      const after = this.next[s]!;
      this.next[before] = after;
      this.prev[after] = before;
    }
  }

  /** Puts `key` → `value` in a slot at the head (evicting at max); returns the slot. */
  insert(key: K, value: V, size: number): number {
    const s = this.insertSlot(key, value);
    if (this.extra) this.place(s, size, this.ttl === 0 ? 0 : this.clock.now() + this.ttl);
    return s;
  }

  /** insertSlot()/insert() of a value registered with the custom provider first. */
  insertTracked(key: K, value: V, size: number, extra: boolean): void {
    const record = this.tier!.record(key, value);
    const slot = extra ? this.insert(key, value, size) : this.insertSlot(key, value);
    if (record !== undefined) this.tier!.attach(slot, record);
  }

  /** A weak-tier entry comes back to the strong tier (a weak hit). */
  promote(key: K, value: V, entry: WeakEntry<K>): void {
    const s = this.insertSlot(key, value);
    this.tier!.attach(s, entry);
    if (this.extra) this.place(s, entry.size, entry.expires);
  }

  /** insert() without expiry and size bookkeeping. */
  insertSlot(key: K, value: V): number {
    let s: number;
    if (this.count < this.max) {
      if (this.free.length !== 0) s = this.free.pop()!;
      else {
        if (this.used === this.cap) this.grow();
        s = this.used++;
      }
      this.count++;
    } else if (this.lean) {
      // The common eviction, inlined: drop the least recently used key and reuse its slot.
      s = this.tail;
      this.tail = this.prev[s]!;
      this.drop(this.keys[s] as K);
      this.evictions++;
    } else {
      s = this.evictTail(true);
      this.count++;
    }
    this.keys[s] = key;
    this.vals[s] = value;
    this.put(key, s);
    const head = this.head;
    if (head < 0 || head === s) this.tail = s;
    else {
      this.prev[head] = s;
      this.next[s] = head;
    }
    this.head = s;
    return s;
  }

  /** Expiry, size and budget stamp of the new head slot `s`; enforces the byte bounds. */
  place(s: number, size: number, expires: number): void {
    if (this.heap !== undefined) this.setExpiry(s, expires);
    if (this.sizes !== undefined) this.account(s, size);
  }

  /** `set` found slot `s` (already the head): new expiry and size. */
  refresh(s: number, size: number): void {
    if (this.heap !== undefined) this.setExpiry(s, this.clock.now() + this.ttl);
    if (this.sizes !== undefined) {
      const before = this.sizes[s]!;
      this.bytes -= before;
      if (this.link !== undefined) {
        this.link.bytes -= before;
        this.budget!.bytes -= before;
      }
      this.account(s, size);
    }
  }

  /** `set` gives slot `s` another value: the old one leaves with reason "set" (or "expire"). */
  replaceValue(s: number, key: K, value: V): void {
    const old = this.vals[s];
    const record = this.tracked ? this.tier!.record(key, value) : undefined;
    this.vals[s] = value;
    this.tier?.forget(s);
    if (record !== undefined) this.tier!.attach(s, record);
    const expired = this.heap !== undefined && this.heap.time[s]! <= this.clock.now();
    if (expired) this.expirations++;
    this.note(key, old, expired ? "expire" : "set");
  }

  /** set() of a known key `s` to another value: replaced, made the most recent, reported. */
  replaceAndMove(s: number, key: K, value: V): void {
    this.replaceValue(s, key, value);
    if (s !== this.head) this.moveToHead(s);
    this.flush();
  }

  grow(): void {
    const cap = Math.min(Math.max(this.cap * 2, INITIAL_SLOTS), this.maxSlots);
    const keys = new Array<K | undefined>(cap);
    const vals = new Array<V | undefined>(cap);
    for (let i = 0; i < this.used; i++) {
      keys[i] = this.keys[i];
      vals[i] = this.vals[i];
    }
    this.keys = keys;
    this.vals = vals;
    this.prev = growLinks(this.prev, cap);
    this.next = growLinks(this.next, cap);
    if (this.sizes !== undefined) this.sizes = growFloat(this.sizes, cap);
    if (this.stamps !== undefined) this.stamps = growFloat(this.stamps, cap);
    this.heap?.grow(cap);
    this.tier?.grow(cap);
    this.cap = cap;
  }

  /** Records the size (and stamp) of the head slot `s` and enforces the byte bounds. */
  account(s: number, size: number): void {
    this.sizes![s] = size;
    this.bytes += size;
    while (this.bytes > this.maxBytes && this.tail !== s) this.evictTail(false);
    const budget = this.budget;
    if (budget !== undefined) {
      this.stamps![s] = ++budget.tick;
      this.link!.bytes += size;
      budget.bytes += size;
      if (budget.bytes > budget.maxBytes) budget.shrinkTo(budget.maxBytes);
    }
  }

  setExpiry(s: number, at: number): void {
    this.heap!.set(s, at);
    if (at < this.timerAt) this.arm(at);
  }

  /**
   * Takes the least recently used entry out of the strong tier: into the weak tier when allowed,
   * else dropped with onRemove(…, "evict"). Returns its slot, freed unless `reuse`.
   */
  evictTail(reuse: boolean): number {
    const s = this.tail;
    const key = this.keys[s] as K;
    const value = this.vals[s] as V;
    if (s === this.head) {
      this.head = -1;
      this.tail = -1;
    } else {
      this.tail = this.prev[s]!;
    }
    this.count--;
    this.evictions++;
    const tier = this.tier;
    if (this.extra || tier !== undefined) {
      const expires = this.heap === undefined ? Number.POSITIVE_INFINITY : this.heap.time[s]!;
      const size = this.extra ? this.release(s) : 0;
      if (tier?.admits(s, value, size)) {
        tier.demote(s, key, value as V & object, size, expires);
      } else {
        this.drop(key);
        tier?.forget(s);
        if (this.onRemove !== undefined) this.notes.push(key, value, "evict");
      }
    } else {
      this.drop(key);
      if (this.onRemove !== undefined) this.notes.push(key, value, "evict");
    }
    if (!reuse) {
      this.keys[s] = undefined;
      this.vals[s] = undefined;
      this.free.push(s);
    }
    return s;
  }

  /** Removes slot `s` from the strong tier and the map (no note). */
  removeSlot(s: number): void {
    this.drop(this.keys[s] as K);
    this.unlink(s);
    this.count--;
    if (this.extra) this.release(s);
    this.tier?.forget(s);
    this.keys[s] = undefined;
    this.vals[s] = undefined;
    this.free.push(s);
  }

  /** Returns the expiry, bytes and budget share of slot `s`; returns the slot's size. */
  release(s: number): number {
    this.heap?.delete(s);
    if (this.sizes === undefined) return 0;
    const size = this.sizes[s]!;
    this.bytes -= size;
    if (this.link !== undefined) {
      this.link.bytes -= size;
      this.budget!.bytes -= size;
    }
    return size;
  }

  // ── time, sizes and notifications (./upkeep.ts) ─────────────────────────────────────────────

  arm(at: number): void {
    armTimer(this, at);
  }

  disarm(): void {
    disarmTimer(this);
  }

  measure(key: K, value: V): number {
    return measureSize(this, key, value);
  }

  note(key: K, value: V | undefined, reason: RemovalReason): void {
    if (this.onRemove !== undefined) this.notes.push(key, value, reason);
  }

  flush(): void {
    if (this.notes.length !== 0) flushNotes(this);
  }
}

function growLinks(array: Links, cap: number): Links {
  const grown = array instanceof Uint16Array ? new Uint16Array(cap) : new Uint32Array(cap);
  grown.set(array);
  return grown;
}

function growFloat(array: Float64Array, cap: number): Float64Array {
  const grown = new Float64Array(cap);
  grown.set(array);
  return grown;
}

/**
 * The core of a cache with ttl, sizes or a budget: its hits check the expiry and stamp the budget,
 * its writes measure the size first. A separate class, so that the plain core's hot paths carry no
 * test for these features.
 */
export class ExtraCore<K, V> extends LruCore<K, V> {
  override get(key: K): V | undefined {
    const s = this.find(key);
    if (typeof s === "number") return this.getExtra(key, s);
    if (s === undefined) {
      this.misses++;
      return undefined;
    }
    return this.tier!.hit(key, s);
  }

  override set(key: K, value: V): void {
    this.setExtra(key, value);
  }
}

/**
 * The core of a cache with neither a weak tier, nor onRemove, nor ttl, sizes or a budget: a set is
 * an index lookup, and for a new key in a full cache the least recently used slot takes it. Its
 * set() is small and has no calls on its common paths, so that TurboFan inlines it whole into the
 * caller's loop, whatever feedback it saw first (a cache fills before it evicts: with the fill and
 * the eviction in shared helpers, the eviction was found left out of code optimized while filling).
 */
export class LeanCore<K, V> extends LruCore<K, V> {
  override get(key: K): V | undefined {
    const s = (this.ints && isIndex(key) ? this.nums[key] : this.find(key)) as number | undefined;
    if (s === undefined) {
      this.misses++;
      return undefined;
    }
    if (s !== this.head) this.moveToHead(s);
    this.hits++;
    return this.vals[s];
  }

  override set(key: K, value: V): void {
    const found = this.find(key) as number | undefined; // no weak tier: slots only
    if (found !== undefined) {
      this.vals[found] = value;
      if (found !== this.head) this.moveToHead(found);
      return;
    }
    if (this.count !== this.max) {
      this.fill(key, value);
      return;
    }
    const s = this.tail;
    this.unindex(this.keys[s] as K);
    this.evictions++;
    this.keys[s] = key;
    this.vals[s] = value;
    this.put(key, s);
    if (s !== this.head) this.moveToHead(s);
    if (--this.reviewIn === 0) this.review();
  }

  /** A new key in a cache that is not full: a free or new slot at the head. */
  fill(key: K, value: V): void {
    let s: number;
    if (this.free.length !== 0) s = this.free.pop()!;
    else {
      if (this.used === this.cap) this.grow();
      s = this.used++;
    }
    this.count++;
    this.keys[s] = key;
    this.vals[s] = value;
    this.put(key, s);
    const head = this.head;
    if (head < 0) this.tail = s;
    else {
      this.prev[head] = s;
      this.next[s] = head;
    }
    this.head = s;
  }
}
