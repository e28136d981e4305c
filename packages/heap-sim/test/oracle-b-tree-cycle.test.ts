/**
 * Oracle b (`b_tree_cycle.py`): a tree with parent back-references is freed only by the collector,
 * which returns 2N (3N with `__dict__` materialised), cumulative gen-2 stats. All exact. Also run
 * live on CPython with other sizes and branchings.
 */
import { describe, expect, it } from "vitest";
import { Heap, type PyClass, type PyObject } from "../src/index.ts";
import { oracle, pythonFor, runPython } from "./helpers/oracle.ts";

interface Run {
  class: string;
  n_nodes: number;
  branching: number;
  materialized___dict__: boolean;
  alive_after_del_root: number;
  gc_collect_returned: number;
  alive_after_collect: number;
  collect_per_node: number;
  gc_garbage_len: number;
  gen2_stats_after: { collections: number; collected: number; uncollectable: number };
  finalizers_run?: number;
}

/** The oracle's classes and `run()`, on a simulated heap. */
function treeLab(version: "3.11" | "3.12" | "3.13" = "3.11") {
  const py = new Heap({ version });
  py.gc.disable();
  let finalized = 0;
  const Node = py.defineClass("Node");
  const SlotNode = py.defineClass("SlotNode", { slots: ["parent", "children", "__weakref__"] });
  const DelNode = py.defineClass("DelNode", { base: Node, del: () => finalized++ });
  const classes: Record<string, PyClass> = { Node, SlotNode, DelNode };

  // def __init__(self, parent): self.parent = parent; self.children = []; parent.children.append(self)
  const make = (cls: PyClass, parent: PyObject | null): PyObject => {
    const node = py.new(cls, [
      ["parent", parent],
      ["children", py.list()],
    ]);
    if (parent !== null) parent.getAttr("children").append(node);
    return node;
  };

  const build = (f: ReturnType<Heap["frame"]>, cls: PyClass, n: number, branching: number) => {
    using b = py.frame("build");
    b.set("root", make(cls, null));
    b.set("nodes", py.list([b.get("root")]));
    let i = 0;
    while (b.get("nodes").len() < n) {
      const parent = b.get("nodes").getItem(Math.floor(i / branching));
      b.get("nodes").append(make(cls, parent));
      i++;
    }
    f.set("refs", py.list());
    for (const x of b.get("nodes")) f.get("refs").append(py.weakref.ref(x));
    f.set("root", b.get("root"));
  };

  const run = (clsName: string, n: number, materialize = false, branching = 2): Run => {
    py.gc.collect();
    using f = py.frame("run");
    build(f, classes[clsName]!, n, branching);
    if (materialize) for (const r of f.get("refs")) r.deref()!.dict().dispose();
    f.del("root");
    const alive = () =>
      f
        .get("refs")
        .toArray()
        .filter((r) => r.deref() !== undefined).length;
    const aliveAfterDel = alive();
    const collected = py.gc.collect();
    const aliveAfterCollect = alive();
    return {
      class: clsName,
      n_nodes: n,
      branching,
      materialized___dict__: materialize,
      alive_after_del_root: aliveAfterDel,
      gc_collect_returned: collected,
      alive_after_collect: aliveAfterCollect,
      collect_per_node: collected / n,
      gc_garbage_len: py.gc.garbage.len(),
      gen2_stats_after: py.gc.getStats()[2]!,
    };
  };
  return { py, run, finalized: () => finalized, resetFinalized: () => (finalized = 0) };
}

/** The oracle's sequence of runs. */
function oracleSequence(lab: ReturnType<typeof treeLab>): Run[] {
  const results: Run[] = [];
  for (const n of [1, 2, 10, 100, 1000, 10000]) results.push(lab.run("Node", n));
  for (const n of [10, 1000]) {
    results.push(lab.run("Node", n, true));
    results.push(lab.run("SlotNode", n));
    results.push(lab.run("Node", n, false, 1));
  }
  lab.resetFinalized();
  const r = lab.run("DelNode", 1000);
  r.finalizers_run = lab.finalized();
  results.push(r);
  return results;
}

describe("oracle b: a tree with parent back-references", () => {
  it("reproduces every run of the recorded 3.11.7 output exactly, stats included", () => {
    const want = oracle<{ results: Run[] }>("b_tree_cycle").results;
    const lab = treeLab();
    expect(oracleSequence(lab)).toEqual(want);
    expect(lab.py.check()).toEqual([]);
  });

  it("3.12 returns the same counts; 3.13 returns 2N even with __dict__ materialised", () => {
    for (const [version, file] of [
      ["3.12", "3.12.1"],
      ["3.13", "3.13.0"],
    ] as const) {
      const want = oracle<{ results: Run[] }>("b_tree_cycle", file).results;
      const got = oracleSequence(treeLab(version));
      const pick = (r: Run) => [r.class, r.n_nodes, r.gc_collect_returned, r.alive_after_del_root];
      expect(got.map(pick)).toEqual(want.map(pick));
    }
  });

  const python = pythonFor("3.11");
  it.skipIf(python === undefined)("matches CPython live for other sizes and branchings", () => {
    const cases: [string, number, boolean, number][] = [
      ["Node", 37, false, 3],
      ["Node", 555, true, 2],
      ["SlotNode", 123, false, 4],
      ["DelNode", 301, false, 1],
      ["Node", 2, true, 1],
    ];
    const code = `
import gc, json, sys, weakref
gc.disable()
class Node:
    def __init__(self, parent):
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)
class SlotNode:
    __slots__ = ("parent", "children", "__weakref__")
    def __init__(self, parent):
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)
class DelNode(Node):
    def __del__(self):
        pass
def run(cls, n, mat, br):
    gc.collect()
    root = cls(None); nodes = [root]; i = 0
    while len(nodes) < n:
        nodes.append(cls(nodes[i // br])); i += 1
    refs = [weakref.ref(x) for x in nodes]
    del nodes
    if mat:
        for r in refs: r().__dict__
    del root
    a = sum(1 for r in refs if r() is not None)
    c = gc.collect()
    return [a, c, sum(1 for r in refs if r() is not None)]
cases = json.loads(sys.argv[1])
print(json.dumps([run(globals()[c], n, m, b) for c, n, m, b in cases]))
`;
    const live = runPython<number[][]>(python!, code, [JSON.stringify(cases)]);
    const lab = treeLab();
    const got = cases.map(([c, n, m, b]) => {
      const r = lab.run(c, n, m, b);
      return [r.alive_after_del_root, r.gc_collect_returned, r.alive_after_collect];
    });
    expect(got).toEqual(live);
  });
});
