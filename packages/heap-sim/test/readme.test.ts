/**
 * The README's examples, line by line, with the numbers the README states in its comments.
 */
import { describe, expect, it } from "vitest";
import { Heap, type PyObject, PythonError } from "../src/index.ts";

describe("README examples", () => {
  it("in 30 seconds", () => {
    const py = new Heap();
    py.gc.disable();
    const Node = py.defineClass("Node");
    {
      using f = py.frame();
      f.set("a", py.new(Node));
      f.set("b", py.new(Node, { peer: f.get("a") }));
      f.get("a").setAttr("peer", f.get("b"));
      expect(py.getrefcount(f.get("a"))).toBe(3);
      expect(py.getsizeof(f.get("a"))).toBe(56);
      const probe = py.weakref.ref(f.get("a"));
      f.del("a");
      f.del("b");
      expect(probe.deref() !== undefined).toBe(true);
      expect(py.gc.collect()).toBe(2);
      expect(probe.deref()).toBe(undefined);
      probe.dispose();
    }
    expect(py.check()).toEqual([]);
  });

  it("how it reads", () => {
    const py = new Heap();
    {
      using f = py.frame();
      f.set("lst", py.list([1, 2, 3]));
      expect(py.getsizeof(f.get("lst"))).toBe(88);
      f.get("lst").append(py.float(4.5));
      using x = f.get("lst").pop();
      expect(x.value).toBe(4.5);
      expect(py.getsizeof(f.get("lst"))).toBe(88);
      expect(py.getsizeof(py.list([1, 2, 3], { folded: false }))).toBe(80);
      expect(() => py.weakref.ref(py.int(1000))).toThrow(PythonError);
    }
    expect(py.check()).toEqual([]);
  });

  it("when the collector runs", () => {
    const py = new Heap();
    py.gc.collect();
    using f = py.frame();
    f.set("keep", py.list());
    const starts: number[] = [];
    let i = 0;
    py.on((e) => {
      if (e.type === "gc-start") starts.push(i);
    });
    for (i = 1; i <= 2000; i++) f.get("keep").append(py.list());
    expect(starts).toEqual([700, 1401]);
    expect(py.gc.getCount()).toEqual([599, 2, 0]);
  });

  it("arenas stay mapped", () => {
    const py = new Heap();
    using f = py.frame();
    expect(py.pymalloc.stats().arenasAllocatedCurrent).toBe(0);
    f.set("xs", py.list());
    const xs = f.get("xs");
    for (let i = 0; i < 1_000_000; i++) xs.append(py.float(i + 0.5));
    expect(py.pymalloc.stats().arenasAllocatedCurrent).toBe(32);
    expect(py.pymalloc.stats().sizeClasses[1]).toMatchObject({
      blockSize: 32,
      pools: 1961,
      blocksInUse: 1_000_000,
    });
    f.set("kept", py.list());
    for (let i = 0; i < 1_000_000; i += 100) f.get("kept").append(xs.getItem(i));
    f.del("xs");
    const after = py.pymalloc.stats();
    expect(after.arenasAllocatedCurrent).toBe(32);
    expect(after.sizeClasses[1]).toMatchObject({ pools: 1961, blocksInUse: 10_100 });
    expect(py.pymalloc.debugMallocStats()).toContain("# arenas allocated current         =");
    expect(py.pymalloc.snapshot().arenas.length).toBe(32);
  });

  it("finalizers and resurrection", () => {
    const py = new Heap();
    py.gc.disable();
    let saved: PyObject | undefined;
    const Phoenix = py.defineClass("Phoenix", {
      del: (self) => {
        saved = self.share();
      },
    });
    {
      using f = py.frame();
      f.set("p", py.new(Phoenix));
      f.get("p").setAttr("me", f.get("p"));
      f.del("p");
      expect(py.gc.collect()).toBe(0);
      expect(py.gc.isFinalized(saved!)).toBe(true);
      saved!.dispose();
      expect(py.gc.collect()).toBe(1);
    }
    expect(py.check()).toEqual([]);
  });

  it("with the other heapwise packages", () => {
    const py = new Heap();
    const weak = py.weakProvider();
    const registry = weak.finalizationRegistry<string>((held) => log.push(held));
    const log: string[] = [];
    const Big = py.defineClass("Big");
    {
      using obj = py.new(Big);
      const ref = weak.weakRef(obj);
      registry.register(obj, "obj freed");
      expect(ref.deref()).toBe(obj);
    }
    expect(log).toEqual(["obj freed"]);

    const alloc = py.allocator();
    const buf = alloc.allocate(1 << 20);
    expect(py.memory().rawBytes).toBe(1 << 20);
    alloc.release(buf);
    expect(py.memory().rawBytes).toBe(0);
  });
});
