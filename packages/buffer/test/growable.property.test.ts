import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BufferError, GrowableBuffer } from "../src/index.ts";

type Cmd =
  | { op: "push"; values: number[] }
  | { op: "extend"; values: number[]; typed: boolean }
  | { op: "pop" }
  | { op: "truncate"; at: number }
  | { op: "set"; at: number; value: number }
  | { op: "shrink" }
  | { op: "export" }
  | { op: "release" };

const value = fc.integer({ min: -1000, max: 1000 });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ op: fc.constant("push" as const), values: fc.array(value, { maxLength: 4 }) }),
  fc.record({
    op: fc.constant("extend" as const),
    values: fc.array(value, { maxLength: 20 }),
    typed: fc.boolean(),
  }),
  fc.record({ op: fc.constant("pop" as const) }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat(30) }),
  fc.record({ op: fc.constant("set" as const), at: fc.nat(30), value }),
  fc.record({ op: fc.constant("shrink" as const) }),
  fc.record({ op: fc.constant("export" as const) }),
  fc.record({ op: fc.constant("release" as const) }),
);

describe("GrowableBuffer against a plain array model (property)", () => {
  it("keeps the same contents, refuses length changes exactly while views are exported", () => {
    fc.assert(
      fc.property(
        fc.array(cmd, { maxLength: 40 }),
        fc.constantFrom("double" as const, "python" as const),
        (cmds, growth) => {
          const buf = new GrowableBuffer("float64", { growth });
          const model: number[] = [];
          const views: ReturnType<GrowableBuffer<"float64">["view"]>[] = [];
          for (const c of cmds) {
            const exporting = views.length > 0;
            const expectBlocked = (newLength: number, f: () => void) => {
              if (exporting && newLength !== model.length) expect(f).toThrow(BufferError);
              else f();
            };
            switch (c.op) {
              case "push":
                expectBlocked(model.length + c.values.length, () => {
                  buf.push(...c.values);
                  model.push(...c.values);
                });
                break;
              case "extend":
                expectBlocked(model.length + c.values.length, () => {
                  buf.extend(c.typed ? Float64Array.from(c.values) : c.values);
                  model.push(...c.values);
                });
                break;
              case "pop":
                expectBlocked(Math.max(0, model.length - 1), () =>
                  expect(buf.pop()).toBe(model.pop()),
                );
                break;
              case "truncate": {
                const at = Math.min(c.at, model.length);
                expectBlocked(at, () => {
                  buf.truncate(at);
                  model.length = at;
                });
                break;
              }
              case "set":
                if (c.at < model.length) {
                  buf.set(c.at, c.value);
                  model[c.at] = c.value;
                } else expect(() => buf.set(c.at, c.value)).toThrow(RangeError);
                break;
              case "shrink":
                if (exporting && buf.capacity !== model.length)
                  expect(() => buf.shrinkToFit()).toThrow(BufferError);
                else {
                  buf.shrinkToFit();
                  expect(buf.capacity).toBe(model.length);
                }
                break;
              case "export":
                views.push(buf.view());
                break;
              case "release":
                views.pop()?.release();
                break;
            }
            expect(buf.length).toBe(model.length);
            expect(buf.capacity).toBeGreaterThanOrEqual(model.length);
            expect(buf.exports).toBe(views.length);
            // Every live view shows the current contents (the length cannot have changed under it).
            for (const v of views)
              expect(Array.from(v.array)).toEqual(model.slice(0, v.array.length));
          }
          expect([...buf]).toEqual(model);
          expect(Array.from(buf.toTypedArray())).toEqual(model);
        },
      ),
      { numRuns: 300 },
    );
  });
});
