/**
 * The interfaces other packages accept: a WeakProvider over simulated objects (for
 * @heapwise/cache) and an Allocator charged to the simulated heap (for @heapwise/buffer). Their
 * shapes are declared here again, as the consuming packages declare them, to prove structural
 * compatibility at compile time.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { Heap, type PyObject, PythonError } from "../src/index.ts";

// --- the shapes as @heapwise/cache and @heapwise/buffer declare them ---
interface CacheWeakRefLike<T extends object> {
  deref(): T | undefined;
}
interface CacheFinalizationRegistryLike<H> {
  register(target: object, heldValue: H, unregisterToken?: object): void;
  unregister(unregisterToken: object): boolean;
}
interface CacheWeakProvider {
  weakRef<T extends object>(target: T): CacheWeakRefLike<T>;
  finalizationRegistry<H>(cleanup: (heldValue: H) => void): CacheFinalizationRegistryLike<H>;
}
interface BufferAllocator {
  allocate(byteLength: number): ArrayBuffer | Uint8Array;
  release(memory: ArrayBuffer | Uint8Array): void;
}

describe("WeakProvider over simulated objects", () => {
  it("is structurally a cache WeakProvider", () => {
    const py = new Heap();
    const provider: CacheWeakProvider = py.weakProvider();
    expectTypeOf(provider.weakRef).toBeFunction();
    expect(typeof provider.finalizationRegistry).toBe("function");
  });

  it("deref() returns the handle while the object lives; cleanup runs at refcount death", () => {
    const py = new Heap();
    const Obj = py.defineClass("Obj");
    const provider: CacheWeakProvider = py.weakProvider();
    const cleaned: string[] = [];
    const registry = provider.finalizationRegistry<string>((held) => cleaned.push(held));
    using f = py.frame();
    f.set("o", py.new(Obj));
    const o = f.get("o");
    const ref = provider.weakRef(o);
    registry.register(o, "o died");
    expect(ref.deref()).toBe(o);
    f.del("o"); // the last reference: freed now, cleanup runs inside the decref
    expect(ref.deref()).toBeUndefined();
    expect(cleaned).toEqual(["o died"]);
  });

  it("objects in cycles are cleared by the collector; unregister cancels a cleanup", () => {
    const py = new Heap();
    py.gc.disable();
    const Node = py.defineClass("Node");
    const provider = py.weakProvider({ cleanup: "queued" });
    const cleaned: number[] = [];
    const registry = provider.finalizationRegistry<number>((n) => cleaned.push(n));
    const token = {};
    using f = py.frame();
    f.set("a", py.new(Node));
    f.set("b", py.new(Node));
    f.get("a").setAttr("peer", f.get("b"));
    f.get("b").setAttr("peer", f.get("a"));
    const ra = provider.weakRef(f.get("a"));
    registry.register(f.get("a"), 1);
    registry.register(f.get("b"), 2, token);
    expect(registry.unregister(token)).toBe(true);
    expect(registry.unregister(token)).toBe(false);
    f.del("a");
    f.del("b");
    expect(ra.deref()).toBeDefined(); // a cycle: refcounts alone do not free it
    expect(py.gc.collect()).toBe(2);
    expect(ra.deref()).toBeUndefined();
    expect(cleaned).toEqual([]); // queued
    expect(provider.pending).toBe(1);
    expect(provider.flush()).toBe(1);
    expect(cleaned).toEqual([1]);
  });

  it("a resurrected object: earlier weak refs stay cleared, later ones follow its new life", () => {
    const py = new Heap();
    py.gc.disable();
    let saved: PyObject | undefined;
    const Phoenix = py.defineClass("Phoenix", {
      del: (self) => {
        saved = self.share(); // resurrects it (once: PEP 442)
      },
    });
    const weak = py.weakProvider();
    const cleaned: string[] = [];
    const registry = weak.finalizationRegistry<string>((held) => cleaned.push(held));
    using f = py.frame();
    f.set("p", py.new(Phoenix));
    f.get("p").setAttr("me", f.get("p"));
    const before = weak.weakRef(f.get("p"));
    registry.register(f.get("p"), "first life");
    f.del("p");
    expect(py.gc.collect()).toBe(0); // weak refs cleared, then __del__ brought it back
    expect(saved!.alive).toBe(true);
    expect(before.deref()).toBeUndefined();
    expect(cleaned).toEqual(["first life"]);
    const after = weak.weakRef(saved!);
    registry.register(saved!, "second life");
    expect(after.deref()).toBe(saved);
    expect(py.memory().simulator.watchers).toBe(2);
    saved!.dispose();
    expect(py.gc.collect()).toBe(1);
    expect(after.deref()).toBeUndefined();
    expect(cleaned).toEqual(["first life", "second life"]);
    expect(py.check()).toEqual([]);
  });

  it("refuses targets that cannot be weakly referenced, and foreign values", () => {
    const py = new Heap();
    const provider = py.weakProvider();
    using n = py.int(1000);
    expect(() => provider.weakRef(n)).toThrow(PythonError);
    expect(() => provider.weakRef(n)).toThrow("cannot create weak reference to 'int' object");
    expect(() => provider.weakRef({})).toThrow(/the target must be a PyObject of this heap/);
    const other = new Heap();
    using s = other.set();
    expect(() => provider.weakRef(s)).toThrow(/belongs to another Heap/);
    expect(() => py.weakProvider({ cleanup: "later" as "sync" })).toThrow(RangeError);
  });
});

describe("Allocator charged to the simulated heap", () => {
  it("is structurally a buffer Allocator and counts raw allocations", () => {
    const py = new Heap();
    const alloc = py.allocator();
    const typed: BufferAllocator = alloc;
    const before = py.pymalloc.stats();
    py.tracemalloc.start();
    const rssBefore = py.rss();
    const buf = typed.allocate(1 << 20);
    expect(buf.byteLength).toBe(1 << 20);
    expect(buf).toBeInstanceOf(ArrayBuffer); // whole buffers: the narrower side of the contract
    expect(new Uint8Array(buf as ArrayBuffer).every((b) => b === 0)).toBe(true);
    expect(py.pymalloc.stats().rawAllocatedBlocks).toBe(before.rawAllocatedBlocks + 1);
    expect(py.pymalloc.stats().rawBytes).toBe(before.rawBytes + (1 << 20));
    expect(py.tracemalloc.getTracedMemory()[0]).toBe(1 << 20);
    expect(py.rss() - rssBefore).toBeGreaterThanOrEqual(1 << 20);
    expect(alloc.outstanding).toBe(1);
    typed.release(buf);
    expect(alloc.outstanding).toBe(0);
    expect(py.pymalloc.stats().rawBytes).toBe(before.rawBytes);
    expect(py.tracemalloc.getTracedMemory()).toEqual([0, 1 << 20]);
    expect(() => typed.release(buf)).toThrow(/already released/);
    expect(py.check()).toEqual([]);
  });

  it('with domain "mem", small buffers are pymalloc blocks', () => {
    const py = new Heap();
    const alloc = py.allocator({ domain: "mem" });
    const b = alloc.allocate(100);
    expect(py.pymalloc.stats().sizeClasses[6]!.blocksInUse).toBe(1); // 112-byte class
    alloc.release(b);
    expect(py.pymalloc.stats().sizeClasses[6]!.blocksInUse).toBe(0);
  });
});

describe("Disposable handles", () => {
  it("disposing an owned handle drops its reference; `using` frees at block end", () => {
    const py = new Heap();
    let probe: PyObject | undefined;
    {
      using x = py.float(1.5);
      probe = x;
      expect(x.refcount).toBe(1);
      expect(py.ownedHandles).toBe(1);
    }
    expect(probe.alive).toBe(false);
    expect(py.ownedHandles).toBe(0);
    const y = py.list();
    using f = py.frame();
    f.set("y", y); // storing moves the reference: the handle no longer owns one
    expect(y.owned).toBe(false);
    y.dispose(); // no-op
    expect(f.get("y").alive).toBe(true);
  });
});
