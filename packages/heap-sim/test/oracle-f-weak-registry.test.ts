/**
 * Oracle f (`f_weak_registry.py`): a plain dict keeps 1000 objects alive; a WeakValueDictionary
 * lets acyclic values go at `del` and cyclic ones at `gc.collect()`, which then returns 2000
 * (objects + the KeyedRefs their callbacks free); WeakKeyDictionary/WeakSet; the iteration guard;
 * `weakref.finalize`; which builtins refuse weak references. All exact, and live with other M.
 */
import { describe, expect, it } from "vitest";
import { Heap, type PyObject, PythonError } from "../src/index.ts";
import { oracle, pythonFor, runPython } from "./helpers/oracle.ts";

interface Registry {
  kind: string;
  cyclic_items: boolean;
  m: number;
  len_before: number;
  after_del_strong_refs: { len_registry: number; objects_alive: number };
  after_gc_collect: { len_registry: number; objects_alive: number; gc_collect_returned: number };
  after_del_registry_alive: number;
}

function lab() {
  const py = new Heap();
  py.gc.disable();
  const Item = py.defineClass("Item", { slots: ["key", "peer", "__weakref__"] });
  const makeItems = (f: ReturnType<Heap["frame"]>, m: number, cyclic: boolean) => {
    f.set("items", py.list());
    for (let i = 0; i < m; i++) f.get("items").append(py.new(Item, { key: i, peer: null }));
    if (cyclic) {
      const items = f.get("items").toArray();
      for (let i = 0; i + 1 < items.length; i += 2) {
        items[i]!.setAttr("peer", items[i + 1]!);
        items[i + 1]!.setAttr("peer", items[i]!);
      }
    }
  };
  return { py, Item, makeItems };
}

function registryCase(kind: string, cyclic: boolean, m: number): Registry {
  const { py, makeItems } = lab();
  py.gc.collect();
  using f = py.frame();
  makeItems(f, m, cyclic);
  f.set("probes", py.list());
  for (const x of f.get("items")) f.get("probes").append(py.weakref.ref(x));
  const alive = () =>
    f
      .get("probes")
      .toArray()
      .filter((r) => r.deref() !== undefined).length;
  let len: () => number;
  let dropRegistry: () => void;
  if (kind === "WeakValueDictionary") {
    const reg = py.weakref.WeakValueDictionary();
    for (const x of f.get("items")) reg.set(x.getAttr("key"), x);
    len = () => reg.size;
    dropRegistry = () => reg.dispose();
  } else {
    f.set("reg", py.dict());
    if (kind === "plain_dict")
      for (const x of f.get("items")) f.get("reg").setItem(x.getAttr("key"), x);
    len = () => f.get("reg").len();
    dropRegistry = () => f.del("reg");
  }
  const lenBefore = len();
  f.del("items");
  const afterDel = { len_registry: len(), objects_alive: alive() };
  const collected = py.gc.collect();
  const afterGc = { len_registry: len(), objects_alive: alive(), gc_collect_returned: collected };
  dropRegistry();
  const res: Registry = {
    kind,
    cyclic_items: cyclic,
    m,
    len_before: lenBefore,
    after_del_strong_refs: afterDel,
    after_gc_collect: afterGc,
    after_del_registry_alive: alive(),
  };
  py.gc.collect();
  expect(py.check()).toEqual([]);
  return res;
}

describe("oracle f: weak registries", () => {
  const want = oracle<Record<string, unknown>>("f_weak_registry");

  it("dict vs WeakValueDictionary, acyclic and cyclic values (gc.collect() returns 2000)", () => {
    const got: Registry[] = [];
    for (const kind of ["no_registry", "plain_dict", "WeakValueDictionary"]) {
      for (const cyclic of [false, true]) got.push(registryCase(kind, cyclic, 1000));
    }
    expect(got).toEqual(want.registry);
  });

  it("WeakKeyDictionary and WeakSet shrink as their referents die", () => {
    const { py, makeItems } = lab();
    py.gc.collect();
    using f = py.frame();
    makeItems(f, 1000, false);
    const wkd = py.weakref.WeakKeyDictionary();
    for (const x of f.get("items")) wkd.set(x, py.int((x.getAttr("key").value as number) * 2));
    const ws = py.weakref.WeakSet();
    for (const x of f.get("items")) ws.add(x);
    const before = [wkd.size, ws.size];
    f.get("items").delSlice(0, 500);
    const mid = [wkd.size, ws.size];
    f.del("items");
    const after = [wkd.size, ws.size];
    expect({ before, after_dropping_half: mid, after_dropping_all: after }).toEqual(
      want.weak_key_dict_and_weak_set,
    );
    wkd.dispose();
    ws.dispose();
  });

  it("values dying during iteration are deferred; len() inside the loop raises RuntimeError", () => {
    const { py, makeItems } = lab();
    py.gc.collect();
    using f = py.frame();
    makeItems(f, 1000, false);
    const wvd = py.weakref.WeakValueDictionary();
    for (const x of f.get("items")) wvd.set(x.getAttr("key"), x);
    let seen = 0;
    let during: Record<string, number> | undefined;
    for (const _k of wvd.keys()) {
      if (seen === 0) {
        f.get("items").delSlice(0, 10);
        during = {
          "len(wvd.data)": wvd.handle.getAttr("data").len(),
          "len(wvd._pending_removals)": wvd.handle.getAttr("_pending_removals").len(),
        };
      }
      seen++;
    }
    const res: Record<string, unknown> = {
      during_iteration_after_10_died: during,
      keys_yielded_by_iteration: seen,
      len_after_iteration: wvd.size,
    };
    makeItems(f, 1000, false); // items2
    const wvd2 = py.weakref.WeakValueDictionary();
    for (const x of f.get("items")) wvd2.set(x.getAttr("key"), x);
    try {
      let first = true;
      for (const _k of wvd2.keys()) {
        if (first) {
          f.get("items").delSlice(0, 10);
          void wvd2.size;
          first = false;
        }
      }
      res.len_inside_iteration = "no error";
    } catch (e) {
      res.len_inside_iteration = `${(e as PythonError).pythonType}: ${(e as Error).message.slice("RuntimeError: ".length)}`;
    }
    expect(res).toEqual(want.weak_value_dict_iteration_guard);
  });

  it("weakref.finalize: at most once, detach, explicit call, atexit flag", () => {
    const { py, Item } = lab();
    py.gc.collect();
    using f = py.frame();
    const log: string[] = [];
    f.set("a", py.new(Item, { key: "a" }));
    const f1 = py.weakref.finalize(f.get("a"), (s: string) => log.push(s), "finalizer ran");
    const state: Record<string, unknown> = { alive_before: f1.alive };
    f.del("a");
    state.log_after_del = [...log];
    state.alive_after = f1.alive;
    f.set("b", py.new(Item, { key: "b" }));
    const f2 = py.weakref.finalize(f.get("b"), (s: string) => log.push(s), "never");
    state.detach_returns_tuple = f2.detach() !== undefined;
    f.del("b");
    state.log_after_detached_del = [...log];
    f.set("c", py.new(Item, { key: "c" }));
    const divmod = (a: number, b: number) => [Math.floor(a / b), a % b];
    const f3 = py.weakref.finalize(f.get("c"), divmod, 17, 5);
    state.atexit_default_on_live_finalizer = f3.atexit;
    const r1 = f3.call();
    const r2 = f3.call();
    state.explicit_call_then_second_call_returns = [r1, r2 ?? null];
    state.log_final = [...log];
    state.atexit_after_finalizer_ran = f3.atexit;
    expect(state).toEqual(want.finalize);
  });

  it("builtins that cannot be weakly referenced refuse with TypeError", () => {
    const { py } = lab();
    const Slots = py.defineClass("S", { slots: ["x"] });
    const Weak = py.defineClass("W", { slots: ["x", "__weakref__"] });
    const cases: Record<string, () => PyObject> = {
      int: () => py.int(1000),
      float: () => py.float(1.5),
      str: () => py.str("str"),
      bytes: () => py.bytes([98, 98]),
      tuple: () => py.tuple([1]),
      list: () => py.list(),
      dict: () => py.dict(),
      set: () => py.set(),
      frozenset: () => py.frozenset(),
      None: () => py.None,
      bool: () => py.True,
      "object()": () => py.object(),
      function: () => py.function(),
      bytearray: () => py.bytearray(),
      instance_with_slots_and___weakref__: () => py.new(Weak),
      slots_without___weakref__: () => py.new(Slots),
      range: () => py.range(3),
      complex: () => py.complex(0, 1),
    };
    const expected = want.weakref_supported as Record<string, boolean>;
    for (const [name, make] of Object.entries(cases)) {
      using obj = make();
      let ok = true;
      try {
        py.weakref.ref(obj).dispose();
      } catch (e) {
        expect(e).toBeInstanceOf(PythonError);
        expect((e as Error).message).toContain(`cannot create weak reference to '`);
        ok = false;
      }
      expect([name, ok]).toEqual([name, expected[name]]);
    }
  });

  const python = pythonFor("3.11");
  it.skipIf(python === undefined)("matches CPython live with other registry sizes", () => {
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
def case(kind, cyclic, m):
    gc.collect()
    items = make_items(cyclic, m)
    probes = [weakref.ref(x) for x in items]
    reg = {x.key: x for x in items} if kind == "plain_dict" else ({} if kind == "no_registry" else weakref.WeakValueDictionary((x.key, x) for x in items))
    del items
    a = [len(reg), sum(r() is not None for r in probes)]
    c = gc.collect()
    return a + [c, len(reg), sum(r() is not None for r in probes)]
print(json.dumps([case(k, c, m) for k, c, m in json.loads(sys.argv[1])]))
`;
    const cases: [string, boolean, number][] = [
      ["WeakValueDictionary", true, 77],
      ["WeakValueDictionary", false, 131],
      ["plain_dict", true, 64],
      ["no_registry", true, 301],
    ];
    const live = runPython<number[][]>(python!, code, [JSON.stringify(cases)]);
    const got = cases.map(([k, c, m]) => {
      const r = registryCase(k, c, m);
      return [
        r.after_del_strong_refs.len_registry,
        r.after_del_strong_refs.objects_alive,
        r.after_gc_collect.gc_collect_returned,
        r.after_gc_collect.len_registry,
        r.after_gc_collect.objects_alive,
      ];
    });
    expect(got).toEqual(live);
  });
});
