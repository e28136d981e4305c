/**
 * Tuples (CPython 3.11 `Objects/tupleobject.c`): `tuple_alloc` pops the per-length free list for
 * lengths 1..19 (`size < PyTuple_MAXSAVESIZE`), while `tupledealloc` pushes lengths 1..20
 * (`index < PyTuple_NFREELISTS`, at most 2000 each), so 20-tuples are parked and never reused.
 * Free lists are LIFO. Items are freed last to first.
 */
import { F_TRACKED, K_TUPLE, TUPLE_MAXFREELIST, TUPLE_MAXSAVESIZE } from "./constants.ts";
import type { Runtime } from "./runtime.ts";
import { emitFree } from "./scalars.ts";
import { trashBegin, trashEnd } from "./trash.ts";

/** `tuple_alloc(n)` (n > 0): a tuple with NULL items, not tracked. */
export function tupleAlloc(rt: Runtime, n: number): number {
  if (n < TUPLE_MAXSAVESIZE) {
    const fl = rt.tupleFree[n - 1]!;
    if (fl.length > 0) {
      const id = fl.pop()!;
      rt.revive(id);
      const d = rt.cells.data;
      const off = rt.a0[id]!;
      for (let i = 0; i < n; i++) d[off + i] = 0;
      if (rt.emit)
        rt.emit({ type: "alloc", id, typeName: "tuple", size: 40 + 8 * n, freelist: true });
      return id;
    }
  }
  const id = rt.newObject(rt.b.tuple, 40 + 8 * n);
  rt.size[id] = n;
  const off = rt.cells.alloc(n);
  rt.a0[id] = off;
  rt.cells.data.fill(0, off, off + n);
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "tuple", size: 40 + 8 * n, freelist: false });
  rt.gcLink();
  return id;
}

/** `PyTuple_New` + `PyTuple_SET_ITEM`s: steals the references in `items`. */
export function tupleNew(rt: Runtime, items: ArrayLike<number>): number {
  const n = items.length;
  if (n === 0) {
    rt.incref(rt.emptyTuple);
    return rt.emptyTuple;
  }
  const id = tupleAlloc(rt, n);
  const d = rt.cells.data;
  const off = rt.a0[id]!;
  for (let i = 0; i < n; i++) d[off + i] = items[i]!;
  rt.track(id);
  return id;
}

export function tupleItems(rt: Runtime, id: number): number[] {
  const n = rt.size[id]!;
  const off = rt.a0[id]!;
  return Array.from(rt.cells.data.subarray(off, off + n));
}

/** `tupledealloc`. */
export function tupleDealloc(rt: Runtime, id: number): void {
  const n = rt.size[id]!;
  rt.untrack(id);
  if (!trashBegin(rt, id)) return;
  const off = rt.a0[id]!;
  for (let i = n - 1; i >= 0; i--) {
    const item = rt.cells.data[off + i]!;
    if (item !== 0) rt.decref(item);
  }
  if (n <= TUPLE_MAXSAVESIZE && rt.tupleFree[n - 1]!.length < TUPLE_MAXFREELIST) {
    rt.park(id);
    rt.tupleFree[n - 1]!.push(id);
    if (rt.emit) {
      rt.emit({
        type: "free",
        id,
        typeName: "tuple",
        size: 40 + 8 * n,
        freelist: true,
        cause: rt.freeCause,
      });
    }
  } else {
    if (rt.emit) emitFree(rt, id, "tuple", 40 + 8 * n);
    rt.cells.release(off, n);
    rt.gcDel(id);
  }
  trashEnd(rt);
}

/** `_PyObject_GC_MAY_BE_TRACKED`: a GC type, and not an untracked tuple. */
export function mayBeTracked(rt: Runtime, id: number): boolean {
  const tp = rt.types[rt.type[id]!]!;
  if (!tp.gc) return false;
  if (tp.kind === K_TUPLE) return (rt.flags[id]! & F_TRACKED) !== 0;
  return true;
}

/** `_PyTuple_MaybeUntrack`. */
export function tupleMaybeUntrack(rt: Runtime, id: number): void {
  if ((rt.flags[id]! & F_TRACKED) === 0) return;
  const n = rt.size[id]!;
  const off = rt.a0[id]!;
  const d = rt.cells.data;
  for (let i = 0; i < n; i++) {
    const e = d[off + i]!;
    if (e === 0 || mayBeTracked(rt, e)) return;
  }
  rt.untrack(id);
}
