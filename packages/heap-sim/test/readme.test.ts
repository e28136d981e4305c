/**
 * The README's examples, line by line, with the numbers the README states in its comments.
 */
import { GrowableBuffer } from "@heapwise/buffer";
import { WeakCache, WeakValueMap } from "@heapwise/cache";
import { DisposableStack } from "@heapwise/dispose";
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
    py.gc.disable();
    const Session = py.defineClass("Session");
    using f = py.frame();
    const sessions = new WeakValueMap<string, PyObject>(null, { weakProvider: py.weakProvider() });
    f.set("a", py.new(Session));
    f.set("b", py.new(Session, { peer: f.get("a") }));
    f.get("a").setAttr("peer", f.get("b"));
    f.set("c", py.new(Session));
    for (const k of ["a", "b", "c"]) sessions.set(k, f.get(k));
    f.del("c");
    expect(sessions.size).toBe(2);
    f.del("a");
    f.del("b");
    expect(sessions.size).toBe(2);
    expect(py.gc.collect()).toBe(2);
    expect(sessions.size).toBe(0);

    const removed: string[] = [];
    const cache = new WeakCache<string, PyObject>({
      max: 1,
      weakProvider: py.weakProvider(),
      onRemove: (key, _value, reason) => removed.push(`${key}: ${reason}`),
    });
    f.set("x", py.new(Session));
    f.set("y", py.new(Session));
    const before = py.getrefcount(f.get("x"));
    cache.set("x", f.get("x")).set("y", f.get("y"));
    expect(py.getrefcount(f.get("x"))).toBe(before);
    expect(cache.get("x")?.alive).toBe(true);
    f.del("y");
    expect(removed).toEqual(["y: collected"]);
    expect(cache.stats().collected).toBe(1);

    const allocator = py.allocator({ domain: "mem" });
    py.tracemalloc.start();
    {
      using arr = new GrowableBuffer("float64", { allocator, growth: "python" });
      for (let i = 0; i < 1_000_000; i++) arr.push(i);
      expect(py.tracemalloc.getTracedMemory()[0]).toBe(8183736);
      expect(arr.capacity).toBe(1_022_967);
      expect(py.pymalloc.stats().rawBytes).toBe(8183736);
    }
    expect(py.tracemalloc.getTracedMemory()[0]).toBe(0);
    f.set("lst", py.list());
    for (let i = 0; i < 1_000_000; i++) f.get("lst").append(py.float(i));
    expect(py.tracemalloc.getTracedMemory()[0]).toBe(32448728);
    py.tracemalloc.stop();
    f.del("lst");

    const freed: string[] = [];
    py.on((e) => {
      if (e.type === "free") freed.push(e.typeName);
    });
    {
      using stack = new DisposableStack();
      stack.use(py.new(Session));
      stack.use(py.float(2.5));
      stack.use(py.frame("inner")).set("s", py.str("local"));
    }
    expect(freed).toEqual(["str", "float", "Session"]);
    f.dispose();
    py.gc.collect();
    expect(py.check()).toEqual([]);
  });
});
