import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dot, NDArray, sum } from "../src/index.ts";
import { numpyPairwise } from "./helpers/pairwise.ts";

const doubles = fc.double({ min: -1e10, max: 1e10, noNaN: true, noDefaultInfinity: true });

describe("summation kernels (property)", () => {
  it("below 8192 elements, any stride (negative too) gives NumPy's pairwise sum bit for bit", () => {
    fc.assert(
      fc.property(
        fc.array(doubles, { maxLength: 1200 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (values, stride, reverse) => {
          const n = values.length;
          const data = new Float64Array(n * stride);
          values.forEach((v, i) => {
            data[(reverse ? n - 1 - i : i) * stride] = v;
          });
          const view = new NDArray(data, {
            shape: [n],
            strides: [reverse ? -stride : stride],
            offset: reverse && n > 0 ? (n - 1) * stride : 0,
          });
          expect(Object.is(sum(view), 0 + numpyPairwise(values))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the error stays within the pairwise bound against an exact (BigInt) sum, Kahan within 2 ulp", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: -(2n ** 52n), max: 2n ** 52n }), {
          minLength: 1,
          maxLength: 20000,
        }),
        fc.integer({ min: 0, max: 30 }),
        (ints, shift) => {
          const scale = 2 ** -shift;
          const x = Float64Array.from(ints, (v) => Number(v) * scale);
          const exact = Number(ints.reduce((a, b) => a + b, 0n)) * scale; // one rounding
          const absSum = x.reduce((a, b) => a + Math.abs(b), 0);
          const eps = 2 ** -53;
          const bound = (16 + 8 + Math.log2(x.length) + 2) * eps * absSum;
          expect(Math.abs(sum(x) - exact)).toBeLessThanOrEqual(bound);
          expect(Math.abs(sum(x, { algorithm: "kahan" }) - exact)).toBeLessThanOrEqual(
            4 * eps * Math.abs(exact) + 2 * eps * absSum * 1e-10 + 5e-324,
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it("axis sums equal the per-lane sums of the same elements, whatever the memory order", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (rows, cols, transposed) => {
          const base = new Float64Array(rows * cols).map((_, i) => ((i * 2654435761) % 1000) / 7);
          const m = new NDArray(base, { shape: transposed ? [cols, rows] : [rows, cols] });
          const a = transposed ? m.T : m; // shape [rows, cols] either way
          const s0 = sum(a, { axis: 0 });
          for (let j = 0; j < cols; j++) {
            const col = a.slice(null, j);
            expect(s0.get(j)).toBe(sum(col));
          }
          const s1 = sum(a, { axis: 1 });
          for (let i = 0; i < rows; i++) expect(s1.get(i)).toBe(sum(a.slice(i)));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("past 8192 rows (chunked pairwise), axis-0 sums still equal the column sums bit for bit", () => {
    for (const rows of [8192, 8193, 20_000, 3 * 8192 + 5]) {
      const cols = 6;
      const a = new NDArray(
        new Float64Array(rows * cols).map((_, i) => Math.sin(i) * 1e3),
        { shape: [rows, cols] },
      );
      const s0 = sum(a, { axis: 0 });
      for (let j = 0; j < cols; j++) expect(s0.get(j)).toBe(sum(a.slice(null, j)));
    }
  });

  it("dot stays within the pairwise bound of the exact sum of products", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: -(2 ** 20), max: 2 ** 20 }),
            fc.integer({ min: -(2 ** 20), max: 2 ** 20 }),
          ),
          { maxLength: 30000 },
        ),
        (pairs) => {
          const x = Float64Array.from(pairs, (p) => p[0]);
          const y = Float64Array.from(pairs, (p) => p[1]);
          const exact = Number(pairs.reduce((acc, [a, b]) => acc + BigInt(a) * BigInt(b), 0n));
          const absSum = pairs.reduce((acc, [a, b]) => acc + Math.abs(a * b), 0);
          expect(Math.abs(dot(x, y) - exact)).toBeLessThanOrEqual(
            (26 + Math.log2(pairs.length + 1)) * 2 ** -53 * absSum,
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
