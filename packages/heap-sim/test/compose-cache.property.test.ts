/**
 * Property: a real `WeakValueMap` (@heapwise/cache) over `heap.weakProvider()` always holds exactly
 * the keys whose simulated objects are alive, where "alive" comes from a separate model of
 * CPython's rules: an object dies when its last reference goes (cascading), or at `gc.collect()`
 * when no root reaches it.
 */
import { WeakValueMap } from "@heapwise/cache";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Heap, type PyObject } from "../src/index.ts";

type Op =
  | { op: "new"; v: number }
  | { op: "del"; v: number }
  | { op: "link"; v: number; w: number }
  | { op: "unlink"; v: number }
  | { op: "set"; key: number; v: number }
  | { op: "delete"; key: number }
  | { op: "collect" };

const VARS = 5;
const KEYS = 6;
const v = fc.integer({ min: 0, max: VARS - 1 });
const key = fc.integer({ min: 0, max: KEYS - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  v.map((v) => ({ op: "new" as const, v })),
  v.map((v) => ({ op: "del" as const, v })),
  fc.tuple(v, v).map(([v, w]) => ({ op: "link" as const, v, w })),
  v.map((v) => ({ op: "unlink" as const, v })),
  fc.tuple(key, v).map(([key, v]) => ({ op: "set" as const, key, v })),
  key.map((key) => ({ op: "delete" as const, key })),
  fc.constant({ op: "collect" as const }),
);

/** Objects as CPython sees them: references from variables and from `peer` attributes. */
class Model {
  readonly alive = new Set<number>();
  readonly peer = new Map<number, number>();
  readonly vars: (number | undefined)[] = new Array(VARS).fill(undefined);
  readonly map = new Map<number, number>();
  #next = 0;

  refcount(o: number): number {
    let n = 0;
    for (const x of this.vars) if (x === o) n++;
    for (const [from, to] of this.peer) if (to === o && this.alive.has(from)) n++;
    return n;
  }
  release(o: number): void {
    if (this.refcount(o) > 0) return;
    this.alive.delete(o);
    const p = this.peer.get(o);
    this.peer.delete(o);
    if (p !== undefined) this.release(p);
  }
  create(): number {
    const o = this.#next++;
    this.alive.add(o);
    return o;
  }
  setVar(i: number, o: number | undefined): void {
    const old = this.vars[i];
    this.vars[i] = o;
    if (old !== undefined) this.release(old);
  }
  setPeer(o: number, p: number | undefined): void {
    const old = this.peer.get(o);
    if (p === undefined) this.peer.delete(o);
    else this.peer.set(o, p);
    if (old !== undefined) this.release(old);
  }
  collect(): void {
    const reached = new Set<number>();
    for (let o of this.vars) {
      while (o !== undefined && !reached.has(o)) {
        reached.add(o);
        o = this.peer.get(o);
      }
    }
    for (const o of [...this.alive]) {
      if (!reached.has(o)) {
        this.alive.delete(o);
        this.peer.delete(o);
      }
    }
  }
  liveKeys(): number[] {
    return [...this.map]
      .filter(([, o]) => this.alive.has(o))
      .map(([k]) => k)
      .sort();
  }
}

describe("WeakValueMap over simulated objects (property)", () => {
  it("holds exactly the keys whose objects CPython's rules keep alive", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const py = new Heap();
        py.gc.disable();
        const Obj = py.defineClass("Obj");
        const map = new WeakValueMap<number, PyObject>(null, { weakProvider: py.weakProvider() });
        const model = new Model();
        /** Simulated object id → model object, for the variables' current objects. */
        const byId = new Map<number, number>();
        using f = py.frame();
        const name = (i: number) => `v${i}`;
        for (const o of ops) {
          switch (o.op) {
            case "new": {
              const h = py.new(Obj);
              const m = model.create();
              byId.set(h.id, m);
              f.set(name(o.v), h);
              model.setVar(o.v, m);
              break;
            }
            case "del":
              if (!f.has(name(o.v))) break;
              f.del(name(o.v));
              model.setVar(o.v, undefined);
              break;
            case "link":
              if (!f.has(name(o.v)) || !f.has(name(o.w))) break;
              f.get(name(o.v)).setAttr("peer", f.get(name(o.w)));
              model.setPeer(model.vars[o.v]!, model.vars[o.w]!);
              break;
            case "unlink": {
              if (!f.has(name(o.v)) || !f.get(name(o.v)).hasAttr("peer")) break;
              f.get(name(o.v)).delAttr("peer");
              model.setPeer(model.vars[o.v]!, undefined);
              break;
            }
            case "set":
              if (!f.has(name(o.v))) break;
              map.set(o.key, f.get(name(o.v)));
              model.map.set(o.key, model.vars[o.v]!);
              break;
            case "delete":
              map.delete(o.key);
              model.map.delete(o.key);
              break;
            case "collect":
              py.gc.collect();
              model.collect();
              break;
          }
          const want = model.liveKeys();
          expect(map.size).toBe(want.length); // cleanups ran inside the frees
          expect([...map.keys()].sort()).toEqual(want);
          for (const k of want) {
            const h = map.get(k)!;
            expect(h.alive).toBe(true);
            expect(byId.get(h.id)).toBe(model.map.get(k));
          }
          expect(py.gc.getObjects().filter((x) => x.type === "Obj").length).toBe(model.alive.size);
          expect(py.check()).toEqual([]); // includes: no JS watcher left on a dead object
        }
        f.dispose();
        py.gc.collect();
        expect(map.size).toBe(0);
        expect(py.check()).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
