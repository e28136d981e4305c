import { type Casting, dtypeInfo, isFloat, resultType } from "./dtype.ts";
import { ShapeError } from "./errors.ts";
import { sameView, sharesMemory } from "./internal/copy.ts";
import type { NumArray } from "./internal/kernels.ts";
import { type ArrayInput, checkCasting, checkOut, toArray } from "./internal/operand.ts";
import { broadcastShapes, broadcastStrides, fmtShape, iterate } from "./internal/shape.ts";
import { axpyKernel, dotPairwise } from "./internal/vector.ts";
import { type AllocOptions, allocate, type NDArray } from "./ndarray.ts";

function checkNumeric(x: NDArray, what: string): void {
  if (dtypeInfo(x.dtype).isBigInt) {
    throw new TypeError(
      `${what} is ${x.dtype}: dot/matmul need number dtypes; cast with astype("float64")`,
    );
  }
}

/**
 * Dot product. Two 1-D arrays give a scalar: the pairwise-summed sum of products (accurate and
 * fast, like `sum`). A 2-D and a 1-D or 2-D operand give the matrix product ({@link matmul}).
 *
 * @example
 * ```ts
 * dot(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6])); // 32
 * ```
 */
export function dot(a: ArrayInput, b: ArrayInput): number;
export function dot(a: ArrayInput, b: ArrayInput): number | NDArray {
  const x = toArray(a, "first operand");
  const y = toArray(b, "second operand");
  checkNumeric(x, "first operand");
  checkNumeric(y, "second operand");
  if (x.ndim === 1 && y.ndim === 1) {
    if (x.shape[0] !== y.shape[0]) {
      throw new ShapeError(
        `shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)} not aligned for dot: ${x.shape[0]} (dim 0) != ${y.shape[0]} (dim 0)`,
      );
    }
    const r = dotPairwise(
      x.data as NumArray,
      x.offset,
      x.strides[0]!,
      y.data as NumArray,
      y.offset,
      y.strides[0]!,
      x.shape[0]!,
    );
    return resultType(x.dtype, y.dtype) === "float32" ? Math.fround(r) : r;
  }
  if (x.ndim <= 2 && y.ndim <= 2 && x.ndim > 0 && y.ndim > 0) return matmul(x, y);
  throw new ShapeError(
    `dot supports 1-D and 2-D operands, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}; use matmul for stacks`,
  );
}

/** Options of {@link matmul}. */
export interface MatmulOptions extends AllocOptions {
  /** Write the product here; its shape must be the result shape. Default: a new array. */
  out?: NDArray;
  /** Casting into `out`. Default `"same_kind"`. */
  casting?: Casting;
}

/**
 * Matrix product with NumPy's `matmul` rules: the last two axes are matrices, leading axes are
 * stacks that broadcast, a 1-D operand is a row (left) or column (right) vector whose axis is
 * removed from the result. Accumulates in float64 in k order (as BLAS does, not pairwise); float32
 * results are rounded once.
 *
 * @example
 * ```ts
 * matmul(zeros([5, 2, 3]), zeros([3, 4])); // shape [5, 2, 4]
 * ```
 */
export function matmul(a: ArrayInput, b: ArrayInput, options: MatmulOptions = {}): NDArray {
  let x = toArray(a, "first operand");
  let y = toArray(b, "second operand");
  checkNumeric(x, "first operand");
  checkNumeric(y, "second operand");
  if (x.ndim === 0 || y.ndim === 0) {
    throw new ShapeError(
      `matmul: operands must be at least 1-D, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`,
    );
  }
  const xVec = x.ndim === 1;
  const yVec = y.ndim === 1;
  if (xVec) x = x.expandDims(0);
  if (yVec) y = y.expandDims(1);
  const n = x.shape[x.ndim - 2]!;
  const k = x.shape[x.ndim - 1]!;
  const k2 = y.shape[y.ndim - 2]!;
  const m = y.shape[y.ndim - 1]!;
  if (k !== k2) {
    throw new ShapeError(
      `matmul: inner dimensions differ: ${fmtShape(toArray(a, "a").shape)} @ ${fmtShape(toArray(b, "b").shape)} (${k} != ${k2})`,
    );
  }
  const batch = broadcastShapes(x.shape.slice(0, -2), y.shape.slice(0, -2));
  const resultShape = [...batch, ...(xVec ? [] : [n]), ...(yVec ? [] : [m])];
  const dtype = resultType(x.dtype, y.dtype);
  let out: NDArray;
  if (options.out !== undefined)
    out = checkOut(options.out, resultShape, dtype, checkCasting(options.casting));
  else out = allocate(dtype, resultShape, options);
  // Inputs sharing memory with out are read from copies (out is written row by row).
  if (sharesMemory(x, out)) x = x.compact();
  if (sharesMemory(y, out)) y = y.compact();
  // A view of out with the full [..., n, m] shape.
  let outFull = out;
  if (xVec) outFull = outFull.expandDims(batch.length);
  if (yVec) outFull = outFull.expandDims(outFull.ndim);
  const sxb = broadcastStrides(x.shape.slice(0, -2), x.strides.slice(0, -2), batch);
  const syb = broadcastStrides(y.shape.slice(0, -2), y.strides.slice(0, -2), batch);
  const X = x.data as NumArray;
  const Y = y.data as NumArray;
  const O = outFull.data as NumArray;
  const [xr, xc] = x.strides.slice(-2) as [number, number];
  const [yr, yc] = y.strides.slice(-2) as [number, number];
  const [or, oc] = outFull.strides.slice(-2) as [number, number];
  const row = new Float64Array(m);
  const one = (px: number, py: number, po: number) => {
    for (let i = 0; i < n; i++) {
      row.fill(0);
      const xi = px + i * xr;
      for (let p = 0; p < k; p++) {
        const aip = X[xi + p * xc]!;
        const yp = py + p * yr;
        if (yc === 1) for (let j = 0; j < m; j++) row[j]! += aip * Y[yp + j]!;
        else for (let j = 0; j < m; j++) row[j]! += aip * Y[yp + j * yc]!;
      }
      const oi = po + i * or;
      for (let j = 0; j < m; j++) O[oi + j * oc] = row[j]!;
    }
  };
  if (batch.length === 0) one(x.offset, y.offset, outFull.offset);
  else {
    const bStrides = outFull.strides.slice(0, -2);
    iterate(batch, [sxb, syb, bStrides], [x.offset, y.offset, outFull.offset], (o, cnt, st) => {
      for (let c = 0; c < cnt; c++) one(o[0]! + c * st[0]!, o[1]! + c * st[1]!, o[2]! + c * st[2]!);
    });
  }
  return out;
}

/**
 * `y += alpha * x` in place (BLAS `axpy`), `x` broadcast to `y`'s shape. Returns `y`.
 *
 * @example `axpy(2, x, y)`
 */
export function axpy(alpha: number, x: ArrayInput, y: NDArray): NDArray {
  if (typeof alpha !== "number")
    throw new TypeError(`alpha must be a number, got ${String(alpha)}`);
  return binaryAxpy(alpha, x, y);
}

function binaryAxpy(alpha: number, xIn: ArrayInput, y: NDArray): NDArray {
  const x0 = toArray(xIn, "x");
  checkOut(y, y.shape, y.dtype, "no");
  if (dtypeInfo(x0.dtype).isBigInt || dtypeInfo(y.dtype).isBigInt) {
    throw new TypeError(
      `axpy is not defined for bigint dtypes (x is ${x0.dtype}, y is ${y.dtype})`,
    );
  }
  if (!isFloat(y.dtype)) throw new TypeError(`axpy needs a float y, got ${y.dtype}`);
  const sx = broadcastStrides(x0.shape, x0.strides, y.shape);
  const x = sharesMemory(x0, y) && !sameView(x0, y) ? x0.compact() : x0;
  const X = x.data as NumArray;
  const Y = y.data as NumArray;
  iterate(
    y.shape,
    [x === x0 ? sx : broadcastStrides(x.shape, x.strides, y.shape), y.strides],
    [x.offset, y.offset],
    (o, n, st) => {
      axpyKernel(alpha, X, o[0]!, st[0]!, Y, o[1]!, st[1]!, n);
    },
  );
  return y;
}
