import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  add,
  axpy,
  divide,
  dot,
  mean,
  multiply,
  NDArray,
  subtract,
  sum,
  WasmHeap,
  zeros,
} from "../src/index.ts";

// The model of every SIMD kernel is the JavaScript kernel on the same numbers in ordinary memory
// (itself tested against NumPy): results must be the same bits.
const heap = new WasmHeap({ bytes: 8 * 2 ** 20 });
afterAll(() => heap[Symbol.dispose]());

const doubles = fc.double({ min: -1e10, max: 1e10, noNaN: true, noDefaultInfinity: true });
// Lengths around the kernels' edges: < 8, the 128-element blocks, one 8192-element chunk, several.
const lengths = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.integer({ min: 8000, max: 8400 }),
  fc.integer({ min: 16000, max: 41000 }),
);

/** The same 1-D view (start, step) over `values` in the heap and in an ordinary Float64Array. */
function pair(values: Float64Array, start: number, step: number, count: number) {
  const inHeap = zeros([values.length], { allocator: heap, dtype: "float64" });
  inHeap.data.set(values);
  const plain = new NDArray(Float64Array.from(values));
  const view = (a: NDArray) =>
    new NDArray(a.data, { shape: [count], strides: [step], offset: a.offset + start });
  return { inHeap, heapView: view(inHeap), plainView: view(plain) };
}

/** A random layout: offset, step (±1, ±2, ±3, 0) and count that fit `n` elements. */
const layout = (n: number) =>
  fc
    .record({ step: fc.constantFrom(1, 1, 2, 2, -1, -2, 3, -3, 0), skip: fc.nat({ max: 5 }) })
    .map(({ step, skip }) => {
      const room = Math.max(0, n - skip);
      const count =
        step === 0 ? Math.min(room, 50) : Math.floor((room + Math.abs(step) - 1) / Math.abs(step));
      const start = step < 0 ? skip + (count - 1) * -step : skip;
      return { step, start: count === 0 ? 0 : start, count };
    });

function filled(n: number, seed: number): Float64Array {
  const a = new Float64Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    a[i] = ((s >>> 0) / 2 ** 32 - 0.5) * 10 ** ((s >>> 27) - 8);
  }
  return a;
}

describe("WasmHeap SIMD kernels against the JavaScript kernels (property)", () => {
  it("sum and mean of any strided view give the same bits", () => {
    fc.assert(
      fc.property(
        lengths.chain((n) => fc.tuple(fc.constant(n), layout(n), fc.integer())),
        ([n, { step, start, count }, seed]) => {
          const { inHeap, heapView, plainView } = pair(filled(n, seed), start, step, count);
          try {
            expect(Object.is(sum(heapView), sum(plainView))).toBe(true);
            if (count > 0) expect(Object.is(mean(heapView), mean(plainView))).toBe(true);
          } finally {
            inHeap[Symbol.dispose]();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("small sums of generated doubles (−0, tails below 8) give the same bits", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(doubles, fc.constant(-0)), { maxLength: 300 }), (values) => {
        const { inHeap, heapView, plainView } = pair(
          Float64Array.from(values),
          0,
          1,
          values.length,
        );
        try {
          expect(Object.is(sum(heapView), sum(plainView))).toBe(true);
        } finally {
          inHeap[Symbol.dispose]();
        }
      }),
      { numRuns: 200 },
    );
  });

  it("dot and axpy give the same bits, whatever the two arrays' offsets", () => {
    fc.assert(
      fc.property(
        lengths,
        fc.nat({ max: 7 }),
        fc.nat({ max: 7 }),
        fc.integer(),
        doubles,
        (n, ox, oy, seed, alpha) => {
          using xs = zeros([n + ox], { allocator: heap });
          using ys = zeros([n + oy], { allocator: heap });
          xs.data.set(filled(n + ox, seed));
          ys.data.set(filled(n + oy, seed + 1));
          const x = xs.slice(`${ox}:`);
          const y = ys.slice(`${oy}:`);
          const px = x.compact();
          const py = y.compact();
          expect(Object.is(dot(x, y), dot(px, py))).toBe(true);
          axpy(alpha, x, y);
          axpy(alpha, px, py);
          expect(Array.from(y.data.subarray(oy, oy + n))).toEqual(Array.from(py.data));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("add, subtract, multiply and divide give the same elements, into new arrays and into out", () => {
    const ops = [add, subtract, multiply, divide];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer(),
        fc.nat({ max: 3 }),
        fc.boolean(),
        (n, seed, which, intoOut) => {
          const op = ops[which]!;
          using a = zeros([n], { allocator: heap });
          using b = zeros([n], { allocator: heap });
          a.data.set(filled(n, seed));
          b.data.set(filled(n, seed ^ 0x5bd1e995));
          using out = zeros([n], { allocator: heap });
          const r = intoOut ? op(a, b, { out }) : op(a, b, { allocator: heap });
          const expected = op(a.compact(), b.compact());
          expect(Array.from(r.data.subarray(r.offset, r.offset + n) as Float64Array)).toEqual(
            Array.from(expected.data as Float64Array),
          );
          if (!intoOut) r[Symbol.dispose]();
        },
      ),
      { numRuns: 100 },
    );
  });

  it("every block the tests took went back to the heap", () => {
    const s = heap.stats();
    expect(s.blocks).toBe(0);
    expect(s.used).toBe(0);
    expect(s.largestFree).toBe(s.capacity);
  });
});
