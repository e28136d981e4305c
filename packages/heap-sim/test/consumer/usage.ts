// A small program that uses @heapwise/heap-sim the way the demo app does: run by the
// fresh-consumer check against the packed tarball (tsc, module node16), then executed with Node.
import assert from "node:assert/strict";
import {
  Heap,
  type HeapEvent,
  type PyObject,
  PythonError,
  UseAfterFreeError,
  type WeakProvider,
} from "@heapwise/heap-sim";

const py = new Heap();
py.gc.disable();

// class Node: def __init__(self, parent): self.parent = parent; self.children = []
const Node = py.defineClass("Node");
const events: HeapEvent["type"][] = [];
const stop = py.on((e) => events.push(e.type));

function buildTree(n: number): PyObject {
  using f = py.frame("build");
  f.set("root", py.new(Node, { parent: null, children: py.list() }));
  f.set("nodes", py.list([f.get("root")]));
  for (let i = 1; i < n; i++) {
    const parent = f.get("nodes").getItem(Math.floor((i - 1) / 2));
    const child = py.new(Node, { parent, children: py.list() });
    parent.getAttr("children").append(child.share());
    f.get("nodes").append(child);
  }
  return f.get("root").share(); // return root
}

{
  using main = py.frame("main");
  main.set("root", buildTree(100));
  const probe = py.weakref.ref(main.get("root"));
  main.del("root"); // del root: every node is in a cycle with its parent
  assert.ok(probe.deref() !== undefined);
  assert.equal(py.gc.collect(), 200); // 100 nodes + their 100 children lists
  assert.equal(probe.deref(), undefined);
  probe.dispose();
}
stop();
assert.ok(events.includes("gc-start") && events.includes("free"));

// Sizes as sys.getsizeof reports them on CPython 3.11 (64-bit).
assert.equal(py.getsizeof(py.list([1, 2, 3])), 88);
assert.equal(py.getsizeof(py.dict()), 64);
assert.equal(py.getsizeof(py.str("abc")), 52);
assert.equal(py.getsizeof(py.float(1.5)), 24);

// Weak references are refused where CPython refuses them.
assert.throws(() => py.weakref.ref(py.int(1000)), PythonError);

// A freed object cannot be used through a stale handle.
const stale = py.new(Node);
const alias = py.objectById(stale.id)!;
stale.dispose();
assert.throws(() => alias.getAttr("x"), UseAfterFreeError);

// The heapwise interfaces over the simulated heap.
const weak: WeakProvider = py.weakProvider();
const freed: string[] = [];
const registry = weak.finalizationRegistry<string>((held) => freed.push(held));
{
  using obj = py.new(Node);
  registry.register(obj, "node");
}
assert.deepEqual(freed, ["node"]);
const allocator = py.allocator();
const buffer = allocator.allocate(4096);
assert.equal(py.memory().rawBytes, 4096);
allocator.release(buffer);

const stats = py.pymalloc.stats();
assert.ok(stats.arenasAllocatedCurrent >= 1);
assert.deepEqual(py.check(), []);
console.log(
  `heap-sim consumer ok: ${py.memory().objects} objects, ${stats.arenasAllocatedCurrent} arena(s)`,
);
