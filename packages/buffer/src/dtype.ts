/**
 * Data types and the casting rules between them.
 *
 * Casting rules (the same vocabulary as NumPy's `casting=`):
 *
 * - `"no"`: only the same dtype.
 * - `"safe"`: every value of the source is represented exactly in the target: a narrower integer
 *   into a wider one of the same signedness, an unsigned integer into a wider signed one, int8/uint8/
 *   int16/uint16 into float32, any 8/16/32-bit integer into float64, float32 into float64, any
 *   8/16/32-bit integer into bigint64 and any unsigned one into biguint64.
 * - `"same_kind"`: safe, or within the same kind in the order unsigned < signed < float (float64
 *   into float32, int32 into int8, uint32 into int16), or biguint64 into bigint64. Number and bigint
 *   dtypes never mix under `same_kind`. This is the default for an `out` array.
 * - `"unsafe"`: anything. Values convert as typed arrays store them: to an integer dtype by
 *   truncation toward zero and wrap-around modulo 2^bits, NaN and ±Infinity becoming 0; to float32
 *   by rounding to nearest; from bigint with `Number(x)` (rounded to nearest double); to bigint64 /
 *   biguint64 by truncation and wrap-around modulo 2^64, NaN and ±Infinity becoming 0n. This is the
 *   default of `astype`.
 *
 * Promotion ({@link resultType}) of two dtypes is the smallest dtype both cast to safely: uint8 with
 * int8 gives int16, int16 with float32 gives float32, int32 with float32 gives float64. Where NumPy
 * would pick int64 (int32 with uint32) this library picks float64, which holds every value of both
 * exactly and stays a `number`. Number and bigint dtypes do not mix: cast one side with `astype`.
 *
 * Scalars (`number`/`bigint` operands) are "weak", as in NumPy 2: they take the array's dtype when
 * their value fits it (an integer number with an integer array, any number with a float array), and
 * otherwise promote to float64 (a fractional number with an integer array).
 *
 * @module
 */

/** Number-valued dtypes. */
export type NumberDType =
  | "int8"
  | "uint8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "float32"
  | "float64";
/** 64-bit integer dtypes, whose elements are `bigint`s. */
export type BigIntDType = "bigint64" | "biguint64";
/** Every dtype this library stores. */
export type DType = NumberDType | BigIntDType;

/** The typed array of each dtype. */
export interface TypedArrayMap {
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  float32: Float32Array;
  float64: Float64Array;
  bigint64: BigInt64Array;
  biguint64: BigUint64Array;
}
/** The typed array holding elements of dtype `D`. */
export type TypedArrayOf<D extends DType> = TypedArrayMap[D];
/** Any typed array this library stores. */
export type AnyTypedArray = TypedArrayMap[DType];
/** Any typed array with `number` elements. */
export type NumberTypedArray = TypedArrayMap[NumberDType];
/** The element type (`number` or `bigint`) of dtype `D`. */
export type ScalarOf<D extends DType> = D extends BigIntDType ? bigint : number;
/** How strict a cast is; see the module documentation. */
export type Casting = "no" | "safe" | "same_kind" | "unsafe";

/** What a dtype is: its size and value range. */
export interface DTypeInfo {
  readonly name: DType;
  /** Bytes per element. */
  readonly itemSize: number;
  /** `"int"`, `"uint"`, `"float"`, `"bigint"` or `"biguint"`. */
  readonly kind: "int" | "uint" | "float" | "bigint" | "biguint";
  /** Whether elements are `bigint`s. */
  readonly isBigInt: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: typed-array constructors share no useful common type
type Ctor = new (...args: any[]) => AnyTypedArray;

const CTORS: Record<DType, Ctor> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
  bigint64: BigInt64Array,
  biguint64: BigUint64Array,
};

const INFO: Record<DType, DTypeInfo> = {
  int8: { name: "int8", itemSize: 1, kind: "int", isBigInt: false },
  uint8: { name: "uint8", itemSize: 1, kind: "uint", isBigInt: false },
  int16: { name: "int16", itemSize: 2, kind: "int", isBigInt: false },
  uint16: { name: "uint16", itemSize: 2, kind: "uint", isBigInt: false },
  int32: { name: "int32", itemSize: 4, kind: "int", isBigInt: false },
  uint32: { name: "uint32", itemSize: 4, kind: "uint", isBigInt: false },
  float32: { name: "float32", itemSize: 4, kind: "float", isBigInt: false },
  float64: { name: "float64", itemSize: 8, kind: "float", isBigInt: false },
  bigint64: { name: "bigint64", itemSize: 8, kind: "bigint", isBigInt: true },
  biguint64: { name: "biguint64", itemSize: 8, kind: "biguint", isBigInt: true },
};

/** Every dtype, narrowest first within each kind. */
export const DTYPES: readonly DType[] = Object.freeze(Object.keys(INFO) as DType[]);

const INT_RANGE: Partial<Record<DType, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/**
 * Whether `x` names a dtype.
 *
 * @example
 * ```ts
 * isDType("float32"); // true
 * ```
 */
export function isDType(x: unknown): x is DType {
  return typeof x === "string" && Object.hasOwn(INFO, x);
}

/**
 * Returns `x` when it names a dtype, otherwise throws a `TypeError` that names the bad value and
 * lists the valid ones.
 */
export function checkDType(x: unknown, what = "dtype"): DType {
  if (!isDType(x)) {
    throw new TypeError(
      `${what} must be one of ${DTYPES.join(", ")}, got ${typeof x === "string" ? JSON.stringify(x) : String(x)}`,
    );
  }
  return x;
}

/** Size and kind of a dtype. @example `dtypeInfo("float32").itemSize === 4` */
export function dtypeInfo(dtype: DType): DTypeInfo {
  return INFO[checkDType(dtype)];
}

/** The typed-array constructor of a dtype (internal use: allocation). */
export function typedArrayConstructor(dtype: DType): Ctor {
  return CTORS[dtype];
}

/**
 * The dtype of a typed array, e.g. `"float64"` for a `Float64Array`. `Uint8ClampedArray` and
 * anything else throw a `TypeError`.
 *
 * @example
 * ```ts
 * dtypeOf(new Int16Array(4)); // "int16"
 * ```
 */
export function dtypeOf(array: unknown): DType {
  for (const name of DTYPES) {
    if (array instanceof CTORS[name]) return name;
  }
  const what =
    array !== null && typeof array === "object"
      ? (array as object).constructor?.name
      : String(array);
  throw new TypeError(`expected a typed array of a supported dtype, got ${what}`);
}

const KIND_RANK = { uint: 0, int: 1, float: 2, biguint: 0, bigint: 1 } as const;

/**
 * Whether casting from `from` to `to` is allowed under `casting` (default `"safe"`).
 *
 * @example
 * ```ts
 * canCast("int16", "float32"); // true
 * canCast("float64", "float32", "same_kind"); // true
 * canCast("float64", "int32", "same_kind"); // false
 * ```
 */
export function canCast(from: DType, to: DType, casting: Casting = "safe"): boolean {
  checkDType(from, "from");
  checkDType(to, "to");
  if (from === to) return true;
  switch (casting) {
    case "no":
      return false;
    case "unsafe":
      return true;
    case "safe":
      return safe(from, to);
    case "same_kind": {
      if (safe(from, to)) return true;
      const a = INFO[from];
      const b = INFO[to];
      if (a.isBigInt !== b.isBigInt) return false;
      return KIND_RANK[a.kind] <= KIND_RANK[b.kind];
    }
    default:
      throw new TypeError(
        `casting must be "no", "safe", "same_kind" or "unsafe", got ${JSON.stringify(casting)}`,
      );
  }
}

function safe(from: DType, to: DType): boolean {
  const a = INFO[from];
  const b = INFO[to];
  if (from === to) return true;
  if (a.isBigInt || b.isBigInt) {
    if (a.isBigInt && b.isBigInt) return false; // bigint64 <-> biguint64 lose values either way
    if (a.isBigInt) return false; // no number dtype holds every 64-bit integer
    if (a.kind === "float") return false;
    return b.kind === "bigint" || a.kind === "uint";
  }
  if (b.kind === "float") {
    if (a.kind === "float") return b.itemSize >= a.itemSize;
    return b.itemSize === 8 || a.itemSize <= 2;
  }
  if (a.kind === "float") return false;
  if (a.kind === b.kind) return b.itemSize >= a.itemSize;
  if (a.kind === "uint") return b.itemSize > a.itemSize; // uint -> wider int
  return false; // int -> uint
}

const PROMOTION_ORDER: readonly DType[] = [
  "uint8",
  "int8",
  "uint16",
  "int16",
  "uint32",
  "int32",
  "float32",
  "float64",
];

/**
 * The dtype of an operation on arrays of dtypes `a` and `b`: the first dtype both cast to safely
 * (see the module documentation). Mixing a bigint dtype with a number dtype other than 8/16/32-bit
 * integers, or bigint64 with biguint64, throws a `TypeError`.
 *
 * @example
 * ```ts
 * resultType("uint8", "int8"); // "int16"
 * resultType("int32", "float32"); // "float64"
 * ```
 */
export function resultType(a: DType, b: DType): DType {
  checkDType(a, "first dtype");
  checkDType(b, "second dtype");
  if (a === b) return a;
  const ia = INFO[a];
  const ib = INFO[b];
  if (ia.isBigInt || ib.isBigInt) {
    if (safe(a, b)) return b;
    if (safe(b, a)) return a;
    throw new TypeError(
      `no common dtype for ${a} and ${b} without losing values; cast one operand with astype() first`,
    );
  }
  for (const d of PROMOTION_ORDER) {
    if (safe(a, d) && safe(b, d)) return d;
  }
  return "float64";
}

/** Whether the dtype is float32 or float64. */
export function isFloat(dtype: DType): boolean {
  return INFO[dtype].kind === "float";
}

/**
 * Checks that a JS scalar can be stored in `dtype` without conversion: a bigint for the bigint
 * dtypes (within range), an integer within range for the integer dtypes, any number for the float
 * dtypes. Returns the value; throws a `TypeError`/`RangeError` naming it otherwise.
 */
export function checkScalar(value: unknown, dtype: DType, what = "value"): number | bigint {
  const info = INFO[dtype];
  if (info.isBigInt) {
    if (typeof value !== "bigint") {
      throw new TypeError(`${what} for a ${dtype} array must be a bigint, got ${describe(value)}`);
    }
    const wrapped = info.kind === "bigint" ? BigInt.asIntN(64, value) : BigInt.asUintN(64, value);
    if (wrapped !== value) {
      throw new RangeError(`${what} ${value}n is out of range for ${dtype}`);
    }
    return value;
  }
  if (typeof value !== "number") {
    throw new TypeError(`${what} for a ${dtype} array must be a number, got ${describe(value)}`);
  }
  const range = INT_RANGE[dtype];
  if (range && !(Number.isInteger(value) && value >= range[0] && value <= range[1])) {
    throw new RangeError(
      `${what} ${value} does not fit ${dtype} (integers ${range[0]}..${range[1]}); use astype() for a wrapping conversion`,
    );
  }
  return value;
}

/** Converts one value to `dtype` with the `"unsafe"` rules of the module documentation. */
export function castScalar(value: number | bigint, dtype: DType): number | bigint {
  const info = INFO[dtype];
  if (info.isBigInt) {
    let big: bigint;
    if (typeof value === "bigint") big = value;
    else big = Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
    return info.kind === "bigint" ? BigInt.asIntN(64, big) : BigInt.asUintN(64, big);
  }
  const n = typeof value === "bigint" ? Number(value) : value;
  const one = new CTORS[dtype](1);
  (one as Float64Array)[0] = n;
  return (one as Float64Array)[0]!;
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value !== null && typeof value === "object") {
    return `a ${(value as object).constructor?.name ?? "object"}`;
  }
  return String(value);
}
