/**
 * tracemalloc (requested bytes, realloc as one trace, peak), RSS (arena pages + raw blocks),
 * `sys._debugmallocstats()` text, and `memory()` — compared with CPython live for tracemalloc.
 */
import { describe, expect, it } from "vitest";
import { Heap } from "../src/index.ts";
import { pythonFor, runPython } from "./helpers/oracle.ts";

describe("tracemalloc", () => {
  it("traces requested sizes, not blocks, from start() on; stop() forgets", () => {
    const py = new Heap();
    using before = py.float(1); // not traced
    py.tracemalloc.start();
    expect(py.tracemalloc.isTracing()).toBe(true);
    const x = py.float(2);
    expect(py.tracemalloc.getTracedMemory()).toEqual([24, 24]);
    const s = py.str("hello"); // 49 + 5
    expect(py.tracemalloc.getTracedMemory()).toEqual([78, 78]);
    x.dispose(); // to the float free list: still allocated
    expect(py.tracemalloc.getTracedMemory()[0]).toBe(78);
    s.dispose();
    expect(py.tracemalloc.getTracedMemory()).toEqual([24, 78]);
    py.tracemalloc.resetPeak();
    expect(py.tracemalloc.getTracedMemory()).toEqual([24, 24]);
    before.dispose(); // freeing an untraced object changes nothing
    expect(py.tracemalloc.getTracedMemory()[0]).toBe(24);
    py.tracemalloc.stop();
    expect(py.tracemalloc.getTracedMemory()).toEqual([0, 0]);
  });

  it("a growing list is one trace that is replaced at each realloc", () => {
    const py = new Heap();
    py.gc.collect();
    py.tracemalloc.start();
    const l = py.list();
    for (let i = 0; i < 5; i++) l.append(null);
    // list body 56 + items array 8 slots × 8 bytes; the 4-slot array was replaced, not added
    expect(py.tracemalloc.getTracedMemory()).toEqual([56 + 64, 56 + 64]);
    l.dispose();
  });

  const python = pythonFor("3.11");
  it.skipIf(python === undefined)(
    "matches CPython for strings, bytes, ints and nested containers",
    () => {
      const code = `
import gc, json, sys, tracemalloc
gc.disable()
def m(build):
    gc.collect(); tracemalloc.start(); o = build(); c, p = tracemalloc.get_traced_memory(); tracemalloc.stop(); return c
N333, N400 = int("333"), int("400")  # not constants, made before tracing
BIG = (10 ** 100 + 1).to_bytes(42, "little")
out = [
  m(lambda: "é" * N333 + "x"),
  m(lambda: b"ab" * N400),
  m(lambda: int.from_bytes(BIG, "little")),  # exactly as many digits as the value needs
  m(lambda: [[None] * 7 for _ in range(50)]),
  m(lambda: {str(i) + "k": i for i in range(300)}),
]
print(json.dumps(out))
`;
      const [s, b, n, nested, dict] = runPython<number[]>(python!, code);
      const py = new Heap();
      py.gc.disable();
      const m = (build: () => ReturnType<Heap["list"]>) => {
        py.gc.collect();
        py.tracemalloc.start();
        const o = build();
        const [c] = py.tracemalloc.getTracedMemory();
        py.tracemalloc.stop();
        o.dispose();
        return c;
      };
      expect(m(() => py.str(`${"é".repeat(333)}x`))).toBe(s);
      expect(m(() => py.bytes(Array.from({ length: 800 }, (_, i) => (i % 2 ? 98 : 97))))).toBe(b);
      expect(m(() => py.int(10n ** 100n + 1n))).toBe(n);
      const nestedGot = m(() => {
        const outer = py.list();
        for (let i = 0; i < 50; i++) {
          using one = py.list([null]);
          outer.append(one.repeat(7));
        }
        return outer;
      });
      // CPython's comprehension also allocates its function object (and frees it): ±152 bytes
      expect(Math.abs(nestedGot - nested!)).toBeLessThanOrEqual(160);
      const dictGot = m(() => {
        const d = py.dict();
        for (let i = 0; i < 300; i++) d.setItem(py.str(`${i}k`), py.int(i));
        return d;
      });
      // both keep the dict's first 8-slot keys table on the keys free list; CPython's int→str
      // conversions leave a few hundred bytes more of their own
      expect(Math.abs(dictGot - dict!)).toBeLessThanOrEqual(256);
    },
  );
});

describe("RSS model and memory summary", () => {
  it("counts carved pools of mapped arenas and raw blocks, not untouched pools", () => {
    const py = new Heap({ rssBase: 0 });
    expect(py.rss()).toBe(0);
    const f = py.float(1); // one arena, one pool carved: its first page touched
    expect(py.rss()).toBe(4096);
    const big = py.bytes(1 << 20); // raw: mmap'd, page-rounded
    expect(py.rss()).toBe(4096 + Math.ceil(((1 << 20) + 33 + 16) / 4096) * 4096);
    big.dispose();
    f.dispose();
    const m = py.memory();
    expect(m.arenas).toBe(1);
    expect(m.rawBlocks).toBe(0);
    expect(m.freeListed).toBe(1);
  });
});
