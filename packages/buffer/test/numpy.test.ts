/**
 * Our results against NumPy's on generated arrays: shapes, strides (slices with negative steps,
 * transposes), broadcasting, reductions on every axis, float32 and float64.
 *
 * - Bit-for-bit where the algorithm is the same: float64 sums, means, variances and standard
 *   deviations of C-contiguous arrays along the last axis or over everything, up to 8192 elements
 *   (NumPy's pairwise tree, which we reproduce exactly); min/max/argmin/argmax always; elementwise
 *   +, -, ×, ÷, maximum, minimum, sqrt, abs, negative, square and rint always (IEEE-754 basic
 *   operations, computed in float64 and rounded once for float32, which is exact for these).
 * - Stated tolerances elsewhere:
 *   - float64 reductions over strided views (NumPy adds naively there): |ours − NumPy| ≤ 1e-13 · Σ|x|
 *     (variance: 1e-12 · (Σx² + n·mean²)).
 *   - float32 reductions: we accumulate in float64 and round once, so ours must be within 1 ulp of
 *     NumPy's float64 result of the same float32 data (NumPy's own float32 result is not the
 *     reference: it accumulates in float32).
 *   - transcendental functions (exp, log, sin, cos, tanh): V8's libm vs glibc / NumPy's SIMD
 *     float32 code: 2 ulp for float64, 3 ulp for float32.
 *   - dot/matmul (NumPy calls BLAS, which sums in a different order): 1e-13 · Σ|a·b| (float64),
 *     k · 1.2e-7 · Σ|a·b| (float32, BLAS accumulates in float32).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  add,
  argmax,
  argmin,
  type DType,
  divide,
  dot,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  multiply,
  type NDArray,
  type SliceSpec,
  std,
  subtract,
  sum,
  unary,
  variance,
  zeros,
} from "../src/index.ts";
import {
  type NpResult,
  NUMPY_VERSION,
  numpy,
  SKIP_REASON,
  wire,
  wireFile,
} from "./helpers/numpy.ts";
import { rng, ulp32 } from "./helpers/random.ts";

const suite = NUMPY_VERSION ? describe : describe.skip;
if (!NUMPY_VERSION) describe("NumPy comparison", () => it.skip(SKIP_REASON, () => {}));

type ViewOp =
  | ["slice", (number | [number | null, number | null, number | null])[]]
  | ["transpose", number[]];

function applyView(a: NDArray, ops: ViewOp[]): NDArray {
  let x = a;
  for (const op of ops) {
    if (op[0] === "slice") {
      x = x.slice(
        ...op[1].map(
          (s): SliceSpec => (typeof s === "number" ? s : { start: s[0], stop: s[1], step: s[2] }),
        ),
      );
    } else x = x.transpose(op[1]);
  }
  return x;
}

function randomBase(
  r: ReturnType<typeof rng>,
  dtype: DType,
  shape: number[],
  kind: "normal" | "int" = "normal",
): NDArray {
  const a = zeros(shape, { dtype });
  const d = a.data as Float64Array;
  for (let i = 0; i < d.length; i++)
    d[i] = kind === "int" ? r.int(-100, 100) : r.normal() * 10 ** r.int(-2, 3);
  return a;
}

function randomView(r: ReturnType<typeof rng>, shape: number[]): ViewOp[] {
  const ops: ViewOp[] = [];
  if (r.next() < 0.7) {
    ops.push([
      "slice",
      shape.map((n) => {
        const step = r.pick([1, 1, 2, -1, -2, 3]);
        const a = r.int(-n, n);
        const b = r.int(-n, n);
        return r.next() < 0.3 ? [null, null, step] : [a, b, step];
      }),
    ]);
  }
  if (shape.length > 1 && r.next() < 0.5) {
    const perm = [...shape.keys()];
    for (let i = perm.length - 1; i > 0; i--) {
      const j = r.int(0, i);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    ops.push(["transpose", perm]);
  }
  return ops;
}

function valuesOf(x: NDArray | number | bigint): number[] {
  if (typeof x === "number" || typeof x === "bigint") return [Number(x)];
  return Array.from(x.compact().data as Float64Array, Number);
}

function npValues(r: NpResult): number[] {
  return Array.from(r.values as Float64Array, Number);
}

function shapeOf(x: NDArray | number | bigint): number[] {
  return typeof x === "object" ? [...x.shape] : [];
}

const REDUCERS = {
  sum: (x: NDArray, axis?: number) => (axis === undefined ? sum(x) : sum(x, { axis })),
  mean: (x: NDArray, axis?: number) => (axis === undefined ? mean(x) : mean(x, { axis })),
  var: (x: NDArray, axis?: number) => (axis === undefined ? variance(x) : variance(x, { axis })),
  std: (x: NDArray, axis?: number) => (axis === undefined ? std(x) : std(x, { axis })),
  min: (x: NDArray, axis?: number) => (axis === undefined ? min(x) : min(x, { axis })),
  max: (x: NDArray, axis?: number) => (axis === undefined ? max(x) : max(x, { axis })),
  argmin: (x: NDArray, axis?: number) => (axis === undefined ? argmin(x) : argmin(x, { axis })),
  argmax: (x: NDArray, axis?: number) => (axis === undefined ? argmax(x) : argmax(x, { axis })),
} as const;
type Reducer = keyof typeof REDUCERS;

/** Σ|x| (or Σx² for var) along the axis, for tolerances; a float64 computation on our side. */
function scaleAlong(x: NDArray, axis: number | undefined, op: Reducer): number[] {
  const x64 = x.astype("float64");
  const a = unary("abs", x64);
  const s = op === "var" || op === "std" ? multiply(x64, x64) : a;
  return axis === undefined ? [sum(s)] : valuesOf(sum(s, { axis }));
}

suite(`NumPy ${NUMPY_VERSION ?? ""} agreement`, () => {
  it("reductions of C-contiguous float64 arrays along the last axis and overall are bit-for-bit (n ≤ 8192)", () => {
    const r = rng(1);
    const shapes = [
      [1],
      [7],
      [8],
      [9],
      [127],
      [128],
      [129],
      [1000],
      [8192],
      [3, 5],
      [4, 300],
      [2, 3, 1000],
      [5, 8192],
    ];
    const cases: unknown[] = [];
    const ours: (NDArray | number)[] = [];
    for (const shape of shapes) {
      const base = randomBase(r, "float64", shape);
      const axes: (number | undefined)[] = [shape.length - 1];
      if (base.size <= 8192) axes.push(undefined);
      for (const axis of axes) {
        for (const op of ["sum", "mean", "var", "std"] as const) {
          cases.push({ op, x: wire(base), axis: axis ?? null });
          ours.push(REDUCERS[op](base, axis) as NDArray | number);
        }
      }
    }
    const np = numpy(cases);
    np.forEach((res, i) => {
      if ("error" in res) throw new Error(res.error);
      expect(Float64Array.from(valuesOf(ours[i]!)), JSON.stringify(cases[i]).slice(0, 80)).toEqual(
        Float64Array.from(npValues(res.result)),
      );
    });
  });

  it("reductions on every axis of random views (slices with negative steps, transposes) agree, float32 and float64", () => {
    const r = rng(2);
    const cases: unknown[] = [];
    const checks: {
      ours: NDArray | number | bigint;
      op: Reducer;
      dtype: DType;
      scale: number[];
      n: number;
      label: string;
    }[] = [];
    for (let t = 0; t < 40; t++) {
      const dtype = r.pick<DType>(["float64", "float32"]);
      const ndim = r.int(1, 3);
      let shape = Array.from({ length: ndim }, () => (ndim === 1 ? r.int(1, 3000) : r.int(1, 14)));
      // Tall matrices: reducing axis 0 takes the blocked pairwise path (more than 128 rows).
      if (t % 5 === 0) shape = [r.int(130, 700), r.int(8, 20)];
      const base = randomBase(r, dtype, shape);
      const view = randomView(r, shape);
      const x = applyView(base, view);
      if (x.size === 0) continue;
      for (const axis of [undefined, ...x.shape.keys()]) {
        for (const op of Object.keys(REDUCERS) as Reducer[]) {
          // float32: the reference is NumPy in float64 on the same float32 values (as64).
          cases.push({ op, x: wire(base, view), axis: axis ?? null, as64: dtype === "float32" });
          checks.push({
            ours: REDUCERS[op](x, axis),
            op,
            dtype,
            scale: scaleAlong(x, axis, op),
            n: axis === undefined ? x.size : x.shape[axis]!,
            label: `${op} axis=${axis} of ${dtype} view ${JSON.stringify(view)} of [${shape}]`,
          });
        }
      }
    }
    const np = numpy(cases);
    np.forEach((res, i) => {
      const c = checks[i]!;
      if ("error" in res) throw new Error(`${c.label}: ${res.error}`);
      const ours = valuesOf(c.ours);
      const theirs = npValues(res.result);
      expect(shapeOf(c.ours), c.label).toEqual(res.result.shape);
      for (let k = 0; k < ours.length; k++) {
        const o = ours[k]!;
        const t = theirs[k]!;
        if (c.op === "min" || c.op === "max" || c.op === "argmin" || c.op === "argmax") {
          expect(o, c.label).toBe(t);
          continue;
        }
        if (c.dtype === "float64") {
          const tol =
            c.op === "var" || c.op === "std" ? 1e-12 * (c.scale[k]! + 1e-300) : 1e-13 * c.scale[k]!;
          const diff = c.op === "std" ? Math.abs(o * o - t * t) : Math.abs(o - t);
          expect(diff, `${c.label} [${k}]: ours ${o}, NumPy ${t}`).toBeLessThanOrEqual(
            tol / (c.op === "mean" ? c.n : 1) + 1e-300,
          );
        } else {
          // NumPy's float32 result accumulates in float32; ours is float64-accumulated and rounded once.
          // Compare with NumPy's float64 result of the same data, to 1 ulp of float32 (+ the float64 noise).
          expect(
            Math.abs(o - t),
            `${c.label} [${k}]: ours ${o}, NumPy(float32 data) ${t}`,
          ).toBeLessThanOrEqual(ulp32(t) + 2e-7 * (c.scale[k]! / (c.op === "mean" ? c.n : 1)));
        }
      }
    });
  });

  it("elementwise arithmetic with broadcasting matches bit-for-bit across dtypes, and shape failures agree", () => {
    const r = rng(3);
    const ops = { add, subtract, multiply, divide, maximum, minimum } as const;
    const cases: unknown[] = [];
    const ours: ({ value: NDArray } | { error: string })[] = [];
    for (let t = 0; t < 60; t++) {
      const [da, db] = [
        r.pick<DType>(["float64", "float32", "int32", "int8", "uint8", "int16"]),
        r.pick<DType>(["float64", "float32", "int8", "uint8", "int16"]),
      ];
      // No 0-d operands: NumPy 1.x promotes them by value like scalars (gone in NumPy 2, NEP 50,
      // whose rules we follow: only JS scalars are weak).
      const nd = r.int(1, 3);
      const out = Array.from({ length: nd }, () => r.int(1, 5));
      const derive = () => {
        const k = r.int(1, nd);
        return out.slice(nd - k).map((d) => (r.next() < 0.3 ? 1 : r.next() < 0.05 ? d + 1 : d));
      };
      const sa = derive();
      const sb = derive();
      const a = randomBase(r, da, sa, "int");
      const b = randomBase(r, db, sb, "int");
      const view =
        sa.length > 1 && r.next() < 0.5
          ? ([["transpose", [...sa.keys()].reverse()]] as ViewOp[])
          : [];
      const av = applyView(a, view);
      const name = r.pick(Object.keys(ops) as (keyof typeof ops)[]);
      cases.push({ op: name, x: wire(a, view), y: wire(b) });
      try {
        ours.push({ value: ops[name](av, b) });
      } catch (e) {
        ours.push({ error: (e as Error).message });
      }
    }
    const np = numpy(cases);
    np.forEach((res, i) => {
      const o = ours[i]!;
      const label = JSON.stringify(cases[i]).replace(/"b64":"[^"]*"/g, "");
      if ("error" in res) {
        expect("error" in o, `${label}: NumPy failed (${res.error}) but we did not`).toBe(true);
        return;
      }
      if ("error" in o) throw new Error(`${label}: we failed (${o.error}) but NumPy did not`);
      expect([...o.value.shape], label).toEqual(res.result.shape);
      expect(valuesOf(o.value), label).toEqual(npValues(res.result));
    });
  });

  it("unary math: exact for sqrt/abs/negative/square/rint, within 2–3 ulp for transcendental functions", () => {
    const r = rng(4);
    const names = [
      "sqrt",
      "abs",
      "negative",
      "square",
      "rint",
      "exp",
      "log",
      "sin",
      "cos",
      "tanh",
    ] as const;
    const cases: unknown[] = [];
    const ours: { value: NDArray; name: string; dtype: DType }[] = [];
    for (const dtype of ["float64", "float32"] as const) {
      for (const name of names) {
        const a = zeros([400], { dtype });
        const d = a.data as Float64Array;
        for (let i = 0; i < d.length; i++) {
          const v = r.normal() * 10 ** r.int(-3, 2);
          d[i] =
            name === "sqrt" || name === "log"
              ? Math.abs(v)
              : name === "rint"
                ? Math.round(v * 4) / 8
                : name === "exp"
                  ? v % 80
                  : v;
        }
        cases.push({ op: name, x: wire(a) });
        ours.push({ value: unary(name, a), name, dtype });
      }
    }
    const np = numpy(cases);
    np.forEach((res, i) => {
      const { value, name, dtype } = ours[i]!;
      if ("error" in res) throw new Error(res.error);
      const o = valuesOf(value);
      const t = npValues(res.result);
      const exact = ["sqrt", "abs", "negative", "square", "rint"].includes(name);
      for (let k = 0; k < o.length; k++) {
        if (exact) expect(o[k], `${name} ${dtype} [${k}]`).toBe(t[k]);
        else {
          const ulp = dtype === "float32" ? ulp32(t[k]!) : Math.abs(t[k]!) * 2 ** -52 + 5e-324;
          expect(
            Math.abs(o[k]! - t[k]!),
            `${name} ${dtype} [${k}]: ours ${o[k]}, NumPy ${t[k]}`,
          ).toBeLessThanOrEqual((dtype === "float32" ? 3 : 2) * ulp);
        }
      }
    });
  });

  it("dot and matmul (with stacks and broadcasting) agree within the stated tolerance", () => {
    const r = rng(5);
    const cases: unknown[] = [];
    const ours: { value: NDArray | number; scale: NDArray | number; k: number; dtype: DType }[] =
      [];
    const shapes: [number[], number[]][] = [
      [[50], [50]],
      [
        [3, 7],
        [7, 4],
      ],
      [[7], [7, 3]],
      [[3, 7], [7]],
      [
        [2, 3, 5],
        [5, 2],
      ],
      [
        [4, 1, 3, 5],
        [2, 5, 6],
      ],
      [[1000], [1000]],
    ];
    for (const dtype of ["float64", "float32"] as const) {
      for (const [sa, sb] of shapes) {
        const a = randomBase(r, dtype, sa);
        const b = randomBase(r, dtype, sb);
        const isDot = sa.length === 1 && sb.length === 1;
        cases.push({ op: isDot ? "dot" : "matmul", x: wire(a), y: wire(b) });
        const absA = unary("abs", a.astype("float64"));
        const absB = unary("abs", b.astype("float64"));
        ours.push({
          value: isDot ? dot(a, b) : matmul(a, b),
          scale: isDot ? dot(absA, absB) : matmul(absA, absB),
          k: sa[sa.length - 1]!,
          dtype,
        });
      }
    }
    const np = numpy(cases);
    np.forEach((res, i) => {
      const { value, scale, k, dtype } = ours[i]!;
      if ("error" in res) throw new Error(res.error);
      expect(shapeOf(value)).toEqual(res.result.shape);
      const o = valuesOf(value);
      const t = npValues(res.result);
      const s = valuesOf(scale);
      for (let j = 0; j < o.length; j++) {
        const tol = dtype === "float64" ? 1e-13 * s[j]! : (k + 2) * 1.2e-7 * s[j]!;
        expect(
          Math.abs(o[j]! - t[j]!),
          `${JSON.stringify(cases[i]).replace(/"b64":"[^"]*"/g, "")} [${j}]`,
        ).toBeLessThanOrEqual(tol);
      }
    });
  });

  it("float32 sum(axis=0) of a large matrix is accurate where NumPy's is not (numpy #22956)", () => {
    const r = rng(6);
    const rows = 4_000_000;
    const a = zeros([rows, 2], { dtype: "float32" });
    const d = a.data;
    for (let i = 0; i < d.length; i++) d[i] = r.next();
    const dir = mkdtempSync(join(tmpdir(), "heapwise-np-big-"));
    try {
      const w = wireFile(a, dir, "x.bin");
      const [npSum, exact] = numpy([
        { op: "sum", x: w, axis: 0 },
        { op: "fsum", x: w, axis: 0 },
      ]);
      if (!npSum || "error" in npSum || !exact || "error" in exact)
        throw new Error("oracle failed");
      const ours = valuesOf(sum(a, { axis: 0 }));
      const theirs = npValues(npSum.result);
      const ref = npValues(exact.result);
      for (let j = 0; j < 2; j++) {
        const ourErr = Math.abs(ours[j]! - ref[j]!) / ref[j]!;
        const npErr = Math.abs(theirs[j]! - ref[j]!) / ref[j]!;
        console.log(
          `float32 sum(axis=0) of [${rows},2], column ${j}: exact ${ref[j]}, ours ${ours[j]} (rel. error ${ourErr.toExponential(2)}), NumPy ${theirs[j]} (rel. error ${npErr.toExponential(2)})`,
        );
        // Ours: the float64 pairwise sum rounded once to float32: within one float32 ulp of exact.
        expect(Math.abs(ours[j]! - ref[j]!)).toBeLessThanOrEqual(ulp32(ref[j]!));
        // NumPy's accumulates row after row in float32: far worse.
        expect(npErr).toBeGreaterThan(100 * Math.max(ourErr, 1e-9));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
