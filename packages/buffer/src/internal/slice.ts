import { describe } from "../dtype.ts";
import type { Slice, SliceSpec } from "../ndarray.ts";

/** Reads one slice spec (`null`, `"start:stop:step"` or an object) into a {@link Slice}. */
export function parseSlice(spec: SliceSpec, axis: number): Slice {
  if (spec === null) return {};
  if (typeof spec === "string") {
    const parts = spec.split(":");
    if (parts.length < 2 || parts.length > 3) {
      throw new RangeError(
        `slice ${JSON.stringify(spec)} for axis ${axis} must look like "start:stop" or "start:stop:step"`,
      );
    }
    const num = (t: string): number | null => {
      const x = t.trim();
      if (x === "") return null;
      if (!/^[-+]?\d+$/.test(x))
        throw new RangeError(
          `slice ${JSON.stringify(spec)} for axis ${axis} has a non-integer part ${JSON.stringify(t)}`,
        );
      return Number(x);
    };
    return {
      start: num(parts[0]!),
      stop: num(parts[1]!),
      step: parts.length === 3 ? num(parts[2]!) : null,
    };
  }
  if (typeof spec === "object") return spec;
  throw new TypeError(
    `slice spec for axis ${axis} must be a number, a "start:stop:step" string, an object or null, got ${describe(spec)}`,
  );
}

/** CPython's PySlice_AdjustIndices: normalized start, length and step of a slice of an axis of length n. */
export function resolveSlice(
  s: Slice,
  n: number,
  axis: number,
): { start: number; length: number; step: number } {
  const step = s.step ?? 1;
  for (const [k, v] of [
    ["start", s.start],
    ["stop", s.stop],
    ["step", s.step],
  ] as const) {
    if (v !== undefined && v !== null && !Number.isInteger(v)) {
      throw new RangeError(`slice ${k} for axis ${axis} must be an integer, got ${String(v)}`);
    }
  }
  if (step === 0) throw new RangeError(`slice step cannot be zero (axis ${axis})`);
  const clamp = (v: number | null | undefined, dflt: number): number => {
    if (v === undefined || v === null) return dflt;
    let x = v;
    if (x < 0) {
      x += n;
      if (x < 0) x = step < 0 ? -1 : 0;
    } else if (x >= n) x = step < 0 ? n - 1 : n;
    return x;
  };
  const start = clamp(s.start, step < 0 ? n - 1 : 0);
  const stop = clamp(s.stop, step < 0 ? -1 : n);
  let length = 0;
  if (step < 0) {
    if (stop < start) length = Math.floor((start - stop - 1) / -step) + 1;
  } else if (start < stop) length = Math.floor((stop - start - 1) / step) + 1;
  return { start, length, step };
}
