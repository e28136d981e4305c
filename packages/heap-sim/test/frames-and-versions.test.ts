/**
 * Frames (scopes of named variables) and the version option.
 */
import { describe, expect, it } from "vitest";
import { Heap, PythonError } from "../src/index.ts";

describe("frames", () => {
  it("bind, rebind (new stored before the old is released), delete, and release on dispose", () => {
    const py = new Heap();
    const log: string[] = [];
    const Obj = py.defineClass("Obj", { del: (s) => log.push(s.getAttr("n").value as string) });
    const f = py.frame("f");
    f.set("x", py.new(Obj, { n: "first" }));
    f.set("y", py.new(Obj, { n: "second" }));
    f.set("x", py.new(Obj, { n: "third" })); // x = Obj("third"): "first" dies now
    expect(log).toEqual(["first"]);
    expect(f.names()).toEqual(["x", "y"]);
    f.del("y");
    expect(log).toEqual(["first", "second"]);
    expect(() => f.del("y")).toThrow(PythonError);
    f.set("z", py.new(Obj, { n: "fourth" }));
    f.dispose(); // variables in binding order: x (third), then z (fourth)
    expect(log).toEqual(["first", "second", "third", "fourth"]);
    f.dispose(); // idempotent
    expect(() => f.set("a", 1)).toThrow("frame f is disposed");
  });

  it("call() binds parameters in a child frame and releases them even when the body throws", () => {
    const py = new Heap();
    using f = py.frame();
    f.set("o", py.list());
    expect(f.call({ x: f.get("o") }, (g) => py.getrefcount(g.get("x")))).toBe(3);
    expect(() =>
      f.call({ x: f.get("o") }, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(f.get("o").refcount).toBe(1);
  });
});

describe("version option", () => {
  it("3.11: the collection runs inside the allocation, before the new object is tracked", () => {
    const py = new Heap({ version: "3.11" });
    py.gc.setThreshold(2);
    const C = py.defineClass("C");
    const seen: number[] = [];
    py.gc.callbacks.push((phase) => {
      if (phase === "start") seen.push(py.gc.counts[0]);
    });
    using f = py.frame();
    f.set("a", py.new(C));
    f.set("b", py.new(C));
    expect(seen).toEqual([]);
    f.set("c", py.new(C)); // count0 3 > 2: collected inside this allocation
    expect(seen.length).toBe(1);
    expect(py.gc.isTracked(f.get("c"))).toBe(true);
    expect(py.gc.generationOf(f.get("c"))).toBe(0); // not examined: still young
    expect(py.gc.generationOf(f.get("a"))).toBe(1);
  });

  it("3.12: the collection only runs once the allocating call returns (the new object is examined)", () => {
    const py = new Heap({ version: "3.12" });
    py.gc.setThreshold(2);
    const C = py.defineClass("C");
    using f = py.frame();
    f.set("a", py.new(C));
    f.set("b", py.new(C));
    f.set("c", py.new(C));
    expect(py.gc.generationOf(f.get("c"))).toBe(1); // it was tracked when the collection ran
  });

  it("3.12/3.13: immortal singletons and constants do not move; 3.13 threshold is 2000", () => {
    for (const version of ["3.12", "3.13"] as const) {
      const py = new Heap({ version });
      using f = py.frame();
      for (let i = 0; i < 10; i++) f.set(`v${i}`, null);
      expect(py.getrefcount(py.None)).toBe(4294967295);
      expect(py.gc.getThreshold()[0]).toBe(version === "3.13" ? 2000 : 700);
    }
    const old = new Heap();
    using f = old.frame();
    const before = old.getrefcount(old.None);
    f.set("v", null);
    expect(old.getrefcount(old.None)).toBe(before + 1);
  });
});
