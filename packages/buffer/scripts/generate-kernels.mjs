#!/usr/bin/env node
/**
 * Writes src/internal/kernels.generated.ts: the element loops of the package, once per typed-array
 * class (NumPy does the same with its `.c.src` templates).
 *
 * Why copies: V8 keeps type feedback per function *literal*. One loop shared by eight typed-array
 * classes sees eight receiver maps at every `x[i]`, turns megamorphic and runs 5-20x slower for
 * every dtype once a process has used a few of them (measured: bench/mixed-dtypes.bench.ts).
 * Closures made by a factory do not help: closures of one literal share their feedback. So each
 * class gets its own literals, written out here at build time (no `eval`, no `new Function`).
 *
 *   node scripts/generate-kernels.mjs          # rewrite the file
 *   node scripts/generate-kernels.mjs --check  # exit 1 when the file is stale (the tests run this)
 *
 * The templates are TypeScript with `$A` for the array type and `$T` for the class tag.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PKG = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(PKG, "src", "internal", "kernels.generated.ts");

/** The classes: tag, array type, float?, integer product needing Math.imul? */
export const CLASSES = [
  { tag: "F64", type: "Float64Array", float: true, imul: false },
  { tag: "F32", type: "Float32Array", float: true, imul: false },
  { tag: "I32", type: "Int32Array", float: false, imul: true },
  { tag: "U32", type: "Uint32Array", float: false, imul: true },
  { tag: "I16", type: "Int16Array", float: false, imul: false },
  { tag: "U16", type: "Uint16Array", float: false, imul: false },
  { tag: "I8", type: "Int8Array", float: false, imul: false },
  { tag: "U8", type: "Uint8Array", float: false, imul: false },
];

// ---------------------------------------------------------------------------------------------
// Reductions (NumPy's pairwise tree: blocks of at most 128 summed with 8 accumulators, halves
// split at multiples of 8; an 8192-element chunk is the perfect tree over 64 blocks of 128).
// ---------------------------------------------------------------------------------------------

const SUMS = `
/** Pairwise sum of n <= 8192 unit-stride elements from o (callers keep o + n <= 2^30). */
function pwUnit$T(x: $A, o: number, n: number): number {
  // The masks change no value the callers pass; they tell V8 that o + 7 fits in an int32.
  o &= 0x3fffffff;
  n &= 0x3fff;
  if (n < 8) {
    let r = -0;
    for (let i = 0; i < n; i++) r += x[o + i]!;
    return r;
  }
  if (n <= 128) {
    let r0 = x[o]!;
    let r1 = x[o + 1]!;
    let r2 = x[o + 2]!;
    let r3 = x[o + 3]!;
    let r4 = x[o + 4]!;
    let r5 = x[o + 5]!;
    let r6 = x[o + 6]!;
    let r7 = x[o + 7]!;
    const m = o + n - (n & 7);
    let p = o + 8;
    for (; p < m; p += 8) {
      r0 += x[p]!;
      r1 += x[p + 1]!;
      r2 += x[p + 2]!;
      r3 += x[p + 3]!;
      r4 += x[p + 4]!;
      r5 += x[p + 5]!;
      r6 += x[p + 6]!;
      r7 += x[p + 7]!;
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    const e = o + n;
    for (; p < e; p++) res += x[p]!;
    return res;
  }
  let n2 = n >>> 1;
  n2 -= n2 & 7;
  return pwUnit$T(x, o, n2) + pwUnit$T(x, o + n2, n - n2);
}

/** Pairwise sum of n <= 8192 elements from o, s apart (any sign). */
function pwStrided$T(x: $A, o: number, n: number, s: number): number {
  if (n < 8) {
    let r = -0;
    for (let i = 0; i < n; i++) r += x[o + i * s]!;
    return r;
  }
  if (n <= 128) {
    const s2 = 2 * s;
    const s3 = 3 * s;
    const s4 = 4 * s;
    const s5 = 5 * s;
    const s6 = 6 * s;
    const s7 = 7 * s;
    const s8 = 8 * s;
    let r0 = x[o]!;
    let r1 = x[o + s]!;
    let r2 = x[o + s2]!;
    let r3 = x[o + s3]!;
    let r4 = x[o + s4]!;
    let r5 = x[o + s5]!;
    let r6 = x[o + s6]!;
    let r7 = x[o + s7]!;
    const blocks = n >>> 3;
    let p = o + s8;
    for (let b = 1; b < blocks; b++) {
      r0 += x[p]!;
      r1 += x[p + s]!;
      r2 += x[p + s2]!;
      r3 += x[p + s3]!;
      r4 += x[p + s4]!;
      r5 += x[p + s5]!;
      r6 += x[p + s6]!;
      r7 += x[p + s7]!;
      p += s8;
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (let i = blocks << 3; i < n; i++) res += x[o + i * s]!;
    return res;
  }
  let n2 = n >>> 1;
  n2 -= n2 & 7;
  return pwStrided$T(x, o, n2, s) + pwStrided$T(x, o + n2 * s, n - n2, s);
}

/**
 * Pairwise sum of exactly 8192 unit-stride elements from o (o + 8192 <= 2^30): the 64 blocks of
 * 128 in order, combined with a binary counter on \`stack\`, the same bits as the recursion.
 */
function chunkUnit$T(x: $A, o: number, stack: Float64Array): number {
  o &= 0x3fffffff;
  let sp = 0;
  for (let b = 0; b < 64; b++) {
    const p0 = o + b * 128;
    let r0 = x[p0]!;
    let r1 = x[p0 + 1]!;
    let r2 = x[p0 + 2]!;
    let r3 = x[p0 + 3]!;
    let r4 = x[p0 + 4]!;
    let r5 = x[p0 + 5]!;
    let r6 = x[p0 + 6]!;
    let r7 = x[p0 + 7]!;
    const e = p0 + 128;
    for (let p = p0 + 8; p < e; p += 8) {
      r0 += x[p]!;
      r1 += x[p + 1]!;
      r2 += x[p + 2]!;
      r3 += x[p + 3]!;
      r4 += x[p + 4]!;
      r5 += x[p + 5]!;
      r6 += x[p + 6]!;
      r7 += x[p + 7]!;
    }
    let v = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (let k = b + 1; (k & 1) === 0; k >>>= 1) v = stack[--sp]! + v;
    stack[sp++] = v;
  }
  return stack[0]!;
}

/** {@link chunkUnit$T} over 8192 elements s apart (any sign). */
function chunkStrided$T(x: $A, o: number, s: number, stack: Float64Array): number {
  const s2 = 2 * s;
  const s3 = 3 * s;
  const s4 = 4 * s;
  const s5 = 5 * s;
  const s6 = 6 * s;
  const s7 = 7 * s;
  const s8 = 8 * s;
  let sp = 0;
  let p = o;
  for (let b = 0; b < 64; b++) {
    let r0 = x[p]!;
    let r1 = x[p + s]!;
    let r2 = x[p + s2]!;
    let r3 = x[p + s3]!;
    let r4 = x[p + s4]!;
    let r5 = x[p + s5]!;
    let r6 = x[p + s6]!;
    let r7 = x[p + s7]!;
    p += s8;
    for (let i = 1; i < 16; i++) {
      r0 += x[p]!;
      r1 += x[p + s]!;
      r2 += x[p + s2]!;
      r3 += x[p + s3]!;
      r4 += x[p + s4]!;
      r5 += x[p + s5]!;
      r6 += x[p + s6]!;
      r7 += x[p + s7]!;
      p += s8;
    }
    let v = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (let k = b + 1; (k & 1) === 0; k >>>= 1) v = stack[--sp]! + v;
    stack[sp++] = v;
  }
  return stack[0]!;
}

/** Kahan-Babuska-Neumaier sum of n elements s apart. */
function kahan$T(x: $A, o: number, n: number, s: number): number {
  let sum = 0;
  let c = 0;
  let p = o;
  for (let i = 0; i < n; i++) {
    const v = x[p]!;
    const t = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) c += sum - t + v;
    else c += v - t + sum;
    sum = t;
    p += s;
  }
  return sum + c;
}

/** Pairwise sum of squared deviations from mean, n <= 8192 elements s apart. */
function sqdev$T(x: $A, o: number, n: number, s: number, mean: number): number {
  if (n < 8) {
    let r = -0;
    for (let i = 0; i < n; i++) {
      const d = x[o + i * s]! - mean;
      r += d * d;
    }
    return r;
  }
  if (n <= 128) {
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    let r4 = 0;
    let r5 = 0;
    let r6 = 0;
    let r7 = 0;
    const m = n - (n & 7);
    const s8 = 8 * s;
    let p = o;
    for (let i = 0; i < m; i += 8) {
      const d0 = x[p]! - mean;
      const d1 = x[p + s]! - mean;
      const d2 = x[p + 2 * s]! - mean;
      const d3 = x[p + 3 * s]! - mean;
      const d4 = x[p + 4 * s]! - mean;
      const d5 = x[p + 5 * s]! - mean;
      const d6 = x[p + 6 * s]! - mean;
      const d7 = x[p + 7 * s]! - mean;
      r0 += d0 * d0;
      r1 += d1 * d1;
      r2 += d2 * d2;
      r3 += d3 * d3;
      r4 += d4 * d4;
      r5 += d5 * d5;
      r6 += d6 * d6;
      r7 += d7 * d7;
      p += s8;
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (let i = m; i < n; i++) {
      const d = x[o + i * s]! - mean;
      res += d * d;
    }
    return res;
  }
  let n2 = n >>> 1;
  n2 -= n2 & 7;
  return sqdev$T(x, o, n2, s, mean) + sqdev$T(x, o + n2 * s, n - n2, s, mean);
}

/** Kahan-Babuska-Neumaier sum of squared deviations from mean. */
function sqdevKahan$T(x: $A, o: number, n: number, s: number, mean: number): number {
  let sum = 0;
  let c = 0;
  let p = o;
  for (let i = 0; i < n; i++) {
    const d = x[p]! - mean;
    const v = d * d;
    const t = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) c += sum - t + v;
    else c += v - t + sum;
    sum = t;
    p += s;
  }
  return sum + c;
}

/** Index of the minimum (or maximum) of n elements s apart; the first NaN wins, as in NumPy. */
function argExtreme$T(x: $A, o: number, n: number, s: number, max: boolean): number {
  let best = x[o]!;
  if (Number.isNaN(best)) return 0;
  let at = 0;
  let p = o + s;
  if (max) {
    for (let i = 1; i < n; i++, p += s) {
      const v = x[p]!;
      if (v > best) {
        best = v;
        at = i;
      } else if (Number.isNaN(v)) return i;
    }
  } else {
    for (let i = 1; i < n; i++, p += s) {
      const v = x[p]!;
      if (v < best) {
        best = v;
        at = i;
      } else if (Number.isNaN(v)) return i;
    }
  }
  return at;
}
`;

// ---------------------------------------------------------------------------------------------
// Dot products of two arrays of the same class (same tree as the sums).
// ---------------------------------------------------------------------------------------------

const DOTS = `
/** Pairwise dot product of n <= 8192 elements, x and y strided independently. */
function dot$T(x: $A, ox: number, sx: number, y: $A, oy: number, sy: number, n: number): number {
  if (n < 8) {
    let r = -0;
    for (let i = 0; i < n; i++) r += x[ox + i * sx]! * y[oy + i * sy]!;
    return r;
  }
  if (n <= 128) {
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
      let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
      for (let i = m; i < n; i++) res += x[ox + i]! * y[oy + i]!;
      return res;
    }
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
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (let i = m; i < n; i++) res += x[ox + i * sx]! * y[oy + i * sy]!;
    return res;
  }
  let n2 = n >>> 1;
  n2 -= n2 & 7;
  return dot$T(x, ox, sx, y, oy, sy, n2) + dot$T(x, ox + n2 * sx, sx, y, oy + n2 * sy, sy, n - n2);
}

/**
 * Pairwise dot product of x[o..o+8192) and y[o..o+8192) (o + 8192 <= 2^30): one index for both
 * arrays keeps V8 from spilling registers (two offsets measured ~5 % slower).
 */
function dotChunk$T(x: $A, y: $A, o: number, stack: Float64Array): number {
  o &= 0x3fffffff;
  let sp = 0;
  for (let b = 0; b < 64; b++) {
    const p0 = o + b * 128;
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    let r4 = 0;
    let r5 = 0;
    let r6 = 0;
    let r7 = 0;
    const e = p0 + 128;
    for (let p = p0; p < e; p += 8) {
      r0 += x[p]! * y[p]!;
      r1 += x[p + 1]! * y[p + 1]!;
      r2 += x[p + 2]! * y[p + 2]!;
      r3 += x[p + 3]! * y[p + 3]!;
      r4 += x[p + 4]! * y[p + 4]!;
      r5 += x[p + 5]! * y[p + 5]!;
      r6 += x[p + 6]! * y[p + 6]!;
      r7 += x[p + 7]! * y[p + 7]!;
    }
    let v = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (let k = b + 1; (k & 1) === 0; k >>>= 1) v = stack[--sp]! + v;
    stack[sp++] = v;
  }
  return stack[0]!;
}
`;

// ---------------------------------------------------------------------------------------------
// Row operations of the blocked axis reduction (lanes read row after row).
// ---------------------------------------------------------------------------------------------

const ROWS = `
/** into[k] (=|+=) x[p + k*t] for k < lanes. */
function row$T(x: $A, p: number, t: number, into: Float64Array, lanes: number, add: boolean): void {
  if (t === 1) {
    if (add) for (let k = 0; k < lanes; k++) into[k]! += x[p + k]!;
    else for (let k = 0; k < lanes; k++) into[k] = x[p + k]!;
  } else if (add) for (let k = 0; k < lanes; k++, p += t) into[k]! += x[p]!;
  else for (let k = 0; k < lanes; k++, p += t) into[k] = x[p]!;
}

/** into[k] (=|+=) (x[p + k*t] - means[k])^2 for k < lanes. */
function rowSqDev$T(
  x: $A,
  p: number,
  t: number,
  into: Float64Array,
  lanes: number,
  add: boolean,
  means: Float64Array,
): void {
  for (let k = 0; k < lanes; k++, p += t) {
    const d = x[p]! - means[k]!;
    if (add) into[k]! += d * d;
    else into[k] = d * d;
  }
}
`;

// ---------------------------------------------------------------------------------------------
// Elementwise arithmetic, all three arrays of the class. Unit strides run backwards, unrolled by
// 4 (the form V8 compiled fastest for loops that store, measured in bench/kernels.bench.ts).
// ---------------------------------------------------------------------------------------------

function binaryTemplate(name, expr) {
  const e = (i) =>
    expr
      .replaceAll("A", `a[pa + ${i}]!`)
      .replaceAll("B", `b[pb + ${i}]!`)
      .replaceAll("+ i + 0", "+ i");
  const v = (j) => expr.replaceAll("A", `va[${j}]!`).replaceAll("B", `vb[${j}]!`);
  const s = expr.replaceAll("A", "a[pa]!").replaceAll("B", "b[pb]!");
  return `
/** o = ${expr.replaceAll("A", "a").replaceAll("B", "b")} over n elements (any strides). */
function ${name}$T(
  a: $A,
  pa: number,
  sa: number,
  b: $A,
  pb: number,
  sb: number,
  o: $A,
  po: number,
  so: number,
  n: number,
): void {
  if (sa === 1 && sb === 1 && so === 1) {
    // Blocks of 8192 through fresh views indexed from 0, forwards; the rest backwards over
    // offsets. The two forms V8 ran fastest here (a forward loop over offsets was ~1.5x slower).
    let done = 0;
    for (; done + 8192 <= n; done += 8192) {
      const va = a.subarray(pa + done, pa + done + 8192);
      const vb = b.subarray(pb + done, pb + done + 8192);
      const vo = o.subarray(po + done, po + done + 8192);
      for (let j = 0; j < 8192; j += 4) {
        vo[j] = ${v("j")};
        vo[j + 1] = ${v("j + 1")};
        vo[j + 2] = ${v("j + 2")};
        vo[j + 3] = ${v("j + 3")};
      }
    }
    pa += done;
    pb += done;
    po += done;
    let i = n - done - 4;
    for (; i >= 0; i -= 4) {
      o[po + i + 3] = ${e("i + 3")};
      o[po + i + 2] = ${e("i + 2")};
      o[po + i + 1] = ${e("i + 1")};
      o[po + i] = ${e("i + 0")};
    }
    for (i += 3; i >= 0; i--) o[po + i] = ${e("i + 0")};
    return;
  }
  for (let i = 0; i < n; i++, pa += sa, pb += sb, po += so) o[po] = ${s};
}
`;
}

function extremeTemplate(name, cmp) {
  return `
/** o = ${name}(a, b) over n elements (any strides); NaN propagates from either side, as in NumPy. */
function ${name}$T(
  a: $A,
  pa: number,
  sa: number,
  b: $A,
  pb: number,
  sb: number,
  o: $A,
  po: number,
  so: number,
  n: number,
): void {
  for (let i = 0; i < n; i++, pa += sa, pb += sb, po += so) {
    const x = a[pa]!;
    const y = b[pb]!;
    o[po] = x ${cmp} y || Number.isNaN(x) ? x : y;
  }
}
`;
}

// The unary functions of unary.ts, float classes only (integer input gives float64 for most of
// them: another class). Contiguous runs of the common ones get the Math call written out.
const UNARY_LOOP = `
/** o = name(x) over n elements (any strides), x and o of one float class. */
function unary$T(
  name: UnaryName,
  x: $A,
  px: number,
  sx: number,
  o: $A,
  po: number,
  so: number,
  n: number,
): void {
  if (sx === 1 && so === 1) {
    switch (name) {
      case "exp":
        for (let i = 0; i < n; i++) o[po + i] = Math.exp(x[px + i]!);
        return;
      case "log":
        for (let i = 0; i < n; i++) o[po + i] = Math.log(x[px + i]!);
        return;
      case "sqrt":
        for (let i = 0; i < n; i++) o[po + i] = Math.sqrt(x[px + i]!);
        return;
      case "sin":
        for (let i = 0; i < n; i++) o[po + i] = Math.sin(x[px + i]!);
        return;
      case "cos":
        for (let i = 0; i < n; i++) o[po + i] = Math.cos(x[px + i]!);
        return;
      case "tanh":
        for (let i = 0; i < n; i++) o[po + i] = Math.tanh(x[px + i]!);
        return;
      case "abs":
        for (let i = 0; i < n; i++) o[po + i] = Math.abs(x[px + i]!);
        return;
      case "negative":
        for (let i = 0; i < n; i++) o[po + i] = -x[px + i]!;
        return;
      case "square":
        for (let i = 0; i < n; i++) {
          const v = x[px + i]!;
          o[po + i] = v * v;
        }
        return;
      default:
        break;
    }
  }
  const f = UNARY[name].f;
  for (let i = 0; i < n; i++, px += sx, po += so) o[po] = f(x[px]!);
}
`;

const AXPY = `
/** y += alpha * x over n elements (any strides). */
function axpy$T(
  alpha: number,
  x: $A,
  ox: number,
  sx: number,
  y: $A,
  oy: number,
  sy: number,
  n: number,
): void {
  if (sx === 1 && sy === 1) {
    // As in the elementwise loops: 8192-element views forwards, the rest backwards.
    let done = 0;
    for (; done + 8192 <= n; done += 8192) {
      const vx = x.subarray(ox + done, ox + done + 8192);
      const vy = y.subarray(oy + done, oy + done + 8192);
      for (let j = 0; j < 8192; j += 4) {
        vy[j] += alpha * vx[j]!;
        vy[j + 1] += alpha * vx[j + 1]!;
        vy[j + 2] += alpha * vx[j + 2]!;
        vy[j + 3] += alpha * vx[j + 3]!;
      }
    }
    ox += done;
    oy += done;
    let i = n - done - 4;
    for (; i >= 0; i -= 4) {
      y[oy + i + 3] += alpha * x[ox + i + 3]!;
      y[oy + i + 2] += alpha * x[ox + i + 2]!;
      y[oy + i + 1] += alpha * x[ox + i + 1]!;
      y[oy + i] += alpha * x[ox + i]!;
    }
    for (i += 3; i >= 0; i--) y[oy + i] += alpha * x[ox + i]!;
    return;
  }
  for (let i = 0; i < n; i++, ox += sx, oy += sy) y[oy] += alpha * x[ox]!;
}
`;

function forClass(c) {
  const ops = [
    binaryTemplate("add", "A + B"),
    binaryTemplate("subtract", "A - B"),
    binaryTemplate("multiply", c.imul ? "Math.imul(A, B)" : "A * B"),
    extremeTemplate("maximum", ">="),
    extremeTemplate("minimum", "<="),
  ];
  if (c.float) ops.push(binaryTemplate("divide", "A / B"), AXPY, UNARY_LOOP);
  const fields = [
    "pwUnit",
    "pwStrided",
    "chunkUnit",
    "chunkStrided",
    "kahan",
    "sqdev",
    "sqdevKahan",
    "argExtreme",
    "dot",
    "dotChunk",
    "row",
    "rowSqDev",
    "add",
    "subtract",
    "multiply",
    "maximum",
    "minimum",
    ...(c.float ? ["divide", "axpy", "unary"] : []),
  ];
  const body = [SUMS, DOTS, ROWS, ...ops].join("").replaceAll("$A", c.type).replaceAll("$T", c.tag);
  const table = `
/** The ${c.type} kernels. */
export const KERNELS_${c.tag}: Kernels<${c.type}> = {
${fields.map((f) => `  ${f}: ${f}${c.tag},`).join("\n")}
${c.float ? "" : "  divide: undefined,\n  axpy: undefined,\n  unary: undefined,\n"}};
`;
  return `\n// ${"-".repeat(94)}\n// ${c.type}\n// ${"-".repeat(94)}\n${body}${table}`;
}

export function generate() {
  return `// GENERATED by scripts/generate-kernels.mjs: do not edit; change the templates there and run
// \`node scripts/generate-kernels.mjs\` (a test fails when this file is stale).
//
// One copy of every element loop per typed-array class, so that each loop sees one receiver map
// (V8 keeps type feedback per function literal; see the script for the measurements).
import type { Kernels } from "./kernels.ts";
import { UNARY, type UnaryName } from "./unary.ts";
${CLASSES.map(forClass).join("")}`;
}

/** The generated text, formatted by the workspace's biome (so `biome ci` accepts it as is). */
export function generateFormatted() {
  const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
  const r = spawnSync(process.execPath, [biome, "format", `--stdin-file-path=${OUT}`], {
    cwd: PKG,
    input: generate(),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`biome format failed: ${r.stderr || r.error}`);
  return r.stdout;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = generateFormatted();
  if (process.argv.includes("--check")) {
    const current = readFileSync(OUT, "utf8");
    if (current !== text) {
      console.error(`${OUT} is stale: run node scripts/generate-kernels.mjs`);
      process.exit(1);
    }
  } else writeFileSync(OUT, text);
}
