import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, arange, multiply, type NDArray, ShapeError, zeros } from "../src/index.ts";

/** Two shapes that broadcast, derived from a common target by dropping leading axes and setting 1s. */
const compatible = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((target) => {
    const derive = fc
      .tuple(
        fc.integer({ min: 0, max: target.length }),
        fc.array(fc.boolean(), { minLength: target.length, maxLength: target.length }),
      )
      .map(([keep, ones]) =>
        target.slice(target.length - keep).map((d, i) => (ones[target.length - keep + i] ? 1 : d)),
      );
    return fc.tuple(fc.constant(target), derive, derive);
  });

/** Model: value of a broadcast operand at a multi-index of the result (NumPy's rule, written out). */
function at(a: NDArray, idx: number[]): number {
  const lead = idx.length - a.ndim;
  const own = a.shape.map((d, i) => (d === 1 ? 0 : idx[lead + i]!));
  return a.ndim === 0 ? (a.get() as number) : (a.get(...own) as number);
}

function indices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of shape) out = out.flatMap((p) => Array.from({ length: d }, (_, i) => [...p, i]));
  return out;
}

function filled(shape: number[], seed: number): NDArray {
  const a = zeros(shape);
  const d = a.data;
  for (let i = 0; i < d.length; i++) d[i] = ((i * 7919 + seed) % 101) - 50;
  return a;
}

describe("broadcasting laws (property)", () => {
  it("elementwise results equal the model at every index of the broadcast shape", () => {
    fc.assert(
      fc.property(compatible, fc.nat(1000), ([, sa, sb], seed) => {
        const a = filled(sa, seed);
        const b = filled(sb, seed + 1);
        const c = add(a, b);
        const shape = c.shape;
        for (const idx of indices(shape)) {
          expect(c.ndim === 0 ? c.get() : c.get(...idx)).toBe(at(a, idx) + at(b, idx));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("broadcasting is commutative, and a 1-shaped operand is an identity for the shape", () => {
    fc.assert(
      fc.property(compatible, ([target, sa, sb]) => {
        const a = filled(sa, 1);
        const b = filled(sb, 2);
        const ab = multiply(a, b);
        const ba = multiply(b, a);
        expect(ab.shape).toEqual(ba.shape);
        expect(ab.toArray()).toEqual(ba.toArray());
        const ones = zeros(target.map(() => 1));
        expect(add(a, ones).shape).toEqual(
          a.shape.length >= target.length ? a.shape : add(a, ones).shape,
        );
        expect(add(a, zeros([])).shape).toEqual(a.shape);
      }),
      { numRuns: 200 },
    );
  });

  it("broadcastTo agrees with broadcasting in arithmetic: a + b == broadcastTo(a) + broadcastTo(b)", () => {
    fc.assert(
      fc.property(compatible, ([, sa, sb]) => {
        const a = filled(sa, 3);
        const b = filled(sb, 4);
        const c = add(a, b);
        const viaViews = add(a.broadcastTo(c.shape), b.broadcastTo(c.shape));
        expect(viaViews.toArray()).toEqual(c.toArray());
      }),
      { numRuns: 200 },
    );
  });

  it("incompatible shapes always fail with a ShapeError naming both, leaving out untouched", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 3 }), (d, extra) => {
        const a = arange(d);
        const b = arange(d + extra);
        const out = zeros([d]).fill(9);
        expect(() => add(a, b, { out })).toThrow(ShapeError);
        expect(() => add(a, b)).toThrow(`shapes [${d}] [${d + extra}]`);
        expect(out.toArray()).toEqual(new Array(d).fill(9));
      }),
      { numRuns: 50 },
    );
  });
});
