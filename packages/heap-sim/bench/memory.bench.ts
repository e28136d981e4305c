/**
 * JS heap bytes per simulated object (issue goal: ≤ 64): `heapUsed + arrayBuffers` retained by a
 * heap holding 1,000,000 simulated objects in one list (the harness's `memory`, gc() before each
 * reading; divide the bytes by 1,000,000). The heap's start-up objects (about 60) are included, and
 * so are the references each object holds (4 bytes per reference, like CPython's 8-byte pointers,
 * in slabs that grow by an eighth past a million cells): a plain instance also owns a values array
 * (a second pymalloc block with one slot per shared-key entry, plus one spare, and a header cell).
 *
 *   pnpm bench heap-sim --files memory
 */
import { memory } from "@heapwise/bench";
import { Heap, type PyObject } from "@heapwise/heap-sim";
import { NaiveHeap } from "./naive-model.ts";

const N = 1_000_000;

function filled(make: (py: Heap) => () => PyObject): Heap {
  const py = new Heap();
  py.gc.disable();
  const frame = py.frame();
  const l = py.list();
  const next = make(py);
  for (let i = 0; i < N; i++) l.append(next());
  frame.set("l", l);
  if (py.memory().objects < N) throw new Error("objects missing");
  return py;
}

await memory({
  suite: "JS heap bytes for 1e6 simulated objects",
  floor: "naive model (JS object per object)",
  contestants: {
    "naive model (JS object per object)": () => {
      const h = new NaiveHeap();
      const root = h.alloc(1, 56, true);
      for (let i = 0; i < N; i++) {
        const o = h.alloc(2, 24, false);
        h.append(root, o);
        h.decref(o);
      }
      return h;
    },
    "heap-sim: floats": () => filled((py) => () => py.float(Math.random())),
    "heap-sim: lists": () => filled((py) => () => py.list()),
    "heap-sim: instances with __slots__": () =>
      filled((py) => {
        const C = py.defineClass("C", { slots: ["a"] });
        return () => py.new(C);
      }),
    "heap-sim: plain instances (managed dict)": () =>
      filled((py) => {
        const C = py.defineClass("C");
        return () => py.new(C);
      }),
    "heap-sim: plain instances, 3 attributes set": () =>
      filled((py) => {
        const C = py.defineClass("C");
        return () => py.new(C, { val: 1, left: null, right: null });
      }),
  },
});
