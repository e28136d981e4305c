import { describe, expect, it } from "vitest";
import {
  type RemovalReason,
  WeakCache,
  type WeakCacheOptions,
  type WeakProvider,
} from "../src/index.ts";
import { LruCore } from "../src/internal/core.ts";
import { STALE_LIMIT } from "../src/internal/stale.ts";
import { ManualClock, TestWeakProvider } from "../src/testing.ts";

type Log = [unknown, unknown, RemovalReason][];

function cache<K, V>(options: WeakCacheOptions<K, V>) {
  const log: Log = [];
  const provider = new TestWeakProvider();
  const c = new WeakCache<K, V>({
    weakProvider: provider,
    onRemove: (k, v, r) => log.push([k, v, r]),
    ...options,
  });
  return { c, log, provider };
}

describe("WeakCache — LRU", () => {
  it("evicts the least recently used entry at max; get and set refresh recency", () => {
    const { c, log } = cache<string, number>({ max: 3 });
    c.set("a", 1).set("b", 2).set("c", 3);
    expect(c.get("a")).toBe(1); // a is now most recent: order a c b
    c.set("d", 4); // evicts b
    expect(log).toEqual([["b", 2, "evict"]]);
    expect([...c.keys()]).toEqual(["d", "a", "c"]);
    c.set("c", 30); // update refreshes c
    c.set("e", 5); // evicts a
    expect(log.slice(1)).toEqual([
      ["c", 3, "set"],
      ["a", 1, "evict"],
    ]);
    expect([...c.entries()]).toEqual([
      ["e", 5],
      ["c", 30],
      ["d", 4],
    ]);
    expect(c.size).toBe(3);
  });

  it("peek and has touch neither recency nor statistics", () => {
    const { c } = cache<string, number>({ max: 2 });
    c.set("a", 1).set("b", 2);
    expect(c.peek("a")).toBe(1);
    expect(c.has("a")).toBe(true);
    expect(c.has("zz")).toBe(false);
    expect(c.peek("zz")).toBeUndefined();
    c.set("c", 3); // a is still least recent
    expect(c.has("a")).toBe(false);
    expect(c.stats()).toMatchObject({ hits: 0, misses: 0, evictions: 1 });
  });

  it("delete and clear remove with reason delete; stats survive clear", () => {
    const { c, log } = cache<string, number>({ max: 10 });
    c.set("a", 1).set("b", 2).set("c", 3);
    c.get("a");
    c.get("nope");
    expect(c.delete("b")).toBe(true);
    expect(c.delete("b")).toBe(false);
    c.clear();
    expect(c.size).toBe(0);
    expect(log).toEqual([
      ["b", 2, "delete"],
      ["a", 1, "delete"],
      ["c", 3, "delete"],
    ]);
    expect(c.stats()).toMatchObject({ hits: 1, misses: 1, entries: 0 });
    c.set("x", 9); // slots are reused after clear
    expect(c.get("x")).toBe(9);
  });

  it("reuses freed slots (arrays allocated at construction up to 65,536 slots)", () => {
    const { c } = cache<number, number>({ max: 1000 });
    for (let i = 0; i < 1000; i++) c.set(i, i * 2);
    for (let i = 0; i < 1000; i += 2) c.delete(i);
    for (let i = 1000; i < 1500; i++) c.set(i, i * 2);
    expect(c.size).toBe(1000);
    for (let i = 1; i < 1000; i += 2) expect(c.peek(i)).toBe(i * 2);
    for (let i = 1000; i < 1500; i++) expect(c.peek(i)).toBe(i * 2);
    c.set(5000, 1); // full: evicts the least recent (key 1)
    expect(c.has(1)).toBe(false);
  });

  it("uses 32-bit links above 65,536 slots, and grows its slot arrays as it fills", () => {
    const { c } = cache<number, number>({ max: 70_000 });
    for (let i = 0; i < 70_001; i++) c.set(i, i);
    expect(c.size).toBe(70_000);
    expect(c.has(0)).toBe(false);
    expect(c.get(69_999)).toBe(69_999);
    expect(c.get(1)).toBe(1);
    c.set(-1, -1); // evicts 2, not 1 (1 was just used)
    expect(c.has(2)).toBe(false);
    expect(c.has(1)).toBe(true);
  });

  it("keys use SameValueZero like Map (NaN, -0, objects)", () => {
    const { c } = cache<unknown, string>({ max: 10 });
    const o = {};
    c.set(Number.NaN, "nan").set(-0, "zero").set(o, "obj").set("1", "string one").set(1, "one");
    expect(c.get(Number.NaN)).toBe("nan");
    expect(c.get(0)).toBe("zero");
    expect(c.get(o)).toBe("obj");
    expect(c.get({})).toBeUndefined();
    expect(c.get("1")).toBe("string one");
    expect(c.get(1)).toBe("one");
  });

  it("forEach passes (value, key, cache) with thisArg; toStringTag names it", () => {
    const { c } = cache<string, number>({ max: 5 });
    c.set("a", 1).set("b", 2);
    const seen: unknown[] = [];
    const self = {};
    c.forEach(function (this: unknown, v, k, owner) {
      seen.push([k, v, owner === c, this === self]);
    }, self);
    expect(seen).toEqual([
      ["b", 2, true, true],
      ["a", 1, true, true],
    ]);
    expect([...c.values()]).toEqual([2, 1]);
    expect(Object.prototype.toString.call(c)).toBe("[object WeakCache]");
    expect(c.max).toBe(5);
    expect(c.maxBytes).toBe(Number.POSITIVE_INFINITY);
    expect(c.ttl).toBe(0);
  });

  it("iteration skips entries removed while iterating", () => {
    const { c } = cache<number, number>({ max: 10 });
    for (let i = 0; i < 5; i++) c.set(i, i);
    const seen: number[] = [];
    for (const [k] of c) {
      seen.push(k);
      c.delete(k - 1);
    }
    expect(seen).toEqual([4, 2, 0]);
  });
});

describe("WeakCache — the string-key index follows the workload", () => {
  it("moves string keys to a Map under churn and back when reads dominate, losing nothing", () => {
    let switches = 0;
    const switchStrings = LruCore.prototype.switchStrings;
    LruCore.prototype.switchStrings = function (this: LruCore<unknown, unknown>) {
      switches++;
      switchStrings.call(this);
    };
    try {
      const c = new WeakCache<string | number, number>({ max: 100, weak: false });
      const model = new Map<string | number, number>(); // insertion order = recency
      const touch = (k: string | number, v: number) => {
        model.delete(k);
        model.set(k, v);
        if (model.size > 100) model.delete(model.keys().next().value!);
      };
      // churn: only new keys (strings and numbers), nothing read → the Map side
      for (let i = 0; i < 10_000; i++) {
        const k = i % 3 === 0 ? i : `k${i}`;
        c.set(k, i);
        touch(k, i);
      }
      expect(switches).toBe(1);
      // reads dominate: 20 reads of live keys per new key → back to the dictionary side
      let wrong = 0;
      for (let round = 0; round < 4500; round++) {
        const keys = [...model.keys()];
        for (let j = 0; j < 20; j++) {
          const k = keys[(round * 7 + j * 13) % keys.length]!;
          if (c.get(k) !== model.get(k)) wrong++;
          touch(k, model.get(k)!);
        }
        c.set(`new${round}`, round);
        touch(`new${round}`, round);
      }
      expect(wrong).toBe(0);
      expect(switches).toBe(2);
      expect([...c.entries()]).toEqual([...model.entries()].reverse());
      expect(c.get("__proto__")).toBeUndefined();
      c.set("__proto__", 1).set("1", 2).set(1, 3);
      expect([c.get("__proto__"), c.get("1"), c.get(1)]).toEqual([1, 2, 3]);
    } finally {
      LruCore.prototype.switchStrings = switchStrings;
    }
  });
});

describe("WeakCache — number keys", () => {
  it("dense integer keys stay in their array-like index; sparse ones move to the Map, losing nothing", () => {
    let moved = 0;
    const switchInts = LruCore.prototype.switchInts;
    LruCore.prototype.switchInts = function (this: LruCore<unknown, unknown>) {
      moved++;
      switchInts.call(this);
    };
    try {
      const dense = new WeakCache<number, number>({ max: 1000, weak: false });
      for (let i = 0; i < 10_000; i++) dense.set(i, i); // ids 0..9,999 for 1,000 entries: dense
      expect(moved).toBe(0);
      expect([...dense.keys()].slice(0, 3)).toEqual([9_999, 9_998, 9_997]);
      const sparse = new WeakCache<number, number>({ max: 1000, weak: false });
      const model = new Map<number, number>();
      for (let i = 0; i < 20_000; i++) {
        const id = i * 7919; // far apart: a number dictionary in V8
        sparse.set(id, i);
        model.set(id, i);
        if (model.size > 1000) model.delete(model.keys().next().value!);
      }
      expect(moved).toBe(1);
      expect([...sparse.entries()]).toEqual([...model.entries()].reverse());
      // every kind of number key keeps Map semantics wherever it is indexed
      const odd = new WeakCache<number, string>({ max: 10 });
      for (const k of [0, -0, 1, -1, 1.5, Number.NaN, 2 ** 32 - 1, 2 ** 32, Number.MAX_VALUE]) {
        odd.set(k, String(k));
      }
      expect(odd.size).toBe(8); // 0 and -0 are one key
      expect(odd.get(-0)).toBe("0");
      expect(odd.get(Number.NaN)).toBe("NaN");
      expect(odd.get(2 ** 32 - 1)).toBe(String(2 ** 32 - 1));
      expect(odd.has(2)).toBe(false);
    } finally {
      LruCore.prototype.switchInts = switchInts;
    }
  });
});

describe("WeakCache — maxBytes", () => {
  it("evicts least recently used entries until the bytes fit", () => {
    const { c, log } = cache<string, string>({ maxBytes: 10, sizeOf: (v) => v.length });
    c.set("a", "aaaa").set("b", "bbbb");
    expect(c.stats().bytes).toBe(8);
    c.get("a");
    c.set("c", "cccccc"); // 14 > 10: evict b (least recent)
    expect(log).toEqual([["b", "bbbb", "evict"]]);
    expect(c.stats().bytes).toBe(10);
    c.set("a", "a"); // shrinking an entry frees bytes
    expect(c.stats().bytes).toBe(7);
    c.set("c", "cccccccccc"); // growing c to 10 evicts a
    expect(c.stats().bytes).toBe(10);
    expect([...c.keys()]).toEqual(["c"]);
  });

  it("refuses a size above maxBytes, a negative, fractional or non-number size; entries untouched", () => {
    let size: unknown = 4;
    const { c } = cache<string, string>({ maxBytes: 10, sizeOf: () => size as number });
    c.set("keep", "x");
    for (const [bad, error, message] of [
      [11, RangeError, /size 11 of key "k" exceeds maxBytes 10/],
      [-1, RangeError, /integer >= 0, got -1 for key "k"/],
      [1.5, RangeError, /got 1.5/],
      [Number.NaN, RangeError, /got NaN/],
      ["3", TypeError, /must return a number of bytes, got "3"/],
      [undefined, TypeError, /got undefined/],
    ] as const) {
      size = bad;
      expect(() => c.set("k", "v")).toThrow(error);
      expect(() => c.set("keep", "v")).toThrow(message instanceof RegExp ? error : Error);
      expect(() => c.set("k", "v")).toThrow(message);
    }
    expect(c.get("keep")).toBe("x");
    expect(c.size).toBe(1);
    expect(c.stats().bytes).toBe(4);
  });
});

describe("WeakCache — ttl with an injected clock", () => {
  it("expires entries ttl after set; get never returns an expired entry", () => {
    const clock = new ManualClock();
    const { c, log } = cache<string, number>({ ttl: 100, clock, max: 10 });
    c.set("a", 1);
    clock.advance(60);
    c.set("b", 2);
    expect(c.get("a")).toBe(1); // reading does not extend it
    clock.advance(40); // a expires at 100: the purge timer runs
    expect(log).toEqual([["a", 1, "expire"]]);
    expect(c.has("a")).toBe(false);
    expect(c.get("b")).toBe(2);
    c.set("b", 3); // set resets b's ttl to 200
    clock.advance(99);
    expect(c.get("b")).toBe(3);
    clock.advance(1);
    expect(c.get("b")).toBeUndefined();
    expect(c.stats()).toMatchObject({ expirations: 2, entries: 0 });
    expect(clock.pendingTimers).toBe(0);
  });

  it("an expired entry read before the timer runs is a miss with reason expire", () => {
    const clock = new ManualClock();
    const { c, log } = cache<string, number>({ ttl: 10, clock });
    c.set("a", 1);
    // move time without running timers: a second clock reading
    (clock as unknown as { now: () => number }).now = () => 10;
    expect(c.peek("a")).toBeUndefined();
    expect(c.has("a")).toBe(false);
    expect(c.get("a")).toBeUndefined();
    expect(log).toEqual([["a", 1, "expire"]]);
    expect(c.stats()).toMatchObject({ misses: 1, expirations: 1 });
  });

  it("uses one timer for the earliest expiry and re-arms it", () => {
    const clock = new ManualClock();
    const { c } = cache<number, number>({ ttl: 50, clock });
    for (let i = 0; i < 100; i++) {
      c.set(i, i);
      clock.advance(1);
    }
    // now = 100; key i expires at i + 50, so 0..50 are gone and the timer waits for 51
    expect(clock.pendingTimers).toBe(1);
    expect(c.size).toBe(49);
    expect(c.stats().expirations).toBe(51);
    clock.advance(48); // now 148: only 99 is left
    expect([...c.keys()]).toEqual([99]);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1);
    expect(c.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it("purgeExpired removes what is due now and returns the count", () => {
    const clock = new ManualClock();
    const { c } = cache<number, number>({ ttl: 10, clock });
    c.set(1, 1).set(2, 2);
    (clock as unknown as { now: () => number }).now = () => 10;
    expect(c.purgeExpired()).toBe(2);
    expect(c.size).toBe(0);
    const { c: noTtl } = cache<number, number>({ max: 1 });
    expect(noTtl.purgeExpired()).toBe(0);
  });
});

describe("WeakCache — weak tier (deterministic provider)", () => {
  it("an evicted object value stays reachable while alive; a hit promotes it", () => {
    const { c, log, provider } = cache<string, object>({ max: 1 });
    const a = { a: 1 };
    const b = { b: 1 };
    c.set("a", a).set("b", b); // a → weak tier
    expect(c.size).toBe(2);
    expect(c.stats()).toMatchObject({ entries: 2, weakEntries: 1, evictions: 1 });
    expect(log).toEqual([]); // moving to the weak tier is not a removal
    expect(c.peek("a")).toBe(a);
    expect(c.get("a")).toBe(a); // weak hit: a promoted, b demoted
    expect(c.stats()).toMatchObject({ hits: 0, weakHits: 1, weakEntries: 1, evictions: 2 });
    expect([...c.keys()]).toEqual(["a", "b"]);
    provider.collect(b);
    expect(c.get("b")).toBeUndefined(); // collected, finalizer pending: a miss
    expect(log).toEqual([["b", undefined, "collected"]]);
    expect(c.stats()).toMatchObject({ misses: 1, collected: 1, entries: 1 });
    provider.runFinalizers(); // the late finalizer finds nothing to do
    expect(c.size).toBe(1);
  });

  it("finalizers remove collected weak entries; size is exact once they ran", () => {
    const { c, log, provider } = cache<number, object>({ max: 2 });
    const values = Array.from({ length: 6 }, (_, i) => ({ i }));
    for (const [i, v] of values.entries()) c.set(i, v);
    expect(c.size).toBe(6);
    provider.collect(values[0]!, values[1]!, values[2]!);
    expect(c.size).toBe(6);
    expect(provider.runFinalizers()).toBe(3);
    expect(c.size).toBe(3);
    expect(log.map(([k, , r]) => [k, r])).toEqual([
      [0, "collected"],
      [1, "collected"],
      [2, "collected"],
    ]);
  });

  it("a late finalizer never removes a key set again meanwhile", () => {
    const { c, provider } = cache<string, object>({ max: 1 });
    const old = {};
    const fresh = {};
    c.set("k", old).set("other", {}); // k → weak
    provider.collect(old);
    c.set("k", fresh); // set again before the finalizer
    provider.runFinalizers();
    expect(c.get("k")).toBe(fresh);
  });

  it("a value promoted and evicted again keeps its one registration", () => {
    const { c, provider } = cache<string, object>({ max: 1 });
    const a = {};
    const b = {};
    c.set("a", a).set("b", b);
    for (let i = 0; i < 5; i++) {
      c.get("a");
      c.get("b");
    }
    expect(provider.liveRegistrations).toBe(2);
  });

  it("replacing live values never piles up registrations (at most STALE_LIMIT stale ones)", () => {
    const { c, provider } = cache<string, object>({ max: 2 });
    const a = {};
    const b = {};
    for (let i = 0; i < 12_000; i++) {
      c.set("k", i % 2 === 0 ? a : b); // the strong slot's record is replaced each time
      c.set(`e${i % 3}`, a); // evicts "k" into the weak tier now and then
    }
    expect(provider.liveRegistrations).toBeLessThanOrEqual(STALE_LIMIT + 8);
    const before = provider.liveRegistrations;
    c.clear();
    expect(provider.liveRegistrations).toBeLessThan(before);
  });

  it("primitive values and weak: false are evicted, never weak", () => {
    const { c, log } = cache<string, number>({ max: 1 });
    c.set("a", 1).set("b", 2);
    expect(log).toEqual([["a", 1, "evict"]]);
    const { c: strong, log: log2 } = cache<string, object>({ max: 1, weak: false });
    const a = {};
    strong.set("a", a).set("b", {});
    expect(log2).toEqual([["a", a, "evict"]]);
    expect(strong.get("a")).toBeUndefined();
  });

  it("set over a weak-tier entry: same value keeps it, another value removes it with reason set", () => {
    const { c, log, provider } = cache<string, object>({ max: 1 });
    const a = {};
    const a2 = {};
    c.set("a", a).set("x", {});
    c.set("a", a); // same value: promoted, no removal
    expect(log).toEqual([]);
    expect(provider.liveRegistrations).toBe(2);
    c.set("x", {}); // a → weak again (reusing its record)
    c.set("a", a2);
    expect(log).toEqual([
      ["x", expect.anything(), "set"],
      ["a", a, "set"],
    ]);
  });

  it("delete of a weak entry: live → delete/true; already collected → collected/false", () => {
    const { c, log, provider } = cache<string, object>({ max: 1 });
    const a = {};
    const b = {};
    c.set("a", a).set("b", b).set("c", {}); // a, b weak
    expect(c.delete("a")).toBe(true);
    provider.collect(b);
    expect(c.delete("b")).toBe(false);
    expect(log).toEqual([
      ["a", a, "delete"],
      ["b", undefined, "collected"],
    ]);
    c.clear();
    expect(log.at(-1)?.[2]).toBe("delete");
  });

  it("weak-tier entries expire on time too", () => {
    const clock = new ManualClock();
    const { c, log } = cache<string, object>({ max: 1, ttl: 100, clock });
    const a = {};
    c.set("a", a);
    clock.advance(50);
    c.set("b", {}); // a → weak, expires at 100
    clock.advance(50);
    expect(log).toEqual([["a", a, "expire"]]);
    expect(c.stats()).toMatchObject({ weakEntries: 0, expirations: 1 });
  });

  it("a value a custom provider refuses lives in the strong tier only (heap-sim refuses ints)", () => {
    const inner = new TestWeakProvider();
    const refused = new WeakSet<object>();
    const picky: WeakProvider = {
      weakRef(target) {
        if (refused.has(target)) throw new TypeError("cannot create weak reference");
        return inner.weakRef(target);
      },
      finalizationRegistry: (cleanup) => inner.finalizationRegistry(cleanup),
    };
    const log: Log = [];
    const c = new WeakCache<string, object>({
      max: 1,
      weakProvider: picky,
      onRemove: (k, v, r) => log.push([k, v, r]),
    });
    const int = {};
    refused.add(int);
    const ok = {};
    c.set("int", int); // no throw: kept strongly
    expect(c.get("int")).toBe(int);
    c.set("ok", ok); // "int" cannot enter the weak tier: evicted
    expect(log).toEqual([["int", int, "evict"]]);
    c.set("int", int).set("x", {}); // "ok" can: weak tier
    expect(c.peek("ok")).toBe(ok);
    expect(c.stats().weakEntries).toBe(1);
  });

  it("a value reported collected while strongly held (custom providers) is removed", () => {
    const { c, log, provider } = cache<string, object>({ max: 1 });
    const a = {};
    c.set("a", a).set("b", {});
    c.get("a"); // a promoted: it has a weak record
    provider.collect(a);
    provider.runFinalizers();
    expect(c.has("a")).toBe(false);
    expect(log).toEqual([["a", undefined, "collected"]]);
  });
});

describe("WeakCache — onRemove", () => {
  it("runs after the cache is consistent, so it may use the cache", () => {
    const seen: unknown[] = [];
    const c: WeakCache<string, number> = new WeakCache<string, number>({
      max: 2,
      onRemove: (k, v, r) => {
        seen.push([k, v, r, c.size, c.has(k)]);
        if (k === "a") c.set("again", 0);
      },
    });
    c.set("a", 1).set("b", 2).set("c", 3); // evicts a; onRemove sets "again", evicting b
    expect(seen).toEqual([
      ["a", 1, "evict", 2, false],
      ["b", 2, "evict", 2, false],
    ]);
    expect([...c.keys()]).toEqual(["again", "c"]);
  });

  it("a throwing onRemove does not break the operation; errors are rethrown at its end", () => {
    const c = new WeakCache<string, number>({
      max: 10,
      onRemove: (k) => {
        throw new Error(`boom ${k}`);
      },
    });
    c.set("a", 1).set("b", 2);
    expect(() => c.delete("a")).toThrow("boom a");
    expect(c.has("a")).toBe(false);
    let error: unknown;
    try {
      c.clear();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(c.size).toBe(0);
    c.set("x", 1).set("y", 2);
    try {
      c.clear();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toHaveLength(2);
  });
});

describe("WeakCache — construction and bad input", () => {
  it("refuses an unbounded cache", () => {
    expect(() => new WeakCache({})).toThrow(/needs a bound/);
    expect(() => new WeakCache(undefined as never)).toThrow(/needs a bound/);
    expect(() => new WeakCache({ weak: true })).toThrow(TypeError);
  });

  it("names the bad value of every option", () => {
    const cases: [unknown, RegExp, ErrorConstructor][] = [
      [{ max: -3 }, /max must be a positive integer, got -3/, RangeError],
      [{ max: 1.5 }, /got 1.5/, RangeError],
      [{ max: 0 }, /got 0/, RangeError],
      [{ max: "10" }, /max must be a positive integer, got "10"/, TypeError],
      [{ max: 2 ** 32 }, /at most/, RangeError],
      [{ maxBytes: 100 }, /maxBytes needs sizeOf/, TypeError],
      [
        { maxBytes: -1, sizeOf: () => 1 },
        /maxBytes must be a positive integer, got -1/,
        RangeError,
      ],
      [{ max: 1, sizeOf: () => 1 }, /sizeOf is only used with maxBytes or budget/, TypeError],
      [{ maxBytes: 10, sizeOf: 5 }, /sizeOf must be a function, got 5/, TypeError],
      [{ ttl: 0 }, /ttl must be a positive integer, got 0/, RangeError],
      [{ ttl: Number.POSITIVE_INFINITY }, /got Infinity/, RangeError],
      [{ max: 1, weak: "yes" }, /weak must be a boolean, got "yes"/, TypeError],
      [{ max: 1, onRemove: {} }, /onRemove must be a function, got an Object object/, TypeError],
      [{ max: 1, clock: {} }, /clock must have now\(\)/, TypeError],
      [{ max: 1, weakProvider: 1 }, /weakProvider must be a WeakProvider/, TypeError],
      [{ budget: {}, sizeOf: () => 1 }, /budget must be a MemoryBudget/, TypeError],
      [{ max: 1, maxSize: 10 }, /unknown option "maxSize"/, TypeError],
      [5, /options must be an object, got 5/, TypeError],
    ];
    for (const [options, message, type] of cases) {
      expect(() => new WeakCache(options as never), JSON.stringify(options)).toThrow(type);
      expect(() => new WeakCache(options as never)).toThrow(message);
    }
  });

  it("refuses undefined values; the entry already there is untouched", () => {
    const { c } = cache<string, number | undefined>({ max: 2 });
    c.set("a", 1);
    expect(() => c.set("a", undefined)).toThrow(/cannot hold undefined .*key "a"/);
    expect(c.get("a")).toBe(1);
    expect(() => c.forEach(1 as never)).toThrow(/callback must be a function, got 1/);
  });
});

describe("WeakCache — dispose", () => {
  it("clears entries with reason delete, stops the timer, refuses later writes", () => {
    const clock = new ManualClock();
    const { c, log } = cache<string, number>({ ttl: 1000, clock });
    c.set("a", 1).set("b", 2);
    expect(clock.pendingTimers).toBe(1);
    c[Symbol.dispose]();
    expect(clock.pendingTimers).toBe(0);
    expect(log.map(([k, , r]) => [k, r])).toEqual([
      ["b", "delete"],
      ["a", "delete"],
    ]);
    expect(c.size).toBe(0);
    expect(c.get("a")).toBeUndefined();
    expect(() => c.set("c", 3)).toThrow(ReferenceError);
    c[Symbol.dispose](); // idempotent
  });

  it("works with using", () => {
    const clock = new ManualClock();
    {
      using c = new WeakCache<string, number>({ ttl: 5, clock });
      c.set("a", 1);
      expect(clock.pendingTimers).toBe(1);
    }
    expect(clock.pendingTimers).toBe(0);
  });
});
