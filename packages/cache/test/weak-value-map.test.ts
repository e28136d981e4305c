import { describe, expect, it } from "vitest";
import { WeakValueMap } from "../src/index.ts";
import { STALE_LIMIT } from "../src/internal/stale.ts";
import { TestWeakProvider } from "../src/testing.ts";
import { collectUntil, gc, nextTask } from "./helpers.ts";

const make = <K, V extends object>(options: { autoFinalize?: boolean } = {}) => {
  const provider = new TestWeakProvider(options);
  return { provider, map: new WeakValueMap<K, V>(null, { weakProvider: provider }) };
};

describe("WeakValueMap — Map-like API", () => {
  it("sets, gets, has, deletes and counts like a Map while values are alive", () => {
    const { map } = make<string, object>();
    const a = { a: 1 };
    const b = { b: 2 };
    expect(map.set("a", a)).toBe(map);
    map.set("b", b);
    expect(map.size).toBe(2);
    expect(map.get("a")).toBe(a);
    expect(map.has("b")).toBe(true);
    expect(map.has("c")).toBe(false);
    expect(map.get("c")).toBeUndefined();
    expect(map.delete("a")).toBe(true);
    expect(map.delete("a")).toBe(false);
    expect(map.size).toBe(1);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.get("b")).toBeUndefined();
  });

  it("iterates entries, keys and values in insertion order, and forEach passes (value, key, map)", () => {
    const values = [{ i: 0 }, { i: 1 }, { i: 2 }];
    const map = new WeakValueMap<number, { i: number }>(values.map((v) => [v.i, v] as const));
    expect([...map]).toEqual([
      [0, values[0]],
      [1, values[1]],
      [2, values[2]],
    ]);
    expect([...map.keys()]).toEqual([0, 1, 2]);
    expect([...map.values()]).toEqual(values);
    expect([...map.entries()].length).toBe(3);
    const seen: unknown[] = [];
    const self = {};
    map.forEach(function (this: unknown, value, key, m) {
      seen.push([key, value, m, this]);
    }, self);
    expect(seen).toEqual(values.map((v) => [v.i, v, map, self]));
    expect(Object.prototype.toString.call(map)).toBe("[object WeakValueMap]");
  });

  it("setting the same value again keeps one entry; setting another replaces it", () => {
    const { map, provider } = make<string, object>();
    const a = {};
    const b = {};
    map.set("k", a).set("k", a);
    expect(map.size).toBe(1);
    map.set("k", b);
    expect(map.get("k")).toBe(b);
    expect(map.size).toBe(1);
    // a's registration is dead: collecting a never touches "k"
    provider.collect(a);
    provider.runFinalizers();
    expect(map.get("k")).toBe(b);
  });
});

describe("WeakValueMap — collection (deterministic provider)", () => {
  it("never returns a collected value, and size is exact once finalizers have run", () => {
    const { map, provider } = make<string, object>();
    const a = {};
    const b = {};
    map.set("a", a).set("b", b);
    provider.collect(a);
    expect(map.size).toBe(2); // finalizer pending: size may still count it
    expect([...map.keys()]).toEqual(["b"]); // but iteration never yields it
    provider.runFinalizers();
    expect(map.size).toBe(1);
    expect(map.get("a")).toBeUndefined();
    expect(map.has("a")).toBe(false);
  });

  it("get of a collected value drops the entry at once (the late finalizer then does nothing)", () => {
    const { map, provider } = make<string, object>();
    const a = {};
    map.set("a", a);
    provider.collect(a);
    expect(map.get("a")).toBeUndefined();
    expect(map.size).toBe(0);
    expect(provider.runFinalizers()).toBe(1);
    expect(map.size).toBe(0);
  });

  it("a late finalizer never deletes a key that was set again (identity check)", () => {
    const { map, provider } = make<string, object>();
    const old = {};
    const fresh = {};
    map.set("k", old);
    provider.collect(old); // collected, cleanup queued but not run
    map.set("k", fresh); // the key is set again before the cleanup runs
    provider.runFinalizers(); // old's late cleanup
    expect(map.get("k")).toBe(fresh);
    expect(map.size).toBe(1);
  });

  it("a late finalizer does not delete a key deleted and set again with the same value", () => {
    const { map, provider } = make<string, object>();
    const v = {};
    map.set("k", v);
    map.delete("k");
    map.set("k", v);
    expect(map.get("k")).toBe(v);
    provider.collect(v);
    provider.runFinalizers();
    expect(map.size).toBe(0); // the current entry's own cleanup removed it, once
  });

  it("iterating while values die is safe (Python bpo-35615): no error, no dead value, no repeats", () => {
    const { map, provider } = make<number, { i: number }>({ autoFinalize: true });
    const values = Array.from({ length: 20 }, (_, i) => ({ i }));
    for (const v of values) map.set(v.i, v);
    const seen: number[] = [];
    for (const [key, value] of map) {
      seen.push(key);
      expect(provider.isCollected(value)).toBe(false);
      // every visit kills the next two values, whose cleanups run right now (like CPython's refcount)
      for (const v of values.slice(key + 1, key + 3)) provider.collect(v);
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([0, 3, 6, 9, 12, 15, 18]);
    expect(map.size).toBe(7);
  });

  it("entries added while iterating are visited (Map semantics)", () => {
    const { map } = make<number, object>();
    const keep: object[] = [];
    map.set(0, {});
    const seen: number[] = [];
    for (const [k] of map) {
      seen.push(k);
      if (k < 3) {
        const v = {};
        keep.push(v);
        map.set(k + 1, v);
      }
    }
    expect(seen).toEqual([0, 1, 2, 3]);
  });
});

describe("WeakValueMap — bad input", () => {
  it("refuses primitives with a TypeError naming the value and keeps the existing entry", () => {
    const { map } = make<string, object>();
    const a = {};
    map.set("k", a);
    for (const bad of [1, "s", null, undefined, true, 10n, Symbol("x")]) {
      expect(() => map.set("k", bad as unknown as object)).toThrow(TypeError);
    }
    expect(() => map.set("k", 42 as unknown as object)).toThrow(
      /values must be objects or functions .*got 42/,
    );
    expect(map.get("k")).toBe(a);
    expect(map.size).toBe(1);
  });

  it("validates constructor arguments and options", () => {
    expect(() => new WeakValueMap(5 as never)).toThrow(/entries must be iterable, got 5/);
    expect(() => new WeakValueMap([1] as never)).toThrow(/\[key, value\] pairs, got 1/);
    expect(() => new WeakValueMap(null, { weakProvider: {} as never })).toThrow(TypeError);
    expect(() => new WeakValueMap(null, { provider: 1 } as never)).toThrow(
      /unknown option "provider"/,
    );
    expect(() => new WeakValueMap(null, 3 as never)).toThrow(/options must be an object, got 3/);
    const map = new WeakValueMap<string, object>();
    expect(() => map.forEach(3 as never)).toThrow(/callback must be a function, got 3/);
  });
});

describe("WeakValueMap — native WeakRef", () => {
  it("a value set in this job is readable, and collectable after the job once dropped", async () => {
    const map = new WeakValueMap<string, { big: Uint8Array }>();
    (() => {
      map.set("x", { big: new Uint8Array(1024) });
    })();
    expect(map.get("x")?.big.length).toBe(1024); // still this job: kept alive (spec)
    await nextTask();
    expect(await collectUntil(() => map.size === 0)).toBe(true);
    expect(map.get("x")).toBeUndefined();
  });

  it("a value deleted or replaced within the job makes no weak reference (and is collectable)", async () => {
    const map = new WeakValueMap<string, object>();
    let dropped: WeakRef<object> | undefined;
    (() => {
      const v = {};
      dropped = new WeakRef(v);
      map.set("x", v);
      map.set("x", {}); // replaced within the job
    })();
    await nextTask();
    expect(await collectUntil(() => dropped!.deref() === undefined && map.size === 0)).toBe(true);
  });

  it("a value that is itself a WeakRef is held weakly like any other (not mistaken for ours)", async () => {
    const map = new WeakValueMap<string, WeakRef<object> | object>();
    const target = {};
    const userRef = new WeakRef(target);
    const plain = { plain: true };
    map.set("ref", userRef).set("plain", plain);
    expect(map.get("ref")).toBe(userRef); // the WeakRef itself, not its target
    await nextTask(); // the job ends: both become weak entries
    gc();
    expect(map.get("ref")).toBe(userRef);
    expect([...map.values()]).toEqual([userRef, plain]);
    const dropped = new WeakValueMap<string, object>();
    (() => {
      dropped.set("ref", new WeakRef({}));
      dropped.set("again", {});
      dropped.set("again", {}); // set twice in the job: one weak entry
    })();
    await nextTask();
    expect(await collectUntil(() => dropped.size === 0)).toBe(true);
  });

  it("a late finalizer leaves a key set again in a later job alone (native)", async () => {
    const map = new WeakValueMap<string, object>();
    (() => {
      map.set("k", {});
    })();
    await nextTask(); // weak now; its value is unreachable
    gc();
    const live = { live: true };
    map.set("k", live); // set again before the finalizer has run
    expect(await collectUntil(() => false, 5)).toBe(false); // let the late finalizer run
    expect(map.get("k")).toBe(live);
    await nextTask();
    gc();
    expect(map.get("k")).toBe(live);
    expect(map.size).toBe(1);
  });

  it("a live value survives gc", async () => {
    const map = new WeakValueMap<string, object>();
    const live = { alive: true };
    map.set("live", live);
    await nextTask();
    gc();
    await nextTask();
    gc();
    expect(map.get("live")).toBe(live);
    expect(map.size).toBe(1);
  });
});

/** Counts FinalizationRegistry registrations (net of cancellations) and those made with a token. */
async function countingRegistrations<T>(
  body: (counts: { net: number; withToken: number }) => Promise<T>,
): Promise<T> {
  const proto = FinalizationRegistry.prototype;
  const register = proto.register;
  const unregister = proto.unregister;
  const counts = { net: 0, withToken: 0 };
  proto.register = function (this: FinalizationRegistry<unknown>, target, held, token) {
    counts.net++;
    if (token !== undefined) counts.withToken++;
    return register.call(this, target, held, token);
  } as typeof register;
  proto.unregister = function (this: FinalizationRegistry<unknown>, token) {
    const removed = unregister.call(this, token);
    if (removed) counts.net--;
    return removed;
  } as typeof unregister;
  try {
    return await body(counts);
  } finally {
    proto.register = register;
    proto.unregister = unregister;
  }
}

describe("WeakValueMap — registrations never pile up", () => {
  it("setting a key to the value it holds, again and again, keeps the registrations bounded", () => {
    const { map, provider } = make<string, object>();
    const a = {};
    for (let i = 0; i < 20_000; i++) map.set("k", a);
    expect(provider.liveRegistrations).toBeLessThanOrEqual(STALE_LIMIT + 2);
    expect(map.get("k")).toBe(a);
  });

  it("replacing live values keeps at most STALE_LIMIT stale registrations, then cancels them", () => {
    const { map, provider } = make<string, object>();
    const a = { a: 1 };
    const b = { b: 1 };
    for (let i = 0; i < 100; i++) map.set("k", i % 2 === 0 ? a : b);
    // Below the limit a replaced value's registration waits for that value to be collected.
    expect(provider.liveRegistrations).toBe(100);
    for (let i = 0; i < 10_000; i++) map.set("k", i % 2 === 0 ? a : b);
    expect(provider.liveRegistrations).toBeLessThanOrEqual(STALE_LIMIT + 4);
    const before = provider.liveRegistrations;
    for (let i = 0; i < 5000; i++) map.set(`x${i % 10}`, i % 2 === 0 ? a : b);
    expect(provider.liveRegistrations).toBe(before + 10);
    map.delete("x0");
    expect(provider.liveRegistrations).toBe(before + 9);
    map.clear();
    expect(provider.liveRegistrations).toBe(before - 1);
    expect(map.get("k")).toBeUndefined();
  });

  it("replaced values that die are cleaned up and never count as stale", () => {
    const { map, provider } = make<string, object>({ autoFinalize: true });
    let old = {};
    map.set("k", old);
    for (let i = 0; i < 10_000; i++) {
      const next = {};
      map.set("k", next);
      provider.collect(old);
      old = next;
    }
    expect(provider.liveRegistrations).toBe(1);
    // Had they counted, the map would now cancel on delete; it does not (no token was given).
    map.delete("k");
    expect(provider.liveRegistrations).toBe(1);
  });

  it("native WeakRef: alternating live values across jobs keeps the registrations bounded", async () => {
    await countingRegistrations(async (counts) => {
      const map = new WeakValueMap<string, object>();
      const a = { a: 1 };
      const b = { b: 1 };
      for (let i = 0; i < 20_000; i++) {
        map.set("k", i % 2 === 0 ? a : b);
        await null; // the job's checkpoint: the value becomes a WeakRef and a registration
        if (i % 1000 === 999) {
          await nextTask(); // a new task: the engine's kept objects are released
          gc(); // stale ones are judged after a full collection
        }
      }
      expect(map.get("k")).toBe(b);
      // Judged alive after a full collection: STALE_LIMIT of them, plus those let go meanwhile.
      expect(counts.withToken).toBeGreaterThan(0);
      expect(counts.net).toBeGreaterThan(STALE_LIMIT);
      expect(counts.net).toBeLessThanOrEqual(2 * STALE_LIMIT + 64);
    });
  });

  it("native WeakRef: values replaced and dropped are finalized; no token is ever needed", async () => {
    await countingRegistrations(async (counts) => {
      const map = new WeakValueMap<number, { i: number }>();
      const live: { i: number }[] = []; // the program holds the current value of each key
      for (let i = 0; i < 40_000; i++) {
        const value = { i };
        live[i % 100] = value; // the one it replaces is dropped
        map.set(i % 100, value);
        await null;
        // Rarely, as in a real process: more than STALE_LIMIT values are dropped between two full
        // collections, and must not be taken for stale registrations.
        if (i % 10_000 === 9_999) {
          gc();
          await nextTask(); // cleanups run in their own task
        }
      }
      expect(counts.withToken).toBe(0);
      expect(map.size).toBe(100);
      expect(map.get(42)).toBe(live[42]);
    });
  });
});
