import type { DType } from "../dtype.ts";
import { castScalar } from "../dtype.ts";
import type { NDArray } from "../ndarray.ts";
import { broadcastStrides, iterate } from "./shape.ts";

type Big = BigInt64Array | BigUint64Array;
type Num = Float64Array;

/**
 * Copies `src` (broadcast to `dst.shape`) into `dst`, converting values with the unsafe casting
 * rules. The caller has checked shapes, casting and writability. Overlapping memory is handled by
 * copying `src` out first when it shares a buffer with `dst` but is not the same view.
 */
export function copyInto(src: NDArray, dst: NDArray): void {
  let from = src;
  if (sharesMemory(src, dst) && !sameView(src, dst)) from = src.compact();
  const sStrides = broadcastStrides(from.shape, from.strides, dst.shape);
  const conv = converter(from.dtype, dst.dtype);
  const s = from.data as unknown as Num;
  const d = dst.data as unknown as Num;
  iterate(dst.shape, [sStrides, dst.strides], [from.offset, dst.offset], (o, n, st) => {
    let ps = o[0]!;
    let pd = o[1]!;
    const ss = st[0]!;
    const sd = st[1]!;
    if (conv === undefined) {
      if (ss === 1 && sd === 1) {
        if (s === d && ps === pd) return;
        d.set(s.subarray(ps, ps + n), pd);
        return;
      }
      for (let i = 0; i < n; i++) {
        d[pd] = s[ps]!;
        ps += ss;
        pd += sd;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      (d as unknown as Big)[pd] = conv((s as unknown as Big)[ps]!) as bigint;
      ps += ss;
      pd += sd;
    }
  });
}

/** A value converter when the typed arrays cannot assign to each other directly. */
function converter(from: DType, to: DType): ((v: number | bigint) => number | bigint) | undefined {
  const fb = from === "bigint64" || from === "biguint64";
  const tb = to === "bigint64" || to === "biguint64";
  if (fb === tb) return undefined; // typed-array assignment converts (wrapping for bigints)
  if (tb) return (v) => castScalar(v, to);
  return (v) => Number(v);
}

/**
 * Whether two arrays may touch the same bytes: the same underlying buffer and overlapping byte
 * ranges (arrays that an arena allocator such as `WasmHeap` placed side by side do not).
 */
export function sharesMemory(a: NDArray, b: NDArray): boolean {
  if (a.data.buffer !== b.data.buffer) return false;
  if (a.size === 0 || b.size === 0) return false;
  const [alo, ahi] = byteExtent(a);
  const [blo, bhi] = byteExtent(b);
  return alo < bhi && blo < ahi;
}

/** The bytes [lo, hi) of the underlying buffer that a non-empty array's elements occupy. */
function byteExtent(a: NDArray): [number, number] {
  let lo = a.offset;
  let hi = a.offset;
  for (let i = 0; i < a.shape.length; i++) {
    const span = a.strides[i]! * (a.shape[i]! - 1);
    if (span < 0) lo += span;
    else hi += span;
  }
  const bpe = a.data.BYTES_PER_ELEMENT;
  return [a.data.byteOffset + lo * bpe, a.data.byteOffset + (hi + 1) * bpe];
}

/** Whether two arrays are the same view of the same memory element for element. */
export function sameView(a: NDArray, b: NDArray): boolean {
  if (a.data.buffer !== b.data.buffer || a.dtype !== b.dtype) return false;
  if (
    a.data.byteOffset + a.offset * a.data.BYTES_PER_ELEMENT !==
    b.data.byteOffset + b.offset * b.data.BYTES_PER_ELEMENT
  )
    return false;
  if (a.shape.length !== b.shape.length) return false;
  for (let i = 0; i < a.shape.length; i++) {
    if (a.shape[i] !== b.shape[i]) return false;
    if (a.shape[i] !== 1 && a.strides[i] !== b.strides[i]) return false;
  }
  return true;
}
