/**
 * Lists (CPython 3.11 `Objects/listobject.c`). The object body is 56 bytes (16 GC + 40); the item
 * array is a separate `PyMem_Realloc`ed block (`list_resize` over-allocation), so it is a pymalloc
 * block up to 64 items and a raw malloc above. `[]`/`PyList_New` use the free list of 80, `list()`
 * (`PyType_GenericAlloc`) does not. Items are freed last to first.
 */
import { LIST_MAXFREELIST } from "./constants.ts";
import { pythonError } from "./pyerror.ts";
import type { Runtime } from "./runtime.ts";
import { emitFree } from "./scalars.ts";
import { trashBegin, trashEnd } from "./trash.ts";

/** `PyList_New(n)` with NULL items (BUILD_LIST fills them). Tracked. */
export function listNew(rt: Runtime, n: number): number {
  let id: number;
  let freelist = false;
  if (rt.listFree.length > 0) {
    id = rt.listFree.pop()!;
    rt.revive(id);
    freelist = true;
  } else {
    id = rt.newObject(rt.b.list, 56);
  }
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "list", size: 56, freelist });
  if (!freelist) rt.gcLink();
  if (n > 0) {
    rt.blk2[id] = rt.pm.malloc(8 * n);
    const off = rt.cells.alloc(n);
    rt.cells.data.fill(0, off, off + n);
    rt.a0[id] = off;
  }
  rt.size[id] = n;
  rt.a1[id] = n;
  rt.track(id);
  return id;
}

/** `list()`: `PyType_GenericAlloc(&PyList_Type, 0)`, no free list. Tracked, empty. */
export function listGenericNew(rt: Runtime): number {
  const id = rt.newObject(rt.b.list, 56);
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "list", size: 56, freelist: false });
  rt.gcLink();
  rt.track(id);
  return id;
}

/** `list_new_prealloc(size)`: `PyList_New(0)` then an item array of exactly `size`. */
export function listNewPrealloc(rt: Runtime, size: number): number {
  const id = listNew(rt, 0);
  rt.blk2[id] = rt.pm.malloc(8 * size);
  rt.a0[id] = rt.cells.alloc(size);
  rt.a1[id] = size;
  return id;
}

/** `list_resize` (3.9+ over-allocation). */
export function listResize(rt: Runtime, id: number, newsize: number): void {
  const allocated = rt.a1[id]!;
  if (allocated >= newsize && newsize >= allocated >> 1) {
    rt.size[id] = newsize;
    return;
  }
  let newAllocated = Math.floor((newsize + Math.floor(newsize / 8) + 6) / 4) * 4;
  if (newsize - rt.size[id]! > newAllocated - newsize)
    newAllocated = Math.floor((newsize + 3) / 4) * 4;
  if (newsize === 0) newAllocated = 0;
  // PyMem_Realloc(ob_item, new_allocated * 8): NULL means malloc; 0 bytes still yields a block.
  rt.blk2[id] = rt.pm.realloc(rt.blk2[id]!, newAllocated * 8);
  rt.a0[id] = rt.cells.resize(rt.a0[id]!, allocated, newAllocated, Math.min(rt.size[id]!, newsize));
  rt.size[id] = newsize;
  rt.a1[id] = newAllocated;
}

/**
 * A list display of three or more constants, `[1, 2, 3]`: the 3.11 compiler folds the items into a
 * constant tuple and emits `BUILD_LIST 0; LOAD_CONST; LIST_EXTEND` (`Python/compile.c:
 * starunpack_helper`), so the list comes from the free list empty and `list_extend` preallocates
 * exactly, rounded up to even: `[1, 2, 3]` is 88 bytes where `[a, b, c]` is 80. Steals `items`.
 */
export function listNewFromConstants(rt: Runtime, items: readonly number[]): number {
  const id = listNew(rt, 0);
  preallocateExact(rt, id, items.length);
  const off = rt.a0[id]!;
  for (let i = 0; i < items.length; i++) rt.cells.data[off + i] = items[i]!;
  rt.size[id] = items.length;
  return id;
}

/** `list_preallocate_exact`: capacity rounded up to even (ob_item must be NULL). */
function preallocateExact(rt: Runtime, id: number, size: number): void {
  const cap = (size + 1) & ~1;
  rt.blk2[id] = rt.pm.malloc(8 * cap);
  rt.a0[id] = rt.cells.alloc(cap);
  rt.a1[id] = cap;
}

/** `_PyList_AppendTakeRef`: steals `item`. */
export function listAppend(rt: Runtime, id: number, item: number): void {
  const n = rt.size[id]!;
  if (rt.a1[id]! > n) {
    rt.cells.data[rt.a0[id]! + n] = item;
    rt.size[id] = n + 1;
    return;
  }
  listResize(rt, id, n + 1);
  rt.cells.data[rt.a0[id]! + n] = item;
}

/** `ins1`: steals `item`. */
export function listInsert(rt: Runtime, id: number, where: number, item: number): void {
  const n = rt.size[id]!;
  listResize(rt, id, n + 1);
  if (where < 0) {
    where += n;
    if (where < 0) where = 0;
  }
  if (where > n) where = n;
  const d = rt.cells.data;
  const off = rt.a0[id]!;
  d.copyWithin(off + where + 1, off + where, off + n);
  d[off + where] = item;
}

export function listGet(rt: Runtime, id: number, index: number): number {
  const n = rt.size[id]!;
  const i = index < 0 ? index + n : index;
  if (i < 0 || i >= n) throw pythonError("IndexError", "list index out of range");
  return rt.cells.data[rt.a0[id]! + i]!;
}

/** `list_ass_item` with a value: steals `item`, releases the old one. */
export function listSet(rt: Runtime, id: number, index: number, item: number): void {
  const n = rt.size[id]!;
  const i = index < 0 ? index + n : index;
  const at = rt.a0[id]! + i;
  const old = rt.cells.data[at]!;
  rt.cells.data[at] = item;
  rt.decref(old);
}

/** `list.pop(index)`: returns the (owned) item. */
export function listPop(rt: Runtime, id: number, index: number): number {
  const n = rt.size[id]!;
  if (n === 0) throw pythonError("IndexError", "pop from empty list");
  const i = index < 0 ? index + n : index;
  if (i < 0 || i >= n) throw pythonError("IndexError", "pop index out of range");
  const v = rt.cells.data[rt.a0[id]! + i]!;
  if (i === n - 1) {
    listResize(rt, id, n - 1);
    return v;
  }
  rt.incref(v);
  listAssSlice(rt, id, i, i + 1, undefined);
  return v;
}

/**
 * `list_ass_slice(a, ilow, ihigh, v)`: `replacement` holds borrowed ids (or undefined to delete).
 * Removed items are decref'd last to first after the list is back in shape; more than 8 of them
 * need a temporary `PyMem_Malloc` recycle array.
 */
export function listAssSlice(
  rt: Runtime,
  id: number,
  ilow: number,
  ihigh: number,
  replacement: readonly number[] | undefined,
): void {
  const n = replacement?.length ?? 0;
  const size = rt.size[id]!;
  if (ilow < 0) ilow = 0;
  else if (ilow > size) ilow = size;
  if (ihigh < ilow) ihigh = ilow;
  else if (ihigh > size) ihigh = size;
  const norig = ihigh - ilow;
  const d = n - norig;
  if (size + d === 0) {
    listClear(rt, id);
    return;
  }
  const recycle = Array.from(rt.cells.data.subarray(rt.a0[id]! + ilow, rt.a0[id]! + ihigh));
  const recycleAddr = norig * 8 > 64 ? rt.pm.malloc(norig * 8) : 0;
  if (d < 0) {
    const off = rt.a0[id]!;
    rt.cells.data.copyWithin(off + ihigh + d, off + ihigh, off + size);
    listResize(rt, id, size + d);
  } else if (d > 0) {
    listResize(rt, id, size + d);
    const off = rt.a0[id]!;
    rt.cells.data.copyWithin(off + ihigh + d, off + ihigh, off + size);
  }
  const off = rt.a0[id]!;
  for (let k = 0; k < n; k++) {
    const w = replacement![k]!;
    rt.incref(w);
    rt.cells.data[off + ilow + k] = w;
  }
  for (let k = norig - 1; k >= 0; k--) rt.decref(recycle[k]!);
  if (recycleAddr !== 0) rt.pm.free(recycleAddr);
}

/** `_list_clear`: the list is emptied first, then items are released last to first. */
export function listClear(rt: Runtime, id: number): void {
  const off = rt.a0[id]!;
  const addr = rt.blk2[id]!;
  if (addr === 0 && off === 0) return;
  const n = rt.size[id]!;
  const cap = rt.a1[id]!;
  rt.size[id] = 0;
  rt.a0[id] = 0;
  rt.a1[id] = 0;
  rt.blk2[id] = 0;
  for (let i = n - 1; i >= 0; i--) {
    const item = rt.cells.data[off + i]!;
    if (item !== 0) rt.decref(item);
  }
  rt.cells.release(off, cap);
  if (addr !== 0) rt.pm.free(addr);
}

/** `list.extend(list_or_tuple)` fast path (`PySequence_Fast`): `src` are borrowed ids. */
export function listExtendFast(rt: Runtime, id: number, src: readonly number[]): void {
  const n = src.length;
  if (n === 0) return;
  const m = rt.size[id]!;
  if (rt.blk2[id] === 0) {
    preallocateExact(rt, id, n);
    rt.size[id] = n;
  } else {
    listResize(rt, id, m + n);
  }
  const off = rt.a0[id]!;
  for (let i = 0; i < n; i++) {
    rt.incref(src[i]!);
    rt.cells.data[off + m + i] = src[i]!;
  }
}

/**
 * `list.extend(iterator)` general path: presize with the length hint (8 when the iterator has
 * none), append, then cut back. `next()` returns an owned id or 0 at the end.
 */
export function listExtendIter(rt: Runtime, id: number, next: () => number, hint: number): void {
  const m = rt.size[id]!;
  if (rt.blk2[id] === 0) {
    if (hint > 0) preallocateExact(rt, id, hint);
  } else {
    listResize(rt, id, m + hint);
    rt.size[id] = m;
  }
  for (;;) {
    const item = next();
    if (item === 0) break;
    const n = rt.size[id]!;
    if (n < rt.a1[id]!) {
      rt.cells.data[rt.a0[id]! + n] = item;
      rt.size[id] = n + 1;
    } else {
      listAppend(rt, id, item);
    }
  }
  if (rt.size[id]! < rt.a1[id]!) listResize(rt, id, rt.size[id]!);
}

/** `list_repeat`: a new list of exactly `len × n` items. */
export function listRepeat(rt: Runtime, id: number, times: number): number {
  const n = rt.size[id]!;
  const size = n * Math.max(0, times);
  if (size === 0) return listNew(rt, 0);
  const src = Array.from(rt.cells.data.subarray(rt.a0[id]!, rt.a0[id]! + n));
  const out = listNewPrealloc(rt, size);
  const off = rt.a0[out]!;
  for (let i = 0; i < size; i++) {
    const item = src[i % n]!;
    rt.incref(item);
    rt.cells.data[off + i] = item;
  }
  rt.size[out] = size;
  return out;
}

/** `list_slice`: a new list of the items [lo, hi). */
export function listSlice(rt: Runtime, id: number, lo: number, hi: number): number {
  const len = hi - lo;
  if (len <= 0) return listNew(rt, 0);
  const src = Array.from(rt.cells.data.subarray(rt.a0[id]! + lo, rt.a0[id]! + hi));
  const out = listNewPrealloc(rt, len);
  const off = rt.a0[out]!;
  for (let i = 0; i < len; i++) {
    rt.incref(src[i]!);
    rt.cells.data[off + i] = src[i]!;
  }
  rt.size[out] = len;
  return out;
}

export function listItems(rt: Runtime, id: number): number[] {
  const off = rt.a0[id]!;
  return Array.from(rt.cells.data.subarray(off, off + rt.size[id]!));
}

/** `list_dealloc`. */
export function listDealloc(rt: Runtime, id: number): void {
  rt.untrack(id);
  if (!trashBegin(rt, id)) return;
  const off = rt.a0[id]!;
  const n = rt.size[id]!;
  const addr = rt.blk2[id]!;
  if (addr !== 0 || off !== 0) {
    for (let i = n - 1; i >= 0; i--) {
      const item = rt.cells.data[off + i]!;
      if (item !== 0) rt.decref(item);
    }
    rt.cells.release(off, rt.a1[id]!);
    if (addr !== 0) rt.pm.free(addr);
  }
  rt.a0[id] = 0;
  rt.a1[id] = 0;
  rt.blk2[id] = 0;
  rt.size[id] = 0;
  if (rt.listFree.length < LIST_MAXFREELIST) {
    rt.park(id);
    rt.listFree.push(id);
    if (rt.emit) {
      rt.emit({
        type: "free",
        id,
        typeName: "list",
        size: 56,
        freelist: true,
        cause: rt.freeCause,
      });
    }
  } else {
    if (rt.emit) emitFree(rt, id, "list", 56);
    rt.gcDel(id);
  }
  trashEnd(rt);
}
