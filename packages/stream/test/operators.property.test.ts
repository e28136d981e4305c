import fc from "fast-check";

fc.configureGlobal({ numRuns: Number(process.env.FC_RUNS ?? 100) });

import { describe, expect, it } from "vitest";
import {
  count,
  every,
  find,
  first,
  forEach,
  pipe,
  reduce,
  type Stage,
  type StageKind,
  some,
  toArray,
} from "../src/index.ts";
import { asyncSource, collect, syncSource } from "./helpers.ts";
import { step } from "./model.ts";

type AnyStage = Stage<never, unknown, StageKind>;
const run = pipe as unknown as (source: unknown, ...stages: AnyStage[]) => unknown;

const pipelines = fc.record({
  xs: fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 }),
  steps: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 60 })), { minLength: 1, maxLength: 4 }),
});

describe("every operator, composed at random, equals its array model", () => {
  it("sync: array source, pull mode (for…of)", () => {
    fc.assert(
      fc.property(pipelines, ({ xs, steps }) => {
        const built = steps.map(([k, p]) => step(k, p));
        const expected = built.reduce((acc, s) => s.model(acc), xs);
        const stages = built.flatMap((s) => s.stages(false));
        expect([...(run(xs, ...stages) as Iterable<number>)]).toEqual(expected);
      }),
    );
  });

  it("sync: iterator source, push mode (a terminal), source closed or exhausted", () => {
    fc.assert(
      fc.property(pipelines, ({ xs, steps }) => {
        const built = steps.map(([k, p]) => step(k, p));
        const expected = built.reduce((acc, s) => s.model(acc), xs);
        const src = syncSource(xs);
        const out = run(src, ...built.flatMap((s) => s.stages(false)), toArray()) as number[];
        expect(out).toEqual(expected);
        expect(src.log.exhausted || src.log.returns === 1).toBe(true);
        expect(src.log.pullsAfterReturn).toBe(0);
      }),
    );
  });

  it("async: async source with sync and async callbacks, pull and push mode", async () => {
    await fc.assert(
      fc.asyncProperty(
        pipelines,
        fc.boolean(),
        fc.boolean(),
        async ({ xs, steps }, asyncFns, terminal) => {
          const built = steps.map(([k, p]) => step(k, p));
          const expected = built.reduce((acc, s) => s.model(acc), xs);
          const src = asyncSource(xs);
          const stages = built.flatMap((s) => s.stages(asyncFns));
          const out = terminal
            ? await (run(src, ...stages, toArray()) as Promise<number[]>)
            : await collect(run(src, ...stages) as AsyncIterable<number>);
          expect(out).toEqual(expected);
          expect(src.log.exhausted || src.log.returns === 1).toBe(true);
          expect(src.log.pullsAfterReturn).toBe(0);
        },
      ),
    );
  });
});

describe("terminals equal their array models", () => {
  const xsArb = fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 30 });
  it("sync and async", async () => {
    await fc.assert(
      fc.asyncProperty(xsArb, fc.integer({ min: -20, max: 20 }), async (xs, k) => {
        const p = (x: number) => x > k;
        const seen: number[] = [];
        expect(
          pipe(
            xs,
            reduce((a, x) => a * 31 + x, 7),
          ),
        ).toBe(xs.reduce((a, x) => a * 31 + x, 7));
        expect(pipe(xs, count())).toBe(xs.length);
        expect(pipe(xs, some(p))).toBe(xs.some(p));
        expect(pipe(xs, every(p))).toBe(xs.every(p));
        expect(pipe(xs, find(p))).toBe(xs.find(p));
        expect(pipe(xs, first())).toBe(xs[0]);
        pipe(
          xs,
          forEach((x) => seen.push(x)),
        );
        expect(seen).toEqual(xs);
        if (xs.length > 0)
          expect(
            pipe(
              xs,
              reduce((a, x) => a - x),
            ),
          ).toBe(xs.reduce((a, x) => a - x));
        else
          expect(() =>
            pipe(
              xs,
              reduce((a: number, x: number) => a - x),
            ),
          ).toThrow(TypeError);
        const a = () => asyncSource(xs);
        const ap = async (x: number) => x > k;
        expect(
          await pipe(
            a(),
            reduce(async (acc, x) => acc * 31 + x, 7),
          ),
        ).toBe(xs.reduce((acc, x) => acc * 31 + x, 7));
        expect(await pipe(a(), count())).toBe(xs.length);
        expect(await pipe(a(), some(ap))).toBe(xs.some(p));
        expect(await pipe(a(), every(ap))).toBe(xs.every(p));
        expect(await pipe(a(), find(ap))).toBe(xs.find(p));
        expect(await pipe(a(), first())).toBe(xs[0]);
      }),
    );
  });

  it("short-circuiting terminals stop pulling at the answer and close the source", () => {
    fc.assert(
      fc.property(xsArb, fc.integer({ min: -20, max: 20 }), (xs, k) => {
        const src = syncSource(xs);
        const found = pipe(
          src,
          find((x) => x > k),
        );
        const at = xs.findIndex((x) => x > k);
        expect(found).toBe(xs[at]);
        if (at >= 0) {
          expect(src.log.pulls).toBe(at + 1);
          expect(src.log.returns).toBe(1);
        } else expect(src.log.exhausted).toBe(true);
      }),
    );
  });
});
