import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { median, quantile, roundOrder, spread } from "../src/stats.ts";

describe("quantile", () => {
  it("matches the sorted-array model at the ends and the middle", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1 }),
        (xs) => {
          const sorted = [...xs].sort((a, b) => a - b);
          // === rather than toBe: -0 and 0 are the same quantile.
          expect(quantile(xs, 0) === sorted[0]).toBe(true);
          expect(quantile(xs, 1) === sorted.at(-1)).toBe(true);
          const m = median(xs);
          expect(m).toBeGreaterThanOrEqual(sorted[0]!);
          expect(m).toBeLessThanOrEqual(sorted.at(-1)!);
        },
      ),
    );
  });
  it("interpolates", () => {
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
  });
  it("rejects an empty list and a bad q, naming it", () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => quantile([1], 2)).toThrow("q must be in [0, 1], got 2");
  });
});

describe("roundOrder", () => {
  it("is a permutation every round and puts every contestant first at some point", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), (n) => {
        const items = Array.from({ length: n }, (_, i) => i);
        const firsts = new Set<number>();
        for (let round = 0; round < 2 * n; round++) {
          const order = roundOrder(items, round);
          expect([...order].sort((a, b) => a - b)).toEqual(items);
          firsts.add(order[0]!);
        }
        expect(firsts.size).toBe(n);
      }),
    );
  });
});

describe("spread", () => {
  it("summarises values scaled by a floor", () => {
    expect(spread([2, 4, 6, 8, 10], 2)).toEqual({ median: 3, p25: 2, p75: 4, min: 1, max: 5 });
  });
});
