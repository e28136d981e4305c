import { ShapeError } from "../errors.ts";

/** `[2,3]` style, for error messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** Validates a shape (array of non-negative safe integers) and returns a frozen copy. */
export function checkShape(shape: unknown, what = "shape"): readonly number[] {
  if (typeof shape === "number") shape = [shape];
  if (!Array.isArray(shape)) {
    throw new TypeError(`${what} must be an array of non-negative integers, got ${String(shape)}`);
  }
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(
        `${what} must contain non-negative integers, got ${JSON.stringify(shape)} (bad dimension ${String(d)})`,
      );
    }
  }
  return Object.freeze([...(shape as number[])]);
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** C-order (row-major) strides in elements. */
export function cStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i]!, 1);
  }
  return strides;
}

/** Whether (shape, strides) is C-contiguous (size-1 dimensions may have any stride). */
export function isCContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d === 0) return true;
    if (d !== 1 && strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/** The broadcast shape of several shapes (NumPy rules), or a ShapeError naming all of them. */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const shape of shapes) {
    for (let i = 0; i < shape.length; i++) {
      const j = ndim - shape.length + i;
      const d = shape[i]!;
      const o = out[j]!;
      if (d === o || d === 1) continue;
      if (o === 1) out[j] = d;
      else {
        throw new ShapeError(
          `operands could not be broadcast together with shapes ${shapes.map(fmtShape).join(" ")}`,
        );
      }
    }
  }
  return out;
}

/** Strides of `shape`/`strides` broadcast to `target` (0 on broadcast dimensions). */
export function broadcastStrides(
  shape: readonly number[],
  strides: readonly number[],
  target: readonly number[],
): number[] {
  const out = new Array<number>(target.length).fill(0);
  const lead = target.length - shape.length;
  if (lead < 0) {
    throw new ShapeError(`cannot broadcast shape ${fmtShape(shape)} to ${fmtShape(target)}`);
  }
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    const t = target[lead + i]!;
    if (d === t) out[lead + i] = d === 1 ? 0 : strides[i]!;
    else if (d === 1) out[lead + i] = 0;
    else throw new ShapeError(`cannot broadcast shape ${fmtShape(shape)} to ${fmtShape(target)}`);
  }
  return out;
}

/** Normalizes a possibly negative axis, or throws a RangeError naming it and the rank. */
export function normalizeAxis(axis: unknown, ndim: number, what = "axis"): number {
  if (typeof axis !== "number" || !Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(
      `${what} ${String(axis)} is out of bounds for an array of dimension ${ndim}`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Calls `inner(offsets, n, strides)` once per innermost run of an N-d iteration over `shape`,
 * for several operands given by their strides and start offsets. Dimensions that are contiguous
 * for every operand are merged first, so a C-contiguous iteration is one call of length `size`.
 * `offsets` and `strides` are reused between calls.
 */
export function iterate(
  shape: readonly number[],
  stridesList: readonly (readonly number[])[],
  startOffsets: readonly number[],
  inner: (offsets: number[], n: number, innerStrides: number[]) => void,
): void {
  const k = stridesList.length;
  // Drop size-1 dimensions, then merge dimensions that are contiguous for every operand.
  const dims: number[] = [];
  const st: number[][] = stridesList.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 0) return;
    if (d === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && stridesList.every((s, j) => st[j]![last] === s[i]! * d)) {
      dims[last] = dims[last]! * d;
      for (let j = 0; j < k; j++) st[j]![last] = stridesList[j]![i]!;
      continue;
    }
    dims.push(d);
    for (let j = 0; j < k; j++) st[j]!.push(stridesList[j]![i]!);
  }
  const offsets = [...startOffsets];
  if (dims.length === 0) {
    inner(
      offsets,
      1,
      st.map(() => 0),
    );
    return;
  }
  const nd = dims.length;
  const n = dims[nd - 1]!;
  const innerStrides = st.map((s) => s[nd - 1]!);
  if (nd === 1) {
    inner(offsets, n, innerStrides);
    return;
  }
  const outer = nd - 1;
  const counter = new Array<number>(outer).fill(0);
  const base = [...startOffsets];
  for (;;) {
    for (let j = 0; j < k; j++) offsets[j] = base[j]!;
    inner(offsets, n, innerStrides);
    let d = outer - 1;
    for (; d >= 0; d--) {
      counter[d]!++;
      for (let j = 0; j < k; j++) base[j]! += st[j]![d]!;
      if (counter[d]! < dims[d]!) break;
      for (let j = 0; j < k; j++) base[j]! -= st[j]![d]! * dims[d]!;
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}
