// Browser behaviour checks of the main entry (run in headless Chromium by tooling/browser-check).
import {
  add,
  arange,
  BufferError,
  BufferPool,
  dot,
  GrowableBuffer,
  matmul,
  NDArray,
  sum,
  WasmHeap,
  zeros,
} from "@heapwise/buffer";

export const checks = {
  "views, broadcasting and a pairwise axis sum": () => {
    const m = arange(12).reshape([3, 4]);
    const s = sum(add(m.slice("::-1"), arange(4)), { axis: 0 });
    if (JSON.stringify(s.toArray()) !== "[12,18,24,30]")
      throw new Error(`got ${JSON.stringify(s.toArray())}`);
  },
  "matmul of a stack": () => {
    const r = matmul(zeros([2, 3, 4]).fill(1), zeros([4, 5]).fill(2));
    if (r.shape.join() !== "2,3,5" || r.get(1, 2, 4) !== 8)
      throw new Error(`got ${r.shape} ${r.get(1, 2, 4)}`);
  },
  "an exported view blocks resizing with BufferError": () => {
    const buf = new GrowableBuffer("float64");
    buf.extend([1, 2, 3]);
    const view = buf.view();
    let threw = false;
    try {
      buf.push(4);
    } catch (e) {
      threw = e instanceof BufferError;
    }
    view.release();
    buf.push(4);
    if (!threw || buf.length !== 4) throw new Error("BufferError not raised");
  },
  "a pool lease is zeroed and reused": () => {
    const pool = new BufferPool();
    const a = pool.acquire("float32", 100);
    a.array.fill(7);
    a[Symbol.dispose]();
    const b = pool.acquire("float32", 100);
    if (b.array[0] !== 0 || pool.stats().reuses !== 1) throw new Error("not zeroed or not reused");
  },
  "shared memory arrays when the page is cross-origin isolated": () => {
    if (typeof SharedArrayBuffer === "undefined") return; // not isolated: nothing to check
    if (!zeros([4], { shared: true }).isShared) throw new Error("not shared");
  },
  "WasmHeap: SIMD sum, dot and add give the JavaScript kernels' bits": () => {
    using heap = new WasmHeap({ bytes: 2 ** 20 });
    using x = zeros([20_000], { allocator: heap });
    using y = zeros([20_000], { allocator: heap });
    for (let i = 0; i < x.size; i++) {
      x.set(i, 1 / (i + 1));
      y.set(i, Math.sin(i));
    }
    const px = new NDArray(
      Float64Array.from(x.data.subarray(x.offset, x.offset + x.size) as Float64Array),
    );
    const py = new NDArray(
      Float64Array.from(y.data.subarray(y.offset, y.offset + y.size) as Float64Array),
    );
    if (!Object.is(sum(x), sum(px))) throw new Error(`sum ${sum(x)} vs ${sum(px)}`);
    if (!Object.is(dot(x, y), dot(px, py))) throw new Error(`dot ${dot(x, y)} vs ${dot(px, py)}`);
    using z = add(x, y, { allocator: heap });
    if (!Object.is(sum(z), sum(add(px, py)))) throw new Error("add differs");
    if (heap.stats().blocks !== 3) throw new Error(`blocks ${heap.stats().blocks}`);
  },
};
