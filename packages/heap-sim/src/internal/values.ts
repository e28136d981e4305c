/**
 * A `PyDictValues` array (3.11 `Objects/dictobject.c: new_values`): `size` value slots preceded by
 * an insertion-order prefix of `round_up(size + 2, 8)` bytes, one `PyMem_Malloc` block
 * (`valuesRequest`). Used by instances (managed dict) and by split dicts.
 *
 * Stored in the runtime's values slab (`rt.vcells`, apart from the list and tuple cells, so the
 * two kinds of segments do not fragment each other), packed like CPython packs the prefix: one
 * header cell — capacity (5 bits), count (5 bits), an "invalid" bit (the values were taken over
 * by a dict) and the first 4 insertion-order entries (5 bits each) — then the further order
 * entries, 6 to a cell, then the `cap` value slots. A capacity is at most `SHARED_KEYS_MAX_SIZE`
 * (30), so every field fits. The pymalloc block's address is kept by the owner (`blk2` of an
 * instance, `valuesAddr` of a split dict; 0 when the values are inline in the object, 3.13).
 */
import type { Runtime } from "./runtime.ts";

const CAP_MASK = 31;
const COUNT_SHIFT = 5;
const INVALID = 1 << 10;
const ORDER_SHIFT = 11;
/** Largest capacity the header can hold. */
export const VALUES_MAX_CAP = 31;

/** Bytes CPython requests for a values array of `cap` slots. */
export function valuesRequest(cap: number): number {
  return Math.ceil((cap + 2) / 8) * 8 + 8 * cap;
}

/** Cells holding the order entries beyond the 4 in the header. */
function orderCells(cap: number): number {
  return cap > 4 ? ((cap + 1) / 6) | 0 : 0;
}

/** Cells of a values array of capacity `cap`. */
export function valuesCells(cap: number): number {
  return 1 + orderCells(cap) + cap;
}

/** A zeroed values array of `cap` slots in the values slab; returns its offset. */
export function valuesNew(rt: Runtime, cap: number): number {
  if (cap < 1 || cap > VALUES_MAX_CAP) throw new RangeError(`values capacity ${cap} out of range`);
  const n = valuesCells(cap);
  const off = rt.vcells.alloc(n);
  const d = rt.vcells.data;
  d.fill(0, off, off + n);
  d[off] = cap;
  return off;
}

/** Returns the cells of the array at `off` (its pymalloc block is the owner's to free). */
export function valuesFree(rt: Runtime, off: number): void {
  rt.vcells.release(off, valuesCells(rt.vcells.data[off]! & CAP_MASK));
}

export function valuesCap(rt: Runtime, off: number): number {
  return rt.vcells.data[off]! & CAP_MASK;
}

/** Values set (the length of the insertion order). */
export function valuesCount(rt: Runtime, off: number): number {
  return (rt.vcells.data[off]! >> COUNT_SHIFT) & CAP_MASK;
}

/** Whether the array still holds the object's attributes (not taken over by a dict, 3.13). */
export function valuesValid(rt: Runtime, off: number): boolean {
  return (rt.vcells.data[off]! & INVALID) === 0;
}

/** Marks the array as taken over (3.13's embedded dict converted to a combined table). */
export function valuesInvalidate(rt: Runtime, off: number): void {
  rt.vcells.data[off]! |= INVALID;
}

export function valuesGet(rt: Runtime, off: number, ix: number): number {
  const d = rt.vcells.data;
  return d[off + 1 + orderCells(d[off]! & CAP_MASK) + ix]!;
}

export function valuesSet(rt: Runtime, off: number, ix: number, v: number): void {
  const d = rt.vcells.data;
  d[off + 1 + orderCells(d[off]! & CAP_MASK) + ix] = v;
}

function orderGet(d: Int32Array, off: number, i: number): number {
  if (i < 4) return (d[off]! >> (ORDER_SHIFT + 5 * i)) & CAP_MASK;
  const j = i - 4;
  return (d[off + 1 + ((j / 6) | 0)]! >> (5 * (j % 6))) & CAP_MASK;
}

function orderSet(d: Int32Array, off: number, i: number, ix: number): void {
  if (i < 4) {
    const shift = ORDER_SHIFT + 5 * i;
    d[off] = (d[off]! & ~(CAP_MASK << shift)) | (ix << shift);
    return;
  }
  const j = i - 4;
  const at = off + 1 + ((j / 6) | 0);
  const shift = 5 * (j % 6);
  d[at] = (d[at]! & ~(CAP_MASK << shift)) | (ix << shift);
}

function setCount(d: Int32Array, off: number, n: number): void {
  d[off] = (d[off]! & ~(CAP_MASK << COUNT_SHIFT)) | (n << COUNT_SHIFT);
}

/** `_PyDictValues_AddToInsertionOrder`. */
export function valuesAddOrder(rt: Runtime, off: number, ix: number): void {
  const d = rt.vcells.data;
  const n = (d[off]! >> COUNT_SHIFT) & CAP_MASK;
  orderSet(d, off, n, ix);
  setCount(d, off, n + 1);
}

/** `delete_index_from_values`. */
export function valuesDeleteOrder(rt: Runtime, off: number, ix: number): void {
  const d = rt.vcells.data;
  const n = (d[off]! >> COUNT_SHIFT) & CAP_MASK;
  let i = 0;
  while (i < n && orderGet(d, off, i) !== ix) i++;
  if (i === n) return;
  for (; i < n - 1; i++) orderSet(d, off, i, orderGet(d, off, i + 1));
  orderSet(d, off, n - 1, 0);
  setCount(d, off, n - 1);
}

/** Slot indices in insertion order. */
export function valuesOrder(rt: Runtime, off: number): number[] {
  const d = rt.vcells.data;
  const n = (d[off]! >> COUNT_SHIFT) & CAP_MASK;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = orderGet(d, off, i);
  return out;
}
