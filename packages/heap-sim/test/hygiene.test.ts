/**
 * Resource hygiene on the real V8 heap (`--expose-gc`): a heap and its handles are collected once
 * dropped, an unsubscribed listener is released, and the simulator holds no timer (nothing keeps
 * the process alive). No test sleeps.
 */
import { describe, expect, it } from "vitest";
import { Heap, type HeapEvent } from "../src/index.ts";

const gc = (globalThis as { gc?: () => void }).gc;

// Up to 100 turns of the event loop: a loaded machine can hold the target a while longer (a
// background compile job keeps handles to the closures it optimises). Bounded, never a sleep.
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setImmediate(r));
    gc!();
    if (ref.deref() === undefined) return true;
  }
  return false;
}

describe("resource hygiene", () => {
  it("has --expose-gc", () => {
    expect(typeof gc).toBe("function");
  });

  // Each scenario runs in a plain (non-async) function, so no suspended frame keeps a reference.
  function dropHeap(): WeakRef<object> {
    const py = new Heap();
    const Obj = py.defineClass("Obj", { del: () => {} });
    const f = py.frame();
    for (let i = 0; i < 1000; i++) f.set(`o${i % 10}`, py.new(Obj, { i }));
    py.weakref.ref(f.get("o1"));
    py.on(() => {});
    return new WeakRef(py);
  }

  it("a dropped heap (with objects, frames, classes, weakrefs, listeners) is garbage-collected", async () => {
    expect(await collected(dropHeap())).toBe(true);
  });

  function dropHandles(py: Heap): WeakRef<object> {
    const h = py.list([1, 2, 3]);
    const ref = new WeakRef(h);
    h.dispose();
    return ref;
  }

  it("handles are plain JS objects: a disposed handle is garbage-collected", async () => {
    const py = new Heap();
    expect(await collected(dropHandles(py))).toBe(true);
    expect(py.memory().freeListed).toBe(1); // the list went to the free list, in the model
  });

  function subscribe(py: Heap, events: HeapEvent["type"][]): WeakRef<object> {
    const listener = (e: HeapEvent) => events.push(e.type);
    const off = py.on(listener);
    py.float(1).dispose();
    off();
    return new WeakRef(listener);
  }

  it("unsubscribing a listener releases it", async () => {
    const py = new Heap();
    const events: HeapEvent["type"][] = [];
    const ref = subscribe(py, events);
    const seen = events.length;
    expect(events).toContain("alloc");
    expect(events.at(-1)).toBe("free");
    py.float(2).dispose();
    expect(events.length).toBe(seen);
    expect(await collected(ref)).toBe(true);
  });
});
