import type { BigIntDType } from "./dtype.ts";
import { checkOptions, forLanes, outShape } from "./internal/axis.ts";
import type { NumArray } from "./internal/kernels.ts";
import { type ArrayInput, toArray } from "./internal/operand.ts";
import { iterate, normalizeAxis } from "./internal/shape.ts";
import { argExtreme } from "./internal/vector.ts";
import { allocate, type NDArray } from "./ndarray.ts";

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
