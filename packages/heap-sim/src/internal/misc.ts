/**
 * Function objects and `array.array`.
 *
 * A function is a 152-byte GC object (`sys.getsizeof(lambda: 0)`), weak-referenceable; the
 * simulation keeps the objects it captures (its closure, simplified: no cell objects) and a JS body.
 * `func_dealloc` (3.11): untrack, weakref callbacks, `func_clear`, `PyObject_GC_Del`.
 *
 * `array.array` (3.11 `Modules/arraymodule.c`): an 80-byte GC object (64 + 16) plus a `PyMem`
 * buffer grown by `array_resize`: `newsize + (newsize >> 4) + (3 if size < 8 else 7)`.
 */
import type { Runtime } from "./runtime.ts";
import { emitFree } from "./scalars.ts";
import { clearWeakRefs } from "./weakref.ts";

/** A function body: receives borrowed argument ids. */
export type FunctionBody = (args: number[]) => void;

/** `PyFunction_New`: steals the references in `captured`. */
export function newFunction(
  rt: Runtime,
  body: FunctionBody | undefined,
  captured: number[],
): number {
  const size = rt.v.functionSize;
  const id = rt.newObject(rt.b.function, size);
  if (captured.length > 0) {
    const off = rt.cells.alloc(captured.length);
    rt.cells.data.set(captured, off);
    rt.a0[id] = off;
    rt.size[id] = captured.length;
  }
  if (body !== undefined) rt.extra.set(id, body);
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "function", size, freelist: false });
  rt.gcLink();
  rt.track(id);
  return id;
}

export function functionChildren(rt: Runtime, id: number, out: number[]): void {
  const n = rt.size[id]!;
  const off = rt.a0[id]!;
  for (let i = 0; i < n; i++) {
    const v = rt.cells.data[off + i]!;
    if (v !== 0) out.push(v);
  }
}

/** `func_clear` (the captured objects, in order). */
export function functionClear(rt: Runtime, id: number): void {
  const n = rt.size[id]!;
  const off = rt.a0[id]!;
  for (let i = 0; i < n; i++) {
    const v = rt.cells.data[off + i]!;
    if (v !== 0) {
      rt.cells.data[off + i] = 0;
      rt.decref(v);
    }
  }
}

/** `func_dealloc`. */
export function functionDealloc(rt: Runtime, id: number): void {
  rt.untrack(id);
  clearWeakRefs(rt, id);
  functionClear(rt, id);
  if (rt.size[id]! > 0) rt.cells.release(rt.a0[id]!, rt.size[id]!);
  rt.extra.delete(id);
  if (rt.emit) emitFree(rt, id, "function", rt.v.functionSize);
  rt.gcDel(id);
}

/** Item sizes of the array typecodes. */
export const ARRAY_ITEMSIZE: Readonly<Record<string, number>> = {
  b: 1,
  B: 1,
  u: 4,
  h: 2,
  H: 2,
  i: 4,
  I: 4,
  l: 8,
  L: 8,
  q: 8,
  Q: 8,
  f: 4,
  d: 8,
};

interface ArrayData {
  readonly typecode: string;
  readonly itemsize: number;
  items: number[];
}

/** `array.array(typecode)` (`newarrayobject` with size 0, `tp_alloc` = GenericAlloc). */
export function newArray(rt: Runtime, typecode: string): number {
  const id = rt.newObject(rt.b.array, 80);
  rt.extra.set(id, { typecode, itemsize: ARRAY_ITEMSIZE[typecode]!, items: [] } as ArrayData);
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "array.array", size: 80, freelist: false });
  rt.gcLink();
  rt.track(id);
  return id;
}

function arrayData(rt: Runtime, id: number): ArrayData {
  return rt.extra.get(id) as ArrayData;
}

/** `array_resize`. */
export function arrayResize(rt: Runtime, id: number, newsize: number): void {
  const ad = arrayData(rt, id);
  const allocated = rt.a1[id]!;
  const size = rt.size[id]!;
  if (allocated >= newsize && size < newsize + 16 && rt.blk2[id] !== 0) {
    rt.size[id] = newsize;
    return;
  }
  if (newsize === 0) {
    if (rt.blk2[id] !== 0) rt.pm.free(rt.blk2[id]!);
    rt.blk2[id] = 0;
    rt.size[id] = 0;
    rt.a1[id] = 0;
    return;
  }
  const newAlloc = (newsize >> 4) + (size < 8 ? 3 : 7) + newsize;
  rt.blk2[id] = rt.pm.realloc(rt.blk2[id]!, newAlloc * ad.itemsize);
  rt.size[id] = newsize;
  rt.a1[id] = newAlloc;
}

/** `array.append` / iterating `array(typecode, iterable)` (`ins1` at the end). */
export function arrayAppend(rt: Runtime, id: number, value: number): void {
  const n = rt.size[id]!;
  arrayResize(rt, id, n + 1);
  arrayData(rt, id).items.push(value);
}

export function arrayValues(rt: Runtime, id: number): readonly number[] {
  return arrayData(rt, id).items;
}

export function arrayTypecode(rt: Runtime, id: number): string {
  return arrayData(rt, id).typecode;
}

/** `sys.getsizeof(array)`: 80 + allocated × itemsize. */
export function arraySizeof(rt: Runtime, id: number): number {
  return 80 + rt.a1[id]! * arrayData(rt, id).itemsize;
}

/** `array_dealloc`. */
export function arrayDealloc(rt: Runtime, id: number): void {
  rt.untrack(id);
  clearWeakRefs(rt, id);
  if (rt.blk2[id] !== 0) rt.pm.free(rt.blk2[id]!);
  rt.extra.delete(id);
  if (rt.emit) emitFree(rt, id, "array.array", 80);
  rt.gcDel(id);
}
