/**
 * Non-container objects: None/bool singletons, int (30-bit digits, small-int cache), float (free
 * list of 100), complex, str (compact ASCII / latin-1 / UCS-2 / UCS-4, 1-char latin-1 cache),
 * bytes, bytearray, object(), range.
 *
 * Sizes: `sys.getsizeof` of oracle h; `Objects/longobject.c: _PyLong_New`, `Objects/floatobject.c:
 * PyFloat_FromDouble` (free list), `Objects/unicodeobject.c: PyUnicode_New`,
 * `Objects/bytesobject.c: _PyBytes_FromSize`, `Objects/bytearrayobject.c: PyByteArray_Resize`.
 */
import { FLOAT_MAXFREELIST } from "./constants.ts";
import type { Runtime } from "./runtime.ts";

/** Number of 30-bit digits of |v| (at least 1, as 3.11 `__sizeof__` reports). */
export function intDigits(v: number | bigint): number {
  let a = typeof v === "bigint" ? (v < 0n ? -v : v) : BigInt(Math.abs(v));
  let n = 0;
  while (a > 0n) {
    a >>= 30n;
    n++;
  }
  return Math.max(1, n);
}

/** `int` object, small ints (-5..256) are static singletons. Returns a new reference. */
export function newInt(rt: Runtime, v: number | bigint): number {
  if (
    typeof v === "bigint" &&
    v >= BigInt(Number.MIN_SAFE_INTEGER) &&
    v <= BigInt(Number.MAX_SAFE_INTEGER)
  ) {
    v = Number(v);
  }
  if (typeof v === "number" && v >= -5 && v <= 256) {
    let id = rt.smallInts[v + 5]!;
    if (id === 0) {
      id = rt.staticOf(rt.b.int);
      rt.setIntPayload(id, v);
      rt.smallInts[v + 5] = id;
    }
    rt.incref(id);
    return id;
  }
  const req = 24 + 4 * intDigits(v);
  const id = rt.newObject(rt.b.int, req);
  rt.size[id] = intDigits(v);
  if (typeof v === "bigint") {
    rt.bigs.set(id, v);
  } else {
    rt.setIntPayload(id, v);
  }
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "int", size: req, freelist: false });
  return id;
}

/** `PyFloat_FromDouble`: pops the float free list first. */
export function newFloat(rt: Runtime, v: number): number {
  let id: number;
  let freelist = false;
  if (rt.floatFree.length > 0) {
    id = rt.floatFree.pop()!;
    rt.revive(id);
    freelist = true;
  } else {
    id = rt.newObject(rt.b.float, 24);
  }
  rt.setFloatPayload(id, v);
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "float", size: 24, freelist });
  return id;
}

/** `_PyFloat_ExactDealloc`. */
export function floatDealloc(rt: Runtime, id: number): void {
  if (rt.floatFree.length < FLOAT_MAXFREELIST) {
    rt.park(id);
    rt.floatFree.push(id);
    if (rt.emit) {
      rt.emit({
        type: "free",
        id,
        typeName: "float",
        size: 24,
        freelist: true,
        cause: rt.freeCause,
      });
    }
    return;
  }
  if (rt.emit) emitFree(rt, id, "float", 24);
  rt.objFree(id);
}

export function emitFree(rt: Runtime, id: number, typeName: string, size: number): void {
  rt.emit?.({ type: "free", id, typeName, size, freelist: false, cause: rt.freeCause });
}

/** Code points of a JS string and the str "kind" CPython would pick. */
export function strShape(s: string): { length: number; kind: 1 | 2 | 4; ascii: boolean } {
  let length = 0;
  let max = 0;
  for (const ch of s) {
    length++;
    const c = ch.codePointAt(0)!;
    if (c > max) max = c;
  }
  return { length, kind: max < 256 ? 1 : max < 65536 ? 2 : 4, ascii: max < 128 };
}

/** Bytes requested for a compact str (`PyUnicode_New`). */
export function strRequest(rt: Runtime, s: string): number {
  const { length, kind, ascii } = strShape(s);
  return ascii ? rt.v.asciiHeader + length + 1 : rt.v.compactHeader + kind * (length + 1);
}

/** A new str object ('' and 1-char latin-1 strings are static singletons). */
export function newStr(rt: Runtime, s: string): number {
  if (s.length === 0) {
    rt.incref(rt.emptyStr);
    return rt.emptyStr;
  }
  if (s.length === 1 && s.charCodeAt(0) < 256) {
    const c = s.charCodeAt(0);
    let id = rt.latin1[c]!;
    if (id === 0) {
      id = rt.staticOf(rt.b.str);
      rt.strs.set(id, s);
      rt.size[id] = 1;
      rt.latin1[c] = id;
    }
    rt.incref(id);
    return id;
  }
  const req = strRequest(rt, s);
  const id = rt.newObject(rt.b.str, req);
  rt.strs.set(id, s);
  rt.size[id] = strShape(s).length;
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "str", size: req, freelist: false });
  return id;
}

/** A new bytes object from a latin-1 string of byte values (b'' and 1-byte bytes are static). */
export function newBytes(rt: Runtime, data: string): number {
  if (data.length === 0) {
    rt.incref(rt.emptyBytes);
    return rt.emptyBytes;
  }
  if (data.length === 1) {
    const c = data.charCodeAt(0);
    let id = rt.byteChars[c]!;
    if (id === 0) {
      id = rt.staticOf(rt.b.bytes);
      rt.strs.set(id, data);
      rt.size[id] = 1;
      rt.byteChars[c] = id;
    }
    rt.incref(id);
    return id;
  }
  const req = 33 + data.length;
  const id = rt.newObject(rt.b.bytes, req);
  rt.strs.set(id, data);
  rt.size[id] = data.length;
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "bytes", size: req, freelist: false });
  return id;
}

export function newComplex(rt: Runtime, re: number, im: number): number {
  const id = rt.newObject(rt.b.complex, 32);
  rt.extra.set(id, [re, im]);
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "complex", size: 32, freelist: false });
  return id;
}

/** `object()`: a 16-byte non-GC object. */
export function newPlainObject(rt: Runtime): number {
  const id = rt.newObject(rt.b.object, 16);
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "object", size: 16, freelist: false });
  return id;
}

/** `range(start, stop, step)` (48 bytes; the four int fields are not modelled as objects). */
export function newRange(rt: Runtime, start: number, stop: number, step: number): number {
  const id = rt.newObject(rt.b.range, 48);
  rt.extra.set(id, [start, stop, step]);
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "range", size: 48, freelist: false });
  return id;
}

/** `bytearray()`; the buffer is a separate `PyObject_Malloc` of `alloc` bytes. */
export function newByteArray(rt: Runtime, length: number): number {
  const id = rt.newObject(rt.b.bytearray, 56);
  rt.extra.set(id, new Uint8Array(0));
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "bytearray", size: 56, freelist: false });
  if (length > 0) byteArrayResize(rt, id, length);
  return id;
}

/** `PyByteArray_Resize` growth rule (3.11). */
export function byteArrayResize(rt: Runtime, id: number, size: number): void {
  let alloc = rt.a1[id]!;
  const logicalOffset = 0;
  if (size + logicalOffset + 1 <= alloc) {
    if (size < alloc / 2) {
      alloc = size + 1;
    } else {
      rt.size[id] = size;
      resizeBytes(rt, id, size);
      return;
    }
  } else if (size <= alloc * 1.125) {
    alloc = size + (size >> 3) + (size < 9 ? 3 : 6);
  } else {
    alloc = size + 1;
  }
  rt.blk2[id] = rt.pm.realloc(rt.blk2[id]!, alloc);
  rt.a1[id] = alloc;
  rt.size[id] = size;
  resizeBytes(rt, id, size);
}

function resizeBytes(rt: Runtime, id: number, size: number): void {
  const old = rt.extra.get(id) as Uint8Array;
  if (old.length === size) return;
  const next = new Uint8Array(size);
  next.set(old.subarray(0, Math.min(size, old.length)));
  rt.extra.set(id, next);
}
