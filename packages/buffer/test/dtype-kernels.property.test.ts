/**
 * The per-class kernels (kernels.generated.ts: one copy of every loop per typed-array class)
 * against simple models, for every number dtype: reductions, dot, elementwise arithmetic and axpy
 * over strided views (negative steps too), axis sums, operands of different classes (the generic
 * loops), and views that lie past the 2^30-element index limit of the unit-stride loops.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  argmax,
  argmin,
  axpy,
  type DType,
  divide,
  dot,
  max,
  maximum,
  mean,
  min,
  minimum,
  multiply,
  NDArray,
  subtract,
  sum,
  type UnaryName,
  unary,
  variance,
} from "../src/index.ts";
import { numpyPairwise } from "./helpers/pairwise.ts";

type NumberDType = Exclude<DType, "bigint64" | "biguint64">;
type Ctor = {
  new (n: number): Float64Array;
  from(a: ArrayLike<number>): Float64Array;
};

const RANGES: Record<NumberDType, { ctor: unknown; values: fc.Arbitrary<number> }> = {
  float64: {
    ctor: Float64Array,
    values: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  },
  float32: {
    ctor: Float32Array,
    values: fc
      .float({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
      .map(Math.fround),
  },
  int32: { ctor: Int32Array, values: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
  uint32: { ctor: Uint32Array, values: fc.integer({ min: 0, max: 2 ** 32 - 1 }) },
  int16: { ctor: Int16Array, values: fc.integer({ min: -32768, max: 32767 }) },
  uint16: { ctor: Uint16Array, values: fc.integer({ min: 0, max: 65535 }) },
  int8: { ctor: Int8Array, values: fc.integer({ min: -128, max: 127 }) },
  uint8: { ctor: Uint8Array, values: fc.integer({ min: 0, max: 255 }) },
};
const DTYPES = Object.keys(RANGES) as NumberDType[];
const ctorOf = (d: NumberDType) => RANGES[d].ctor as Ctor;

/** A 1-D view of `values` stored `step` apart (negative: reversed), plus the values in view order. */
function stridedView(dtype: NumberDType, values: number[], step: number): NDArray {
  const n = values.length;
  const s = Math.abs(step);
  const data = new (ctorOf(dtype))(n * s + 3);
  values.forEach((v, i) => {
    data[3 + (step < 0 ? n - 1 - i : i) * s] = v;
  });
  return new NDArray(data, {
    shape: [n],
    strides: [step],
    offset: step < 0 && n > 0 ? 3 + (n - 1) * s : 3,
  });
}

const viewCase = fc.constantFrom(...DTYPES).chain((dtype) =>
  fc.record({
    dtype: fc.constant(dtype),
    values: fc.array(RANGES[dtype].values, { minLength: 1, maxLength: 700 }),
    step: fc.constantFrom(1, 1, 2, 3, -1, -2),
  }),
);

describe("per-dtype kernels (property)", () => {
  it("sum, mean, min, max, argmin, argmax of any strided view of every dtype match the models", () => {
    fc.assert(
      fc.property(viewCase, ({ dtype, values, step }) => {
        const v = stridedView(dtype, values, step);
        const exact = 0 + numpyPairwise(values);
        expect(Object.is(sum(v), exact)).toBe(true);
        const m = exact / values.length;
        expect(mean(v)).toBe(dtype === "float32" ? Math.fround(m) : m);
        let lo = 0;
        let hi = 0;
        values.forEach((x, i) => {
          if (x < values[lo]!) lo = i;
          if (x > values[hi]!) hi = i;
        });
        expect([argmin(v), argmax(v), min(v), max(v)]).toEqual([lo, hi, values[lo], values[hi]]);
      }),
      { numRuns: 300 },
    );
  });

  it("Kahan sums and variances of every dtype equal those of the same values in float64", () => {
    fc.assert(
      fc.property(viewCase, ({ dtype, values, step }) => {
        const v = stridedView(dtype, values, step);
        const f = new NDArray(Float64Array.from(values));
        const round = dtype === "float32" ? Math.fround : (x: number) => x;
        expect(sum(v, { algorithm: "kahan" })).toBe(sum(f, { algorithm: "kahan" }));
        expect(variance(v)).toBe(round(variance(f)));
        expect(variance(v, { algorithm: "kahan", ddof: 1 })).toBe(
          round(variance(f, { algorithm: "kahan", ddof: 1 })),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("add, subtract, multiply (and divide for floats) of same-dtype views wrap like the dtype", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DTYPES).chain((dtype) =>
          fc.record({
            dtype: fc.constant(dtype),
            pairs: fc.array(fc.tuple(RANGES[dtype].values, RANGES[dtype].values), {
              minLength: 1,
              maxLength: 300,
            }),
            sa: fc.constantFrom(1, 2, -1),
            sb: fc.constantFrom(1, -2),
          }),
        ),
        ({ dtype, pairs, sa, sb }) => {
          const C = ctorOf(dtype);
          const a = stridedView(
            dtype,
            pairs.map((p) => p[0]),
            sa,
          );
          const b = stridedView(
            dtype,
            pairs.map((p) => p[1]),
            sb,
          );
          const model = (f: (x: number, y: number) => number) => {
            const o = new C(pairs.length);
            pairs.forEach(([x, y], i) => {
              o[i] = f(x, y);
            });
            return Array.from(o);
          };
          const int32 = dtype === "int32" || dtype === "uint32";
          expect(add(a, b).toArray()).toEqual(model((x, y) => x + y));
          expect(subtract(a, b).toArray()).toEqual(model((x, y) => x - y));
          expect(multiply(a, b).toArray()).toEqual(model(int32 ? Math.imul : (x, y) => x * y));
          // NumPy's maximum/minimum: the first operand wins ties (so maximum(-0, 0) is -0).
          // biome-ignore lint/complexity/useMathMinMax: Math.max(-0, 0) is 0, not NumPy's -0
          expect(maximum(a, b).toArray()).toEqual(model((x, y) => (x >= y ? x : y)));
          // biome-ignore lint/complexity/useMathMinMax: Math.min(0, -0) is -0, not NumPy's 0
          expect(minimum(a, b).toArray()).toEqual(model((x, y) => (x <= y ? x : y)));
          const out = new NDArray(new C(pairs.length));
          add(a, b, { out });
          expect(out.toArray()).toEqual(model((x, y) => x + y));
          if (dtype === "float64" || dtype === "float32") {
            expect(divide(a, b).toArray()).toEqual(model((x, y) => x / y));
            const y = stridedView(
              dtype,
              pairs.map((p) => p[1]),
              sb,
            );
            axpy(0.75, a, y);
            expect(y.toArray()).toEqual(model((p, q) => q + 0.75 * p));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("elementwise arithmetic and axpy past 8192 elements (the blocked loops), at any offsets", () => {
    for (const dtype of DTYPES) {
      const C = ctorOf(dtype);
      const n = 2 * 8192 + 37;
      const span = dtype.endsWith("8") ? 256 : dtype.endsWith("16") ? 65536 : 2 ** 32;
      const base = C.from(
        Array.from({ length: n + 11 }, (_, i) => ((i * 2654435761) % span) - span / 3),
      );
      for (const [oa, ob, oo] of [
        [0, 0, 0],
        [3, 7, 1],
      ] as const) {
        const a = new NDArray(base).slice(`${oa}:${oa + n}`);
        const b = new NDArray(base.slice().reverse()).slice(`${ob}:${ob + n}`);
        const model = (f: (x: number, y: number) => number) => {
          const o = new C(n);
          for (let i = 0; i < n; i++) o[i] = f(a.get(i) as number, b.get(i) as number);
          return Array.from(o);
        };
        const int32 = dtype === "int32" || dtype === "uint32";
        const out = new NDArray(new C(n + oo)).slice(`${oo}:`);
        expect(add(a, b, { out }).toArray()).toEqual(model((x, y) => x + y));
        expect(subtract(a, b).toArray()).toEqual(model((x, y) => x - y));
        expect(multiply(a, b).toArray()).toEqual(model(int32 ? Math.imul : (x, y) => x * y));
        if (dtype === "float64" || dtype === "float32") {
          expect(divide(a, b).toArray()).toEqual(model((x, y) => x / y));
          const y = b.compact();
          axpy(-1.5, a, y);
          expect(y.toArray()).toEqual(model((p, q) => q + -1.5 * p));
        }
      }
    }
  });

  it("unary functions of float32 and float64 views equal Math's, rounded to the dtype", () => {
    const names: [UnaryName, (x: number) => number][] = [
      ["exp", Math.exp],
      ["log", Math.log],
      ["sqrt", Math.sqrt],
      ["sin", Math.sin],
      ["cos", Math.cos],
      ["tanh", Math.tanh],
      ["abs", Math.abs],
      ["negative", (x) => -x],
      ["square", (x) => x * x],
      ["floor", Math.floor],
      ["atan", Math.atan],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom<NumberDType>("float32", "float64").chain((dtype) =>
          fc.record({
            dtype: fc.constant(dtype),
            values: fc.array(RANGES[dtype].values, { minLength: 1, maxLength: 200 }),
            step: fc.constantFrom(1, -2),
            fn: fc.constantFrom(...names),
          }),
        ),
        ({ dtype, values, step, fn: [name, f] }) => {
          const v = stridedView(dtype, values, step);
          const want = Array.from(ctorOf(dtype).from(values.map(f)));
          expect(unary(name, v).toArray()).toEqual(want);
          const out = stridedView(dtype, values, 1);
          unary(name, v, { out });
          expect(out.toArray()).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("dot of two same-dtype arrays equals the dot of their float64 copies, past 8192 elements too", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DTYPES),
        fc.integer({ min: 1, max: 3 * 8192 + 300 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (dtype, n, reversed, seed) => {
          const C = ctorOf(dtype);
          let s = seed;
          const next = () => {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0;
            return s;
          };
          const span = dtype.endsWith("8") ? 256 : dtype.endsWith("16") ? 65536 : 2 ** 31;
          const x = C.from(Array.from({ length: n + 5 }, () => (next() % span) - span / 4));
          const y = C.from(Array.from({ length: n + 5 }, () => (next() % span) - span / 3));
          const X = new NDArray(x).slice(reversed ? `${n + 4}:4:-1` : "5:");
          const Y = new NDArray(y).slice(`2:${n + 2}`);
          const fx = X.astype("float64");
          const fy = Y.astype("float64");
          const want = dot(fx, fy);
          expect(dot(X, Y)).toBe(dtype === "float32" ? Math.fround(want) : want);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("axis sums of every dtype equal the per-lane sums, whatever the memory order", () => {
    for (const dtype of DTYPES) {
      for (const [rows, cols, transposed] of [
        [300, 7, false],
        [9000, 3, true],
        [5, 600, false],
      ] as const) {
        const C = ctorOf(dtype);
        const base = C.from(
          Array.from({ length: rows * cols }, (_, i) => ((i * 2654435761) % 200) - 60),
        );
        const m = new NDArray(base, { shape: transposed ? [cols, rows] : [rows, cols] });
        const a = transposed ? m.T : m;
        const s0 = sum(a, { axis: 0 });
        for (let j = 0; j < cols; j++) expect(s0.get(j)).toBe(sum(a.slice(null, j)));
        const v0 = variance(a, { axis: 0 });
        for (let j = 0; j < cols; j += 3) expect(v0.get(j)).toBe(variance(a.slice(null, j)));
      }
    }
  });
});

describe("operands of different classes (the generic loops)", () => {
  it("mixed-dtype arithmetic, dot and axpy agree with float64 models", () => {
    const i8 = new NDArray(Int8Array.from([-128, -1, 0, 1, 127, 5, -7]));
    const u8 = new NDArray(Uint8Array.from([255, 0, 1, 2, 3, 200, 9]));
    const s = add(i8, u8);
    expect(s.dtype).toBe("int16");
    expect(s.toArray()).toEqual([127, -1, 1, 3, 130, 205, 2]);
    expect(multiply(i8, u8).toArray()).toEqual([-32640, 0, 0, 2, 381, 1000, -63]);
    const i32 = new NDArray(Int32Array.from([1, -2, 3, 2 ** 30, -(2 ** 31)]));
    const f64 = new NDArray(Float64Array.from([0.5, 0.25, -1, 2, 1e-3]));
    expect(dot(i32, f64)).toBe(dot(i32.astype("float64"), f64));
    const y = new NDArray(Float64Array.from([1, 1, 1, 1, 1]));
    axpy(2, i32, y);
    expect(y.toArray()).toEqual([3, -3, 7, 2 ** 31 + 1, -(2 ** 32) + 1]);
    const f32 = new NDArray(Float32Array.from([1.5, 2.5, -3.5, 4, 5]));
    expect(divide(i32, f32).toArray()).toEqual(
      [1, -2, 3, 2 ** 30, -(2 ** 31)].map((v, i) => v / [1.5, 2.5, -3.5, 4, 5][i]!),
    );
  });
});

describe("views past the 2^30-element index limit of the unit-stride loops", () => {
  it("sum, mean, dot and variance of a uint8 view that crosses 2^30 match a compact copy", () => {
    const n = 2 ** 30 + 3 * 8192 + 100; // 1 GiB of untouched zero pages: only the tail is written
    const big = new Uint8Array(n);
    const from = 2 ** 30 - 2 * 8192 - 37;
    for (let i = from; i < n; i++) big[i] = (i * 2654435761) % 251;
    const whole = new NDArray(big);
    for (const spec of [`${from}:`, `${from + 5}:${n - 3}`, `${2 ** 30 + 1}:${2 ** 30 + 3000}`]) {
      const v = whole.slice(spec);
      const c = v.compact();
      expect(sum(v)).toBe(sum(c));
      expect(mean(v)).toBe(mean(c));
      expect(variance(v)).toBe(variance(c));
      expect(dot(v, v)).toBe(dot(c, c));
      expect(argmax(v)).toBe(argmax(c));
    }
    const s = whole.slice(`${from}::3`);
    expect(sum(s)).toBe(sum(s.compact()));
  });
});

describe("generated kernels", () => {
  it("src/internal/kernels.generated.ts is what scripts/generate-kernels.mjs writes", () => {
    const script = join(import.meta.dirname, "..", "scripts", "generate-kernels.mjs");
    const r = spawnSync(process.execPath, [script, "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
