/**
 * Compaction of the cell slabs in a real heap: a list growing while other lists are made leaves
 * dead segments behind; instances freed in a pattern leave holes in the instance slab (slots and
 * values arrays). Each slab is compacted at the next safe point and every object still holds the
 * same references.
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

  it("compacts the instance slab: slots and values arrays keep their contents", () => {
    const py = new Heap();
    const S = py.defineClass("S", { slots: ["a", "b", "__dict__"] });
    using f = py.frame();
    f.set("xs", py.list());
    const xs = f.get("xs");
    for (let i = 0; i < 120_000; i++) xs.append(py.new(S, { a: i, b: -i, c: `c${i % 7}` }));
    const before = py.memory().simulator;
    xs.delSlice(0, 90_000); // frees the oldest three quarters: holes below the live segments
    f.set("kick", py.list()); // a heap call: its end is a safe point
    const after = py.memory().simulator;
    expect(after.compactions).toBeGreaterThan(before.compactions);
    expect(after.valueCellsReserved).toBeLessThan(before.valueCellsReserved);
    expect(py.check()).toEqual([]);
    const items = xs.toArray();
    expect(items.length).toBe(30_000);
    for (let k = 0; k < items.length; k += 1009) {
      const i = 90_000 + k;
      expect(items[k]!.attrs().map(([n, v]) => [n, v.value])).toEqual([
        ["a", i],
        ["b", -i],
        ["c", `c${i % 7}`],
      ]);
    }
  });
});
