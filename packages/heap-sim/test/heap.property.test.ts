/**
 * The heap against a graph model: random programs create lists, dicts, tuples, sets, instances
 * and floats, bind them to variables, link and unlink them, delete variables and run
 * collections. After every step:
 *   - no object reachable from a variable has been freed;
 *   - every live object's refcount equals its variable bindings plus the references held by
 *     live objects (so refcounts never go negative and nothing leaks a reference);
 *   - `heap.check()` is clean: GC lists, pools and arenas add up, every allocated byte belongs
 *     to a live object (or a free list);
 * and after a full collection (no finalizers) every unreachable object is freed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Heap, type PyObject, PythonError } from "../src/index.ts";

type Kind = "list" | "dict" | "tuple" | "set" | "inst" | "slots" | "float";
type Op =
  | { t: "new"; kind: Kind; v: number; items: number[] }
  | { t: "link"; from: number; to: number; slot: number }
  | { t: "unlink"; v: number }
  | { t: "del"; v: number }
  | { t: "collect"; gen: number }
  | { t: "weakref"; v: number };

const VARS = 6;
const v = fc.integer({ min: 0, max: VARS - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant("new" as const),
      kind: fc.constantFrom<Kind>("list", "dict", "tuple", "set", "inst", "slots", "float"),
      v,
      items: fc.array(v, { maxLength: 3 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant("link" as const),
      from: v,
      to: v,
      slot: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("unlink" as const), v }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("del" as const), v }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("collect" as const),
      gen: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("weakref" as const), v }) },
);

interface Node {
  kind: Kind;
  handle: PyObject;
  /** Outgoing references: slot name → target node (lists use positional names). */
  edges: Map<string, number>;
}

function runProgram(ops: Op[], threshold: number): void {
  const py = new Heap();
  py.gc.setThreshold(threshold); // small thresholds: automatic collections happen mid-program
  const Inst = py.defineClass("Inst");
  const Slots = py.defineClass("Slots", { slots: ["s0", "s1", "s2", "__weakref__"] });
  const f = py.frame();
  const nodes: Node[] = [];
  const roots = new Map<number, number>(); // variable → node
  const weakrefs: PyObject[] = [];
  let counter = 0;

  const reachable = (): Set<number> => {
    const seen = new Set<number>();
    const stack = [...roots.values()];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const m of nodes[n]!.edges.values()) stack.push(m);
    }
    return seen;
  };

  const verify = (afterFullCollect: boolean) => {
    const reach = reachable();
    for (const n of reach) expect(nodes[n]!.handle.alive).toBe(true);
    const expected = new Map<number, number>();
    for (const n of roots.values()) expected.set(n, (expected.get(n) ?? 0) + 1);
    nodes.forEach((node) => {
      if (!node.handle.alive) return;
      for (const m of node.edges.values()) expected.set(m, (expected.get(m) ?? 0) + 1);
    });
    nodes.forEach((node, n) => {
      if (!node.handle.alive) return;
      // () is the interpreter's singleton: its count includes references the model does not see
      if (node.kind === "tuple" && node.edges.size === 0) return;
      expect([n, node.kind, node.handle.refcount]).toEqual([n, node.kind, expected.get(n) ?? 0]);
      if (afterFullCollect) expect(reach.has(n)).toBe(true);
    });
    expect(py.check()).toEqual([]);
  };

  for (const op of ops) {
    try {
      step(op);
    } catch (e) {
      // Unhashable set members (a list, a dict, a tuple holding one) are refused before anything
      // changes: the model stays as it was and the invariants must still hold.
      if (!(e instanceof PythonError) || !e.message.includes("unhashable")) throw e;
    }
    verify(op.t === "collect" && op.gen === 2);
  }

  function step(op: Op): void {
    const live = (x: number) => roots.get(x);
    switch (op.t) {
      case "new": {
        const itemNodes = op.items.map(live).filter((x): x is number => x !== undefined);
        const items = itemNodes.map((n) => nodes[n]!.handle);
        let obj: PyObject;
        const edges = new Map<string, number>();
        if (op.kind === "list") obj = py.list(items);
        else if (op.kind === "tuple") obj = py.tuple(items);
        else if (op.kind === "set") obj = py.set(items);
        else if (op.kind === "dict") obj = py.dict(items.map((h, i) => [`k${i}`, h] as const));
        else if (op.kind === "inst")
          obj = py.new(
            Inst,
            items.map((h, i) => [`a${i}`, h] as const),
          );
        else if (op.kind === "slots")
          obj = py.new(
            Slots,
            items.map((h, i) => [`s${i}`, h] as const),
          );
        else obj = py.float(counter++ + 0.5);
        if (op.kind === "set") {
          for (const n of new Set(itemNodes)) edges.set(`m${n}`, n);
        } else if (op.kind !== "float") {
          const prefix = op.kind === "slots" ? "s" : op.kind === "inst" ? "a" : "k";
          for (let i = 0; i < itemNodes.length; i++) edges.set(`${prefix}${i}`, itemNodes[i]!);
        }
        f.set(`v${op.v}`, obj);
        nodes.push({ kind: op.kind, handle: f.get(`v${op.v}`), edges });
        roots.set(op.v, nodes.length - 1);
        break;
      }
      case "link": {
        const a = live(op.from);
        const b = live(op.to);
        if (a === undefined || b === undefined) break;
        const from = nodes[a]!;
        const target = nodes[b]!.handle;
        if (from.kind === "list") {
          from.handle.append(target);
          from.edges.set(`i${from.edges.size}:${counter++}`, b);
        } else if (from.kind === "dict") {
          from.handle.setItem(`k${op.slot}`, target);
          from.edges.set(`k${op.slot}`, b);
        } else if (from.kind === "inst") {
          from.handle.setAttr(`a${op.slot}`, target);
          from.edges.set(`a${op.slot}`, b);
        } else if (from.kind === "slots") {
          from.handle.setAttr(`s${op.slot}`, target);
          from.edges.set(`s${op.slot}`, b);
        } else if (from.kind === "set") {
          from.handle.add(target);
          from.edges.set(`m${b}`, b);
        }
        break;
      }
      case "unlink": {
        const a = live(op.v);
        if (a === undefined) break;
        const node = nodes[a]!;
        if (node.kind === "list" || node.kind === "dict" || node.kind === "set")
          node.handle.clear();
        else if (node.kind === "inst" || node.kind === "slots") {
          for (const name of [...node.edges.keys()]) node.handle.delAttr(name);
        } else break;
        node.edges.clear();
        break;
      }
      case "del":
        if (roots.has(op.v)) {
          f.del(`v${op.v}`);
          roots.delete(op.v);
        }
        break;
      case "collect":
        py.gc.collect(op.gen);
        break;
      case "weakref": {
        const a = live(op.v);
        if (
          a !== undefined &&
          (nodes[a]!.kind === "inst" || nodes[a]!.kind === "slots" || nodes[a]!.kind === "set")
        ) {
          weakrefs.push(py.weakref.ref(nodes[a]!.handle));
        }
        break;
      }
    }
  }
  py.gc.collect();
  verify(true);
  f.dispose();
  py.gc.collect();
  for (const node of nodes) {
    if (!(node.kind === "tuple" && node.edges.size === 0)) expect(node.handle.alive).toBe(false);
  }
  for (const w of weakrefs) {
    expect(w.deref()).toBeUndefined(); // everything is gone after the frame and a collection
    w.dispose();
  }
  expect(py.check()).toEqual([]);
}

describe("heap (property): refcounts and the collector against a graph model", () => {
  it("random programs keep the model's invariants", () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 70 }),
        fc.constantFrom(0, 3, 700),
        (ops, threshold) => {
          runProgram(ops, threshold);
        },
      ),
      { numRuns: 150 },
    );
  });
});
