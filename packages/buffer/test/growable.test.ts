import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { type Allocator, BufferError, GrowableBuffer, sum } from "../src/index.ts";

function counting(): Allocator & { live: number; sizes: number[] } {
  const a = {
    live: 0,
    sizes: [] as number[],
    allocate(n: number) {
      a.live += n;
      a.sizes.push(n);
      return new ArrayBuffer(n);
    },
    release(b: ArrayBuffer) {
      a.live -= b.byteLength;
    },
  };
  return a;
}

function capacities(growth: "double" | "python", pushes: number): number[] {
  const buf = new GrowableBuffer("float64", { growth });
  const seen: number[] = [];
  for (let i = 0; i < pushes; i++) {
    buf.push(i);
    if (seen.at(-1) !== buf.capacity) seen.push(buf.capacity);
  }
  return seen;
}

describe("GrowableBuffer", () => {
  it("pushes and extends in amortized O(1) with doubling by default", () => {
    expect(capacities("double", 100)).toEqual([8, 16, 32, 64, 128]);
    const buf = new GrowableBuffer("int32");
    buf.extend([1, 2, 3]);
    buf.extend(new Int32Array([4, 5]));
    buf.extend(new Set([6]));
    buf.extend({ length: 2, 0: 7, 1: 8 });
    expect([...buf]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(buf.pop()).toBe(8);
    expect(buf.get(-1)).toBe(7);
  });

  it('the "python" policy follows CPython\'s array.array over-allocation', () => {
    const ours = capacities("python", 200);
    // Ask CPython itself: sys.getsizeof(array) = header + allocated * itemsize.
    const script =
      "import array,sys\na=array.array('d');h=sys.getsizeof(a);seen=[]\nfor i in range(200):\n a.append(i);c=(sys.getsizeof(a)-h)//8\n if not seen or seen[-1]!=c: seen.append(c)\nprint(seen)";
    const py = spawnSync(process.env.HEAPWISE_PYTHON || "python3", ["-c", script], {
      encoding: "utf8",
    });
    if (py.status === 0) expect(ours).toEqual(JSON.parse(py.stdout));
    // The formula, independent of Python being installed: n + n/16 + (3 | 7).
    expect(ours.slice(0, 6)).toEqual([4, 8, 16, 25, 34, 44]);
  });

  it('"python" extend ends at CPython\'s capacity: element by element from an iterable, at once from a typed array', () => {
    const sizes = [0, 1, 7, 8, 9, 15, 16, 17, 100, 1000, 100_000];
    const ours = sizes.map((n) => {
      const fromIterable = new GrowableBuffer("float64", { growth: "python" });
      fromIterable.push(1);
      fromIterable.push(2);
      fromIterable.extend(
        (function* () {
          for (let i = 0; i < n; i++) yield i;
        })(),
      );
      const fromList = new GrowableBuffer("float64", { growth: "python" });
      fromList.push(1);
      fromList.push(2);
      fromList.extend(Array.from({ length: n }, (_, i) => i));
      const fromTyped = new GrowableBuffer("float64", { growth: "python" });
      fromTyped.push(1);
      fromTyped.push(2);
      fromTyped.extend(new Float64Array(n));
      expect(fromList.capacity).toBe(fromIterable.capacity);
      return [fromIterable.capacity, fromTyped.capacity];
    });
    // array.extend(list) appends one by one (array_iter_extend); extend(array) resizes once.
    const script = `import array,sys
h=sys.getsizeof(array.array('d'));out=[]
for n in ${JSON.stringify(sizes)}:
 a=array.array('d');a.append(1);a.append(2);a.extend(float(i) for i in range(n))
 b=array.array('d');b.append(1);b.append(2);b.extend(array.array('d',bytes(8*n)))
 out.append([(sys.getsizeof(a)-h)//8,(sys.getsizeof(b)-h)//8])
print(out)`;
    const py = spawnSync(process.env.HEAPWISE_PYTHON || "python3", ["-c", script], {
      encoding: "utf8",
    });
    expect(py.stderr).toBe("");
    expect(ours).toEqual(JSON.parse(py.stdout));
  });

  it("exporting a view blocks resizing with BufferError until it is released (Python's buffer protocol)", () => {
    const buf = new GrowableBuffer("float64");
    buf.extend([1, 2, 3]);
    {
      using view = buf.view();
      expect(sum(view.array)).toBe(6);
      expect(buf.exports).toBe(1);
      expect(() => buf.push(4)).toThrow(BufferError);
      expect(() => buf.push(4)).toThrow(
        "cannot push: the buffer is exporting 1 view; release it first",
      );
      expect(() => buf.pop()).toThrow(BufferError);
      expect(() => buf.extend([4])).toThrow(BufferError);
      expect(() => buf.shrinkToFit()).toThrow(BufferError);
      expect(() => buf.clear()).toThrow(BufferError);
      buf.set(0, 10); // same length: allowed, and visible through the view
      expect(view.array[0]).toBe(10);
      expect(view.toNDArray().get(0)).toBe(10);
      expect(buf.length).toBe(3);
    }
    expect(buf.exports).toBe(0);
    buf.push(4);
    expect([...buf]).toEqual([10, 2, 3, 4]);
    const v = buf.view();
    v.release();
    v.release();
    expect(() => v.array).toThrow(/after release/);
    expect(v.released).toBe(true);
  });

  it("shrinkToFit reallocates to exactly length and releases the old storage", () => {
    const alloc = counting();
    const buf = new GrowableBuffer("float64", { allocator: alloc });
    buf.extend([1, 2, 3, 4, 5]);
    expect(buf.capacity).toBe(8);
    buf.shrinkToFit();
    expect(buf.capacity).toBe(5);
    expect(alloc.live).toBe(40);
    expect(buf.toTypedArray()).toEqual(new Float64Array([1, 2, 3, 4, 5]));
    buf[Symbol.dispose]();
    expect(alloc.live).toBe(0);
    expect(() => buf.push(1)).toThrow(ReferenceError);
  });

  it("a rejected value appends nothing (extend is all-or-nothing for checked values)", () => {
    const buf = new GrowableBuffer("uint8");
    buf.extend([1, 2]);
    expect(() => buf.extend([3, 4, 300, 5])).toThrow(
      "value 2 300 does not fit uint8 (integers 0..255); use astype() for a wrapping conversion",
    );
    expect([...buf]).toEqual([1, 2]);
    expect(() => buf.push(5, Number.NaN)).toThrow(/value 1 NaN does not fit uint8/);
    expect([...buf]).toEqual([1, 2]);
    // @ts-expect-error: bigints do not go into a number buffer
    expect(() => buf.extend(new BigInt64Array(1))).toThrow(
      "cannot extend a uint8 buffer with a bigint64 array",
    );
  });

  it("disposing releases outstanding views, which then throw", () => {
    const buf = new GrowableBuffer("float32");
    buf.push(1);
    const v = buf.view();
    buf[Symbol.dispose]();
    expect(v.released).toBe(true);
    expect(() => v.array).toThrow(ReferenceError);
  });

  it("a custom growth policy is validated", () => {
    const buf = new GrowableBuffer("float64", { growth: (needed) => needed - 1 });
    expect(() => buf.push(1)).toThrow(
      "growth policy returned 0 for 1 needed elements (capacity 0)",
    );
    expect(buf.length).toBe(0);
    const exact = new GrowableBuffer("float64", { growth: (needed) => needed });
    for (let i = 0; i < 5; i++) exact.push(i);
    expect(exact.capacity).toBe(5);
  });
});
