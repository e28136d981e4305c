import type { NumArray } from "./kernels.ts";

/** Names of the unary functions (also accepted by the parallel `map` of `@heapwise/buffer/node`). */
export type UnaryName =
  | "negative"
  | "abs"
  | "square"
  | "sign"
  | "floor"
  | "ceil"
  | "trunc"
  | "rint"
  | "sqrt"
  | "cbrt"
  | "exp"
  | "expm1"
  | "log"
  | "log1p"
  | "log2"
  | "log10"
  | "sin"
  | "cos"
  | "tan"
  | "asin"
  | "acos"
  | "atan"
  | "sinh"
  | "cosh"
  | "tanh";

/** Round half to even, as NumPy's `rint`/`round`. */
export function rintFn(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The scalar function of each unary, and whether it keeps integer dtypes. @internal */
export const UNARY: Record<UnaryName, { f: (x: number) => number; keepsInt: boolean }> = {
  negative: { f: (x) => -x, keepsInt: true },
  abs: { f: Math.abs, keepsInt: true },
  square: { f: (x) => x * x, keepsInt: true },
  sign: { f: (x) => (x > 0 ? 1 : x < 0 ? -1 : x), keepsInt: true },
  floor: { f: Math.floor, keepsInt: true },
  ceil: { f: Math.ceil, keepsInt: true },
  trunc: { f: Math.trunc, keepsInt: true },
  rint: { f: rintFn, keepsInt: true },
  sqrt: { f: Math.sqrt, keepsInt: false },
  cbrt: { f: Math.cbrt, keepsInt: false },
  exp: { f: Math.exp, keepsInt: false },
  expm1: { f: Math.expm1, keepsInt: false },
  log: { f: Math.log, keepsInt: false },
  log1p: { f: Math.log1p, keepsInt: false },
  log2: { f: Math.log2, keepsInt: false },
  log10: { f: Math.log10, keepsInt: false },
  sin: { f: Math.sin, keepsInt: false },
  cos: { f: Math.cos, keepsInt: false },
  tan: { f: Math.tan, keepsInt: false },
  asin: { f: Math.asin, keepsInt: false },
  acos: { f: Math.acos, keepsInt: false },
  atan: { f: Math.atan, keepsInt: false },
  sinh: { f: Math.sinh, keepsInt: false },
  cosh: { f: Math.cosh, keepsInt: false },
  tanh: { f: Math.tanh, keepsInt: false },
};

/** Contiguous binary kernels used by the worker threads (same loops as the main-thread ones). */
export const FLAT_BINARY = {
  add: (a: Float64Array, b: Float64Array, o: Float64Array, lo: number, hi: number) => {
    for (let i = lo; i < hi; i++) o[i] = a[i]! + b[i]!;
  },
  subtract: (a: Float64Array, b: Float64Array, o: Float64Array, lo: number, hi: number) => {
    for (let i = lo; i < hi; i++) o[i] = a[i]! - b[i]!;
  },
  multiply: (a: Float64Array, b: Float64Array, o: Float64Array, lo: number, hi: number) => {
    for (let i = lo; i < hi; i++) o[i] = a[i]! * b[i]!;
  },
  divide: (a: Float64Array, b: Float64Array, o: Float64Array, lo: number, hi: number) => {
    for (let i = lo; i < hi; i++) o[i] = a[i]! / b[i]!;
  },
} as const;

/** Names of {@link FLAT_BINARY}. */
export type BinaryName = keyof typeof FLAT_BINARY;

type Arr = NumArray;

/**
 * Applies unary `name` over n strided elements. Contiguous runs of the common functions get a loop
 * with the Math call written out (V8 inlines it); the rest call the function from {@link UNARY}.
 */
export function unaryLoop(
  name: UnaryName,
  x: Arr,
  px: number,
  sx: number,
  o: Arr,
  po: number,
  so: number,
  n: number,
): void {
  if (sx === 1 && so === 1) {
    switch (name) {
      case "exp":
        for (let i = 0; i < n; i++) o[po + i] = Math.exp(x[px + i]!);
        return;
      case "log":
        for (let i = 0; i < n; i++) o[po + i] = Math.log(x[px + i]!);
        return;
      case "sqrt":
        for (let i = 0; i < n; i++) o[po + i] = Math.sqrt(x[px + i]!);
        return;
      case "sin":
        for (let i = 0; i < n; i++) o[po + i] = Math.sin(x[px + i]!);
        return;
      case "cos":
        for (let i = 0; i < n; i++) o[po + i] = Math.cos(x[px + i]!);
        return;
      case "tanh":
        for (let i = 0; i < n; i++) o[po + i] = Math.tanh(x[px + i]!);
        return;
      case "abs":
        for (let i = 0; i < n; i++) o[po + i] = Math.abs(x[px + i]!);
        return;
      case "negative":
        for (let i = 0; i < n; i++) o[po + i] = -x[px + i]!;
        return;
      case "square":
        for (let i = 0; i < n; i++) {
          const v = x[px + i]!;
          o[po + i] = v * v;
        }
        return;
      default:
        break;
    }
  }
  const f = UNARY[name].f;
  for (let i = 0; i < n; i++, px += sx, po += so) o[po] = f(x[px]!);
}
