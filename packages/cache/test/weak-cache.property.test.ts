/**
 * WeakCache against a simple model: the strong tier as an array in recency order, the weak tier as a
 * Map, a clock, and a deterministic weak provider that decides which values are collected. Every
 * step compares the returned value, the onRemove notifications (as a multiset per step), size and
 * every counter of stats(). Keys mix strings (including "__proto__", "constructor" and the
 * index-like "1") and numbers (1 beside "1", 2^32 - 1, -1, 1.5), and each run picks how eagerly the
 * core moves its keys between its indexes (objects / Map), so every operation is also checked
 * across index switches.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type RemovalReason, WeakCache, type WeakCacheStats } from "../src/index.ts";
import { indexTuning, LruCore } from "../src/internal/core.ts";
import { ManualClock, TestWeakProvider } from "../src/testing.ts";

type Value = number | { id: number; size: number };
type Key = string | number;
type Note = [Key, Value | undefined, RemovalReason];

interface StrongEntry {
  key: Key;
  value: Value;
  size: number;
  expires: number;
}
interface WeakEntryModel {
  value: Value & object;
  size: number;
  expires: number;
}

interface Config {
  max?: number;
  maxBytes?: number;
  ttl?: number;
  weak: boolean;
  /** With onRemove (notifications compared) or without (the lean eviction path). */
  observe: boolean;
  /** indexTuning for this run: review period and switch thresholds. */
  index: typeof indexTuning;
}

const sizeOf = (v: Value): number => (typeof v === "number" ? v % 5 : v.size);

/** The specification of WeakCache, written the slow and obvious way. */
class Model {
  strong: StrongEntry[] = []; // most recent first
  weak = new Map<Key, WeakEntryModel>();
  now = 0;
  notes: Note[] = [];
  stats = { hits: 0, weakHits: 0, misses: 0, evictions: 0, expirations: 0, collected: 0 };
  constructor(
    readonly config: Config,
    readonly isCollected: (v: object) => boolean,
  ) {}

  get max(): number {
    return this.config.max ?? Number.POSITIVE_INFINITY;
  }
  get maxBytes(): number {
    return this.config.maxBytes ?? Number.POSITIVE_INFINITY;
  }
  get bytes(): number {
    return this.strong.reduce((sum, e) => sum + e.size, 0);
  }
  expiresAt(): number {
    return this.config.ttl === undefined ? Number.POSITIVE_INFINITY : this.now + this.config.ttl;
  }
  find(key: Key): number {
    return this.strong.findIndex((e) => e.key === key);
  }

  /** Removes the least recently used strong entry: to the weak tier, or dropped. */
  evictTail(): void {
    const e = this.strong.pop()!;
    this.stats.evictions++;
    if (this.config.weak && typeof e.value === "object") {
      this.weak.set(e.key, { value: e.value, size: e.size, expires: e.expires });
    } else {
      this.notes.push([e.key, e.value, "evict"]);
    }
  }

  /** Puts an entry at the front, evicting for max before and for maxBytes after. */
  insert(entry: StrongEntry): void {
    if (this.strong.length >= this.max) this.evictTail();
    this.strong.unshift(entry);
    while (this.bytes > this.maxBytes && this.strong.length > 1) this.evictTail();
  }

  /** Removes a weak entry; the reason depends on its value's state. Returns whether it was live. */
  removeWeak(key: Key, reason: RemovalReason): boolean {
    const w = this.weak.get(key)!;
    this.weak.delete(key);
    if (this.isCollected(w.value)) {
      this.stats.collected++;
      this.notes.push([key, undefined, "collected"]);
      return false;
    }
    if (w.expires <= this.now) {
      this.stats.expirations++;
      this.notes.push([key, w.value, "expire"]);
      return false;
    }
    this.notes.push([key, w.value, reason]);
    return true;
  }

  set(key: Key, value: Value): void {
    const size = this.config.maxBytes === undefined ? 0 : sizeOf(value);
    if (size > this.maxBytes) throw new RangeError("too large");
    const i = this.find(key);
    if (i >= 0) {
      const [e] = this.strong.splice(i, 1);
      if (e!.value !== value) this.notes.push([key, e!.value, "set"]);
      this.strong.unshift({ key, value, size, expires: this.expiresAt() });
      while (this.bytes > this.maxBytes && this.strong.length > 1) this.evictTail();
      return;
    }
    if (this.weak.has(key)) {
      const w = this.weak.get(key)!;
      if (w.value === value && !this.isCollected(w.value)) this.weak.delete(key);
      else this.removeWeak(key, "set");
    }
    this.insert({ key, value, size, expires: this.expiresAt() });
  }

  get(key: Key): Value | undefined {
    const i = this.find(key);
    if (i >= 0) {
      const [e] = this.strong.splice(i, 1);
      this.strong.unshift(e!);
      this.stats.hits++;
      return e!.value;
    }
    const w = this.weak.get(key);
    if (w === undefined) {
      this.stats.misses++;
      return undefined;
    }
    if (this.isCollected(w.value)) {
      this.removeWeak(key, "delete");
      this.stats.misses++;
      return undefined;
    }
    this.weak.delete(key);
    this.insert({ key, value: w.value, size: w.size, expires: w.expires });
    this.stats.weakHits++;
    return w.value;
  }

  peek(key: Key): Value | undefined {
    const i = this.find(key);
    if (i >= 0) return this.strong[i]!.value;
    const w = this.weak.get(key);
    return w === undefined || this.isCollected(w.value) ? undefined : w.value;
  }

  delete(key: Key): boolean {
    const i = this.find(key);
    if (i >= 0) {
      const [e] = this.strong.splice(i, 1);
      this.notes.push([key, e!.value, "delete"]);
      return true;
    }
    if (this.weak.has(key)) return this.removeWeak(key, "delete");
    return false;
  }

  /**
   * What the finalizers do: entries whose value is gone leave — weak-tier ones, and (the provider
   * being the authority on liveness) strong-tier ones when the cache has a weak tier.
   */
  finalize(): void {
    for (const [key, w] of [...this.weak]) {
      if (this.isCollected(w.value)) this.removeWeak(key, "delete");
    }
    if (!this.config.weak) return;
    this.strong = this.strong.filter((e) => {
      if (typeof e.value !== "object" || !this.isCollected(e.value)) return true;
      this.stats.collected++;
      this.notes.push([e.key, undefined, "collected"]);
      return false;
    });
  }

  /** Time passes; everything that expires by then is removed on time. */
  advance(ms: number): void {
    this.now += ms;
    this.strong = this.strong.filter((e) => {
      if (e.expires > this.now) return true;
      this.stats.expirations++;
      this.notes.push([e.key, e.value, "expire"]);
      return false;
    });
    for (const [key, w] of [...this.weak])
      if (w.expires <= this.now) this.removeWeak(key, "expire");
  }

  clear(): void {
    for (const e of this.strong) this.notes.push([e.key, e.value, "delete"]);
    this.strong = [];
    for (const key of [...this.weak.keys()]) this.removeWeak(key, "delete");
  }

  snapshot(): WeakCacheStats {
    return {
      ...this.stats,
      entries: this.strong.length + this.weak.size,
      weakEntries: this.weak.size,
      bytes: this.bytes,
    };
  }
}

const KEYS: Key[] = ["a", "b", "__proto__", "constructor", "1", 0, 1, 7, 2 ** 32 - 1, -1, 1.5];

type Op =
  | { op: "set"; key: Key; value: number }
  | { op: "get" | "peek" | "has" | "delete"; key: Key }
  | { op: "collect"; value: number }
  | { op: "finalize" }
  | { op: "advance"; ms: number }
  | { op: "clear" };

const key = fc.constantFrom(...KEYS);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("set" as const), key, value: fc.nat(40) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constantFrom("get" as const, "peek" as const, "has" as const),
      key,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("delete" as const), key }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("collect" as const), value: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("finalize" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("advance" as const),
      ms: fc.integer({ min: 1, max: 15 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("clear" as const) }) },
);

const configArb: fc.Arbitrary<Config> = fc
  .record({
    max: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    maxBytes: fc.option(fc.integer({ min: 4, max: 12 }), { nil: undefined }),
    ttl: fc.option(fc.integer({ min: 3, max: 25 }), { nil: undefined }),
    weak: fc.boolean(),
    observe: fc.boolean(),
    index: fc.oneof(
      { weight: 1, arbitrary: fc.constant({ ...indexTuning }) },
      {
        weight: 3,
        arbitrary: fc.record({
          period: fc.integer({ min: 1, max: 3 }),
          toMap: fc.integer({ min: 0, max: 3 }),
          toDict: fc.integer({ min: 0, max: 3 }),
          density: fc.integer({ min: 0, max: 2 }),
          slack: fc.constantFrom(0, 2, 8),
        }),
      },
    ),
  })
  .filter((c) => c.max !== undefined || c.maxBytes !== undefined || c.ttl !== undefined);

const canonical = (notes: Note[]) =>
  notes
    .map(
      ([k, v, r]) => `${JSON.stringify(k)}|${typeof v === "object" ? `o${v.id}` : String(v)}|${r}`,
    )
    .sort();

const defaults = { ...indexTuning };
let switches = 0;
let moves = 0;
const switchStrings = LruCore.prototype.switchStrings;
LruCore.prototype.switchStrings = function (this: LruCore<unknown, unknown>) {
  switches++;
  switchStrings.call(this);
};
const switchInts = LruCore.prototype.switchInts;
LruCore.prototype.switchInts = function (this: LruCore<unknown, unknown>) {
  moves++;
  switchInts.call(this);
};

describe("WeakCache against a model (Map + recency list + clock + deterministic collector)", () => {
  it("every operation returns, notifies and counts what the model does", () => {
    fc.assert(
      fc.property(configArb, fc.array(opArb, { maxLength: 80 }), (config, ops) => {
        Object.assign(indexTuning, config.index);
        const provider = new TestWeakProvider();
        const clock = new ManualClock();
        const notes: Note[] = [];
        const cache = new WeakCache<Key, Value>({
          ...(config.max !== undefined ? { max: config.max } : {}),
          ...(config.maxBytes !== undefined ? { maxBytes: config.maxBytes, sizeOf } : {}),
          ...(config.ttl !== undefined ? { ttl: config.ttl } : {}),
          weak: config.weak,
          clock,
          weakProvider: provider,
          ...(config.observe
            ? {
                onRemove: (k: Key, v: Value | undefined, r: RemovalReason) => notes.push([k, v, r]),
              }
            : {}),
        });
        const model = new Model(config, (v) => provider.isCollected(v));
        // Values: ids 0..40; even ids are objects (weakly holdable), odd ids are numbers.
        const objects = new Map<number, { id: number; size: number }>();
        const valueFor = (id: number): Value => {
          if (id % 2 === 1) return id;
          let o = objects.get(id);
          if (o === undefined) {
            o = { id, size: id % 5 };
            objects.set(id, o);
          }
          return o;
        };

        for (const step of ops) {
          notes.length = 0;
          model.notes = [];
          switch (step.op) {
            case "set": {
              const value = valueFor(step.value);
              if (typeof value === "object" && provider.isCollected(value)) break; // gone for good
              let modelError: unknown;
              try {
                model.set(step.key, value);
              } catch (e) {
                modelError = e;
              }
              if (modelError) expect(() => cache.set(step.key, value)).toThrow(RangeError);
              else cache.set(step.key, value);
              break;
            }
            case "get":
              expect(cache.get(step.key)).toBe(model.get(step.key));
              break;
            case "peek":
              expect(cache.peek(step.key)).toBe(model.peek(step.key));
              break;
            case "has":
              expect(cache.has(step.key)).toBe(model.peek(step.key) !== undefined);
              break;
            case "delete":
              expect(cache.delete(step.key)).toBe(model.delete(step.key));
              break;
            case "collect": {
              // The provider decides (as heap-sim does): even a value the strong tier holds.
              const value = valueFor(step.value);
              if (typeof value === "object") provider.collect(value);
              break;
            }
            case "finalize":
              provider.runFinalizers();
              model.finalize();
              break;
            case "advance":
              clock.advance(step.ms);
              model.advance(step.ms);
              break;
            case "clear":
              cache.clear();
              model.clear();
              break;
          }
          if (config.observe) expect(canonical(notes)).toEqual(canonical(model.notes));
          expect(cache.size).toBe(model.strong.length + model.weak.size);
          expect(cache.stats()).toEqual(model.snapshot());
          expect([...cache.keys()].slice(0, model.strong.length)).toEqual(
            model.strong.map((e) => e.key),
          );
        }
        cache[Symbol.dispose]();
        expect(clock.pendingTimers).toBe(0);
      }),
      { numRuns: 2000 },
    );
    Object.assign(indexTuning, defaults);
    expect(switches).toBeGreaterThan(50); // the runs did cross index switches
    expect(moves).toBeGreaterThan(20);
  });
});
