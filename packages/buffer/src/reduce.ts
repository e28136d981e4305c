import { type BigIntDType, type DType, dtypeInfo } from "./dtype.ts";
import { axisSum, checkOptions, forLanes, outShape, runs } from "./internal/axis.ts";
import {
  type NumArray,
  sumKahan,
  sumPairwise,
  sumSqDevKahan,
  sumSqDevPairwise,
} from "./internal/kernels.ts";
import { type ArrayInput, toArray } from "./internal/operand.ts";
import { iterate, normalizeAxis } from "./internal/shape.ts";
import { sumBig } from "./internal/vector.ts";
import { allocate, type NDArray } from "./ndarray.ts";

/** Summation algorithm of the sums behind `sum`, `mean`, `var` and `std`. */
export type SumAlgorithm = "pairwise" | "kahan";

/** Options of a reduction over the whole array (the result is a scalar). */
export interface FullReduceOptions {
  /** Reduce every axis (the default). */
  axis?: undefined;
  /**
   * `"pairwise"` (default): NumPy's pairwise summation, O(log n) error growth, on every axis and as
   * fast as the memory allows. `"kahan"`: Kahan–Babuška–Neumaier compensated summation, error
   * independent of n, several times slower (one dependent chain of additions).
   */
  algorithm?: SumAlgorithm;
}

/** Options of a reduction along one axis (the result is an array). */
export interface AxisReduceOptions {
  /** The axis to reduce (negative counts from the end). */
  axis: number;
  /** Keep the reduced axis with size 1, so the result broadcasts against the input. Default false. */
  keepdims?: boolean;
  /** See {@link FullReduceOptions.algorithm}. Default `"pairwise"`. */
  algorithm?: SumAlgorithm;
}

/** Options of `var`/`std`: the reduction options plus the delta degrees of freedom. */
export type VarOptions<O> = O & {
  /** Divisor is `n - ddof`. Default 0 (population variance); 1 gives the sample variance. */
  ddof?: number;
};

/** Result dtype of a sum: float32 stays float32, bigints stay, everything else is float64. */
function sumDType(d: DType): DType {
  if (d === "float32" || d === "bigint64" || d === "biguint64") return d;
  return "float64";
}

function floatDType(d: DType): DType {
  return d === "float32" ? "float32" : "float64";
}

function fullSum(x: NDArray, algorithm: SumAlgorithm): number {
  const f = algorithm === "kahan" ? sumKahan : sumPairwise;
  if (x.size === 0) return 0;
  if (x.isContiguous) return f(x.data as NumArray, x.offset, x.size, 1);
  const parts = runs(x, f);
  return parts.length === 1 ? parts[0]! : f(parts, 0, parts.length, 1);
}

function fullSqDev(x: NDArray, mean: number, algorithm: SumAlgorithm): number {
  const f = algorithm === "kahan" ? sumSqDevKahan : sumSqDevPairwise;
  const g = algorithm === "kahan" ? sumKahan : sumPairwise;
  if (x.isContiguous) return f(x.data as NumArray, x.offset, x.size, 1, mean);
  const parts = runs(x, (d, o, n, s) => f(d, o, n, s, mean));
  return parts.length === 1 ? parts[0]! : g(parts, 0, parts.length, 1);
}

/**
 * Sum of the elements: over everything (a scalar) or along `axis` (an array). Pairwise summation
 * on every axis, accumulated in float64: float32 input gives a float32 result rounded once from
 * the float64 sum, integer input gives float64 (exact while |sum| < 2^53), bigint input gives a
 * bigint wrapped to 64 bits like NumPy's int64.
 *
 * @example
 * ```ts
 * sum(new Float64Array([1, 2, 3]));    // 6
 * sum(m, { axis: 0 });                  // column sums, pairwise even though columns are strided
 * sum(x, { algorithm: "kahan" });       // compensated
 * ```
 */
export function sum(
  a: NDArray<BigIntDType> | BigInt64Array | BigUint64Array,
  options?: FullReduceOptions,
): bigint;
export function sum(a: ArrayInput, options?: FullReduceOptions): number;
export function sum(a: ArrayInput, options: AxisReduceOptions): NDArray;
export function sum(
  a: ArrayInput,
  options?: FullReduceOptions | AxisReduceOptions,
): number | bigint | NDArray {
  const x = toArray(a, "sum operand");
  const o = checkOptions(options);
  const algorithm = o.algorithm ?? "pairwise";
  const big = dtypeInfo(x.dtype).isBigInt;
  if (o.axis === undefined) {
    if (big) return bigFull(x, true);
    return fullSum(x, algorithm);
  }
  const axis = normalizeAxis(o.axis, x.ndim);
  const out = allocate(sumDType(x.dtype), outShape(x, axis, o.keepdims));
  if (big) {
    const X = x.data as BigInt64Array;
    const O = out.data as BigInt64Array;
    forLanes(x, out, axis, (inOff, t, outOff, to, count) => {
      for (let k = 0; k < count; k++) {
        O[outOff + k * to] = sumBig(
          X,
          inOff + k * t,
          x.shape[axis]!,
          x.strides[axis]!,
          x.dtype === "bigint64",
        );
      }
    });
    return out;
  }
  axisSum(x, axis, out, algorithm);
  return out;
}

function bigFull(x: NDArray, wrap: boolean): bigint {
  const X = x.data as BigInt64Array;
  let acc = 0n;
  iterate(x.shape, [x.strides], [x.offset], (o, n, st) => {
    let p = o[0]!;
    for (let i = 0; i < n; i++, p += st[0]!) acc += X[p]!;
  });
  if (!wrap) return acc;
  return x.dtype === "bigint64" ? BigInt.asIntN(64, acc) : BigInt.asUintN(64, acc);
}

/**
 * Arithmetic mean (pairwise sum / n). float32 stays float32 (accumulated in float64), everything
 * else gives float64; bigint input is summed exactly first. An empty mean is NaN.
 *
 * @example
 * ```ts
 * mean(m, { axis: 0 }); // column means
 * ```
 */
export function mean(a: ArrayInput, options?: FullReduceOptions): number;
export function mean(a: ArrayInput, options: AxisReduceOptions): NDArray;
export function mean(
  a: ArrayInput,
  options?: FullReduceOptions | AxisReduceOptions,
): number | NDArray {
  let x = toArray(a, "mean operand");
  const o = checkOptions(options);
  const algorithm = o.algorithm ?? "pairwise";
  if (o.axis === undefined) {
    if (dtypeInfo(x.dtype).isBigInt)
      return x.size === 0 ? Number.NaN : Number(bigFull(x, false)) / x.size;
    const r = fullSum(x, algorithm) / x.size;
    return x.dtype === "float32" ? Math.fround(r) : r;
  }
  const axis = normalizeAxis(o.axis, x.ndim);
  if (dtypeInfo(x.dtype).isBigInt) x = x.astype("float64");
  const out = allocate(floatDType(x.dtype), outShape(x, axis, o.keepdims));
  const acc = allocate("float64", out.shape);
  axisSum(x, axis, acc, algorithm);
  const A = acc.data as Float64Array;
  const O = out.data as NumArray;
  const n = x.shape[axis]!;
  for (let i = 0; i < A.length; i++) O[i] = A[i]! / n; // divide, as NumPy does (not * 1/n)
  return out;
}

/**
 * Variance: mean of squared deviations from the mean (two passes, both pairwise), divided by
 * `n - ddof`. float32 stays float32; others give float64.
 *
 * @example
 * ```ts
 * variance(x, { ddof: 1 }); // sample variance
 * ```
 */
export function variance(a: ArrayInput, options?: VarOptions<FullReduceOptions>): number;
export function variance(a: ArrayInput, options: VarOptions<AxisReduceOptions>): NDArray;
export function variance(
  a: ArrayInput,
  options?: VarOptions<FullReduceOptions> | VarOptions<AxisReduceOptions>,
): number | NDArray {
  let x = toArray(a, "var operand");
  const o = checkOptions(options);
  const ddof = o.ddof ?? 0;
  if (typeof ddof !== "number" || !Number.isInteger(ddof) || ddof < 0) {
    throw new RangeError(`ddof must be a non-negative integer, got ${String(ddof)}`);
  }
  const algorithm = o.algorithm ?? "pairwise";
  if (dtypeInfo(x.dtype).isBigInt) x = x.astype("float64");
  if (o.axis === undefined) {
    const n = x.size;
    const m = fullSum(x, algorithm) / n;
    const r = fullSqDev(x, m, algorithm) / Math.max(n - ddof, 0);
    return x.dtype === "float32" ? Math.fround(r) : r;
  }
  const axis = normalizeAxis(o.axis, x.ndim);
  const n = x.shape[axis]!;
  const means = allocate(
    "float64",
    x.shape.filter((_, i) => i !== axis),
  );
  axisSum(x, axis, means, algorithm);
  const M = means.data as Float64Array;
  for (let i = 0; i < M.length; i++) M[i] = M[i]! / n;
  const acc = allocate("float64", means.shape);
  axisSum(x, axis, acc, algorithm, means);
  const out = allocate(floatDType(x.dtype), outShape(x, axis, o.keepdims));
  const A = acc.data as Float64Array;
  const O = out.data as NumArray;
  const div = Math.max(n - ddof, 0);
  for (let i = 0; i < A.length; i++) O[i] = A[i]! / div;
  return out;
}

/**
 * Standard deviation: the square root of {@link variance}.
 *
 * @example
 * ```ts
 * std(m, { axis: 1, keepdims: true }); // shape [rows, 1]
 * ```
 */
export function std(a: ArrayInput, options?: VarOptions<FullReduceOptions>): number;
export function std(a: ArrayInput, options: VarOptions<AxisReduceOptions>): NDArray;
export function std(
  a: ArrayInput,
  options?: VarOptions<FullReduceOptions> | VarOptions<AxisReduceOptions>,
): number | NDArray {
  const v = variance(a, options as VarOptions<FullReduceOptions>) as number | NDArray;
  if (typeof v === "number") {
    const x = toArray(a, "std operand");
    const r = Math.sqrt(v);
    return x.dtype === "float32" ? Math.fround(r) : r;
  }
  const O = v.data as NumArray;
  for (let i = 0; i < O.length; i++) O[i] = Math.sqrt(O[i]!);
  return v;
}
