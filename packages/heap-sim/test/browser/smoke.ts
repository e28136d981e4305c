// Browser checks (tooling/browser-check bundles the main entry with vite and runs these in Chromium).
import { Heap, PythonError } from "@heapwise/heap-sim";

function expectEqual(got: unknown, want: unknown, what: string): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
}

export const checks = {
  "sizes are CPython 3.11's": () => {
    const py = new Heap();
    expectEqual(
      [py.list([1, 2, 3]), py.dict(), py.str("abc"), py.float(1.5), py.set()].map((o) =>
        py.getsizeof(o),
      ),
      [88, 64, 52, 24, 216],
      "getsizeof",
    );
  },
  "a cycle survives del and gc.collect() finds it": () => {
    const py = new Heap();
    py.gc.disable();
    const Node = py.defineClass("Node");
    using f = py.frame();
    f.set("a", py.new(Node));
    f.set("b", py.new(Node, { peer: f.get("a") }));
    f.get("a").setAttr("peer", f.get("b"));
    const probe = py.weakref.ref(f.get("a"));
    f.del("a");
    f.del("b");
    expectEqual(probe.deref() !== undefined, true, "alive after del");
    expectEqual(py.gc.collect(), 2, "gc.collect()");
    expectEqual(probe.deref(), undefined, "weakref after collect");
    probe.dispose();
    expectEqual(py.check(), [], "heap.check()");
  },
  "the 701st allocation triggers a collection inside the call": () => {
    const py = new Heap();
    py.gc.collect();
    using f = py.frame();
    f.set("keep", py.list());
    const starts: number[] = [];
    let i = 0;
    py.on((e) => {
      if (e.type === "gc-start") starts.push(i);
    });
    for (i = 1; i <= 2000; i++) f.get("keep").append(py.list());
    expectEqual(starts, [700, 1401], "collections");
  },
  "ints refuse weak references": () => {
    const py = new Heap();
    let refused = false;
    try {
      py.weakref.ref(py.int(1000));
    } catch (error) {
      refused = error instanceof PythonError && error.pythonType === "TypeError";
    }
    expectEqual(refused, true, "weakref.ref(int)");
  },
};
