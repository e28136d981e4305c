/**
 * CPython 3.11 hash functions, 64-bit (`Python/pyhash.c`, `Objects/longobject.c: long_hash`,
 * `Objects/tupleobject.c: tuplehash`). Strings and bytes use SipHash-1-3 with the key CPython uses
 * under `PYTHONHASHSEED=0` (all zero), so set layouts of str keys match a CPython started that way;
 * with a random seed CPython's own layouts change from run to run.
 *
 * A hash is returned as a signed 64-bit bigint (`Py_hash_t`), never -1.
 */

const MASK64 = (1n << 64n) - 1n;
/** `_PyHASH_BITS` (61 on 64-bit) and `_PyHASH_MODULUS` = 2**61 - 1. */
const HASH_BITS = 61n;
const MODULUS = (1n << 61n) - 1n;
/** `_PyHASH_INF`. */
const HASH_INF = 314159n;

function toSigned(x: bigint): bigint {
  return BigInt.asIntN(64, x);
}

function fixMinusOne(h: bigint): bigint {
  return h === -1n ? -2n : h;
}

/** `long_hash`: sign × (|v| mod (2**61 − 1)). */
export function hashInt(v: number | bigint): bigint {
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return fixMinusOne(BigInt(v));
    v = BigInt(v);
  }
  const neg = v < 0n;
  let x = (neg ? -v : v) % MODULUS;
  if (neg) x = -x;
  return fixMinusOne(x);
}

/** `_Py_HashDouble` (finite values; NaN hashes by identity, handled by the caller). */
export function hashFloat(v: number): bigint {
  if (!Number.isFinite(v)) return v > 0 ? HASH_INF : -HASH_INF;
  if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) return hashInt(v);
  // frexp
  let e = 0;
  let m = v;
  let sign = 1n;
  if (m < 0) {
    sign = -1n;
    m = -m;
  }
  if (m !== 0) {
    e = Math.floor(Math.log2(m)) + 1;
    m = m / 2 ** e;
    while (m >= 1) {
      m /= 2;
      e++;
    }
    while (m < 0.5) {
      m *= 2;
      e--;
    }
  }
  let x = 0n;
  while (m) {
    x = ((x << 28n) & MODULUS) | (x >> (HASH_BITS - 28n));
    m *= 268435456.0;
    e -= 28;
    const y = Math.floor(m);
    m -= y;
    x += BigInt(y);
    if (x >= MODULUS) x -= MODULUS;
  }
  const bits = Number(HASH_BITS);
  e = e >= 0 ? e % bits : bits - 1 - ((-1 - e) % bits);
  const eb = BigInt(e);
  x = ((x << eb) & MODULUS) | (x >> (HASH_BITS - eb));
  x = (x * sign) & MASK64;
  return fixMinusOne(toSigned(x));
}

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK64;
}

/** SipHash-1-3 (`siphash13` in `Python/pyhash.c`). */
export function siphash13(k0: bigint, k1: bigint, bytes: Uint8Array): bigint {
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = () => {
    v0 = (v0 + v1) & MASK64;
    v2 = (v2 + v3) & MASK64;
    v1 = rotl(v1, 13n) ^ v0;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v1) & MASK64;
    v0 = (v0 + v3) & MASK64;
    v1 = rotl(v1, 17n) ^ v2;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = rotl(v2, 32n);
  };
  const len = bytes.length;
  let b = (BigInt(len) << 56n) & MASK64;
  let i = 0;
  for (; i + 8 <= len; i += 8) {
    let mi = 0n;
    for (let j = 7; j >= 0; j--) mi = (mi << 8n) | BigInt(bytes[i + j]!);
    v3 ^= mi;
    round();
    v0 ^= mi;
  }
  let t = 0n;
  for (let j = len - 1; j >= i; j--) t = (t << 8n) | BigInt(bytes[j]!);
  b |= t;
  v3 ^= b;
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  round();
  round();
  round();
  return (v0 ^ v1 ^ (v2 ^ v3)) & MASK64;
}

/** The bytes CPython hashes for a str: its canonical representation (1, 2 or 4 bytes per char). */
export function strKind(s: string): 1 | 2 | 4 {
  let max = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c > max) max = c;
  }
  return max < 256 ? 1 : max < 65536 ? 2 : 4;
}

function strBytes(s: string, kind: 1 | 2 | 4): Uint8Array {
  const cps: number[] = [];
  for (const ch of s) cps.push(ch.codePointAt(0)!);
  const out = new Uint8Array(cps.length * kind);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    for (let k = 0; k < kind; k++) out[i * kind + k] = (c >>> (8 * k)) & 0xff;
  }
  return out;
}

/** `unicode_hash` under `PYTHONHASHSEED=0`. */
export function hashStr(s: string): bigint {
  if (s.length === 0) return 0n;
  return fixMinusOne(toSigned(siphash13(0n, 0n, strBytes(s, strKind(s)))));
}

/** `bytes_hash` under `PYTHONHASHSEED=0` (bytes given as a latin-1 string). */
export function hashBytes(s: string): bigint {
  if (s.length === 0) return 0n;
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return fixMinusOne(toSigned(siphash13(0n, 0n, out)));
}

const XXPRIME_1 = 11400714785074694791n;
const XXPRIME_2 = 14029467366897019727n;
const XXPRIME_5 = 2870177450012600261n;

/** `tuplehash` (xxHash-based, 3.8+). */
export function hashTuple(items: readonly bigint[]): bigint {
  let acc = XXPRIME_5;
  for (const h of items) {
    const lane = h & MASK64;
    acc = (acc + lane * XXPRIME_2) & MASK64;
    acc = rotl(acc, 31n);
    acc = (acc * XXPRIME_1) & MASK64;
  }
  acc = (acc + (BigInt(items.length) ^ (XXPRIME_5 ^ 3527539n))) & MASK64;
  if (acc === MASK64) return 1546275796n;
  return toSigned(acc);
}

/** `_Py_HashPointer`: the address rotated right by 4 bits. */
export function hashPointer(address: number): bigint {
  const y = BigInt(address) & MASK64;
  const r = ((y >> 4n) | (y << 60n)) & MASK64;
  return fixMinusOne(toSigned(r));
}
