/**
 * Compaction of the cell slab in a real heap: a list growing while small objects with slots are
 * made leaves dead segments behind; the slab is compacted at the next safe point and every
 * container still holds the same objects.
 */
import { describe, expect, it } from "vitest";
import { Heap } from "../src/index.ts";

describe("cell slab compaction", () => {
  it("keeps containers intact while it reclaims dead segments", () => {
    const py = new Heap();
    const S = py.defineClass("S", { slots: ["a", "b"] });
    using f = py.frame();
    f.set("big", py.list());
    f.set("t", py.tuple([1, 2, 3]));
    const big = f.get("big");
    for (let i = 0; i < 60_000; i++) {
      big.append(py.new(S, { a: i }));
      if (i % 1000 === 0) f.set(`k${i}`, py.list([i, i + 1]));
    }
    expect(py.memory().simulator.compactions).toBeGreaterThan(0);
    expect(py.check()).toEqual([]);
    const items = big.toArray();
    expect(items.length).toBe(60_000);
    for (let i = 0; i < items.length; i += 997) expect(items[i]!.getAttr("a").value).toBe(i);
    expect(
      f
        .get("k59000")
        .toArray()
        .map((x) => x.value),
    ).toEqual([59000, 59001]);
    expect(
      f
        .get("t")
        .toArray()
        .map((x) => x.value),
    ).toEqual([1, 2, 3]);
  });
});
