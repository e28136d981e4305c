/**
 * Bad input: use after free, a decrement below zero, an object of another heap, an unknown type,
 * invalid arguments, and Python-level errors. Each fails with a clear error naming the object or
 * value, and leaves the heap consistent (`check()` clean, nothing changed).
 */
import { describe, expect, it } from "vitest";
import {
  ForeignObjectError,
  Heap,
  type PyClass,
  PythonError,
  RefcountError,
  UseAfterFreeError,
} from "../src/index.ts";

function snapshot(py: Heap) {
  return { ...py.memory(), rss: 0, simulator: 0, counts: py.gc.counts };
}

describe("bad input", () => {
  it("use after free names the object and changes nothing", () => {
    const py = new Heap();
    const Obj = py.defineClass("Obj");
    using f = py.frame();
    f.set("o", py.new(Obj));
    const o = f.get("o");
    const id = o.id;
    f.del("o");
    expect(o.alive).toBe(false);
    const before = snapshot(py);
    expect(() => o.getAttr("x")).toThrow(UseAfterFreeError);
    expect(() => o.setAttr("x", 1)).toThrow(`use after free: <Obj object #${id}> has been freed`);
    expect(() => f.set("again", o)).toThrow(UseAfterFreeError);
    expect(() => py.list([1, o])).toThrow(UseAfterFreeError);
    expect(() => py.getrefcount(o)).toThrow(UseAfterFreeError);
    expect(String(o)).toBe(`<Obj object #${id} (freed)>`);
    expect(snapshot(py)).toEqual(before);
    expect(py.check()).toEqual([]);
  });

  it("a handle to an object that went to a free list is dead too, even when the slot is reused", () => {
    const py = new Heap();
    const lst = py.list([1, 2]);
    const id = lst.id;
    lst.dispose(); // to the list free list
    expect(lst.alive).toBe(false);
    const again = py.list(); // reuses the same object from the free list
    expect(again.id).toBe(id);
    expect(() => lst.append(3)).toThrow(UseAfterFreeError);
    expect(again.len()).toBe(0);
    again.dispose();
    expect(py.check()).toEqual([]);
  });

  it("a decrement below what a handle owns is refused", () => {
    const py = new Heap();
    using f = py.frame();
    f.set("o", py.float(1.5));
    const borrowed = f.get("o");
    expect(() => borrowed.decref()).toThrow(RefcountError);
    expect(() => borrowed.decref()).toThrow(
      /would drop a reference this handle does not own \(refcount 1\)/,
    );
    expect(borrowed.refcount).toBe(1);
    const owned = py.incref(borrowed);
    expect(borrowed.refcount).toBe(2);
    owned.decref();
    expect(borrowed.refcount).toBe(1);
    expect(() => owned.decref()).toThrow(RefcountError);
    owned.dispose(); // dispose stays idempotent
    expect(borrowed.refcount).toBe(1);
    expect(py.check()).toEqual([]);
  });

  it("objects and classes of another heap are refused", () => {
    const a = new Heap();
    const b = new Heap();
    const A = a.defineClass("A");
    using fa = a.frame();
    using fb = b.frame();
    fa.set("x", a.new(A));
    const x = fa.get("x");
    const before = snapshot(b);
    expect(() => fb.set("y", x)).toThrow(ForeignObjectError);
    expect(() => fb.set("y", x)).toThrow(`<A object #${x.id}> belongs to another Heap`);
    expect(() => b.list([x])).toThrow(ForeignObjectError);
    expect(() => b.new(A)).toThrow(ForeignObjectError);
    expect(() => b.defineClass("B", { base: A })).toThrow(ForeignObjectError);
    expect(() => b.weakref.ref(x)).toThrow(TypeError);
    expect(snapshot(b)).toEqual(before);
    expect(x.refcount).toBe(1);
    expect(b.check()).toEqual([]);
  });

  it("unknown types and bad class definitions are refused", () => {
    const py = new Heap();
    expect(() => py.new("Foo" as unknown as PyClass)).toThrow(/expected a PyClass, got Foo/);
    expect(() => py.defineClass("1bad")).toThrow(/class name must be an identifier, got 1bad/);
    expect(() => py.defineClass("C", { slots: ["a", "a"] })).toThrow(PythonError);
    expect(() => py.defineClass("C", { slots: ["not valid"] })).toThrow(
      /identifiers, got not valid/,
    );
    expect(() => py.array("z")).toThrow(/bad typecode/);
    const S = py.defineClass("S", { slots: ["a"] });
    expect(() => py.new(S, { b: 1 })).toThrow("AttributeError: 'S' object has no attribute 'b'");
    expect(py.memory().objects).toBe(0);
    expect(py.check()).toEqual([]);
  });

  it("invalid arguments name the value", () => {
    expect(() => new Heap({ version: "3.9" as "3.11" })).toThrow(
      "version must be one of 3.11, 3.12, 3.13, got 3.9",
    );
    expect(() => new Heap({ rssBase: -3 })).toThrow(
      "rssBase must be a non-negative integer, got -3",
    );
    expect(() => new Heap({ arenaAlignment: [] })).toThrow(TypeError);
    const py = new Heap();
    expect(() => py.int(1.5)).toThrow("int() needs an integer value, got 1.5");
    expect(() => py.bytes([256])).toThrow("bytes must be in range(0, 256), got 256");
    expect(() => py.listFromIterable([], -1)).toThrow(
      "lengthHint must be a non-negative integer, got -1",
    );
    expect(() => py.gc.setThreshold(-1)).toThrow(
      "threshold0 must be a non-negative integer, got -1",
    );
    expect(() => py.list([{} as unknown as number])).toThrow(
      /expected a PyObject handle or a string/,
    );
    expect(() => py.allocator().allocate(-1)).toThrow(
      "byteLength must be a non-negative integer, got -1",
    );
    expect(() => py.allocator().release(new ArrayBuffer(4))).toThrow(
      /was not allocated by this allocator/,
    );
    expect(py.check()).toEqual([]);
  });

  it("Python errors leave containers as they were", () => {
    const py = new Heap();
    using f = py.frame();
    f.set("d", py.dict([["a", 1]]));
    f.set("l", py.list([1, 2]));
    f.set("s", py.set([1]));
    const d = f.get("d");
    const l = f.get("l");
    const s = f.get("s");
    expect(() => d.getItem("missing")).toThrow("KeyError: 'missing'");
    expect(() => d.setItem(py.list(), 1)).toThrow("TypeError: unhashable type: 'list'");
    expect(() => l.getItem(5)).toThrow("IndexError: list index out of range");
    expect(() => py.list().pop()).toThrow("IndexError: pop from empty list");
    expect(() => s.add(py.dict())).toThrow("TypeError: unhashable type: 'dict'");
    expect(() => s.remove(7)).toThrow("KeyError: 7");
    expect(() => l.append.call(d, 1)).toThrow(
      "AttributeError: 'dict' object has no attribute 'append'",
    );
    expect(() => f.get("nope")).toThrow("NameError: name 'nope' is not defined");
    expect(() => py.gc.collect(3)).toThrow("ValueError: invalid generation");
    expect(d.len()).toBe(1);
    expect(l.len()).toBe(2);
    expect(s.len()).toBe(1);
    // the unhashable list and dict above were owned handles never stored: release them
    expect(py.ownedHandles).toBe(3);
    expect(py.check()).toEqual([]);
  });

  it("a throwing __del__ or callback is reported, not propagated, and the object is still freed", () => {
    const errors: unknown[] = [];
    const py = new Heap({ onUnraisable: (e) => errors.push(e) });
    const Bad = py.defineClass("Bad", {
      del: () => {
        throw new Error("boom in __del__");
      },
    });
    using f = py.frame();
    f.set("b", py.new(Bad));
    const b = f.get("b");
    f.del("b");
    expect(b.alive).toBe(false);
    expect(errors.map((e) => (e as Error).message)).toEqual(["boom in __del__"]);
    expect(py.check()).toEqual([]);
  });
});
