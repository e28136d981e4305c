/**
 * Oracle h (`h_sizes.py`): `sys.getsizeof` and `__sizeof__` of every listed object, GC-ness and
 * tracking, class basic sizes, and the growth sequences of list/dict/set/bytearray. All exact,
 * for 3.11 and the 3.12/3.13 deltas. Live: random insert/delete sequences on dicts and sets
 * (int and str keys, PYTHONHASHSEED=0) compared size by size with CPython.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Heap, type PyObject, type PythonVersion } from "../src/index.ts";
import { oracle, pythonFor, runPython } from "./helpers/oracle.ts";

interface Row {
  getsizeof: number;
  __sizeof__: number;
  gc_overhead_added_by_getsizeof: number;
  is_gc_type: boolean;
  gc_tracked_now: boolean;
}
interface H {
  objects: Record<string, Row>;
  basicsize: Record<string, number>;
  growth: Record<string, number[][] | number[]>;
  by_length: Record<string, number[]>;
}

function sizesLab(version: PythonVersion) {
  const py = new Heap({ version });
  py.gc.disable();
  const Plain = py.defineClass("Plain");
  const Plain2 = py.defineClass("Plain2");
  const Slots1 = py.defineClass("Slots1", { slots: ["a"] });
  const Slots2 = py.defineClass("Slots2", { slots: ["a", "b"] });
  const SlotsWeak = py.defineClass("SlotsWeak", { slots: ["a", "__weakref__"] });
  const f = py.frame();
  const row = (o: PyObject): Row => ({
    getsizeof: py.getsizeof(o),
    __sizeof__: o.objectSizeof(),
    gc_overhead_added_by_getsizeof: py.getsizeof(o) - o.objectSizeof(),
    is_gc_type: o.isGcType,
    gc_tracked_now: py.gc.isTracked(o),
  });
  f.set("p", py.new(Plain));
  f.set("p2", py.new(Plain2, { a: 1, b: 2 }));
  const s = (n: number, ch = "a") => py.str(ch.repeat(n));
  const makers: Record<string, () => PyObject> = {
    None: () => py.None,
    True: () => py.True,
    False: () => py.False,
    "int(0)": () => py.int(0),
    "int(1)": () => py.int(1),
    "int(2**30-1)": () => py.int(2 ** 30 - 1),
    "int(2**30)": () => py.int(2 ** 30),
    "int(2**60)": () => py.int(2n ** 60n),
    "int(2**90)": () => py.int(2n ** 90n),
    "int(-1)": () => py.int(-1),
    float: () => py.float(1.5),
    complex: () => py.complex(1, 2),
    "str ''": () => s(0),
    "str 'a'*1": () => s(1),
    "str 'a'*10": () => s(10),
    "str 'é'*2 (latin-1)": () => s(2, "é"),
    "str '€'*2 (UCS-2)": () => s(2, "€"),
    "str U+1F600*2 (UCS-4)": () => s(2, "\u{1F600}"),
    "bytes b''": () => py.bytes(0),
    "bytes len 1": () => py.bytes(1),
    "bytes len 31": () => py.bytes(31),
    "bytes len 64": () => py.bytes(64),
    "bytearray()": () => py.bytearray(),
    "tuple ()": () => py.tuple(),
    "tuple len 1": () => py.tuple([0]),
    "tuple len 3": () => py.tuple([0, 0, 0]),
    "list []": () => py.list(),
    "list [0]*3": () => py.list([0]).repeat(3),
    "dict {}": () => py.dictFromPairs(),
    "dict 1 int key": () => py.dict([[1, 1]]),
    "dict 1 str key": () => py.dict([[py.str("a"), 1]]),
    "set()": () => py.set(),
    "frozenset()": () => py.frozenset(),
    "object()": () => py.object(),
    "Plain() (no attrs)": () => f.get("p"),
    "Plain2() (2 attrs)": () => f.get("p2"),
    "Slots1()": () => py.new(Slots1),
    "Slots2()": () => py.new(Slots2),
    "SlotsWeak()": () => py.new(SlotsWeak),
    "range(10)": () => py.range(10),
    function: () => py.function(),
  };
  const objects: Record<string, Row> = {};
  for (const [name, make] of Object.entries(makers)) {
    const o = make();
    f.set(`o${Object.keys(objects).length}`, o);
    objects[name] = row(o);
  }
  const d2 = f.get("p2").dict();
  objects["Plain2().__dict__ (after access)"] = row(d2);
  const d1 = f.get("p").dict();
  objects["Plain().__dict__ (after access)"] = row(d1);
  objects["Plain2() after __dict__ accessed"] = row(f.get("p2"));
  if (d2.owned) d2.dispose();
  if (d1.owned) d1.dispose();
  const basicsize = {
    Plain: Plain.basicsize,
    Plain2: Plain2.basicsize,
    Slots1: Slots1.basicsize,
    Slots2: Slots2.basicsize,
    SlotsWeak: SlotsWeak.basicsize,
  };
  f.dispose();
  return { py, objects, basicsize };
}

function growth(py: Heap, make: () => PyObject, add: (o: PyObject, i: number) => void, n: number) {
  const o = make();
  const seq: number[][] = [[0, py.getsizeof(o)]];
  for (let i = 1; i <= n; i++) {
    add(o, i);
    const g = py.getsizeof(o);
    if (g !== seq[seq.length - 1]![1]) seq.push([i, g]);
  }
  o.dispose();
  return seq;
}

describe("oracle h: sizes", () => {
  const want = oracle<H>("h_sizes");

  it("sys.getsizeof, __sizeof__, GC type and tracking of every listed object (3.11)", () => {
    const { objects, basicsize } = sizesLab("3.11");
    const expected = { ...want.objects };
    delete expected["Plain (the class)"]; // class objects are not simulated
    expect(objects).toEqual(expected);
    for (const [k, v] of Object.entries(basicsize)) expect([k, v]).toEqual([k, want.basicsize[k]]);
  });

  for (const [version, file] of [
    ["3.12", "3.12.1"],
    ["3.13", "3.13.0"],
  ] as const) {
    it(`the ${version} sizes (str headers, 48-byte instances, managed __weakref__, functions)`, () => {
      const other = oracle<H>("h_sizes", file);
      const { objects, basicsize } = sizesLab(version);
      for (const [name, row] of Object.entries(other.objects)) {
        if (name === "Plain (the class)") continue;
        expect([name, objects[name]?.getsizeof]).toEqual([name, row.getsizeof]);
      }
      for (const [k, v] of Object.entries(basicsize))
        expect([k, v]).toEqual([k, other.basicsize[k]]);
    });
  }

  it("growth sequences: list appends, dict inserts (int and str keys), set adds, bytearray", () => {
    const py = new Heap();
    const got = {
      "list.append (n, getsizeof) at each change": growth(
        py,
        () => py.list(),
        (o) => o.append(null),
        2000,
      ),
      "dict int keys insert": growth(
        py,
        () => py.dict(),
        (o, i) => o.setItem(i, null),
        2000,
      ),
      "dict str keys insert": growth(
        py,
        () => py.dict(),
        (o, i) => o.setItem(py.str(String(i)), null),
        2000,
      ),
      "set add": growth(
        py,
        () => py.set(),
        (o, i) => o.add(i),
        2000,
      ),
      "bytearray append": growth(
        py,
        () => py.bytearray(),
        (o) => o.append(0),
        300,
      ),
    };
    for (const [k, v] of Object.entries(got)) expect([k, v]).toEqual([k, want.growth[k]]);
    const caps = got["list.append (n, getsizeof) at each change"].map(([, g]) => (g! - 56) / 8);
    expect(caps).toEqual(want.growth["list capacity sequence (from getsizeof)"]);
    expect(py.check()).toEqual([]);
  });

  it("sizes by length: tuple(range(n)), list(range(n)), [None]*n, str, bytes, int 2**(30k)", () => {
    const py = new Heap();
    const take = (o: PyObject) => {
      const g = py.getsizeof(o);
      o.dispose();
      return g;
    };
    const n11 = Array.from({ length: 11 }, (_, n) => n);
    const range = (n: number) => Array.from({ length: n }, (_, i) => i);
    const got = {
      "tuple(range(n)) n=0..10": n11.map((n) => take(py.tuple(range(n)))),
      "list(range(n)) n=0..10": n11.map((n) => take(py.listFromIterable(range(n), n))),
      "[None]*n n=0..10": n11.map((n) => {
        using one = py.list([null]);
        return take(one.repeat(n));
      }),
      "ascii str len n=0..10": n11.map((n) => take(py.str("a".repeat(n)))),
      "bytes len n=0..10": n11.map((n) => take(py.bytes(n))),
      "int 2**(30k) k=0..6": [0, 1, 2, 3, 4, 5, 6].map((k) => take(py.int(2n ** BigInt(30 * k)))),
    };
    expect(got).toEqual(want.by_length);
  });

  const python = pythonFor("3.11");
  it.skipIf(python === undefined)(
    "random insert/delete sequences on dicts and sets match CPython size for size",
    () => {
      const key = fc.oneof(fc.integer({ min: -3000, max: 3000 }), fc.string({ maxLength: 6 }));
      const op = fc.tuple(fc.constantFrom("add", "add", "add", "del"), key);
      const seqs = fc.sample(fc.array(op, { minLength: 1, maxLength: 400 }), {
        numRuns: 12,
        seed: 6,
      });
      const code = `
import json, sys
out = []
for seq in json.loads(sys.argv[1]):
    d = {}; s = set(); ds = []; ss = []
    for op, k in seq:
        if op == "add":
            d[k] = None; s.add(k)
        else:
            d.pop(k, None); s.discard(k)
        ds.append(sys.getsizeof(d)); ss.append(sys.getsizeof(s))
    out.append([ds, ss])
print(json.dumps(out))
`;
      const live = runPython<number[][][]>(python!, code, [JSON.stringify(seqs)], { hashSeed: 0 });
      const py = new Heap();
      const got = seqs.map((seq) => {
        using d = py.dict();
        using s = py.set();
        const ds: number[] = [];
        const ss: number[] = [];
        for (const [o, k] of seq) {
          if (o === "add") {
            d.setItem(k, null);
            s.add(k);
          } else {
            if (d.has(k)) d.delItem(k);
            s.discard(k);
          }
          ds.push(py.getsizeof(d));
          ss.push(py.getsizeof(s));
        }
        return [ds, ss];
      });
      expect(got).toEqual(live);
    },
  );
});
