/**
 * DESIGN.md's third seam: a handle is a `Disposable`, so @heapwise/dispose's `DisposableStack` and
 * `scope` (Python's `ExitStack` and `with`) hold simulated objects. Disposing drops the references
 * in reverse order, and the simulated frees (with CPython's cascades) follow that order.
 */
import { DisposableStack, scope } from "@heapwise/dispose";
import { describe, expect, it } from "vitest";
import { Heap, type HeapEvent } from "../src/index.ts";

function freesOf(py: Heap): string[] {
  const frees: string[] = [];
  py.on((e: HeapEvent) => {
    if (e.type === "free") frees.push(`${e.typeName}#${e.id}`);
  });
  return frees;
}

describe("@heapwise/dispose holding simulated objects", () => {
  it("a DisposableStack drops its handles in reverse order; each free happens at its turn", () => {
    const py = new Heap();
    py.gc.disable();
    const Conn = py.defineClass("Conn");
    const frees = freesOf(py);
    const made: string[] = [];
    {
      using stack = new DisposableStack();
      for (let i = 0; i < 3; i++) {
        const c = stack.use(py.new(Conn, { n: py.float(i + 0.5) })); // an owned handle
        made.push(`Conn#${c.id}`);
      }
      stack.defer(() => frees.push("-- first callback --"));
      expect(py.ownedHandles).toBe(3);
      expect(frees).toEqual([]);
    }
    // Reverse order; each Conn's float goes with it (subtype_dealloc: values after the object's
    // refcount reached zero, the body last), as CPython frees `del c2; del c1; del c0`.
    expect(frees.filter((s) => s.startsWith("Conn#"))).toEqual([...made].reverse());
    expect(frees[0]).toBe("-- first callback --");
    expect(frees.filter((s) => s.startsWith("float#")).length).toBe(3);
    for (const c of made) {
      const at = frees.indexOf(c);
      expect(frees[at - 1]?.startsWith("float#")).toBe(true); // its attribute value, just before
    }
    expect(py.ownedHandles).toBe(0);
    expect(py.memory().objects).toBe(0);
    expect(py.check()).toEqual([]);
  });

  it("a handle stored elsewhere survives the stack: disposing drops one reference, not the object", () => {
    const py = new Heap();
    const frees = freesOf(py);
    using f = py.frame();
    const stack = new DisposableStack();
    const shared = stack.use(py.list());
    const id = shared.id;
    f.set("alias", shared.share()); // alias = the same list: a second reference
    expect(shared.refcount).toBe(2); // ob_refcnt: the stack's handle and alias
    stack.dispose();
    expect(frees).toEqual([]);
    expect(f.get("alias").refcount).toBe(1);
    f.del("alias");
    expect(frees).toEqual([`list#${id}`]);
  });

  it("scope(): Python's ExitStack; the body's error still releases everything, in reverse", () => {
    const py = new Heap();
    const frees = freesOf(py);
    const ids: number[] = [];
    expect(() =>
      scope((s) => {
        for (const v of [1.5, 2.5, 3.5]) ids.push(s.use(py.float(v)).id);
        throw new Error("body failed");
      }),
    ).toThrow("body failed");
    expect(frees).toEqual(ids.map((id) => `float#${id}`).reverse());
    expect(py.ownedHandles).toBe(0);
  });

  it("a frame is a Disposable too: a stack of frames unwinds like nested calls", () => {
    const py = new Heap();
    const frees = freesOf(py);
    const ids: number[] = [];
    {
      using stack = new DisposableStack();
      for (const name of ["outer", "inner"]) {
        const frame = stack.use(py.frame(name));
        const local = py.str(`${name} local`);
        ids.push(local.id);
        frame.set("x", local);
      }
    }
    expect(frees).toEqual([`str#${ids[1]}`, `str#${ids[0]}`]);
    expect(py.memory().objects).toBe(0);
  });
});
