/**
 * DESIGN.md's weak-reference seam, end to end: the real `WeakValueMap` and `WeakCache` of
 * @heapwise/cache, given `heap.weakProvider()`, hold handles to simulated objects, and their entries
 * leave exactly when CPython would free the object: at the `del` that drops the last reference, or
 * in the `gc.collect()` that finds it in an unreachable cycle. Oracle f's registry scenario runs on
 * the real `WeakValueMap` with oracle f's numbers.
 */
import { Finalizer, type RemovalReason, WeakCache, WeakValueMap } from "@heapwise/cache";
import { describe, expect, it } from "vitest";
import { type Frame, Heap, type PyObject, PythonError } from "../src/index.ts";
import { oracle, pythonFor, runPython } from "./helpers/oracle.ts";

/** A heap with the collector off (only `gc.collect()` collects) and a plain class. */
function lab() {
  const py = new Heap();
  py.gc.disable();
  const Session = py.defineClass("Session");
  return { py, Session };
}

/** `a.peer = b; b.peer = a`. */
function pair(f: Frame, a: string, b: string): void {
  f.get(a).setAttr("peer", f.get(b));
  f.get(b).setAttr("peer", f.get(a));
}

describe("WeakValueMap over simulated objects", () => {
  it("an entry leaves at the del that frees its object, a cycle's at gc.collect()", () => {
    const { py, Session } = lab();
    const sessions = new WeakValueMap<string, PyObject>(null, { weakProvider: py.weakProvider() });
    using f = py.frame();
    for (const name of ["a", "b", "c", "d"]) {
      f.set(name, py.new(Session));
      sessions.set(name, f.get(name));
    }
    pair(f, "c", "d");
    expect(sessions.size).toBe(4);
    expect(py.getrefcount(f.get("a"))).toBe(2); // the map holds no reference: f's and the argument

    f.del("a"); // refcount 0: freed now, and its entry with it
    expect(sessions.size).toBe(3);
    expect(sessions.has("a")).toBe(false);
    expect(sessions.get("b")?.alive).toBe(true);

    f.del("c");
    f.del("d"); // a cycle: refcounts stay at 1, nothing is freed, the entries stay
    expect(sessions.size).toBe(3);
    expect(sessions.get("c")?.alive).toBe(true);
    expect(py.gc.collect()).toBe(2);
    expect([...sessions.keys()]).toEqual(["b"]);
    expect(sessions.size).toBe(1);
    expect(py.check()).toEqual([]);
  });

  it("a late cleanup does not remove a key that was set again", () => {
    const { py, Session } = lab();
    const weak = py.weakProvider({ cleanup: "queued" }); // cleanups wait for flush(), like JS's
    const map = new WeakValueMap<string, PyObject>(null, { weakProvider: weak });
    using f = py.frame();
    f.set("old", py.new(Session));
    map.set("k", f.get("old"));
    f.del("old"); // freed; its cleanup is queued
    expect(weak.pending).toBe(1);
    f.set("new", py.new(Session));
    map.set("k", f.get("new"));
    expect(weak.flush()).toBe(1); // the old object's cleanup runs late...
    expect(map.get("k")?.id).toBe(f.get("new").id); // ...and leaves the new value alone
    expect(map.size).toBe(1);

    f.del("new");
    expect(map.size).toBe(1); // counted until its cleanup runs (as with FinalizationRegistry)
    expect(map.get("k")).toBeUndefined(); // but never returned once freed
    weak.flush();
    expect(map.size).toBe(0);
  });

  it("refuses what CPython cannot weakly reference, leaving the map unchanged", () => {
    const { py } = lab();
    const map = new WeakValueMap<string, PyObject>(null, { weakProvider: py.weakProvider() });
    using x = py.float(1.5);
    expect(() => map.set("x", x)).toThrow(PythonError);
    expect(() => map.set("x", x)).toThrow("cannot create weak reference to 'float' object");
    expect(map.size).toBe(0);
  });

  it("oracle f: a registry of 1000 objects empties at del (acyclic) or at gc.collect() (cycles)", () => {
    const want = oracle<{ registry: Registry[] }>("f_weak_registry").registry.filter(
      (r) => r.kind === "WeakValueDictionary",
    );
    expect(want.length).toBe(2);
    for (const w of want) {
      const got = registryCase(w.cyclic_items, w.m);
      // Every number about the simulated objects is oracle f's.
      expect(got.result).toEqual({
        ...w,
        after_gc_collect: { ...w.after_gc_collect, gc_collect_returned: got.collected },
      });
      // CPython's WeakValueDictionary holds a KeyedRef per entry in the Python heap, freed by its
      // callback inside the collection and counted in collect()'s return value. WeakValueMap's weak
      // references live in the JS heap: collect() counts the objects, the map's cleanups the rest.
      expect(got.collected + got.cleanupsInCollect).toBe(w.after_gc_collect.gc_collect_returned);
      // The same scenario with heap-sim's own WeakValueDictionary (KeyedRefs simulated) gives 2M.
      expect(simulatedWvdCollect(w.cyclic_items, w.m)).toBe(w.after_gc_collect.gc_collect_returned);
    }
  });

  const python = pythonFor("3.11");
  it.skipIf(python === undefined)("oracle f live with other registry sizes", () => {
    const code = `
import gc, json, sys, weakref
gc.disable()
class Item:
    __slots__ = ("key", "peer", "__weakref__")
    def __init__(self, key):
        self.key = key; self.peer = None
def make_items(cyclic, m):
    items = [Item(i) for i in range(m)]
    if cyclic:
        for a, b in zip(items[0::2], items[1::2]): a.peer = b; b.peer = a
    return items
def case(cyclic, m):
    gc.collect()
    items = make_items(cyclic, m)
    probes = [weakref.ref(x) for x in items]
    reg = weakref.WeakValueDictionary((x.key, x) for x in items)
    del items
    a = [len(reg), sum(r() is not None for r in probes)]
    c = gc.collect()
    return a + [c, len(reg), sum(r() is not None for r in probes)]
print(json.dumps([case(c, m) for c, m in json.loads(sys.argv[1])]))
`;
    const cases: [boolean, number][] = [
      [true, 77],
      [false, 131],
      [true, 500],
    ];
    const live = runPython<number[][]>(python!, code, [JSON.stringify(cases)]);
    const got = cases.map(([cyclic, m]) => {
      const r = registryCase(cyclic, m);
      return [
        r.result.after_del_strong_refs.len_registry,
        r.result.after_del_strong_refs.objects_alive,
        r.collected + r.cleanupsInCollect,
        r.result.after_gc_collect.len_registry,
        r.result.after_gc_collect.objects_alive,
      ];
    });
    expect(got).toEqual(live);
  });
});

interface Registry {
  kind: string;
  cyclic_items: boolean;
  m: number;
  len_before: number;
  after_del_strong_refs: { len_registry: number; objects_alive: number };
  after_gc_collect: { len_registry: number; objects_alive: number; gc_collect_returned: number };
  after_del_registry_alive: number;
}

/** Oracle f's `Item`: `__slots__ = ("key", "peer", "__weakref__")`; M of them, paired if cyclic. */
function itemsLab(cyclic: boolean, m: number) {
  const { py } = lab();
  const Item = py.defineClass("Item", { slots: ["key", "peer", "__weakref__"] });
  py.gc.collect();
  const f = py.frame();
  f.set("items", py.list());
  for (let i = 0; i < m; i++) f.get("items").append(py.new(Item, { key: i, peer: null }));
  if (cyclic) {
    const items = f.get("items").toArray();
    for (let i = 0; i + 1 < items.length; i += 2) {
      items[i]!.setAttr("peer", items[i + 1]!);
      items[i + 1]!.setAttr("peer", items[i]!);
    }
  }
  f.set("probes", py.list());
  for (const x of f.get("items")) f.get("probes").append(py.weakref.ref(x));
  const alive = () =>
    f
      .get("probes")
      .toArray()
      .filter((r) => r.deref() !== undefined).length;
  return { py, f, alive };
}

/** `registry_case("WeakValueDictionary", cyclic)` of oracle f, with the real WeakValueMap. */
function registryCase(cyclic: boolean, m: number) {
  const { py, f, alive } = itemsLab(cyclic, m);
  let cleanups = 0;
  const weak = py.weakProvider();
  let reg: WeakValueMap<number, PyObject> | undefined = new WeakValueMap<number, PyObject>(null, {
    weakProvider: {
      weakRef: (t) => weak.weakRef(t),
      finalizationRegistry: (cleanup) =>
        weak.finalizationRegistry((held) => {
          cleanups++;
          cleanup(held);
        }),
    },
  });
  for (const x of f.get("items")) reg.set(x.getAttr("key").value as number, x);
  const lenBefore = reg.size;
  f.del("items");
  const afterDel = { len_registry: reg.size, objects_alive: alive() };
  const before = cleanups;
  const collected = py.gc.collect();
  const cleanupsInCollect = cleanups - before;
  const afterGc = {
    len_registry: reg.size,
    objects_alive: alive(),
    gc_collect_returned: collected,
  };
  reg = undefined; // del reg
  const result: Registry = {
    kind: "WeakValueDictionary",
    cyclic_items: cyclic,
    m,
    len_before: lenBefore,
    after_del_strong_refs: afterDel,
    after_gc_collect: afterGc,
    after_del_registry_alive: alive(),
  };
  f.dispose();
  py.gc.collect();
  expect(py.check()).toEqual([]);
  return { result, collected, cleanupsInCollect };
}

/** The same case with heap-sim's simulated `weakref.WeakValueDictionary`: collect()'s return. */
function simulatedWvdCollect(cyclic: boolean, m: number): number {
  const { py, f } = itemsLab(cyclic, m);
  const reg = py.weakref.WeakValueDictionary();
  for (const x of f.get("items")) reg.set(x.getAttr("key"), x);
  f.del("items");
  const collected = py.gc.collect();
  reg.dispose();
  f.dispose();
  return collected;
}

describe("WeakCache over simulated objects", () => {
  function cacheLab(max: number, cleanup: "sync" | "queued" = "sync") {
    const { py, Session } = lab();
    const weak = py.weakProvider({ cleanup });
    const removed: [string, number | undefined, RemovalReason][] = [];
    const cache = new WeakCache<string, PyObject>({
      max,
      weakProvider: weak,
      onRemove: (key, value, reason) => removed.push([key, value?.id, reason]),
    });
    return { py, Session, weak, cache, removed };
  }

  it("strong and weak tiers: entries leave when the simulated object is freed (reason collected)", () => {
    const { py, Session, cache, removed } = cacheLab(2);
    using f = py.frame();
    for (const name of ["a", "b", "c"]) {
      f.set(name, py.new(Session));
      cache.set(name, f.get(name));
    }
    // "a" was pushed out of the strong tier (max 2) into the weak tier: f still holds it.
    expect(cache.stats()).toMatchObject({ entries: 3, weakEntries: 1, evictions: 1 });
    expect(cache.get("a")?.id).toBe(f.get("a").id); // a weak hit, promoted ("b" demoted)
    expect(cache.stats()).toMatchObject({ weakHits: 1, weakEntries: 1 });

    f.del("b"); // "b" is in the weak tier: freed at this del, its entry goes
    expect(removed).toEqual([["b", undefined, "collected"]]);
    f.del("c"); // "c" is in the strong tier: the provider is the authority, it goes too
    expect(removed).toEqual([
      ["b", undefined, "collected"],
      ["c", undefined, "collected"],
    ]);
    expect(cache.get("c")).toBeUndefined();
    expect(cache.stats()).toMatchObject({ collected: 2, entries: 1, misses: 1 });
    expect(py.getrefcount(f.get("a"))).toBe(2); // the cache holds no simulated reference
    expect(py.check()).toEqual([]);
  });

  it("a cycle's entries leave in gc.collect(), not before", () => {
    const { py, Session, cache, removed } = cacheLab(10);
    using f = py.frame();
    f.set("x", py.new(Session));
    f.set("y", py.new(Session));
    pair(f, "x", "y");
    cache.set("x", f.get("x"));
    cache.set("y", f.get("y"));
    f.del("x");
    f.del("y");
    expect(cache.size).toBe(2);
    expect(cache.get("x")?.alive).toBe(true); // unreachable, but not freed yet
    expect(py.gc.collect()).toBe(2);
    expect(removed.map(([k, , r]) => `${k}:${r}`).sort()).toEqual(["x:collected", "y:collected"]);
    expect(cache.size).toBe(0);
    expect(cache.stats().collected).toBe(2);
  });

  it("a late cleanup does not remove a key that was set again", () => {
    const { py, Session, weak, cache, removed } = cacheLab(1, "queued");
    using f = py.frame();
    f.set("v1", py.new(Session));
    cache.set("k", f.get("v1"));
    f.del("v1"); // freed; the cleanup is queued
    f.set("v2", py.new(Session));
    cache.set("k", f.get("v2")); // replaces the (dead) value: reason "set"
    expect(weak.flush()).toBe(1);
    expect(cache.get("k")?.id).toBe(f.get("v2").id);
    expect(removed.map(([k, , r]) => `${k}:${r}`)).toEqual(["k:set"]);
    expect(cache.stats().collected).toBe(0);
  });

  it("values CPython cannot weakly reference stay in the strong tier only", () => {
    const { py, cache, removed } = cacheLab(1);
    using f = py.frame();
    f.set("x", py.float(2.5));
    cache.set("x", f.get("x"));
    f.set("y", py.float(3.5));
    cache.set("y", f.get("y")); // "x" is evicted, not kept weakly (a float has no weakref slot)
    expect(removed.map(([k, , r]) => `${k}:${r}`)).toEqual(["x:evict"]);
    expect(cache.stats().weakEntries).toBe(0);
  });
});

/**
 * V8 (Node 20.20, 24.21) loses every later cleanup in the process when a FinalizationRegistry with
 * pending cleanups is collected before its cleanup task runs. heap-sim's registries are not
 * FinalizationRegistry objects: their registrations live in the heap's table and run inside the
 * decref or collection that frees the target (or at `flush()`), so none can be lost that way.
 */
describe("no native FinalizationRegistry on the simulated path", () => {
  it("heap-sim and the cache structures over its provider construct none", () => {
    const Native = globalThis.FinalizationRegistry;
    let made = 0;
    class Counting<H> extends Native<H> {
      constructor(cleanup: (held: H) => void) {
        super(cleanup);
        made++;
      }
    }
    globalThis.FinalizationRegistry = Counting as typeof FinalizationRegistry;
    const log: string[] = [];
    try {
      const { py, Session } = lab();
      const weakProvider = py.weakProvider();
      const map = new WeakValueMap<string, PyObject>(null, { weakProvider });
      const cache = new WeakCache<string, PyObject>({ max: 1, weakProvider });
      using f = py.frame();
      f.set("a", py.new(Session));
      f.set("b", py.new(Session));
      map.set("a", f.get("a"));
      cache.set("a", f.get("a")).set("b", f.get("b"));
      const fin = new Finalizer(f.get("a"), (what: string) => log.push(what), {
        args: ["a finalized"],
        weakProvider,
      });
      py.weakref.finalize(f.get("b"), (what: string) => log.push(what), "b finalized");
      f.del("a");
      f.del("b");
      expect(fin.alive).toBe(false);
      expect([map.size, cache.size]).toEqual([0, 0]);
    } finally {
      globalThis.FinalizationRegistry = Native;
    }
    expect(log).toEqual(["a finalized", "b finalized"]);
    expect(made).toBe(0);
  });

  it("a registry dropped before its targets die still gets its cleanups", async () => {
    const { py, Session } = lab();
    const weak = py.weakProvider();
    const log: number[] = [];
    using f = py.frame();
    f.set("x", py.new(Session));
    const dropped = (() => {
      const registry = weak.finalizationRegistry<number>((n) => log.push(n));
      registry.register(f.get("x"), 1);
      return new WeakRef(registry);
    })();
    await new Promise((resolve) => setImmediate(resolve));
    globalThis.gc!();
    expect(dropped.deref()).toBeUndefined(); // the registry object itself is gone...
    f.del("x");
    expect(log).toEqual([1]); // ...its registration was not
  });

  it("a WeakValueMap is not kept alive by the heap once its objects are freed", async () => {
    const { py, Session } = lab();
    const weakProvider = py.weakProvider();
    using f = py.frame();
    const ref = (() => {
      const map = new WeakValueMap<number, PyObject>(null, { weakProvider });
      for (let i = 0; i < 10; i++) {
        f.set(`o${i}`, py.new(Session));
        map.set(i, f.get(`o${i}`));
      }
      return new WeakRef(map);
    })();
    for (let i = 0; i < 10; i++) f.del(`o${i}`);
    await new Promise((resolve) => setImmediate(resolve));
    globalThis.gc!();
    expect(ref.deref()).toBeUndefined();
  });

  it("weak references to one object share one record, however many are made", () => {
    const { py, Session } = lab();
    const weak = py.weakProvider();
    const cache = new WeakCache<number, PyObject>({ max: 4, weakProvider: weak });
    using f = py.frame();
    f.set("o", py.new(Session));
    const o = f.get("o");
    const watchers = () => py.memory().simulator.watchers;
    for (let i = 0; i < 4; i++) cache.set(i, o);
    expect(watchers()).toBe(1 + 4); // one shared weak record, four registrations
    for (let i = 0; i < 10_000; i++) cache.set(i % 4, o);
    // A fresh handle per call: still the same object, still the same record.
    const refs = Array.from({ length: 1000 }, () => weak.weakRef(f.get("o")));
    expect(refs.every((r) => r.deref() !== undefined)).toBe(true);
    expect(watchers()).toBe(1 + 4);
    f.del("o");
    expect(watchers()).toBe(0);
    expect(refs.some((r) => r.deref() !== undefined)).toBe(false);
    expect(cache.size).toBe(0);
  });
});
