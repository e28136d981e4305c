import {
  type AnyTypedArray,
  type Casting,
  canCast,
  checkScalar,
  type DType,
  describe,
  dtypeInfo,
  dtypeOf,
  isFloat,
  resultType,
  type TypedArrayOf,
  typedArrayConstructor,
} from "../dtype.ts";
import { ShapeError } from "../errors.ts";
import { NDArray } from "../ndarray.ts";
import { fmtShape } from "./shape.ts";

/** What the functions accept as an array operand: an NDArray or a typed array (a 1-D view). */
export type ArrayInput = NDArray | AnyTypedArray;
/** An array operand or a JS scalar. */
export type Operand = ArrayInput | number | bigint;

/** Wraps a typed array as a 1-D NDArray (zero-copy); checks an NDArray is live. */
export function toArray(x: unknown, what: string): NDArray {
  if (x instanceof NDArray) return x.checkLive(what);
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    dtypeOf(x);
    return new NDArray(x as AnyTypedArray);
  }
  throw new TypeError(`${what} must be an NDArray or a typed array, got ${describe(x)}`);
}

/** A 0-d array holding one scalar. */
export function scalarArray(value: number | bigint, dtype: DType): NDArray {
  const data = new (typedArrayConstructor(dtype))(1) as TypedArrayOf<DType>;
  (data as Float64Array)[0] = value as number;
  return new NDArray(data, { shape: [] });
}

/**
 * Resolves two operands (arrays or weak scalars) to arrays and their common dtype.
 * Scalars follow NumPy 2's weak promotion (see the dtype module).
 */
export function resolveOperands(a: Operand, b: Operand): { x: NDArray; y: NDArray; dtype: DType } {
  const aScalar = typeof a === "number" || typeof a === "bigint";
  const bScalar = typeof b === "number" || typeof b === "bigint";
  if (aScalar && bScalar) {
    const dt: DType = typeof a === "bigint" || typeof b === "bigint" ? "bigint64" : "float64";
    return {
      x: scalarFor(a, dt, "first operand"),
      y: scalarFor(b, dt, "second operand"),
      dtype: dt,
    };
  }
  if (aScalar) {
    const y = toArray(b, "second operand");
    const dt = weakType(a as number | bigint, y.dtype, "first operand");
    return {
      x: scalarFor(a as number | bigint, dt, "first operand"),
      y,
      dtype: resultType(dt, y.dtype),
    };
  }
  const x = toArray(a, "first operand");
  if (bScalar) {
    const dt = weakType(b as number | bigint, x.dtype, "second operand");
    return {
      x,
      y: scalarFor(b as number | bigint, dt, "second operand"),
      dtype: resultType(x.dtype, dt),
    };
  }
  const y = toArray(b, "second operand");
  return { x, y, dtype: resultType(x.dtype, y.dtype) };
}

function weakType(v: number | bigint, arrayDType: DType, what: string): DType {
  const info = dtypeInfo(arrayDType);
  if (typeof v === "bigint") {
    if (!info.isBigInt) {
      throw new TypeError(
        `${what} is a bigint (${v}n) but the array is ${arrayDType}; use a number or astype("bigint64")`,
      );
    }
    return arrayDType;
  }
  if (typeof v !== "number")
    throw new TypeError(`${what} must be a number or bigint, got ${describe(v)}`);
  if (info.isBigInt) {
    if (!Number.isSafeInteger(v)) {
      throw new TypeError(
        `${what} ${v} cannot combine with a ${arrayDType} array: only safe integers convert to bigint`,
      );
    }
    return arrayDType;
  }
  if (isFloat(arrayDType)) return arrayDType;
  return Number.isInteger(v) ? arrayDType : "float64";
}

function scalarFor(v: number | bigint, dtype: DType, what: string): NDArray {
  if (dtypeInfo(dtype).isBigInt && typeof v === "number") v = BigInt(v);
  return scalarArray(checkScalar(v, dtype, what), dtype);
}

/** Validates an `out` array against the expected shape and dtype (nothing is written here). */
export function checkOut(
  out: unknown,
  shape: readonly number[],
  dtype: DType,
  casting: Casting,
): NDArray {
  if (!(out instanceof NDArray))
    throw new TypeError(`out must be an NDArray, got ${describe(out)}`);
  out.checkWritable();
  if (out.shape.length !== shape.length || out.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(
      `out has shape ${fmtShape(out.shape)} but the result has shape ${fmtShape(shape)}`,
    );
  }
  if (!canCast(dtype, out.dtype, casting)) {
    throw new TypeError(
      `cannot store a ${dtype} result in an out array of dtype ${out.dtype} with casting "${casting}"`,
    );
  }
  return out;
}

/** Checks the casting option. */
export function checkCasting(c: unknown): Casting {
  if (c === undefined) return "same_kind";
  if (c === "no" || c === "safe" || c === "same_kind" || c === "unsafe") return c;
  throw new TypeError(`casting must be "no", "safe", "same_kind" or "unsafe", got ${describe(c)}`);
}
