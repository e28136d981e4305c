import { type DType, dtypeInfo, isFloat } from "./dtype.ts";
import type { ElementwiseOptions } from "./elementwise.ts";
import { copyInto, sameView, sharesMemory } from "./internal/copy.ts";
import { kernelsOf, type NumArray } from "./internal/kernels.ts";
import { type ArrayInput, checkCasting, checkOut, toArray } from "./internal/operand.ts";
import { iterate } from "./internal/shape.ts";
import { UNARY, type UnaryName, unaryLoop } from "./internal/unary.ts";
import { allocate, type NDArray } from "./ndarray.ts";

export type { UnaryName };

function floatResult(dtype: DType): DType {
  return isFloat(dtype) ? dtype : "float64";
}

/**
 * Applies the named unary function elementwise. Float functions (`sqrt`, `exp`, …) give float64
 * for integer input and keep float32; `abs`, `negative`, `square`, `sign`, `floor`, `ceil`,
 * `trunc`, `rint` keep the dtype. Not defined for bigint dtypes.
 *
 * @example `unary("sqrt", a)`, or the named helpers: `sqrt(a, { out: a })`
 */
export function unary(name: UnaryName, a: ArrayInput, options: ElementwiseOptions = {}): NDArray {
  const spec = typeof name === "string" && Object.hasOwn(UNARY, name) ? UNARY[name] : undefined;
  if (!spec) {
    throw new TypeError(
      `unknown unary function ${JSON.stringify(name)}; expected one of ${Object.keys(UNARY).join(", ")}`,
    );
  }
  const x = toArray(a, "operand");
  if (dtypeInfo(x.dtype).isBigInt) {
    throw new TypeError(`${name} is not defined for ${x.dtype}; cast with astype("float64") first`);
  }
  const dtype = spec.keepsInt ? x.dtype : floatResult(x.dtype);
  const casting = checkCasting(options.casting);
  let out: NDArray;
  if (options.out !== undefined) {
    out = checkOut(options.out, x.shape, dtype, casting);
    if (out.dtype !== dtype) {
      copyInto(unary(name, x), out);
      return out;
    }
  } else out = allocate(dtype, x.shape, options);
  const xa = sharesMemory(x, out) && !sameView(x, out) ? x.compact() : x;
  const X = xa.data as NumArray;
  const O = out.data as NumArray;
  // Input and output of one float class run that class's loop; the rest share the generic one.
  const K = kernelsOf(O);
  const loop = K.unary !== undefined && kernelsOf(X) === K ? K.unary : unaryLoop;
  iterate(x.shape, [xa.strides, out.strides], [xa.offset, out.offset], (o, n, st) => {
    loop(name, X, o[0]!, st[0]!, O, o[1]!, st[1]!, n);
  });
  return out;
}

/** Options of {@link map}. */
export interface MapOptions extends ElementwiseOptions {
  /** Result dtype; `"float"` means float64 unless the input is float32. Default: the input dtype. */
  dtype?: DType | "float";
}

/**
 * Applies `fn` to every element (read as a number) into a new array or `out`. The callback costs a
 * call per element; the named unary functions use the same loop.
 *
 * @example
 * ```ts
 * map(a, (v) => 1 / (1 + Math.exp(-v)), { dtype: "float" }); // sigmoid
 * ```
 */
export function map(
  a: ArrayInput,
  fn: (x: number) => number,
  options: MapOptions = {},
  name = "map",
): NDArray {
  const x = toArray(a, "operand");
  if (typeof fn !== "function") throw new TypeError(`${name} needs a function, got ${String(fn)}`);
  if (dtypeInfo(x.dtype).isBigInt) {
    throw new TypeError(`${name} is not defined for ${x.dtype}; cast with astype("float64") first`);
  }
  const dtype: DType =
    options.dtype === "float" ? floatResult(x.dtype) : (options.dtype ?? x.dtype);
  const casting = checkCasting(options.casting);
  let out: NDArray;
  if (options.out !== undefined) {
    out = checkOut(options.out, x.shape, dtype, casting);
    if (out.dtype !== dtype) {
      copyInto(map(x, fn, { dtype }, name), out);
      return out;
    }
  } else out = allocate(dtype, x.shape, options);
  const xa = sharesMemory(x, out) && !sameView(x, out) ? x.compact() : x;
  const A = xa.data as NumArray;
  const O = out.data as NumArray;
  iterate(x.shape, [xa.strides, out.strides], [xa.offset, out.offset], (o, n, st) => {
    let pa = o[0]!;
    let po = o[1]!;
    const sa = st[0]!;
    const so = st[1]!;
    for (let i = 0; i < n; i++, pa += sa, po += so) O[po] = fn(A[pa]!);
  });
  return out;
}

/** `-a`. */ export const negative = (a: ArrayInput, o?: ElementwiseOptions) =>
  unary("negative", a, o);
/** `|a|`. */ export const abs = (a: ArrayInput, o?: ElementwiseOptions) => unary("abs", a, o);
/** `a * a`. */ export const square = (a: ArrayInput, o?: ElementwiseOptions) =>
  unary("square", a, o);
/** Square root. */ export const sqrt = (a: ArrayInput, o?: ElementwiseOptions) =>
  unary("sqrt", a, o);
/** `e ** a`. */ export const exp = (a: ArrayInput, o?: ElementwiseOptions) => unary("exp", a, o);
/** Natural logarithm. */ export const log = (a: ArrayInput, o?: ElementwiseOptions) =>
  unary("log", a, o);
/** Sine. */ export const sin = (a: ArrayInput, o?: ElementwiseOptions) => unary("sin", a, o);
/** Cosine. */ export const cos = (a: ArrayInput, o?: ElementwiseOptions) => unary("cos", a, o);
/** Hyperbolic tangent. */ export const tanh = (a: ArrayInput, o?: ElementwiseOptions) =>
  unary("tanh", a, o);
/** Round half to even. */ export const rint = (a: ArrayInput, o?: ElementwiseOptions) =>
  unary("rint", a, o);
