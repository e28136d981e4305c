import { type BigIntDType, type DType, dtypeInfo } from "./dtype.ts";
import {
  argExtreme,
  BLOCK,
  CHUNK,
  type NumArray,
  sumBig,
  sumKahan,
  sumPairwise,
  sumSqDevKahan,
  sumSqDevPairwise,
} from "./internal/kernels.ts";
import { type ArrayInput, toArray } from "./internal/operand.ts";
import { iterate, normalizeAxis } from "./internal/shape.ts";
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

type AnyReduceOptions = {
  axis?: number;
  keepdims?: boolean;
  algorithm?: SumAlgorithm;
  ddof?: number;
};

const LANES = 512;

function checkOptions(options: unknown): AnyReduceOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${String(options)}`);
  }
  const o = options as AnyReduceOptions;
  if (o.algorithm !== undefined && o.algorithm !== "pairwise" && o.algorithm !== "kahan") {
    throw new TypeError(
      `algorithm must be "pairwise" or "kahan", got ${JSON.stringify(o.algorithm)}`,
    );
  }
  return o;
}

/** Result dtype of a sum: float32 stays float32, bigints stay, everything else is float64. */
function sumDType(d: DType): DType {
  if (d === "float32" || d === "bigint64" || d === "biguint64") return d;
  return "float64";
}

function floatDType(d: DType): DType {
  return d === "float32" ? "float32" : "float64";
}

/** Reduces the runs of a full reduction, axes ordered so the innermost has the smallest stride. */
function runs(
  x: NDArray,
  each: (data: NumArray, off: number, n: number, s: number) => number,
): Float64Array {
  const order = [...x.shape.keys()].sort(
    (i, j) => Math.abs(x.strides[j]!) - Math.abs(x.strides[i]!),
  );
  const shape = order.map((i) => x.shape[i]!);
  const strides = order.map((i) => x.strides[i]!);
  const out: number[] = [];
  const data = x.data as NumArray;
  iterate(shape, [strides], [x.offset], (o, n, st) => {
    out.push(each(data, o[0]!, n, st[0]!));
  });
  return Float64Array.from(out);
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
 * Calls `lane(inOffset, outOffset)` for every output position of a reduction along `axis`,
 * in runs: `run(inOffsets0, laneStride, outOffset0, outStride, count)`.
 */
function forLanes(
  x: NDArray,
  out: NDArray,
  axis: number,
  run: (inOff: number, t: number, outOff: number, to: number, count: number) => void,
): void {
  const shape = x.shape.filter((_, i) => i !== axis);
  const inStrides = x.strides.filter((_, i) => i !== axis);
  // out may have keepdims' size-1 axis: drop it for the iteration.
  const outStrides =
    out.ndim === x.ndim ? out.strides.filter((_, i) => i !== axis) : [...out.strides];
  iterate(shape, [inStrides, outStrides], [x.offset, out.offset], (o, n, st) => {
    run(o[0]!, st[0]!, o[1]!, st[1]!, n);
  });
}

/**
 * Pairwise sums of `lanes` lanes at once (lane k starts at `base + k * t`, rows are `s` apart),
 * reading memory row after row, so reducing the outer axis of a C-ordered array stays
 * cache-friendly. Every operation mirrors {@link sumPairwise} (and `sumSqDevPairwise` with
 * `means`) applied to each lane on its own: the same 8 accumulators per 128-row block, the same
 * splits, the same chunk combination. So `sum(a, { axis: 0 })[j]` is bit-for-bit `sum(a[:, j])`,
 * whatever the memory order (unlike NumPy, numpy #13240).
 */
function blockedRows(
  X: NumArray,
  base: number,
  lanes: number,
  t: number,
  rows: number,
  s: number,
  dst: Float64Array,
  means: Float64Array | undefined,
): void {
  const accs = Array.from({ length: 8 }, () => new Float64Array(lanes));
  const tmps: Float64Array[] = [];
  const put = (into: Float64Array, row: number, add: boolean): void => {
    let p = base + row * s;
    if (means !== undefined) {
      for (let k = 0; k < lanes; k++, p += t) {
        const d = X[p]! - means[k]!;
        if (add) into[k]! += d * d;
        else into[k] = d * d;
      }
    } else if (add) {
      if (t === 1) for (let k = 0; k < lanes; k++) into[k]! += X[p + k]!;
      else for (let k = 0; k < lanes; k++, p += t) into[k]! += X[p]!;
    } else if (t === 1) for (let k = 0; k < lanes; k++) into[k] = X[p + k]!;
    else for (let k = 0; k < lanes; k++, p += t) into[k] = X[p]!;
  };
  const leaf = (r0: number, n: number, into: Float64Array): void => {
    if (n < 8) {
      into.fill(-0, 0, lanes);
      for (let r = 0; r < n; r++) put(into, r0 + r, true);
      return;
    }
    for (let j = 0; j < 8; j++) put(accs[j]!, r0 + j, false);
    const m = n - (n & 7);
    for (let i = 8; i < m; i += 8) for (let j = 0; j < 8; j++) put(accs[j]!, r0 + i + j, true);
    const [a0, a1, a2, a3, a4, a5, a6, a7] = accs as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    for (let k = 0; k < lanes; k++) {
      into[k] = a0[k]! + a1[k]! + (a2[k]! + a3[k]!) + (a4[k]! + a5[k]! + (a6[k]! + a7[k]!));
    }
    for (let i = m; i < n; i++) put(into, r0 + i, true);
  };
  const rec = (r0: number, n: number, into: Float64Array, level: number): void => {
    if (n <= BLOCK) {
      leaf(r0, n, into);
      return;
    }
    let n2 = n >>> 1;
    n2 -= n2 & 7;
    rec(r0, n2, into, level + 1);
    let tmp = tmps[level];
    if (tmp === undefined) {
      tmp = new Float64Array(lanes);
      tmps[level] = tmp;
    }
    rec(r0 + n2, n - n2, tmp, level + 1);
    for (let k = 0; k < lanes; k++) into[k]! += tmp[k]!;
  };
  if (rows <= CHUNK) rec(0, rows, dst, 0);
  else {
    // sumPairwise's binary counter over 8192-row chunks, lane by lane.
    const stack: Float64Array[] = [];
    const chunks = Math.floor(rows / CHUNK);
    for (let c = 0; c < chunks; c++) {
      const v = new Float64Array(lanes);
      rec(c * CHUNK, CHUNK, v, 0);
      for (let k = c + 1; (k & 1) === 0; k >>>= 1) {
        const left = stack.pop()!;
        for (let q = 0; q < lanes; q++) v[q] = left[q]! + v[q]!;
      }
      stack.push(v);
    }
    const res = stack.pop()!;
    while (stack.length > 0) {
      const left = stack.pop()!;
      for (let q = 0; q < lanes; q++) res[q] = left[q]! + res[q]!;
    }
    const rest = rows - chunks * CHUNK;
    if (rest > 0) {
      const tail = new Float64Array(lanes);
      rec(chunks * CHUNK, rest, tail, 0);
      for (let q = 0; q < lanes; q++) res[q]! += tail[q]!;
    }
    dst.set(res.subarray(0, lanes));
  }
  for (let k = 0; k < lanes; k++) dst[k] = 0 + dst[k]!;
}

/** Sums along `axis` into `out` (float64 accumulation, pairwise or Kahan), optionally of squared deviations. */
function axisSum(
  x: NDArray,
  axis: number,
  out: NDArray,
  algorithm: SumAlgorithm,
  means?: NDArray,
): void {
  const X = x.data as NumArray;
  const O = out.data as NumArray;
  const rows = x.shape[axis]!;
  const s = x.strides[axis]!;
  const M = means?.data as Float64Array | undefined;
  const acc = new Float64Array(LANES);
  const laneMeans = M ? new Float64Array(LANES) : undefined;
  // Means are laid out like `out` (same shape, C order), so they follow the out offsets.
  forLanes(x, out, axis, (inOff, t, outOff, to, count) => {
    // `means` has out's shape and C layout (both freshly allocated), so offsets coincide.
    const meanOf = (k: number) => M![outOff + k * to]!;
    const blocked = algorithm === "pairwise" && count >= 4 && Math.abs(s) > Math.abs(t) && rows > 1;
    if (!blocked) {
      for (let k = 0; k < count; k++) {
        const p = inOff + k * t;
        let v: number;
        if (M) {
          const m = meanOf(k);
          v =
            algorithm === "kahan"
              ? sumSqDevKahan(X, p, rows, s, m)
              : sumSqDevPairwise(X, p, rows, s, m);
        } else v = algorithm === "kahan" ? sumKahan(X, p, rows, s) : sumPairwise(X, p, rows, s);
        O[outOff + k * to] = v;
      }
      return;
    }
    for (let k0 = 0; k0 < count; k0 += LANES) {
      const lanes = Math.min(LANES, count - k0);
      if (laneMeans) for (let k = 0; k < lanes; k++) laneMeans[k] = meanOf(k0 + k);
      blockedRows(X, inOff + k0 * t, lanes, t, rows, s, acc, laneMeans);
      for (let k = 0; k < lanes; k++) O[outOff + (k0 + k) * to] = acc[k]!;
    }
  });
}

function outShape(x: NDArray, axis: number, keepdims: boolean | undefined): number[] {
  return keepdims
    ? x.shape.map((d, i) => (i === axis ? 1 : d))
    : x.shape.filter((_, i) => i !== axis);
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

type Extreme = "min" | "max";

function extremeFull(x: NDArray, which: Extreme): number | bigint {
  if (x.size === 0) {
    throw new RangeError(
      `zero-size array to reduction operation ${which === "min" ? "minimum" : "maximum"} which has no identity`,
    );
  }
  const X = x.data as NumArray;
  let best: number | bigint | undefined;
  let nan = false;
  iterate(x.shape, [x.strides], [x.offset], (o, n, st) => {
    if (nan) return;
    const i = argExtreme(X, o[0]!, n, st[0]!, which === "max");
    const v = X[o[0]! + i * st[0]!]!;
    if (Number.isNaN(v)) {
      nan = true;
      best = v;
      return;
    }
    if (best === undefined || (which === "max" ? v > best : v < best)) best = v;
  });
  return best!;
}

function extremeAxis(
  x: NDArray,
  axis: number,
  keepdims: boolean | undefined,
  which: Extreme,
  arg: boolean,
): NDArray {
  const n = x.shape[axis]!;
  if (n === 0) {
    throw new RangeError(
      `zero-size axis ${axis} (shape [${x.shape.join(",")}]) to reduction operation ${arg ? "arg" : ""}${which} which has no identity`,
    );
  }
  const out = allocate(arg ? "int32" : x.dtype, outShape(x, axis, keepdims));
  const X = x.data as NumArray;
  const O = out.data as NumArray;
  const s = x.strides[axis]!;
  forLanes(x, out, axis, (inOff, t, outOff, to, count) => {
    for (let k = 0; k < count; k++) {
      const p = inOff + k * t;
      const i = argExtreme(X, p, n, s, which === "max");
      O[outOff + k * to] = arg ? i : X[p + i * s]!;
    }
  });
  return out;
}

/**
 * Smallest element (NaN if any is NaN, as NumPy's `min`); along `axis` gives an array of the input dtype.
 *
 * @example
 * ```ts
 * min(m, { axis: 0 }); // column minima
 * ```
 */
export function min(
  a: NDArray<BigIntDType> | BigInt64Array | BigUint64Array,
  options?: { axis?: undefined },
): bigint;
export function min(a: ArrayInput, options?: { axis?: undefined }): number;
export function min(a: ArrayInput, options: { axis: number; keepdims?: boolean }): NDArray;
export function min(
  a: ArrayInput,
  options: { axis?: number; keepdims?: boolean } = {},
): number | bigint | NDArray {
  const x = toArray(a, "min operand");
  const o = checkOptions(options);
  if (o.axis === undefined) return extremeFull(x, "min");
  return extremeAxis(x, normalizeAxis(o.axis, x.ndim), o.keepdims, "min", false);
}

/**
 * Largest element (NaN if any is NaN); along `axis` gives an array of the input dtype.
 *
 * @example
 * ```ts
 * max(x); // NaN if any element is NaN
 * ```
 */
export function max(
  a: NDArray<BigIntDType> | BigInt64Array | BigUint64Array,
  options?: { axis?: undefined },
): bigint;
export function max(a: ArrayInput, options?: { axis?: undefined }): number;
export function max(a: ArrayInput, options: { axis: number; keepdims?: boolean }): NDArray;
export function max(
  a: ArrayInput,
  options: { axis?: number; keepdims?: boolean } = {},
): number | bigint | NDArray {
  const x = toArray(a, "max operand");
  const o = checkOptions(options);
  if (o.axis === undefined) return extremeFull(x, "max");
  return extremeAxis(x, normalizeAxis(o.axis, x.ndim), o.keepdims, "max", false);
}

function argFull(x: NDArray, which: Extreme): number {
  if (x.size === 0) throw new RangeError(`attempt to get arg${which} of an empty sequence`);
  const X = x.data as NumArray;
  let best: number | bigint | undefined;
  let at = -1;
  let seen = 0;
  let nan = false;
  iterate(x.shape, [x.strides], [x.offset], (o, n, st) => {
    if (!nan) {
      const i = argExtreme(X, o[0]!, n, st[0]!, which === "max");
      const v = X[o[0]! + i * st[0]!]!;
      if (Number.isNaN(v)) {
        nan = true;
        at = seen + i;
      } else if (best === undefined || (which === "max" ? v > best : v < best)) {
        best = v;
        at = seen + i;
      }
    }
    seen += n;
  });
  return at;
}

/**
 * Flat C-order index of the smallest element (the first NaN if any), or int32 indices along `axis`.
 *
 * @example
 * ```ts
 * argmin(array([3, 1, 2])); // 1
 * ```
 */
export function argmin(a: ArrayInput, options?: { axis?: undefined }): number;
export function argmin(a: ArrayInput, options: { axis: number; keepdims?: boolean }): NDArray;
export function argmin(
  a: ArrayInput,
  options: { axis?: number; keepdims?: boolean } = {},
): number | NDArray {
  const x = toArray(a, "argmin operand");
  const o = checkOptions(options);
  if (o.axis === undefined) return argFull(x, "min");
  return extremeAxis(x, normalizeAxis(o.axis, x.ndim), o.keepdims, "min", true);
}

/**
 * Flat C-order index of the largest element (the first NaN if any), or int32 indices along `axis`.
 *
 * @example
 * ```ts
 * argmax(m, { axis: 1 }); // int32 column index of each row's maximum
 * ```
 */
export function argmax(a: ArrayInput, options?: { axis?: undefined }): number;
export function argmax(a: ArrayInput, options: { axis: number; keepdims?: boolean }): NDArray;
export function argmax(
  a: ArrayInput,
  options: { axis?: number; keepdims?: boolean } = {},
): number | NDArray {
  const x = toArray(a, "argmax operand");
  const o = checkOptions(options);
  if (o.axis === undefined) return argFull(x, "max");
  return extremeAxis(x, normalizeAxis(o.axis, x.ndim), o.keepdims, "max", true);
}
