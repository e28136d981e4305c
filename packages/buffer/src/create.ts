import {
  type AnyTypedArray,
  checkDType,
  checkScalar,
  type DType,
  describe,
  dtypeInfo,
  dtypeOf,
  type ScalarOf,
  type TypedArrayOf,
} from "./dtype.ts";
import { checkShape } from "./internal/shape.ts";
import { type AllocOptions, allocate, NDArray } from "./ndarray.ts";

/** Options of the constructors: the dtype (default float64) and where memory comes from. */
export interface CreateOptions<D extends DType = DType> extends AllocOptions {
  /** Element type. Default `"float64"`. */
  dtype?: D;
}

/**
 * A zero-filled array (NumPy's `zeros`). The memory comes from `options.allocator` (or a
 * `SharedArrayBuffer` with `shared: true`); the array owns it and gives it back when disposed.
 *
 * @example
 * ```ts
 * using m = zeros([3, 4], { dtype: "float32" });
 * ```
 */
export function zeros<D extends DType = "float64">(
  shape: readonly number[] | number,
  options: CreateOptions<D> = {},
): NDArray<D> {
  return allocate((options.dtype ?? "float64") as D, checkShape(shape), options);
}

/**
 * An array of ones. See {@link zeros}.
 *
 * @example
 * ```ts
 * ones([2, 2], { dtype: "int32" }); // [[1, 1], [1, 1]]
 * ```
 */
export function ones<D extends DType = "float64">(
  shape: readonly number[] | number,
  options: CreateOptions<D> = {},
): NDArray<D> {
  const dtype = checkDType(options.dtype ?? "float64") as D;
  return full(shape, (dtypeInfo(dtype).isBigInt ? 1n : 1) as ScalarOf<D>, { ...options, dtype });
}

/**
 * An array filled with `value`, which must fit the dtype exactly (checked before anything is
 * allocated). See {@link zeros}.
 *
 * @example
 * ```ts
 * full([3], 0.5); // [0.5, 0.5, 0.5]
 * ```
 */
export function full<D extends DType = "float64">(
  shape: readonly number[] | number,
  value: ScalarOf<D>,
  options: CreateOptions<D> = {},
): NDArray<D> {
  const dtype = checkDType(options.dtype ?? "float64") as D;
  checkScalar(value, dtype, "fill value");
  const sh = checkShape(shape);
  const a = allocate(dtype, sh, options);
  (a.data as Float64Array).fill(value as number);
  return a;
}

/**
 * Evenly spaced values `start, start + step, …` below `stop` (NumPy's `arange`; with one argument
 * it is `arange(0, stop)`). Values are `start + i * step`. Default dtype float64 (JavaScript
 * numbers; NumPy would pick int64, which here would be bigint).
 *
 * @example `arange(5)` is `[0, 1, 2, 3, 4]`; `arange(10, 0, -3)` is `[10, 7, 4, 1]`
 */
export function arange(
  start: number,
  stop?: number,
  step = 1,
  options: CreateOptions = {},
): NDArray {
  let lo = start;
  let hi = stop;
  if (hi === undefined) {
    hi = lo;
    lo = 0;
  }
  for (const [name, v] of [
    ["start", lo],
    ["stop", hi],
    ["step", step],
  ] as const) {
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new RangeError(`arange ${name} must be a finite number, got ${describe(v)}`);
  }
  if (step === 0) throw new RangeError("arange step must not be zero");
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const dtype = checkDType(options.dtype ?? "float64");
  if (dtypeInfo(dtype).isBigInt)
    throw new TypeError(`arange does not make ${dtype} arrays; use astype() on a float64 one`);
  const a = allocate(dtype, [n], options);
  const d = a.data as Float64Array;
  for (let i = 0; i < n; i++) d[i] = lo + i * step;
  return a;
}

/** Options of {@link linspace}. */
export interface LinspaceOptions extends CreateOptions {
  /** Whether `stop` is the last sample. Default true. */
  endpoint?: boolean;
}

/**
 * `num` evenly spaced samples from `start` to `stop` (NumPy's `linspace`: `start + i * step`,
 * with the last sample exactly `stop` when `endpoint`).
 *
 * @example
 * ```ts
 * linspace(0, 1, 5); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(
  start: number,
  stop: number,
  num = 50,
  options: LinspaceOptions = {},
): NDArray {
  if (!Number.isFinite(start) || !Number.isFinite(stop)) {
    throw new RangeError(
      `linspace start and stop must be finite numbers, got ${describe(start)} and ${describe(stop)}`,
    );
  }
  if (!Number.isSafeInteger(num) || num < 0)
    throw new RangeError(`linspace num must be a non-negative integer, got ${describe(num)}`);
  const endpoint = options.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : Number.NaN;
  const a = allocate(checkDType(options.dtype ?? "float64"), [num], options);
  const d = a.data as Float64Array;
  for (let i = 0; i < num; i++) d[i] = div > 0 ? i * step + start : start;
  if (endpoint && num > 1) d[num - 1] = stop;
  return a;
}

/** Nested arrays of numbers (or bigints) as accepted by {@link array}. */
export type NestedArray<T> = T | readonly NestedArray<T>[];

/**
 * An array from nested JS arrays (NumPy's `array`). The nesting must be rectangular (a
 * `ShapeError`-like RangeError names the first ragged position). Default dtype: bigint64 when the
 * leaves are bigints, float64 otherwise; every value must fit the dtype exactly.
 *
 * @example `array([[1, 2], [3, 4]], { dtype: "int32" })`
 */
export function array<D extends DType = "float64">(
  values: NestedArray<number | bigint>,
  options: CreateOptions<D> = {},
): NDArray<D> {
  const shape: number[] = [];
  let probe: unknown = values;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const dtype = checkDType(
    options.dtype ?? (typeof probe === "bigint" ? "bigint64" : "float64"),
  ) as D;
  const flat: (number | bigint)[] = [];
  const walk = (v: unknown, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (Array.isArray(v))
        throw new RangeError(
          `array is ragged: element at [${path.join(",")}] is nested deeper than shape [${shape.join(",")}]`,
        );
      flat.push(checkScalar(v, dtype, `element at [${path.join(",")}]`));
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new RangeError(
        `array is ragged: at [${path.join(",")}] expected a list of ${shape[depth]}, got ${describe(v)}`,
      );
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, [...path, i]);
  };
  walk(values, 0, []);
  const a = allocate(dtype, shape, options);
  const d = a.data as Float64Array;
  for (let i = 0; i < flat.length; i++) d[i] = flat[i] as number;
  return a;
}

/**
 * Wraps a typed array as an NDArray without copying (the array does not own the memory).
 *
 * @example `asarray(new Float32Array(6), [2, 3])`
 */
export function asarray<T extends AnyTypedArray>(data: T, shape?: readonly number[]): NDArray {
  dtypeOf(data);
  return new NDArray(data as TypedArrayOf<DType>, shape === undefined ? {} : { shape });
}
