/**
 * Simulated allocations + frees per second (issue goal: ≥ 2,000,000/s). Each sample allocates and
 * frees 1,000,000 simulated objects; the check after every sample is that the heap holds exactly
 * the objects it held before (nothing leaked, nothing freed twice).
 *
 * Floor: the naive model (bench/naive-model.ts), one JS object per simulated object.
 *
 *   pnpm bench heap-sim --files alloc-free
 */
import { compare } from "@heapwise/bench";
import { Heap } from "@heapwise/heap-sim";
import { NaiveHeap } from "./naive-model.ts";

const N = 1_000_000;
const FLOAT = 1;
const INSTANCE = 2;

/** Runs `body` N times and returns the change in the number of live objects (must be 0). */
function leakCheck(heap: Heap, body: () => void): () => number {
  return () => {
    const before = heap.memory().objects;
    body();
    return heap.memory().objects - before;
  };
}

await compare<number>({
  suite: "alloc+free of 1e6 floats",
  floor: "naive model (JS object per object)",
  ops: N,
  expect: (leaked) => leaked === 0 || `${leaked} objects leaked`,
  contestants: {
    "naive model (JS object per object)": () => {
      const h = new NaiveHeap();
      return () => {
        const before = h.objects;
        for (let i = 0; i < N; i++) h.decref(h.alloc(FLOAT, 24, false));
        return h.objects - before;
      };
    },
    "heap-sim: py.float(x).dispose()": () => {
      const py = new Heap();
      return leakCheck(py, () => {
        for (let i = 0; i < N; i++) py.float(i + 0.5).dispose();
      });
    },
    "heap-sim: 1e6 floats kept in a list, then freed": () => {
      const py = new Heap();
      return leakCheck(py, () => {
        const l = py.list();
        for (let i = 0; i < N; i++) l.append(py.float(i + 0.5));
        l.dispose();
      });
    },
  },
});

await compare<number>({
  suite: "alloc+free of 1e6 instances",
  floor: "naive model (JS object per object)",
  ops: N,
  expect: (leaked) => leaked === 0 || `${leaked} objects leaked`,
  contestants: {
    "naive model (JS object per object)": () => {
      const h = new NaiveHeap();
      return () => {
        const before = h.objects;
        for (let i = 0; i < N; i++) h.decref(h.alloc(INSTANCE, 48, true));
        return h.objects - before;
      };
    },
    "heap-sim: class with __slots__": () => {
      const py = new Heap();
      const Point = py.defineClass("Point", { slots: ["x"] });
      return leakCheck(py, () => {
        for (let i = 0; i < N; i++) py.new(Point).dispose();
      });
    },
    "heap-sim: plain class (managed dict)": () => {
      const py = new Heap();
      const Node = py.defineClass("Node");
      return leakCheck(py, () => {
        for (let i = 0; i < N; i++) py.new(Node).dispose();
      });
    },
    "heap-sim: plain class, one attribute set": () => {
      const py = new Heap();
      const Node = py.defineClass("Node");
      return leakCheck(py, () => {
        for (let i = 0; i < N; i++) {
          const n = py.new(Node);
          n.setAttr("x", 1);
          n.dispose();
        }
      });
    },
  },
});
