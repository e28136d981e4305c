/**
 * List and set displays: three or more constants are folded by the 3.11 compiler (`[1, 2, 3]` is
 * `BUILD_LIST 0; LOAD_CONST (1, 2, 3); LIST_EXTEND`, `{1, 2, 3}` is `BUILD_SET 0; LOAD_CONST
 * frozenset(...); SET_UPDATE`), which changes the capacity; displays of names are built item by item.
 * Sizes compared live with CPython (PYTHONHASHSEED=0 for str hashes) on random contents, then after
 * appending/adding more items.
 */
import { describe, expect, it } from "vitest";
import { Heap, type PyObject } from "../src/index.ts";
import { pythonFor, runPython } from "./helpers/oracle.ts";

type Item = number | string;

interface Case {
  kind: "list" | "set";
  consts: boolean;
  items: Item[];
  more: Item[];
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function makeCases(): Case[] {
  const rnd = lcg(20240611);
  const item = (): Item => {
    const r = rnd();
    if (r < 0.4) return Math.floor(rnd() * 300) - 20; // small ints (cached) and a few beyond
    if (r < 0.7) return 1000 + Math.floor(rnd() * 100_000);
    return `k${Math.floor(rnd() * 60)}`;
  };
  const cases: Case[] = [];
  for (const kind of ["list", "set"] as const) {
    for (const consts of [true, false]) {
      for (let n = 0; n <= 14; n++) {
        for (let rep = 0; rep < 2; rep++) {
          const items = Array.from({ length: n }, item);
          const more = Array.from({ length: Math.floor(rnd() * 12) }, item);
          cases.push({ kind, consts, items, more });
        }
      }
    }
  }
  return cases;
}

const lit = (v: Item): string => (typeof v === "number" ? String(v) : JSON.stringify(v));

/** Python source printing [size after the display, size after each further item]. */
function pythonSource(c: Case): string {
  const lines: string[] = [];
  const names = c.items.map((v, i) => {
    lines.push(`x${i} = ${typeof v === "number" ? `int('${v}')` : `''.join(['${v}'])`}`);
    return `x${i}`;
  });
  const parts = c.consts ? c.items.map(lit) : names;
  const display =
    c.kind === "list" ? `[${parts.join(", ")}]` : parts.length ? `{${parts.join(", ")}}` : "set()";
  lines.push(`o = ${display}`, "sizes = [sys.getsizeof(o)]");
  for (const v of c.more) {
    lines.push(
      `o.${c.kind === "list" ? "append" : "add"}(${lit(v)})`,
      "sizes.append(sys.getsizeof(o))",
    );
  }
  return lines.join("\n");
}

function simulate(py: Heap, c: Case): number[] {
  const values = c.items.map((v): PyObject | Item =>
    c.consts ? v : typeof v === "number" ? py.int(v) : py.str(v),
  );
  using o = c.kind === "list" ? py.list(values) : py.set(values);
  const sizes = [py.getsizeof(o)];
  for (const v of c.more) {
    if (c.kind === "list") o.append(v);
    else o.add(v);
    sizes.push(py.getsizeof(o));
  }
  return sizes;
}

describe("list and set displays", () => {
  it("fold three or more constants as the 3.11 compiler does", () => {
    const py = new Heap();
    expect(py.getsizeof(py.list([1, 2, 3]))).toBe(88);
    expect(py.getsizeof(py.list([py.int(1), py.int(2), py.int(3)]))).toBe(80);
    expect(py.getsizeof(py.list([1, 2]))).toBe(72);
    expect(py.getsizeof(py.set([1, 2, 3, 4, 5]))).toBe(472);
    expect(py.getsizeof(py.set([1, 2, 3, 4, 5].map((v) => py.int(v))))).toBe(728);
    expect(py.getsizeof(py.setFromIterable([1, 2, 3, 4, 5]))).toBe(728);
    expect(py.getsizeof(py.frozenset([1, 2, 3, 4, 5]))).toBe(728);
    // Computed values given as JS numbers: the display is built item by item.
    expect(py.getsizeof(py.list([1, 2, 3], { folded: false }))).toBe(80);
    expect(py.getsizeof(py.set([1, 2, 3, 4, 5], { folded: false }))).toBe(728);
    expect(() => py.list([py.int(1), 2, 3], { folded: true })).toThrow(/JS literals/);
    expect(() => py.list([1, 2], { folded: true })).toThrow(/3 or more/);
    expect(() => py.tuple([], { folded: true })).toThrow(/at least one/);
    expect(py.check()).toEqual([]);
  });

  it("a folded tuple is one constant: same object, no free list, no allocation count", () => {
    // def f(): return (1, 2, 3)   — f() is f(); gc.get_count() does not move; tracked until a
    // collection sees it. Checked against CPython below.
    const py = new Heap();
    py.gc.disable();
    const first = py.tuple([1, 2, 3], { folded: true });
    expect(py.gc.isTracked(first)).toBe(true);
    py.gc.collect();
    const before = py.gc.counts[0];
    const again = py.tuple([1, 2, 3], { folded: true });
    expect(again.is(first)).toBe(true);
    expect(py.gc.counts[0]).toBe(before);
    expect(py.gc.isTracked(again)).toBe(false);
    // A built tuple of the same values is a new object (from the free list when one is parked).
    using built = py.tuple([1, 2, 3]);
    expect(built.is(first)).toBe(false);
    first.dispose();
    again.dispose();
    expect(py.check()).toEqual([]);
  });

  it.skipIf(!pythonFor("3.11"))("folded tuples behave so in CPython", () => {
    const want = runPython<boolean[]>(
      pythonFor("3.11")!,
      [
        "import gc, json",
        "gc.disable()",
        "def f(): return (1, 2, 3)",
        "a = f(); tracked = gc.is_tracked(a); gc.collect()",
        "c0 = gc.get_count()[0]",
        "for _ in range(1000): f()",
        "print(json.dumps([f() is a, tracked, gc.is_tracked(a), gc.get_count()[0] - c0 <= 1]))",
      ].join("\n"),
    );
    expect(want).toEqual([true, true, false, true]);
  });

  const python = pythonFor("3.11");
  it.skipIf(!python)("sizes agree with CPython on random displays, then while growing", () => {
    const cases = makeCases();
    const src = cases
      .map(
        (c) =>
          `def case():\n${pythonSource(c).replace(/^/gm, "    ")}\n    return sizes\nout.append(case())`,
      )
      .join("\n");
    const want = runPython<number[][]>(
      python!,
      `import sys, json\nout = []\n${src}\nprint(json.dumps(out))`,
      [],
      { hashSeed: 0 },
    );
    const py = new Heap();
    const got = cases.map((c) => simulate(py, c));
    cases.forEach((c, i) => {
      expect([c.kind, c.consts, c.items, c.more, got[i]]).toEqual([
        c.kind,
        c.consts,
        c.items,
        c.more,
        want[i],
      ]);
    });
    expect(py.check()).toEqual([]);
  });
});
