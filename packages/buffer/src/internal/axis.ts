/**
 * The machinery of reductions: option checks, the runs of a full reduction, and the lanes of a
 * reduction along one axis (per-lane strided kernels, or the blocked row-wise pairwise sum that
 * keeps each lane's exact pairwise tree while reading memory row after row).
 */

import type { NDArray } from "../ndarray.ts";
import {
  BLOCK,
  CHUNK,
  kernelsOf,
  type NumArray,
  sumKahan,
  sumPairwise,
  sumSqDevKahan,
  sumSqDevPairwise,
} from "./kernels.ts";
import { iterate } from "./shape.ts";

/** `"pairwise"` or `"kahan"`. */
export type Algorithm = "pairwise" | "kahan";

/** The options every reduction may receive. */
export type AnyReduceOptions = {
  axis?: number;
  keepdims?: boolean;
  algorithm?: Algorithm;
  ddof?: number;
};

const LANES = 512;

export function checkOptions(options: unknown): AnyReduceOptions {
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

/** Reduces the runs of a full reduction, axes ordered so the innermost has the smallest stride. */
export function runs(
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

/**
 * Calls `lane(inOffset, outOffset)` for every output position of a reduction along `axis`,
 * in runs: `run(inOffsets0, laneStride, outOffset0, outStride, count)`.
 */
export function forLanes(
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
  const K = kernelsOf(X);
  const put = (into: Float64Array, row: number, add: boolean): void => {
    const p = base + row * s;
    if (means !== undefined) K.rowSqDev(X, p, t, into, lanes, add, means);
    else K.row(X, p, t, into, lanes, add);
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
export function axisSum(
  x: NDArray,
  axis: number,
  out: NDArray,
  algorithm: Algorithm,
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

export function outShape(x: NDArray, axis: number, keepdims: boolean | undefined): number[] {
  return keepdims
    ? x.shape.map((d, i) => (i === axis ? 1 : d))
    : x.shape.filter((_, i) => i !== axis);
}
