/**
 * Property: instance attributes behave like a Python dict — insertion order kept, a deleted and
 * re-added name goes to the end, values as last set — whatever the storage underneath: the packed
 * values array (order entries in its header and beyond), a materialised split `__dict__`, the
 * combined table it converts to when the shared keys are full, and 3.13's inline values with an
 * embedded dict. The heap stays consistent (`check()`) after every step, on every version.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Heap, type PythonVersion } from "../src/index.ts";

type Op =
  | { op: "set"; obj: number; name: number; value: number }
  | { op: "del"; obj: number; name: number }
  | { op: "dict"; obj: number }
  | { op: "new"; obj: number }
  | { op: "burst"; obj: number; names: number[] };

const OBJS = 3;
const NAMES = 12;
const obj = fc.integer({ min: 0, max: OBJS - 1 });
const name = fc.integer({ min: 0, max: NAMES - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      op: fc.constant("set" as const),
      obj,
      name,
      value: fc.integer({ min: 0, max: 9 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("del" as const), obj, name }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("dict" as const), obj }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("new" as const), obj }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("burst" as const),
      obj,
      names: fc.shuffledSubarray([...Array(NAMES).keys()]),
    }),
  },
);

describe("instance attributes (property)", () => {
  for (const version of ["3.11", "3.12", "3.13"] as PythonVersion[]) {
    it(`keep Python's dict order and values (${version})`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 40 }),
          fc.array(opArb, { maxLength: 60 }),
          (warm, ops) => {
            const py = new Heap({ version });
            const C = py.defineClass("C");
            using f = py.frame();
            // Earlier instances shrink the class's usable size: values arrays of every capacity.
            for (let i = 0; i < warm; i++) py.new(C).dispose();
            const models: Map<string, number>[] = [];
            for (let i = 0; i < OBJS; i++) {
              f.set(`o${i}`, py.new(C));
              models.push(new Map());
            }
            for (const o of ops) {
              const h = f.get(`o${o.obj}`);
              const model = models[o.obj]!;
              const attr = `a${"name" in o ? o.name : 0}`;
              switch (o.op) {
                case "set":
                  h.setAttr(attr, o.value);
                  model.set(attr, o.value);
                  break;
                case "del":
                  if (model.has(attr)) {
                    h.delAttr(attr);
                    model.delete(attr);
                  } else {
                    expect(() => h.delAttr(attr)).toThrow(/has no attribute/);
                  }
                  break;
                case "dict":
                  h.dict();
                  break;
                case "burst":
                  for (const n of o.names) {
                    h.setAttr(`a${n}`, n);
                    model.set(`a${n}`, n);
                  }
                  break;
                case "new":
                  f.set(`o${o.obj}`, py.new(C));
                  model.clear();
                  break;
              }
              const got = f
                .get(`o${o.obj}`)
                .attrs()
                .map(([k, v]) => [k, v.value]);
              expect(got).toEqual([...model]);
            }
            for (let i = 0; i < OBJS; i++) {
              const h = f.get(`o${i}`);
              expect(h.attrs().map(([k, v]) => [k, v.value])).toEqual([...models[i]!]);
              for (const [k, v] of models[i]!) expect(h.getAttr(k).value).toBe(v);
            }
            expect(py.check()).toEqual([]);
          },
        ),
        { numRuns: 150 },
      );
    });
  }
});
