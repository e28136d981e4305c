/**
 * `move_unreachable`'s delicate path: an object the scan first moves to the unreachable list (its
 * `gc_refs` reached 0) and a later object then reaches, so it moves back; garbage found after
 * that must still land in the unreachable list. (The collector keeps `gc_refs` in the `prev` link
 * during the scan, as CPython does, so the links of both lists must be kept exactly.)
 */
import { describe, expect, it } from "vitest";
import { Heap } from "../src/index.ts";

describe("the collector's scan", () => {
  it("an object moved back from the unreachable list, then more garbage", () => {
    const py = new Heap();
    py.gc.disable();
    const X = py.defineClass("X");
    using f = py.frame();
    f.set("a", py.new(X)); // a: referenced only by b once `del a` ran
    f.set("b", py.new(X));
    f.get("b").setAttr("x", f.get("a"));
    f.del("a");
    f.set("c", py.new(X)); // c: a self-cycle, garbage
    f.get("c").setAttr("me", f.get("c"));
    f.del("c");
    expect(py.gc.collect()).toBe(1);
    expect(py.check()).toEqual([]);
    expect(f.get("b").getAttr("x").alive).toBe(true);
  });

  it("several moved back, between and after garbage, in one scan", () => {
    const py = new Heap();
    py.gc.disable();
    const X = py.defineClass("X");
    using f = py.frame();
    // Creation order (the scan order): g0 k0 g1 k1 g2 k2 root; root → k2 → k1 → k0 (each kN
    // comes before its referrer), gN self-cycles (garbage).
    for (let i = 0; i < 3; i++) {
      f.set(`g${i}`, py.new(X));
      f.get(`g${i}`).setAttr("me", f.get(`g${i}`));
      f.set(`k${i}`, py.new(X));
      if (i > 0) f.get(`k${i}`).setAttr("prev", f.get(`k${i - 1}`));
    }
    f.set("root", py.new(X, { head: f.get("k2") }));
    for (let i = 0; i < 3; i++) {
      f.del(`g${i}`);
      f.del(`k${i}`);
    }
    expect(py.gc.collect()).toBe(3);
    expect(py.check()).toEqual([]);
    expect(py.gc.getObjects().length).toBe(4); // root, k2, k1, k0
    f.del("root");
    expect(py.gc.collect()).toBe(0); // freed by refcount already
    expect(py.gc.getObjects().length).toBe(0);
  });
});
