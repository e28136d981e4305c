import { describe, expect, it } from "vitest";
import {
  add,
  arange,
  argmax,
  argmin,
  array,
  canCast,
  divide,
  map,
  matmul,
  max,
  mean,
  min,
  mod,
  multiply,
  resultType,
  rint,
  std,
  subtract,
  sum,
  unary,
  variance,
  zeros,
} from "../src/index.ts";

describe("elementwise semantics", () => {
  it("integer dtypes wrap like NumPy's; int32 products wrap exactly", () => {
    expect(add(array([127], { dtype: "int8" }), 1).toArray()).toEqual([-128]);
    expect(subtract(array([0], { dtype: "uint8" }), 1).toArray()).toEqual([255]);
    expect(multiply(array([2 ** 30 + 3], { dtype: "int32" }), 7).toArray()).toEqual([
      Math.imul(2 ** 30 + 3, 7),
    ]);
    expect(add(array([1], { dtype: "uint8" }), array([-1], { dtype: "int8" })).dtype).toBe("int16");
    expect(divide(array([1, 2], { dtype: "int32" }), 4).toArray()).toEqual([0.25, 0.5]);
  });

  it("scalars are weak, float32 stays float32 and is rounded once", () => {
    const f = array([0.1, 0.2], { dtype: "float32" });
    const r = add(f, 0.3);
    expect(r.dtype).toBe("float32");
    expect(r.get(0)).toBe(Math.fround(Math.fround(0.1) + 0.3));
    expect(add(array([1], { dtype: "int8" }), 1.5).dtype).toBe("float64");
  });

  it("mod has the sign of the divisor; rint rounds half to even", () => {
    expect(mod(array([-3, 3, -3, 3]), array([2, 2, -2, -2])).toArray()).toEqual([1, 1, -1, -1]);
    expect(rint(array([0.5, 1.5, 2.5, -0.5, -1.5])).toArray()).toEqual([0, 2, 2, -0, -2]);
  });

  it("out may be an operand (in place), and an overlapping shifted view is read before it is written", () => {
    const a = arange(6);
    add(a, 1, { out: a });
    expect(a.toArray()).toEqual([1, 2, 3, 4, 5, 6]);
    const b = arange(6);
    add(b.slice("1:"), 0, { out: b.slice(":-1") }); // b[:-1] = b[1:] + 0
    expect(b.toArray()).toEqual([1, 2, 3, 4, 5, 5]);
    const c = arange(6);
    add(c.slice(":-1"), 0, { out: c.slice("1:") }); // c[1:] = c[:-1] (needs a copy first)
    expect(c.toArray()).toEqual([0, 0, 1, 2, 3, 4]);
  });

  it("an out of a wider dtype receives the loop dtype's result, cast", () => {
    const out = zeros([1], { dtype: "float64" });
    add(array([127], { dtype: "int8" }), array([1], { dtype: "int8" }), { out });
    expect(out.get(0)).toBe(-128);
  });

  it("unary functions: float results for integers, dtype kept for abs/negative; map with a callback", () => {
    expect(unary("sqrt", array([4], { dtype: "int32" })).dtype).toBe("float64");
    expect(unary("abs", array([-4], { dtype: "int8" })).toArray()).toEqual([4]);
    expect(map(arange(3), (v) => v * 10).toArray()).toEqual([0, 10, 20]);
  });

  it("bigint arrays add and multiply with 64-bit wrap-around", () => {
    const big = array([2n ** 63n - 1n, 5n]);
    expect(add(big, 1).toArray()).toEqual([-(2n ** 63n), 6n]);
    expect(multiply(big, big).get(1)).toBe(25n);
    expect(max(big)).toBe(2n ** 63n - 1n);
    expect(min(array([3n, -2n]))).toBe(-2n);
  });
});

describe("reductions", () => {
  const m = array([
    [1, 5, 3],
    [4, 2, 6],
  ]);

  it("every axis, keepdims, ddof", () => {
    expect(sum(m, { axis: 0 }).toArray()).toEqual([5, 7, 9]);
    expect(sum(m, { axis: -1, keepdims: true }).toArray()).toEqual([[9], [12]]);
    expect(mean(m, { axis: 1 }).toArray()).toEqual([3, 4]);
    expect(variance(array([1, 2, 3, 4]))).toBe(1.25);
    expect(variance(array([1, 2, 3, 4]), { ddof: 1 })).toBeCloseTo(5 / 3, 15);
    expect(std(m, { axis: 0 }).toArray()).toEqual([1.5, 1.5, 1.5]);
    expect(argmax(m)).toBe(5);
    expect(argmin(m, { axis: 0 }).toArray()).toEqual([0, 1, 0]);
    expect(argmin(m, { axis: 0 }).dtype).toBe("int32");
    expect(max(m, { axis: 1 }).toArray()).toEqual([5, 6]);
  });

  it("NaN propagates through min/max and argmin/argmax point at the first NaN", () => {
    const a = array([1, Number.NaN, -1, Number.NaN]);
    expect(Number.isNaN(min(a))).toBe(true);
    expect(argmax(a)).toBe(1);
    expect(argmin(a)).toBe(1);
  });

  it("integer sums are float64 and exact; bigint sums stay bigint", () => {
    const a = zeros([1000], { dtype: "int32" }).fill(2 ** 30);
    expect(sum(a)).toBe(1000 * 2 ** 30);
    expect(sum(a, { axis: 0 }).dtype).toBe("float64");
    expect(sum(array([1n, 2n, 3n]))).toBe(6n);
    expect(mean(array([1n, 2n]))).toBe(1.5);
  });

  it("Kahan survives catastrophic cancellation that pairwise does not", () => {
    const x = new Float64Array(1000);
    for (let i = 0; i < 1000; i += 2) {
      x[i] = 1e16;
      x[i + 1] = 1;
    }
    const y = new Float64Array(1000);
    for (let i = 0; i < 1000; i += 2) y[i] = -1e16;
    const z = new Float64Array(2000);
    z.set(x);
    z.set(y, 1000);
    expect(sum(z, { algorithm: "kahan" })).toBe(500);
    expect(sum(z)).not.toBe(500);
  });
});

describe("matmul, dtypes", () => {
  it("1-D operands are vectors; stacks broadcast", () => {
    const a = arange(6).reshape([2, 3]);
    expect(matmul(a, array([1, 1, 1])).toArray()).toEqual([3, 12]);
    expect(matmul(array([1, 1]), a).toArray()).toEqual([3, 5, 7]);
    expect(matmul(zeros([4, 1, 2, 3]), zeros([5, 3, 2])).shape).toEqual([4, 5, 2, 2]);
  });

  it("casting table and promotion", () => {
    expect(canCast("uint8", "int16")).toBe(true);
    expect(canCast("int16", "uint16")).toBe(false);
    expect(canCast("int32", "float32")).toBe(false);
    expect(canCast("int32", "float32", "same_kind")).toBe(true);
    expect(canCast("float32", "int32", "same_kind")).toBe(false);
    expect(canCast("uint32", "bigint64")).toBe(true);
    expect(canCast("bigint64", "float64", "same_kind")).toBe(false);
    expect(canCast("float64", "int8", "unsafe")).toBe(true);
    expect(canCast("int8", "int8", "no")).toBe(true);
    expect(resultType("int32", "uint32")).toBe("float64");
    expect(resultType("int16", "float32")).toBe("float32");
    expect(resultType("uint8", "bigint64")).toBe("bigint64");
  });
});
