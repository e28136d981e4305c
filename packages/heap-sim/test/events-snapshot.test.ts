/**
 * The event stream and the arena/pool snapshot the demo draws from.
 */
import { describe, expect, it } from "vitest";
import { Heap, type HeapEvent } from "../src/index.ts";

describe("event stream", () => {
  it("reports allocations, frees (with the free list), finalizers, callbacks, collections", () => {
    const py = new Heap();
    py.gc.disable();
    const events: HeapEvent[] = [];
    const off = py.on((e) => events.push(e));
    const Obj = py.defineClass("Obj", { del: () => {} });
    using f = py.frame();
    f.set("o", py.new(Obj));
    f.set(
      "w",
      py.weakref.ref(f.get("o"), () => {}),
    );
    f.get("o").setAttr("self", f.get("o")); // a self-cycle
    f.del("o");
    const n = py.gc.collect();
    off();
    const types = events.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(["arena-alloc", "pool-init", "alloc"]);
    const alloc = events.find((e) => e.type === "alloc" && e.typeName === "Obj");
    expect(alloc).toMatchObject({ type: "alloc", typeName: "Obj", size: 56, freelist: false });
    const start = events.findIndex((e) => e.type === "gc-start");
    const stop = events.findIndex((e) => e.type === "gc-stop");
    expect(start).toBeLessThan(stop);
    expect(events[stop]).toMatchObject({
      type: "gc-stop",
      generation: 2,
      collected: n,
      uncollectable: 0,
    });
    const between = events.slice(start, stop).map((e) => e.type);
    // PEP 442 order: the weakref callback, then __del__, then the collector frees
    expect(between.indexOf("weakref-callback")).toBeLessThan(between.indexOf("finalizer"));
    const freed = events.slice(start, stop).find((e) => e.type === "free" && e.typeName === "Obj");
    expect(freed).toMatchObject({ cause: "collector" });
    expect(events.filter((e) => e.type === "gc-start")).toHaveLength(1);
  });

  it("marks free-list traffic and free-list clearing", () => {
    const py = new Heap();
    const events: HeapEvent[] = [];
    py.on((e) => events.push(e));
    py.float(1).dispose();
    py.float(2).dispose();
    py.gc.collect();
    const floats = events.filter(
      (e): e is Extract<HeapEvent, { type: "alloc" | "free" }> =>
        (e.type === "alloc" || e.type === "free") && e.typeName === "float",
    );
    expect(floats.map((e) => [e.type, e.freelist])).toEqual([
      ["alloc", false],
      ["free", true],
      ["alloc", true],
      ["free", true],
      ["free", false],
    ]);
    expect(floats.at(-1)).toMatchObject({ cause: "freelist-clear" });
  });
});

describe("arena/pool snapshot", () => {
  it("shows arenas, pools by state, and usable_arenas ordered by free pools", () => {
    const py = new Heap({ arenaAlignment: [false, true] });
    using f = py.frame();
    f.set("xs", py.list());
    for (let i = 0; i < 80_000; i++) f.get("xs").append(py.float(i)); // 157 pools: 3 arenas
    const snap = py.pymalloc.snapshot();
    expect(snap.arenas.map((a) => [a.serial, a.aligned, a.totalPools])).toEqual([
      [1, false, 63],
      [2, true, 64],
      [3, false, 63],
    ]);
    const first = snap.arenas[0]!;
    expect(first.pools.every((p) => p.state === "full" || p.state === "used")).toBe(true);
    const floatPools = snap.arenas.flatMap((a) => a.pools).filter((p) => p.blockSize === 32);
    expect(floatPools.reduce((n, p) => n + p.blocksInUse, 0)).toBe(80_000);
    const nf = snap.usableArenas.map((i) => snap.arenas.find((a) => a.index === i)!.freePools);
    expect([...nf].sort((a, b) => a - b)).toEqual(nf);
    // Free most floats: arena 0 stays pinned by the pool holding the list object itself, and
    // arena 1, wholly empty, is kept because it is the last one on usable_arenas (bpo-37257).
    f.get("xs").delSlice(0, 79_000);
    const after = py.pymalloc.snapshot();
    expect(after.arenas.map((a) => [a.index, a.freePools, a.totalPools])).toEqual([
      [0, 62, 63],
      [1, 64, 64],
      [2, 60, 63],
    ]);
    expect(after.usableArenas.at(-1)).toBe(1);
    expect(after.arenas[0]!.pools.filter((p) => p.state !== "empty")).toEqual([
      expect.objectContaining({ blockSize: 64, state: "used" }),
    ]);
    expect(py.pymalloc.stats().arenasReclaimed).toBe(0);
    expect(py.pymalloc.debugMallocStats()).toMatch(
      /# arenas allocated total\s+=\s+3\n# arenas reclaimed\s+=\s+\d+\n/,
    );
  });
});
