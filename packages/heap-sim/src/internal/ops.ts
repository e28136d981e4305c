/**
 * Python-level operations on objects with their checks (type, bounds, hashability), shared by the
 * handle methods. Every check happens before the heap is touched.
 */
import { PythonError } from "../errors.ts";
import { constantOf, describe, handles, peekValue, takeValue, type Value } from "./bridge.ts";
import {
  F_IMMORTAL,
  K_ARRAY,
  K_BOOL,
  K_BYTEARRAY,
  K_BYTES,
  K_COMPLEX,
  K_DICT,
  K_FLOAT,
  K_FROZENSET,
  K_FUNCTION,
  K_INT,
  K_LIST,
  K_NONE,
  K_SET,
  K_STR,
  K_TUPLE,
} from "./constants.ts";
import { dictDelItem, dictGet, dictItems, dictSetItem, dictSizeof, keysSize } from "./dict.ts";
import { checkHashable } from "./keys.ts";
import { listGet } from "./list.ts";
import { arraySizeof } from "./misc.ts";
import type { Runtime } from "./runtime.ts";
import { strRequest } from "./scalars.ts";
import { setSizeof } from "./setdata.ts";

export function typeErr(message: string): PythonError {
  return new PythonError("TypeError", message);
}

export function noAttr(rt: Runtime, id: number, name: string): PythonError {
  return new PythonError(
    "AttributeError",
    `'${rt.typeOf(id).name}' object has no attribute '${name}'`,
  );
}

export function kindOf(rt: Runtime, id: number): number {
  return rt.types[rt.type[id]!]!.kind;
}

/** `sys.getsizeof` (3.11 `_PySys_GetSizeOf`: `__sizeof__` + the pre-header). */
export function sizeofObject(rt: Runtime, id: number): number {
  const tp = rt.typeOf(id);
  switch (tp.kind) {
    case K_NONE:
      return 16;
    case K_BOOL:
    case K_INT:
      return 24 + 4 * Math.max(1, rt.size[id]!);
    case K_FLOAT:
      return 24;
    case K_COMPLEX:
      return 32;
    case K_STR:
      return strRequest(rt, rt.strs.get(id)!);
    case K_BYTES:
      return 33 + rt.size[id]!;
    case K_BYTEARRAY:
      return 56 + rt.a1[id]!;
    case K_TUPLE:
      return 40 + 8 * rt.size[id]!;
    case K_LIST:
      return 56 + 8 * rt.a1[id]!;
    case K_DICT:
      return dictSizeof(rt, id);
    case K_SET:
    case K_FROZENSET:
      return setSizeof(rt, id);
    case K_ARRAY:
      return arraySizeof(rt, id);
    case K_FUNCTION:
      return rt.v.functionSize;
    default:
      return tp.preheader + tp.basicsize;
  }
}

/** Bytes an object currently owns in the allocator (body and separate buffers). */
export function ownedBytes(rt: Runtime, id: number): number {
  const kind = kindOf(rt, id);
  let n = rt.blk[id] !== 0 ? rt.pm.requestedSize(rt.blk[id]!) : 0;
  if (rt.blk2[id] !== 0) n += rt.pm.requestedSize(rt.blk2[id]!);
  if (kind === K_DICT) {
    const dd = rt.dicts.get(id)!;
    if (dd.keysAddr !== 0 && (dd.kind === 1 || dd.kind === 2))
      n += keysSize(dd.log2, dd.kind === 1);
  }
  return n;
}

/** Python truth of `a is b`. */
export function sameObject(owner: object, rt: Runtime, a: Value, b: Value): boolean {
  return peekValue(owner, rt, a) === peekValue(owner, rt, b);
}

/** `sys.getrefcount(obj)`: the count plus the call's own reference; immortals report 2**32 − 1. */
export function getrefcount(rt: Runtime, id: number): number {
  if ((rt.flags[id]! & F_IMMORTAL) !== 0) return 4294967295;
  return rt.rc[id]! + 1;
}

/** A JS view of a scalar's value. */
export function scalarOf(
  rt: Runtime,
  id: number,
): number | bigint | string | boolean | null | { re: number; im: number } | undefined {
  const tp = rt.typeOf(id);
  switch (tp.kind) {
    case K_NONE:
      return null;
    case K_BOOL:
      return id === rt.True;
    case K_INT:
      return rt.intValue(id);
    case K_FLOAT:
      return rt.floatPayload(id);
    case K_STR:
    case K_BYTES:
      return rt.strs.get(id)!;
    case K_COMPLEX: {
      const [re, im] = rt.extra.get(id) as [number, number];
      return { re, im };
    }
    default:
      return undefined;
  }
}

export function describeId(rt: Runtime, id: number): string {
  return describe(rt.typeOf(id).name, id);
}

/** Index from a JS number or an int object. */
export function toIndex(owner: object, rt: Runtime, key: Value): number {
  if (typeof key === "number") {
    if (!Number.isInteger(key)) throw typeErr(`indices must be integers, not float (${key})`);
    return key;
  }
  const id = peekValue(owner, rt, key);
  const kind = kindOf(rt, id);
  if (kind !== K_INT && kind !== K_BOOL) {
    throw typeErr(`indices must be integers or slices, not ${rt.typeOf(id).name}`);
  }
  return Number(rt.intValue(id));
}

/** `obj[key]` → borrowed id. */
export function getItem(owner: object, rt: Runtime, id: number, key: Value): number {
  const kind = kindOf(rt, id);
  if (kind === K_LIST) return listGet(rt, id, toIndex(owner, rt, key));
  if (kind === K_TUPLE) {
    const n = rt.size[id]!;
    let i = toIndex(owner, rt, key);
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw new PythonError("IndexError", "tuple index out of range");
    return rt.cells.data[rt.a0[id]! + i]!;
  }
  if (kind === K_DICT) {
    const k = peekValue(owner, rt, key);
    checkHashable(rt, k);
    const v = dictGet(rt, id, k);
    if (v === 0) throw new PythonError("KeyError", reprOf(rt, k));
    return v;
  }
  throw typeErr(`'${rt.typeOf(id).name}' object is not subscriptable`);
}

/** `d[key] = value` on a dict (validated here, stored with new references). */
export function dictStore(owner: object, rt: Runtime, id: number, key: Value, value: Value): void {
  const k = peekValue(owner, rt, key);
  peekValue(owner, rt, value);
  checkHashable(rt, k);
  const kt = takeValue(owner, rt, key);
  const vt = takeValue(owner, rt, value);
  dictSetItem(rt, id, kt, vt);
}

export function dictRemove(owner: object, rt: Runtime, id: number, key: Value): void {
  const k = peekValue(owner, rt, key);
  checkHashable(rt, k);
  if (dictGet(rt, id, k) === 0) throw new PythonError("KeyError", reprOf(rt, k));
  dictDelItem(rt, id, k, reprOf(rt, k));
}

/** A short Python repr, for error messages. */
export function reprOf(rt: Runtime, id: number): string {
  const v = scalarOf(rt, id);
  const kind = kindOf(rt, id);
  if (kind === K_STR) return `'${v as string}'`;
  if (kind === K_BYTES) return `b'${v as string}'`;
  if (kind === K_NONE) return "None";
  if (kind === K_BOOL) return v ? "True" : "False";
  if (v !== undefined && typeof v !== "object") return String(v);
  if (kind === K_TUPLE) {
    const n = rt.size[id]!;
    const off = rt.a0[id]!;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(reprOf(rt, rt.cells.data[off + i]!));
    return `(${parts.join(", ")}${n === 1 ? "," : ""})`;
  }
  return describeId(rt, id);
}

export function dictItemPairs(rt: Runtime, id: number): [number, number][] {
  return dictItems(rt, id);
}

export function isHandle(v: unknown): v is import("../object.ts").PyObject {
  return handles().isHandle(v);
}

export { constantOf };
