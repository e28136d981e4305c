/**
 * One-dimensional numeric kernels over (data, offset, count, stride) in elements: the drivers. The
 * element loops live in kernels.generated.ts, one copy per typed-array class (see
 * scripts/generate-kernels.mjs for why), and are picked here by {@link kernelsOf}.
 *
 * Summation is pairwise, with NumPy's exact tree below {@link CHUNK} elements (blocks of at most
 * 128 elements summed with 8 independent accumulators, halves split at multiples of 8), so a
 * contiguous float64 sum of up to 8192 elements is bit-for-bit NumPy's. Above that, NumPy sums
 * 8192-element buffers one after another (its error grows linearly in the number of buffers);
 * here the 8192-element chunk sums are themselves combined pairwise (a binary counter), so the
 * error bound stays O(log n). The 8 independent accumulators also break the one long chain of
 * dependent additions that makes a plain loop latency-bound, which is where the speed comes from.
 */
import {
  KERNELS_F32,
  KERNELS_F64,
  KERNELS_I8,
  KERNELS_I16,
  KERNELS_I32,
  KERNELS_U8,
  KERNELS_U16,
  KERNELS_U32,
} from "./kernels.generated.ts";
import type { UnaryName } from "./unary.ts";
import { wasmOf } from "./wasm-registry.ts";

/** Any typed array whose elements read as numbers. */
export type NumArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/** NumPy's PW_BLOCKSIZE. */
export const BLOCK = 128;
/** NumPy's default reduction buffer size; below it our tree is NumPy's. */
export const CHUNK = 8192;
/**
 * Unit-stride loops mask their offsets to 30 bits so that V8 compiles `x[o + 7]` without overflow
 * checks (measured ~15 % faster); the drivers keep every such call below this index by calling on
 * a `subarray` when needed (only arrays of more than 2^30 elements reach it).
 */
export const INDEX_LIMIT = 2 ** 30;

/** The element loops of one typed-array class (kernels.generated.ts). @internal */
export interface Kernels<A> {
  pwUnit(x: A, o: number, n: number): number;
  pwStrided(x: A, o: number, n: number, s: number): number;
  chunkUnit(x: A, o: number, stack: Float64Array): number;
  chunkStrided(x: A, o: number, s: number, stack: Float64Array): number;
  kahan(x: A, o: number, n: number, s: number): number;
  sqdev(x: A, o: number, n: number, s: number, mean: number): number;
  sqdevKahan(x: A, o: number, n: number, s: number, mean: number): number;
  argExtreme(x: A, o: number, n: number, s: number, max: boolean): number;
  dot(x: A, ox: number, sx: number, y: A, oy: number, sy: number, n: number): number;
  dotChunk(x: A, y: A, o: number, stack: Float64Array): number;
  row(x: A, p: number, t: number, into: Float64Array, lanes: number, add: boolean): void;
  rowSqDev(
    x: A,
    p: number,
    t: number,
    into: Float64Array,
    lanes: number,
    add: boolean,
    means: Float64Array,
  ): void;
  add: BinaryLoop<A>;
  subtract: BinaryLoop<A>;
  multiply: BinaryLoop<A>;
  /** Float classes only (integer division gives float64, another class). */
  divide: BinaryLoop<A> | undefined;
  maximum: BinaryLoop<A>;
  minimum: BinaryLoop<A>;
  /** Float classes only. */
  unary:
    | ((
        name: UnaryName,
        x: A,
        px: number,
        sx: number,
        o: A,
        po: number,
        so: number,
        n: number,
      ) => void)
    | undefined;
  /** Float classes only. */
  axpy:
    | ((
        alpha: number,
        x: A,
        ox: number,
        sx: number,
        y: A,
        oy: number,
        sy: number,
        n: number,
      ) => void)
    | undefined;
}

/** o[i] = a[i] op b[i] over n strided elements. */
export type BinaryLoop<A> = (
  a: A,
  pa: number,
  sa: number,
  b: A,
  pb: number,
  sb: number,
  o: A,
  po: number,
  so: number,
  n: number,
) => void;

/**
 * The kernels of `x`'s class. Every call site of a kernel then sees one class, whatever else the
 * process computes with (the dispatch itself is a handful of `instanceof` checks per call).
 */
export function kernelsOf(x: NumArray): Kernels<NumArray> {
  let k: unknown;
  if (x instanceof Float64Array) k = KERNELS_F64;
  else if (x instanceof Float32Array) k = KERNELS_F32;
  else if (x instanceof Int32Array) k = KERNELS_I32;
  else if (x instanceof Uint8Array) k = KERNELS_U8;
  else if (x instanceof Int16Array) k = KERNELS_I16;
  else if (x instanceof Uint16Array) k = KERNELS_U16;
  else if (x instanceof Int8Array) k = KERNELS_I8;
  else if (x instanceof Uint32Array) k = KERNELS_U32;
  else throw new TypeError(`no number kernels for ${Object.prototype.toString.call(x)}`);
  return k as Kernels<NumArray>;
}

/** pwUnit on a run that may lie past {@link INDEX_LIMIT}. */
function unitSmall(K: Kernels<NumArray>, x: NumArray, o: number, n: number): number {
  return o + n <= INDEX_LIMIT ? K.pwUnit(x, o, n) : K.pwUnit(x.subarray(o, o + n), 0, n);
}

/** chunkUnit on a chunk that may lie past {@link INDEX_LIMIT}. */
function unitChunk(K: Kernels<NumArray>, x: NumArray, o: number, stack: Float64Array): number {
  return o + CHUNK <= INDEX_LIMIT
    ? K.chunkUnit(x, o, stack)
    : K.chunkUnit(x.subarray(o, o + CHUNK), 0, stack);
}

/**
 * Pairwise sum of `n` elements of `x` starting at `o`, `s` apart (s may be negative or 0).
 * An empty sum is 0 (NumPy adds to an initial 0, so a lone -0 also sums to 0).
 */
export function sumPairwise(x: NumArray, o: number, n: number, s: number): number {
  const W = wasmOf(x);
  // The SIMD kernel runs this function's whole tree (chunks and binary counter): the same bits.
  if (W !== undefined) return W.sumAll(x.byteOffset + o * 8, n, s * 8);
  const K = kernelsOf(x);
  if (n < CHUNK) return 0 + (s === 1 ? unitSmall(K, x, o, n) : K.pwStrided(x, o, n, s));
  const scratch = new Float64Array(8);
  const stack: number[] = [];
  const chunks = Math.floor(n / CHUNK);
  let p = o;
  const step = CHUNK * s;
  for (let c = 0; c < chunks; c++) {
    let v = s === 1 ? unitChunk(K, x, p, scratch) : K.chunkStrided(x, p, s, scratch);
    p += step;
    for (let k = c + 1; (k & 1) === 0; k >>>= 1) v = stack.pop()! + v;
    stack.push(v);
  }
  let res = stack.pop()!;
  while (stack.length > 0) res = stack.pop()! + res;
  const rest = n - chunks * CHUNK;
  if (rest > 0) res += s === 1 ? unitSmall(K, x, p, rest) : K.pwStrided(x, p, rest, s);
  return 0 + res;
}

/**
 * Kahan–Babuška–Neumaier compensated sum (stdlib's `dsumkbn`): error independent of n, but one
 * dependent chain of additions, so several times slower than {@link sumPairwise}.
 */
export function sumKahan(x: NumArray, o: number, n: number, s: number): number {
  return kernelsOf(x).kahan(x, o, n, s);
}

/** Pairwise sum of squared deviations from `mean` (the second pass of a two-pass variance). */
export function sumSqDevPairwise(
  x: NumArray,
  o: number,
  n: number,
  s: number,
  mean: number,
): number {
  const K = kernelsOf(x);
  if (n <= CHUNK) return 0 + K.sqdev(x, o, n, s, mean);
  const stack: number[] = [];
  let count = 0;
  const chunks = Math.floor(n / CHUNK);
  for (let c = 0; c < chunks; c++) {
    let v = K.sqdev(x, o + c * CHUNK * s, CHUNK, s, mean);
    count++;
    for (let k = count; (k & 1) === 0; k >>>= 1) v = stack.pop()! + v;
    stack.push(v);
  }
  let res = stack.pop()!;
  while (stack.length > 0) res = stack.pop()! + res;
  const done = chunks * CHUNK;
  if (done < n) res += K.sqdev(x, o + done * s, n - done, s, mean);
  return 0 + res;
}

/** Kahan–Babuška–Neumaier sum of squared deviations from `mean`. */
export function sumSqDevKahan(x: NumArray, o: number, n: number, s: number, mean: number): number {
  return kernelsOf(x).sqdevKahan(x, o, n, s, mean);
}
