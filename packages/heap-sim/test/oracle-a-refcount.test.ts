/**
 * Oracle a (`a_refcount.py`): getrefcount deltas, immediate freeing with `__del__` before the
 * weakref callback, and the free order of container items. All exact.
 */
import { describe, expect, it } from "vitest";
import { Heap, type PyObject } from "../src/index.ts";
import { oracle } from "./helpers/oracle.ts";

interface OracleA {
  aliasing_steps: [string, number | boolean][];
  aliasing_log: string[];
  function_args: Record<string, number>;
  free_order: Record<string, string[]>;
  weakref_timing: {
    step1: { after_del_name_alive: boolean; callbacks: number };
    step2: { after_clear_alive: boolean; callbacks: [string, boolean][]; log: string[] };
  };
  immortal_and_cached: Record<string, unknown>;
}

function setup(version: "3.11" | "3.12" | "3.13" = "3.11") {
  const py = new Heap({ version });
  py.gc.disable();
  const LOG: string[] = [];
  const Obj = py.defineClass("Obj", {
    del: (self) => LOG.push(`__del__ ${self.getAttr("name").value as string}`),
  });
  return { py, LOG, Obj };
}

describe("oracle a: reference counting", () => {
  const want = oracle<OracleA>("a_refcount");

  it("aliasing: getrefcount after each binding, __del__ then the weakref callback inside `del o`", () => {
    const { py, LOG, Obj } = setup();
    const steps: [string, number | boolean][] = [];
    using f = py.frame("scenario_aliasing");
    const rc = (name: string) => py.getrefcount(f.get(name));
    f.set("o", py.new(Obj, { name: "o" }));
    f.set(
      "wr",
      py.weakref.ref(f.get("o"), () => LOG.push("weakref-callback o")),
    );
    steps.push(["o = Obj()", rc("o")]);
    f.set("a", f.get("o"));
    steps.push(["a = o", rc("o")]);
    f.set("lst", py.list([f.get("o")]));
    steps.push(["lst = [o]", rc("o")]);
    f.set("d", py.dict([["k", f.get("o")]]));
    steps.push(["d = {'k': o}", rc("o")]);
    f.set("t", py.tuple([f.get("o"), f.get("o")]));
    steps.push(["t = (o, o)", rc("o")]);
    f.del("t");
    steps.push(["del t", rc("o")]);
    f.del("a");
    steps.push(["del a", rc("o")]);
    f.get("lst").pop().dispose(); // lst.pop() as a statement: the popped reference is dropped
    steps.push(["lst.pop()", rc("o")]);
    f.get("d").delItem("k");
    steps.push(["del d['k']", rc("o")]);
    LOG.push("before del o");
    f.del("o");
    LOG.push("after del o");
    steps.push(["del o -> weakref alive?", f.get("wr").deref() !== undefined]);
    expect(steps).toEqual(want.aliasing_steps);
    expect(LOG).toEqual(want.aliasing_log);
  });

  it("function arguments: the callee's parameter is one more reference", () => {
    const { py, Obj } = setup();
    using f = py.frame();
    f.set("o", py.new(Obj, { name: "arg" }));
    const outside = py.getrefcount(f.get("o"));
    const inside = f.call({ x: f.get("o") }, (g) => py.getrefcount(g.get("x")));
    const inside2 = f.call({ x: f.get("o"), y: f.get("o") }, (g) => py.getrefcount(g.get("x")));
    expect({ caller_view: outside, "inside_f(o)": inside, "inside_g(o,o)": inside2 }).toEqual(
      want.function_args,
    );
  });

  it("free order of container items (list/tuple last to first; dict and attributes in order)", () => {
    const out: Record<string, string[]> = {};
    for (const kind of ["list", "tuple", "dict_values", "instance_attrs", "nested_chain"]) {
      const { py, LOG, Obj } = setup();
      using f = py.frame();
      const obj = (name: string) => py.new(Obj, { name });
      if (kind === "list") f.set("c", py.list(["L0", "L1", "L2", "L3"].map(obj)));
      else if (kind === "tuple") f.set("c", py.tuple(["T0", "T1", "T2", "T3"].map(obj)));
      else if (kind === "dict_values") {
        f.set("c", py.dict());
        for (let i = 0; i < 4; i++) f.get("c").setItem(i, obj(`D${i}`));
      } else if (kind === "instance_attrs") {
        f.set("c", obj("holder"));
        for (let i = 0; i < 4; i++) f.get("c").setAttr(`a${i}`, obj(`A${i}`));
      } else {
        f.set("c", obj("n0"));
        f.get("c").setAttr("next", obj("n1"));
        f.get("c").getAttr("next").setAttr("next", obj("n2"));
        f.get("c").getAttr("next").getAttr("next").setAttr("next", obj("n3"));
      }
      LOG.push("-- del container --");
      f.del("c");
      LOG.push("-- after del --");
      out[kind] = [...LOG];
      expect(py.check()).toEqual([]);
    }
    expect(out).toEqual(want.free_order);
  });

  it("weakref callbacks fire synchronously inside the decref that frees the object", () => {
    const { py, LOG, Obj } = setup();
    using f = py.frame();
    const fired: [string, boolean][] = [];
    f.set("o", py.new(Obj, { name: "w" }));
    f.set(
      "wr",
      py.weakref.ref(f.get("o"), (r) => fired.push(["callback", r.deref() === undefined])),
    );
    f.set("holder", py.list([f.get("o")]));
    f.del("o");
    const step1 = {
      after_del_name_alive: f.get("wr").deref() !== undefined,
      callbacks: fired.length,
    };
    f.get("holder").clear();
    const step2 = {
      after_clear_alive: f.get("wr").deref() !== undefined,
      callbacks: [...fired],
      log: [...LOG],
    };
    expect({ step1, step2 }).toEqual(want.weakref_timing);
  });

  it("small ints and the empty tuple are shared; a fresh 257 has refcount 1", () => {
    const { py } = setup();
    const same = (a: PyObject, b: PyObject) => {
      const r = a.is(b);
      a.dispose();
      b.dispose();
      return r;
    };
    using fresh = py.int(257);
    const got = {
      small_int_256_is_cached: same(py.int(256), py.int(256)),
      int_257_is_cached: same(py.int(257), py.int(257)),
      empty_tuple_singleton: same(py.tuple(), py.tuple([])),
      "getrefcount(fresh_int_257)": py.getrefcount(fresh),
    };
    const w = want.immortal_and_cached;
    expect(got).toEqual({
      small_int_256_is_cached: w.small_int_256_is_cached,
      int_257_is_cached: w.int_257_is_cached,
      empty_tuple_singleton: w.empty_tuple_singleton,
      "getrefcount(fresh_int_257)": w["getrefcount(fresh_int_257)"],
    });
  });

  it("3.12 and 3.13: the same deltas, and None is immortal (getrefcount 4294967295)", () => {
    for (const version of ["3.12", "3.13"] as const) {
      const other = oracle<OracleA>("a_refcount", version === "3.12" ? "3.12.1" : "3.13.0");
      const { py } = setup(version);
      expect(py.getrefcount(py.None)).toBe(other.immortal_and_cached["getrefcount(None)"]);
      const { py: py11 } = setup("3.11");
      expect(py11.getrefcount(py11.None)).not.toBe(4294967295);
    }
  });
});
