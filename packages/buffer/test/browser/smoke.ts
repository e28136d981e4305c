// Browser behaviour checks of the main entry (run in headless Chromium by tooling/browser-check).
import {
  add,
  arange,
  BufferError,
  BufferPool,
  GrowableBuffer,
  matmul,
  sum,
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
};
