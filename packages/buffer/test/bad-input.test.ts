/**
 * Bad input (issue: shape/size mismatches, out-of-range indices, broadcasting failures, unknown
 * dtypes, NaN lengths): clear errors naming the shapes or values, and operands never modified by a
 * failed operation.
 */
import { describe, expect, it } from "vitest";
import {
  add,
  arange,
  array,
  axpy,
  BufferPool,
  canCast,
  divide,
  dot,
  GrowableBuffer,
  matmul,
  mean,
  min,
  ShapeError,
  sum,
  unary,
  zeros,
} from "../src/index.ts";

const snapshot = (a: { toArray(): unknown }) =>
  JSON.stringify(a.toArray(), (_, v) => (typeof v === "bigint" ? `${v}n` : v));

describe("bad input", () => {
  it("broadcasting failures name every shape and leave out untouched", () => {
    const a = arange(6).reshape([2, 3]);
    const b = arange(4);
    const out = zeros([2, 3]).fill(7);
    const before = [snapshot(a), snapshot(b), snapshot(out)];
    expect(() => add(a, b, { out })).toThrow(ShapeError);
    expect(() => add(a, b)).toThrow(
      "operands could not be broadcast together with shapes [2,3] [4]",
    );
    expect([snapshot(a), snapshot(b), snapshot(out)]).toEqual(before);
  });

  it("an out of the wrong shape or dtype is refused before anything is written", () => {
    const a = arange(6).reshape([2, 3]);
    const wrongShape = zeros([3, 2]).fill(1);
    const wrongDtype = zeros([2, 3], { dtype: "int32" }).fill(1);
    expect(() => add(a, 1, { out: wrongShape })).toThrow(
      "out has shape [3,2] but the result has shape [2,3]",
    );
    expect(() => divide(a, 2, { out: wrongDtype })).toThrow(
      'cannot store a float64 result in an out array of dtype int32 with casting "same_kind"',
    );
    expect(snapshot(wrongShape)).toBe("[[1,1],[1,1],[1,1]]");
    expect(snapshot(wrongDtype)).toBe("[[1,1,1],[1,1,1]]");
    expect(() => add(a, 1, { out: a.broadcastTo([2, 3]) })).toThrow(/read-only/);
  });

  it("out-of-range indices name the index, the axis and its size", () => {
    const a = zeros([2, 3]);
    expect(() => a.get(2, 0)).toThrow("index 2 is out of bounds for axis 0 with size 2");
    expect(() => a.get(0, -4)).toThrow("index -4 is out of bounds for axis 1 with size 3");
    expect(() => a.get(0)).toThrow("expected 2 indices for shape [2,3], got 1");
    expect(() => a.slice(0, 0, 0)).toThrow(/too many indices for array of shape \[2,3\]/);
    expect(() => a.slice("::0")).toThrow("slice step cannot be zero (axis 0)");
    expect(() => a.slice("1:x")).toThrow(/non-integer part "x"/);
    expect(() => sum(a, { axis: 2 })).toThrow(
      "axis 2 is out of bounds for an array of dimension 2",
    );
    expect(() => a.set([5, 5], 1)).toThrow(/out of bounds/);
  });

  it("unknown dtypes and NaN or negative lengths are named", () => {
    // @ts-expect-error: not a dtype
    expect(() => zeros([2], { dtype: "float16" })).toThrow(
      /dtype must be one of int8, .*, got "float16"/,
    );
    expect(() => zeros([Number.NaN])).toThrow(
      /shape must contain non-negative integers, got \[null\] \(bad dimension NaN\)/,
    );
    expect(() => zeros([-3])).toThrow(/bad dimension -3/);
    expect(() => new GrowableBuffer("float64", { initialCapacity: Number.NaN })).toThrow(
      "initialCapacity must be a non-negative integer, got NaN",
    );
    expect(() => new BufferPool().acquire("float64", -1)).toThrow(
      "length must be a non-negative integer, got -1",
    );
    // @ts-expect-error: not a dtype
    expect(() => canCast("float64", "complex128")).toThrow(/to must be one of/);
  });

  it("values that do not fit a dtype are refused, naming the value", () => {
    const a = zeros([3], { dtype: "uint8" });
    expect(() => a.set(0, 256)).toThrow(
      "value 256 does not fit uint8 (integers 0..255); use astype() for a wrapping conversion",
    );
    expect(() => a.set(0, 1.5)).toThrow(/value 1.5 does not fit uint8/);
    expect(() => add(a, 300)).toThrow(/second operand 300 does not fit uint8/);
    expect(() => array([[1, 2], [3]])).toThrow(
      "array is ragged: at [1] expected a list of 2, got an array of length 1",
    );
    expect(() => array([1, 2], { dtype: "int8" }).fill(Number.NaN as number)).toThrow(
      /NaN does not fit int8/,
    );
    // @ts-expect-error: a string is not a number
    expect(() => a.fill("1")).toThrow('value for a uint8 array must be a number, got "1"');
    expect(snapshot(a)).toBe("[0,0,0]");
  });

  it("shape mismatches in dot, matmul and axpy name the shapes; y is not modified", () => {
    expect(() => dot(arange(3), arange(4))).toThrow(
      "shapes [3] and [4] not aligned for dot: 3 (dim 0) != 4 (dim 0)",
    );
    expect(() => matmul(zeros([2, 3]), zeros([4, 2]))).toThrow(
      "matmul: inner dimensions differ: [2,3] @ [4,2] (3 != 4)",
    );
    const y = arange(3);
    expect(() => axpy(2, arange(4), y)).toThrow("cannot broadcast shape [4] to [3]");
    expect(snapshot(y)).toBe("[0,1,2]");
  });

  it("mixing bigint and number dtypes, and float-only operations on bigints, are TypeErrors", () => {
    const big = array([1n, 2n]);
    expect(() => add(big, arange(2))).toThrow(
      "no common dtype for bigint64 and float64 without losing values; cast one operand with astype() first",
    );
    expect(() => add(big, 1.5)).toThrow(/only safe integers convert to bigint/);
    expect(() => divide(big, big)).toThrow(/divide is not defined for bigint64/);
    expect(() => unary("sqrt", big)).toThrow(/sqrt is not defined for bigint64/);
    expect(add(big, 1).toArray()).toEqual([2n, 3n]);
    expect(sum(big)).toBe(3n);
  });

  it("empty reductions: min has no identity, mean of nothing is NaN, sum is 0", () => {
    expect(() => min(zeros([0]))).toThrow(
      "zero-size array to reduction operation minimum which has no identity",
    );
    expect(Number.isNaN(mean(zeros([0])))).toBe(true);
    expect(sum(zeros([0, 3]))).toBe(0);
    expect(sum(zeros([0, 3]), { axis: 0 }).toArray()).toEqual([0, 0, 0]);
  });

  it("unknown options are refused", () => {
    // @ts-expect-error: no such algorithm
    expect(() => sum(arange(3), { algorithm: "naive" })).toThrow(
      'algorithm must be "pairwise" or "kahan", got "naive"',
    );
    // @ts-expect-error: no such unary
    expect(() => unary("gamma", arange(3))).toThrow(/unknown unary function "gamma"/);
    // @ts-expect-error: no such casting
    expect(() => add(arange(3), 1, { casting: "maybe" })).toThrow(/casting must be/);
  });
});
