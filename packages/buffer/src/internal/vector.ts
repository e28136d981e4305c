/**
 * Vector kernels over (data, offset, count, stride): the pairwise dot product (same tree as the
 * sums of kernels.ts), axpy, arg-extremes and bigint sums. Operands of one class run the loops of
 * kernels.generated.ts; the generic loops below serve mixed classes (e.g. dot of int32 and
 * float64) and bigints.
 */
import { BLOCK, CHUNK, INDEX_LIMIT, kernelsOf, type NumArray } from "./kernels.ts";
import { wasmOf } from "./wasm-registry.ts";

/** The generic pairwise dot product of n <= 8192 elements (operands of different classes). */
function dotBlock(
  x: NumArray,
  ox: number,
  sx: number,
  y: NumArray,
  oy: number,
  sy: number,
  n: number,
): number {
  if (n < 8) {
    let r = -0;
    for (let i = 0; i < n; i++) r += x[ox + i * sx]! * y[oy + i * sy]!;
    return r;
  }
  if (n <= BLOCK) {
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    let r4 = 0;
    let r5 = 0;
    let r6 = 0;
    let r7 = 0;
    const m = n - (n & 7);
    if (sx === 1 && sy === 1) {
      const d = oy - ox;
      const e = ox + m;
      for (let p = ox; p < e; p += 8) {
        r0 += x[p]! * y[p + d]!;
        r1 += x[p + 1]! * y[p + d + 1]!;
        r2 += x[p + 2]! * y[p + d + 2]!;
        r3 += x[p + 3]! * y[p + d + 3]!;
        r4 += x[p + 4]! * y[p + d + 4]!;
        r5 += x[p + 5]! * y[p + d + 5]!;
        r6 += x[p + 6]! * y[p + d + 6]!;
        r7 += x[p + 7]! * y[p + d + 7]!;
      }
    } else {
      let px = ox;
      let py = oy;
      for (let i = 0; i < m; i += 8) {
        r0 += x[px]! * y[py]!;
        r1 += x[px + sx]! * y[py + sy]!;
        r2 += x[px + 2 * sx]! * y[py + 2 * sy]!;
        r3 += x[px + 3 * sx]! * y[py + 3 * sy]!;
        r4 += x[px + 4 * sx]! * y[py + 4 * sy]!;
        r5 += x[px + 5 * sx]! * y[py + 5 * sy]!;
        r6 += x[px + 6 * sx]! * y[py + 6 * sy]!;
        r7 += x[px + 7 * sx]! * y[py + 7 * sy]!;
        px += 8 * sx;
        py += 8 * sy;
      }
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (let i = m; i < n; i++) res += x[ox + i * sx]! * y[oy + i * sy]!;
    return res;
  }
  let n2 = n >>> 1;
  n2 -= n2 & 7;
  return (
    dotBlock(x, ox, sx, y, oy, sy, n2) + dotBlock(x, ox + n2 * sx, sx, y, oy + n2 * sy, sy, n - n2)
  );
}

/** Pairwise-summed dot product of two strided vectors of length n. */
export function dotPairwise(
  x: NumArray,
  ox: number,
  sx: number,
  y: NumArray,
  oy: number,
  sy: number,
  n: number,
): number {
  const W = sx === 1 && sy === 1 ? wasmOf(x) : undefined;
  if (W !== undefined && wasmOf(y) === W)
    return W.dotAll(x.byteOffset + ox * 8, y.byteOffset + oy * 8, n); // this whole tree, in SIMD
  const K = kernelsOf(x);
  const same = K === kernelsOf(y);
  const block = same ? K.dot : dotBlock;
  if (n <= CHUNK) return 0 + block(x, ox, sx, y, oy, sy, n);
  const stack: number[] = [];
  let count = 0;
  const chunks = Math.floor(n / CHUNK);
  const scratch = new Float64Array(8);
  const unit = same && sx === 1 && sy === 1;
  for (let c = 0; c < chunks; c++) {
    const px = ox + c * CHUNK * sx;
    const py = oy + c * CHUNK * sy;
    let v: number;
    if (!unit) v = block(x, px, sx, y, py, sy, CHUNK);
    else if (px === py && px + CHUNK <= INDEX_LIMIT) v = K.dotChunk(x, y, px, scratch);
    else v = K.dotChunk(x.subarray(px, px + CHUNK), y.subarray(py, py + CHUNK), 0, scratch);
    count++;
    for (let k = count; (k & 1) === 0; k >>>= 1) v = stack.pop()! + v;
    stack.push(v);
  }
  let res = stack.pop()!;
  while (stack.length > 0) res = stack.pop()! + res;
  const done = chunks * CHUNK;
  if (done < n) res += block(x, ox + done * sx, sx, y, oy + done * sy, sy, n - done);
  return 0 + res;
}

/** y[i] += alpha * x[i] over n strided elements. */
export function axpyKernel(
  alpha: number,
  x: NumArray,
  ox: number,
  sx: number,
  y: NumArray,
  oy: number,
  sy: number,
  n: number,
): void {
  const W = sx === 1 && sy === 1 ? wasmOf(y) : undefined;
  if (W !== undefined && wasmOf(x) === W) {
    W.axpy(alpha, x.byteOffset + ox * 8, y.byteOffset + oy * 8, n);
    return;
  }
  const K = kernelsOf(y);
  if (K.axpy !== undefined && K === kernelsOf(x)) K.axpy(alpha, x, ox, sx, y, oy, sy, n);
  else axpyGeneric(alpha, x, ox, sx, y, oy, sy, n);
}

/** {@link axpyKernel} for x and y of different classes. */
function axpyGeneric(
  alpha: number,
  x: NumArray,
  ox: number,
  sx: number,
  y: NumArray,
  oy: number,
  sy: number,
  n: number,
): void {
  if (sx === 1 && sy === 1) {
    // Backwards and unrolled: V8 runs this form ~1.5x faster than a forward loop over offsets.
    let i = n - 4;
    for (; i >= 0; i -= 4) {
      y[oy + i + 3] += alpha * x[ox + i + 3]!;
      y[oy + i + 2] += alpha * x[ox + i + 2]!;
      y[oy + i + 1] += alpha * x[ox + i + 1]!;
      y[oy + i] += alpha * x[ox + i]!;
    }
    for (i += 3; i >= 0; i--) y[oy + i] += alpha * x[ox + i]!;
    return;
  }
  let px = ox;
  let py = oy;
  for (let i = 0; i < n; i++) {
    y[py] += alpha * x[px]!;
    px += sx;
    py += sy;
  }
}

/** Index of the minimum (or maximum) of n strided elements; the first NaN wins, as in NumPy. */
export function argExtreme(
  x: NumArray | BigInt64Array | BigUint64Array,
  o: number,
  n: number,
  s: number,
  max: boolean,
): number {
  if (x instanceof BigInt64Array || x instanceof BigUint64Array)
    return argExtremeBig(x, o, n, s, max);
  return kernelsOf(x).argExtreme(x, o, n, s, max);
}

/** {@link argExtreme} of bigints. */
function argExtremeBig(
  x: BigInt64Array | BigUint64Array,
  o: number,
  n: number,
  s: number,
  max: boolean,
): number {
  let best = x[o]!;
  let at = 0;
  let p = o + s;
  for (let i = 1; i < n; i++) {
    const v = x[p]!;
    if (max ? v > best : v < best) {
      best = v;
      at = i;
    }
    p += s;
  }
  return at;
}

/** Bigint sum of n strided elements, wrapped to 64 bits as the storage dtype wraps. */
export function sumBig(
  x: BigInt64Array | BigUint64Array,
  o: number,
  n: number,
  s: number,
  signed: boolean,
): bigint {
  let acc = 0n;
  let p = o;
  for (let i = 0; i < n; i++) {
    acc += x[p]!;
    p += s;
  }
  return signed ? BigInt.asIntN(64, acc) : BigInt.asUintN(64, acc);
}
