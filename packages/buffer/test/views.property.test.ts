import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arange, type NDArray, type SliceSpec } from "../src/index.ts";

/** Model: nested JS arrays of base flat indices, transformed by a plain reading of Python's rules. */
type Nested = number | Nested[];

function pySliceIndices(
  n: number,
  start: number | null,
  stop: number | null,
  step: number,
): number[] {
  // Python's slice.indices(), written out directly.
  const lower = step > 0 ? 0 : -1;
  const upper = step > 0 ? n : n - 1;
  const fix = (v: number | null, dflt: number) => {
    if (v === null) return dflt;
    if (v < 0) return Math.max(v + n, lower);
    return Math.min(v, upper);
  };
  const s = fix(start, step > 0 ? lower : upper);
  const e = fix(stop, step > 0 ? upper : lower);
  const out: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(i);
  return out;
}

function modelSlice(
  m: Nested,
  specs: (number | [number | null, number | null, number])[],
  depth = 0,
): Nested {
  if (depth === specs.length) return m;
  const arr = m as Nested[];
  const spec = specs[depth]!;
  if (typeof spec === "number")
    return modelSlice(arr[spec < 0 ? spec + arr.length : spec]!, specs, depth + 1);
  return pySliceIndices(arr.length, spec[0], spec[1], spec[2]).map((i) =>
    modelSlice(arr[i]!, specs, depth + 1),
  );
}

function modelTranspose(m: Nested, shape: number[], perm: number[]): Nested {
  const newShape = perm.map((p) => shape[p]!);
  const build = (idx: number[]): Nested => {
    if (idx.length === newShape.length) {
      const src = new Array<number>(shape.length);
      perm.forEach((p, k) => {
        src[p] = idx[k]!;
      });
      return src.reduce((acc: Nested, i) => (acc as Nested[])[i]!, m);
    }
    return Array.from({ length: newShape[idx.length]! }, (_, i) => build([...idx, i]));
  };
  return build([]);
}

function shapeOf(m: Nested, nd: number): number[] {
  const out: number[] = [];
  let x = m;
  for (let i = 0; i < nd; i++) {
    out.push((x as Nested[]).length);
    x = (x as Nested[])[0] ?? 0;
  }
  return out;
}

const baseShape = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 });

const viewOps = (nd: number) =>
  fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant("slice" as const),
        specs: fc.array(
          fc.oneof(
            fc.tuple(
              fc.option(fc.integer({ min: -7, max: 7 })),
              fc.option(fc.integer({ min: -7, max: 7 })),
              fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
            ),
            fc.integer({ min: -6, max: 6 }),
          ),
          { maxLength: nd },
        ),
      }),
      fc.record({ kind: fc.constant("transpose" as const), seed: fc.nat() }),
    ),
    { maxLength: 3 },
  );

function run(
  base: NDArray,
  ops: {
    kind: "slice" | "transpose";
    specs?: (number | [number | null, number | null, number])[];
    seed?: number;
  }[],
) {
  let view = base;
  let model: Nested = base.toArray() as Nested;
  for (const op of ops) {
    const shape = [...view.shape];
    if (op.kind === "transpose") {
      const perm = [...shape.keys()];
      let s = op.seed!;
      for (let i = perm.length - 1; i > 0; i--) {
        const j = s % (i + 1);
        s = Math.floor(s / (i + 1));
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      view = view.transpose(perm);
      model = modelTranspose(model, shape, perm);
      continue;
    }
    const specs = op.specs!.slice(0, shape.length);
    // Integer indices out of range are errors: skip them in the generated program.
    if (specs.some((s, i) => typeof s === "number" && (s < -shape[i]! || s >= shape[i]!))) continue;
    view = view.slice(
      ...specs.map(
        (s): SliceSpec => (typeof s === "number" ? s : { start: s[0], stop: s[1], step: s[2] }),
      ),
    );
    model = modelSlice(model, specs);
  }
  return { view, model };
}

describe("views (property)", () => {
  it("a chain of slices and transposes shows exactly the model's elements, and aliases the base", () => {
    fc.assert(
      fc.property(
        baseShape.chain((shape) => fc.tuple(fc.constant(shape), viewOps(shape.length))),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        ([shape, ops], value) => {
          const base = arange(shape.reduce((a, b) => a * b, 1)).reshape(shape);
          const { view, model } = run(base, ops);
          expect(view.toArray()).toEqual(model);
          if (view.size === 0) return; // nested arrays cannot show the dimensions after a 0
          expect(view.shape).toEqual(shapeOf(model, view.ndim));
          // Write through the view at its first element: the base changes at the modelled index.
          const first = new Array<number>(view.ndim).fill(0);
          const flat = first.reduce((acc: Nested, i) => (acc as Nested[])[i]!, model) as number;
          view.set(first, value);
          expect(base.data[flat]).toBe(value);
          expect(view.data).toBe(base.data);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("compact() copies: same elements, contiguous, no base, and independent memory", () => {
    fc.assert(
      fc.property(
        baseShape.chain((shape) => fc.tuple(fc.constant(shape), viewOps(shape.length))),
        ([shape, ops]) => {
          const base = arange(shape.reduce((a, b) => a * b, 1)).reshape(shape);
          const { view } = run(base, ops);
          const before = base.toArray();
          const copy = view.compact();
          expect(copy.toArray()).toEqual(view.toArray());
          expect(copy.isContiguous).toBe(true);
          expect(copy.base).toBeNull();
          expect(copy.data.buffer).not.toBe(base.data.buffer);
          if (copy.size > 0) (copy.data as Float64Array).fill(-1);
          expect(base.toArray()).toEqual(before);
          expect(copy.retainedBytes).toBe(copy.nbytes);
        },
      ),
      { numRuns: 200 },
    );
  });
});
