/**
 * A `PyDictValues` array (3.11 `Objects/dictobject.c: new_values`): `size` value slots preceded by
 * an insertion-order prefix of `round_up(size + 2, 8)` bytes, one `PyMem_Malloc` block. Used by
 * instances (managed dict) and by split dicts. Layout in cells: [cap, count, addr, order × cap,
 * values × cap]; addr 0 means the values are inline in the object (3.13).
 */
import type { Runtime } from "./runtime.ts";

export function valuesRequest(cap: number): number {
  return Math.ceil((cap + 2) / 8) * 8 + 8 * cap;
}

export function valuesNew(rt: Runtime, cap: number, inline: boolean): number {
  const addr = inline ? 0 : rt.pm.malloc(valuesRequest(cap));
  const off = rt.cells.alloc(3 + 2 * cap);
  const d = rt.cells.data;
  d[off] = cap;
  d[off + 1] = 0;
  d[off + 2] = addr;
  d.fill(0, off + 3, off + 3 + 2 * cap);
  return off;
}

export function valuesFree(rt: Runtime, off: number): void {
  const d = rt.cells.data;
  const cap = d[off]!;
  const addr = d[off + 2]!;
  if (addr !== 0) rt.pm.free(addr);
  rt.cells.release(off, 3 + 2 * cap);
}

export function valuesCap(rt: Runtime, off: number): number {
  return rt.cells.data[off]!;
}

export function valuesGet(rt: Runtime, off: number, ix: number): number {
  const d = rt.cells.data;
  return d[off + 3 + d[off]! + ix]!;
}

export function valuesSet(rt: Runtime, off: number, ix: number, v: number): void {
  const d = rt.cells.data;
  d[off + 3 + d[off]! + ix] = v;
}

/** `_PyDictValues_AddToInsertionOrder`. */
export function valuesAddOrder(rt: Runtime, off: number, ix: number): void {
  const d = rt.cells.data;
  const n = d[off + 1]!;
  d[off + 3 + n] = ix;
  d[off + 1] = n + 1;
}

/** `delete_index_from_values`. */
export function valuesDeleteOrder(rt: Runtime, off: number, ix: number): void {
  const d = rt.cells.data;
  const n = d[off + 1]!;
  let i = 0;
  while (i < n && d[off + 3 + i] !== ix) i++;
  for (; i < n - 1; i++) d[off + 3 + i] = d[off + 3 + i + 1]!;
  d[off + 1] = n - 1;
}

/** Slot indices in insertion order. */
export function valuesOrder(rt: Runtime, off: number): number[] {
  const d = rt.cells.data;
  const n = d[off + 1]!;
  return Array.from(d.subarray(off + 3, off + 3 + n));
}
