/**
 * The anatomy of an exact LRU's cost, for lru-anatomy.bench.ts: mnemonist's `LRUCache` algorithm
 * written out (step 0), then what `WeakCache` adds to it, one thing per step. Bench code only:
 * these classes validate nothing and are not part of the package.
 *
 * - Step 0: an index object, key and value arrays, two `Uint16Array` links (mnemonist's layout).
 *   Correct only for keys whose string forms differ (1 and "1" are one key).
 * - Step 1: a null-prototype index (so that "__proto__" or "constructor" are ordinary keys) and the
 *   hit, miss and eviction counters that `stats()` reports.
 * - Step 2: the key-type dispatch one cache needs to take strings, array-index numbers and any
 *   other key (objects, negative or fractional numbers) without confusing 1 with "1": those others
 *   go in a `Map`, as in `WeakCache`.
 * - Step 3: step 2 behind one private field, as `WeakCache` keeps its core (its `set` also refuses
 *   `undefined`).
 *
 * Steps 0, 1 and 2 are separate classes, not subclasses: a method inherited by several classes
 * would see several receiver shapes in one process and run polymorphically, which is a cost none of
 * them has on its own.
 */

type Slot = number;

/** Step 0: mnemonist's `LRUCache` algorithm. */
export class MinimalLru<K, V> {
  readonly capacity: number;
  readonly forward: Uint16Array;
  readonly backward: Uint16Array;
  readonly keys: (K | undefined)[];
  readonly vals: (V | undefined)[];
  readonly items: Record<PropertyKey, Slot | undefined> = {};
  size = 0;
  head = 0;
  tail = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.forward = new Uint16Array(capacity);
    this.backward = new Uint16Array(capacity);
    this.keys = new Array<K | undefined>(capacity);
    this.vals = new Array<V | undefined>(capacity);
  }

  touch(p: Slot): void {
    const head = this.head;
    if (head === p) return;
    const before = this.backward[p]!;
    const after = this.forward[p]!;
    if (this.tail === p) this.tail = before;
    else this.backward[after] = before;
    this.forward[before] = after;
    this.backward[head] = p;
    this.forward[p] = head;
    this.head = p;
  }

  lookup(key: K): Slot | undefined {
    return this.items[key as PropertyKey];
  }

  index(key: K, p: Slot): void {
    this.items[key as PropertyKey] = p;
  }

  unindex(key: K): void {
    delete this.items[key as PropertyKey];
  }

  get(key: K): V | undefined {
    const p = this.lookup(key);
    if (p === undefined) {
      return undefined;
    }
    this.touch(p);
    return this.vals[p];
  }

  set(key: K, value: V): void {
    let p = this.lookup(key);
    if (p !== undefined) {
      this.touch(p);
      this.vals[p] = value;
      return;
    }
    if (this.size < this.capacity) p = this.size++;
    else {
      p = this.tail;
      this.tail = this.backward[p]!;
      this.unindex(this.keys[p] as K);
    }
    this.index(key, p);
    this.keys[p] = key;
    this.vals[p] = value;
    this.forward[p] = this.head;
    this.backward[this.head] = p;
    this.head = p;
  }
}

/** Step 1: a null-prototype index and the counters of `stats()`. */
export class CountingLru<K, V> {
  readonly capacity: number;
  readonly forward: Uint16Array;
  readonly backward: Uint16Array;
  readonly keys: (K | undefined)[];
  readonly vals: (V | undefined)[];
  readonly items = Object.create(null) as Record<PropertyKey, Slot | undefined>;
  size = 0;
  head = 0;
  tail = 0;
  hits = 0;
  misses = 0;
  evictions = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.forward = new Uint16Array(capacity);
    this.backward = new Uint16Array(capacity);
    this.keys = new Array<K | undefined>(capacity);
    this.vals = new Array<V | undefined>(capacity);
  }

  touch(p: Slot): void {
    const head = this.head;
    if (head === p) return;
    const before = this.backward[p]!;
    const after = this.forward[p]!;
    if (this.tail === p) this.tail = before;
    else this.backward[after] = before;
    this.forward[before] = after;
    this.backward[head] = p;
    this.forward[p] = head;
    this.head = p;
  }

  lookup(key: K): Slot | undefined {
    return this.items[key as PropertyKey];
  }

  index(key: K, p: Slot): void {
    this.items[key as PropertyKey] = p;
  }

  unindex(key: K): void {
    delete this.items[key as PropertyKey];
  }

  get(key: K): V | undefined {
    const p = this.lookup(key);
    if (p === undefined) {
      this.misses++;
      return undefined;
    }
    this.touch(p);
    this.hits++;
    return this.vals[p];
  }

  set(key: K, value: V): void {
    let p = this.lookup(key);
    if (p !== undefined) {
      this.touch(p);
      this.vals[p] = value;
      return;
    }
    if (this.size < this.capacity) p = this.size++;
    else {
      p = this.tail;
      this.tail = this.backward[p]!;
      this.unindex(this.keys[p] as K);
      this.evictions++;
    }
    this.index(key, p);
    this.keys[p] = key;
    this.vals[p] = value;
    this.forward[p] = this.head;
    this.backward[this.head] = p;
    this.head = p;
  }
}

const isIndex = (key: unknown): key is number => typeof key === "number" && key >>> 0 === key;

/** Step 2: strings in a dictionary, array-index numbers in an array-like object, other keys in a `Map`. */
export class DispatchingLru<K, V> {
  readonly capacity: number;
  readonly forward: Uint16Array;
  readonly backward: Uint16Array;
  readonly keys: (K | undefined)[];
  readonly vals: (V | undefined)[];
  readonly dict = Object.create(null) as Record<string, Slot | undefined>;
  readonly nums = Object.create(null) as Record<number, Slot | undefined>;
  readonly map = new Map<K, Slot>();
  size = 0;
  head = 0;
  tail = 0;
  hits = 0;
  misses = 0;
  evictions = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.forward = new Uint16Array(capacity);
    this.backward = new Uint16Array(capacity);
    this.keys = new Array<K | undefined>(capacity);
    this.vals = new Array<V | undefined>(capacity);
  }

  touch(p: Slot): void {
    const head = this.head;
    if (head === p) return;
    const before = this.backward[p]!;
    const after = this.forward[p]!;
    if (this.tail === p) this.tail = before;
    else this.backward[after] = before;
    this.forward[before] = after;
    this.backward[head] = p;
    this.forward[p] = head;
    this.head = p;
  }

  lookup(key: K): Slot | undefined {
    if (typeof key === "string") return this.dict[key];
    return isIndex(key) ? this.nums[key] : this.map.get(key);
  }

  index(key: K, p: Slot): void {
    if (typeof key === "string") this.dict[key] = p;
    else if (isIndex(key)) this.nums[key] = p;
    else this.map.set(key, p);
  }

  unindex(key: K): void {
    if (typeof key === "string") delete this.dict[key];
    else if (isIndex(key)) delete this.nums[key];
    else this.map.delete(key);
  }

  get(key: K): V | undefined {
    const p = this.lookup(key);
    if (p === undefined) {
      this.misses++;
      return undefined;
    }
    this.touch(p);
    this.hits++;
    return this.vals[p];
  }

  set(key: K, value: V): void {
    let p = this.lookup(key);
    if (p !== undefined) {
      this.touch(p);
      this.vals[p] = value;
      return;
    }
    if (this.size < this.capacity) p = this.size++;
    else {
      p = this.tail;
      this.tail = this.backward[p]!;
      this.unindex(this.keys[p] as K);
      this.evictions++;
    }
    this.index(key, p);
    this.keys[p] = key;
    this.vals[p] = value;
    this.forward[p] = this.head;
    this.backward[this.head] = p;
    this.head = p;
  }
}

/** Step 3: step 2 behind one private field. */
export class WrappedLru<K, V> {
  readonly #core: DispatchingLru<K, V>;

  constructor(capacity: number) {
    this.#core = new DispatchingLru<K, V>(capacity);
  }

  get(key: K): V | undefined {
    return this.#core.get(key);
  }

  set(key: K, value: V): this {
    if (value === undefined) throw new TypeError("value must not be undefined");
    this.#core.set(key, value);
    return this;
  }
}
