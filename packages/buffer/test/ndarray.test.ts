import { describe, expect, it } from "vitest";
import {
  type Allocator,
  arange,
  array,
  asarray,
  full,
  linspace,
  NDArray,
  ones,
  ShapeError,
  sum,
  zeros,
} from "../src/index.ts";

function counting(): Allocator & { live: number; allocated: number; released: ArrayBuffer[] } {
  const a = {
    live: 0,
    allocated: 0,
    released: [] as ArrayBuffer[],
    allocate(n: number) {
      a.live += n;
      a.allocated++;
      return new ArrayBuffer(n);
    },
    release(b: ArrayBuffer) {
      a.live -= b.byteLength;
      a.released.push(b);
    },
  };
  return a;
}

describe("NDArray views", () => {
  it("slices with start/stop/step, negative steps and integer indices are views over the same memory", () => {
    const a = arange(12).reshape([3, 4]);
    expect(a.slice("::-1").toArray()).toEqual([
      [8, 9, 10, 11],
      [4, 5, 6, 7],
      [0, 1, 2, 3],
    ]);
    expect(a.slice(null, "1:3").toArray()).toEqual([
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    expect(a.slice(1).toArray()).toEqual([4, 5, 6, 7]);
    expect(a.slice("...", -1).toArray()).toEqual([3, 7, 11]);
    expect(a.slice({ start: -1, stop: null, step: -2 }, { step: -3 }).toArray()).toEqual([
      [11, 8],
      [3, 0],
    ]);
    expect(a.slice("5:1").shape).toEqual([0, 4]);
    const v = a.slice("::-1", "::-2");
    v.set([0, 0], 100);
    expect(a.get(2, 3)).toBe(100);
    expect(v.base).toBe(a.base ?? a);
  });

  it("transpose, T, reshape, squeeze and expandDims are zero-copy", () => {
    const a = arange(24).reshape([2, 3, 4]);
    const t = a.transpose([2, 0, 1]);
    expect(t.shape).toEqual([4, 2, 3]);
    expect(t.get(3, 1, 2)).toBe(a.get(1, 2, 3));
    expect(a.T.shape).toEqual([4, 3, 2]);
    expect(a.reshape([6, -1]).shape).toEqual([6, 4]);
    const e = a.expandDims(1);
    expect(e.shape).toEqual([2, 1, 3, 4]);
    expect(e.squeeze().shape).toEqual([2, 3, 4]);
    expect(e.squeeze(1).shape).toEqual([2, 3, 4]);
    expect(a.expandDims(-1).shape).toEqual([2, 3, 4, 1]);
    t.set([0, 0, 0], -1);
    expect(a.get(0, 0, 0)).toBe(-1);
    for (const v of [t, a.T, e]) expect(v.data).toBe(a.data);
  });

  it("reshape of a non-contiguous view refuses to copy silently", () => {
    const a = arange(12).reshape([3, 4]);
    expect(() => a.T.reshape([12])).toThrow(ShapeError);
    expect(() => a.T.reshape([12])).toThrow(/non-contiguous view of shape \[4,3\].*compact/);
    expect(a.T.compact().reshape([12]).toArray()).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(() => a.reshape([5, -1])).toThrow(/cannot reshape array of size 12 into shape \[5,-1\]/);
    expect(() => a.reshape([-1, -1])).toThrow(/one unknown dimension/);
  });

  it("broadcastTo gives a read-only stride-0 view", () => {
    const row = arange(3);
    const b = row.broadcastTo([4, 3]);
    expect(b.strides).toEqual([0, 1]);
    expect(b.toArray()).toEqual([
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
    ]);
    expect(b.writable).toBe(false);
    expect(() => b.set([0, 0], 1)).toThrow(/read-only/);
    expect(() => row.broadcastTo([4, 2])).toThrow(/cannot broadcast shape \[3\] to \[4,2\]/);
  });

  it("nbytes, base, retainedBytes: a small view pins its whole buffer until compact() (numpy #10273)", () => {
    const big = zeros([1_000_000]);
    const small = big.slice(":10");
    expect(small.nbytes).toBe(80);
    expect(small.retainedBytes).toBe(8_000_000);
    expect(small.base).toBe(big);
    const copy = small.compact();
    expect(copy.base).toBeNull();
    expect(copy.retainedBytes).toBe(80);
    copy.set(0, 5);
    expect(big.get(0)).toBe(0);
  });

  it("constructors: zeros, ones, full, arange, linspace, array, asarray", () => {
    expect(zeros([2, 2], { dtype: "int8" }).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(ones(3, { dtype: "bigint64" }).toArray()).toEqual([1n, 1n, 1n]);
    expect(full([2], 7, { dtype: "uint8" }).toArray()).toEqual([7, 7]);
    expect(arange(10, 0, -3).toArray()).toEqual([10, 7, 4, 1]);
    expect(arange(0.5, 2, 0.5).toArray()).toEqual([0.5, 1, 1.5]);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(0, 1, 4, { endpoint: false }).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    const m = array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(m.shape).toEqual([2, 3]);
    expect(m.dtype).toBe("float64");
    expect(array([1n, 2n]).dtype).toBe("bigint64");
    const raw = new Float32Array([1, 2, 3, 4]);
    const w = asarray(raw, [2, 2]);
    w.set([1, 1], 9);
    expect(raw[3]).toBe(9);
  });

  it("astype follows the documented casting rules", () => {
    const f = array([1.9, -1.9, 300.5, Number.NaN]);
    expect(f.astype("int8").toArray()).toEqual([1, -1, 44, 0]);
    expect(f.astype("uint8").toArray()).toEqual([1, 255, 44, 0]);
    expect(f.astype("bigint64").toArray()).toEqual([1n, -1n, 300n, 0n]);
    expect(
      array([2n ** 63n - 1n])
        .astype("float64")
        .toArray(),
    ).toEqual([2 ** 63]);
    expect(() => f.astype("int32", "same_kind")).toThrow(
      /cannot cast float64 to int32 with casting "same_kind"/,
    );
    expect(array([1, 2]).astype("float32", "same_kind").dtype).toBe("float32");
  });

  it("owning arrays give memory back to their allocator once, views never do", () => {
    const alloc = counting();
    {
      using a = zeros([100], { allocator: alloc });
      expect(alloc.live).toBe(800);
      const v = a.slice("::2");
      v[Symbol.dispose]();
      expect(alloc.live).toBe(800);
    }
    expect(alloc.live).toBe(0);
    const b = zeros([10], { allocator: alloc });
    b[Symbol.dispose]();
    b[Symbol.dispose]();
    expect(alloc.released.length).toBe(2);
    expect(() => b.get(0)).toThrow(ReferenceError);
    expect(() => sum(b)).toThrow(/used after its memory was disposed/);
  });

  it("shared arrays live in a SharedArrayBuffer", () => {
    const s = zeros([4], { shared: true });
    expect(s.isShared).toBe(true);
    expect(s.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(zeros([4]).isShared).toBe(false);
    expect(zeros([4]).compact({ shared: true }).isShared).toBe(true);
  });

  it("the constructor validates that every index lands in the buffer", () => {
    const d = new Float64Array(6);
    expect(new NDArray(d, { shape: [2, 3] }).size).toBe(6);
    expect(new NDArray(d, { shape: [3], strides: [-2], offset: 5 }).toArray()).toEqual([0, 0, 0]);
    expect(() => new NDArray(d, { shape: [3, 3] })).toThrow(
      /reaches indices 0\.\.8, outside a float64 buffer of length 6/,
    );
    expect(() => new NDArray(d, { shape: [3], strides: [-2], offset: 3 })).toThrow(RangeError);
    expect(() => new NDArray(d, { shape: [2], strides: [1, 1] })).toThrow(
      /strides must be 1 integers/,
    );
  });
});
