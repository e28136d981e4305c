/**
 * WeakValueMap against a model: a Map whose entries carry their value, and a set of collected
 * values decided by a deterministic provider. Checks get/has/delete/size/iteration after every step,
 * including finalizers arriving late, keys set again before them, and collections during iteration.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WeakValueMap } from "../src/index.ts";
import { TestWeakProvider } from "../src/testing.ts";

type Op =
  | { op: "set"; key: number; value: number }
  | { op: "get" | "has" | "delete"; key: number }
  | { op: "collect"; value: number }
  | { op: "finalize" }
  | { op: "iterate"; killEvery: number }
  | { op: "clear" };

const key = fc.integer({ min: 0, max: 5 });
const value = fc.integer({ min: 0, max: 15 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("set" as const), key, value }) },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constantFrom("get" as const, "has" as const, "delete" as const),
      key,
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("collect" as const), value }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("finalize" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("iterate" as const),
      killEvery: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("clear" as const) }) },
);

describe("WeakValueMap against a model", () => {
  it("agrees with a Map of live values under any interleaving of sets, collections and finalizers", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.boolean(), (ops, autoFinalize) => {
        const provider = new TestWeakProvider({ autoFinalize });
        const map = new WeakValueMap<number, { id: number }>(null, { weakProvider: provider });
        const model = new Map<number, { id: number }>(); // entries whose removal is still pending too
        const values = Array.from({ length: 16 }, (_, id) => ({ id }));
        const dead = (v: object) => provider.isCollected(v);
        const finalizeModel = () => {
          for (const [k, v] of [...model]) if (dead(v)) model.delete(k);
        };
        const live = () => [...model].filter(([, v]) => !dead(v));

        for (const step of ops) {
          switch (step.op) {
            case "set": {
              const v = values[step.value]!;
              if (dead(v)) break; // a collected object cannot be set again (nobody holds it)
              map.set(step.key, v);
              model.set(step.key, v);
              break;
            }
            case "get": {
              const v = model.get(step.key);
              if (v !== undefined && dead(v)) model.delete(step.key); // a read drops a dead entry
              expect(map.get(step.key)).toBe(v !== undefined && !dead(v) ? v : undefined);
              break;
            }
            case "has": {
              const v = model.get(step.key);
              if (v !== undefined && dead(v)) model.delete(step.key);
              expect(map.has(step.key)).toBe(v !== undefined && !dead(v));
              break;
            }
            case "delete": {
              const v = model.get(step.key);
              model.delete(step.key);
              expect(map.delete(step.key)).toBe(v !== undefined && !dead(v));
              break;
            }
            case "collect":
              provider.collect(values[step.value]!);
              if (autoFinalize) finalizeModel();
              break;
            case "finalize":
              provider.runFinalizers();
              finalizeModel();
              break;
            case "iterate": {
              // Iterate while killing values: never a dead value, never a key twice.
              const seen: number[] = [];
              let n = 0;
              for (const [k, v] of map) {
                expect(dead(v)).toBe(false);
                expect(model.get(k)).toBe(v);
                seen.push(k);
                if (step.killEvery > 0 && ++n % step.killEvery === 0) {
                  const victim = live().find(([other]) => !seen.includes(other));
                  if (victim) {
                    provider.collect(victim[1]);
                    if (autoFinalize) finalizeModel();
                  }
                }
              }
              expect(new Set(seen).size).toBe(seen.length);
              // everything live now and not visited must have been killed during the loop
              for (const [k] of live()) if (!seen.includes(k)) expect.unreachable(`missed ${k}`);
              // iteration drops the dead entries it reaches (not those that died after their visit)
              for (const [k, v] of [...model]) if (dead(v) && !seen.includes(k)) model.delete(k);
              break;
            }
            case "clear":
              map.clear();
              model.clear();
              break;
          }
          expect(map.size).toBe(model.size);
          expect([...map.keys()].sort()).toEqual(
            live()
              .map(([k]) => k)
              .sort(),
          );
          for (const [k, v] of model) if (dead(v)) model.delete(k); // keys() dropped dead entries
          expect(map.size).toBe(model.size);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("WeakValueMap with the native provider, across job boundaries", () => {
  // Values set in a job are stored as they are and made weak at the job's microtask checkpoint;
  // this checks that bookkeeping against a plain Map. The test holds every value, so nothing is
  // collected and every answer is exact. Keys include values used as their own key.
  type JobOp =
    | { op: "set"; key: number; value: number }
    | { op: "get" | "delete"; key: number }
    | { op: "self"; value: number }
    | { op: "tick" | "clear" | "iterate" };
  const jobOp: fc.Arbitrary<JobOp> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant("set" as const), key, value }) },
    {
      weight: 4,
      arbitrary: fc.record({ op: fc.constantFrom("get" as const, "delete" as const), key }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("self" as const), value }) },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constantFrom("tick" as const, "clear" as const, "iterate" as const),
      }),
    },
  );

  it("answers like a Map whatever the jobs in between", async () => {
    const values = Array.from({ length: 16 }, (_, i) => (i % 4 === 3 ? new WeakRef({ i }) : { i }));
    await fc.assert(
      fc.asyncProperty(fc.array(jobOp, { maxLength: 60 }), async (ops) => {
        const map = new WeakValueMap<unknown, object>();
        const model = new Map<unknown, object>();
        for (const step of ops) {
          switch (step.op) {
            case "set":
              map.set(step.key, values[step.value]!);
              model.set(step.key, values[step.value]!);
              break;
            case "self": {
              const v = values[step.value]!;
              map.set(v, v);
              model.set(v, v);
              break;
            }
            case "get":
              expect(map.get(step.key)).toBe(model.get(step.key));
              break;
            case "delete":
              expect(map.delete(step.key)).toBe(model.delete(step.key));
              break;
            case "tick":
              await null; // the microtask checkpoint: pending values become weak
              break;
            case "clear":
              map.clear();
              model.clear();
              break;
            case "iterate":
              expect([...map]).toEqual([...model]);
              break;
          }
          expect(map.size).toBe(model.size);
        }
        await null;
        expect([...map]).toEqual([...model]);
      }),
      { numRuns: 300 },
    );
  });
});
