/**
 * Instances of user classes (CPython 3.11 `Objects/typeobject.c: object_new, subtype_dealloc,
 * subtype_traverse, subtype_clear`; `Objects/dictobject.c: init_inline_values,
 * _PyObject_StoreInstanceAttribute, PyObject_GenericGetDict`).
 *
 * Layout: a0 = offset of the `__slots__` members, a1 = offset of the managed values array (0 once
 * a `__dict__` was materialised), both in the runtime's instance slab `vcells`; blk2 = the values array's pymalloc block (0 when
 * inline, 3.13), size = id of the materialised `__dict__` (0 if none).
 */
import { F_FINALIZED, K_INSTANCE } from "./constants.ts";
import { constStr } from "./consts.ts";
import {
  D_SPLIT,
  DictData,
  dictDelItem,
  dictFromValues,
  dictGet,
  dictSetItem,
  newDictObject,
} from "./dict.ts";
import { pythonError } from "./pyerror.ts";
import type { Runtime } from "./runtime.ts";
import { emitFree } from "./scalars.ts";
import { trashBegin, trashEnd } from "./trash.ts";
import type { TypeDesc } from "./types.ts";
import {
  valuesAddOrder,
  valuesCap,
  valuesDeleteOrder,
  valuesFree,
  valuesGet,
  valuesNew,
  valuesOrder,
  valuesRequest,
  valuesSet,
  valuesValid,
} from "./values.ts";
import { clearWeakRefs } from "./weakref.ts";

/** Bytes requested for an instance body (pre-header + basicsize [+ inline values in 3.13]). */
export function instanceRequest(rt: Runtime, tp: TypeDesc): number {
  let size = tp.preheader + tp.basicsize;
  if (rt.v.inlineValues && tp.cls?.sharedKeys) {
    const s = tp.cls.sharedKeys.usableSize();
    size += Math.ceil(s / 8) * 8 + 8 * (s + 1);
  }
  return size;
}

/**
 * `object_new`: `tp_alloc` (the GC allocator, which may run a collection before the object is
 * tracked), track, then `_PyObject_InitializeDict` (the values array). Returns a new reference.
 */
export function newInstance(rt: Runtime, tp: TypeDesc): number {
  const cls = tp.cls!;
  const req = instanceRequest(rt, tp);
  const id = rt.newObject(tp, req);
  if (cls.slots.length > 0) {
    const off = rt.vcells.alloc(cls.slots.length);
    rt.vcells.data.fill(0, off, off + cls.slots.length);
    rt.a0[id] = off;
  }
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: tp.name, size: req, freelist: false });
  rt.gcLink();
  rt.track(id);
  const keys = cls.sharedKeys;
  if (keys !== undefined) {
    if (rt.v.inlineValues) {
      const cap = keys.usableSize();
      if (keys.usable > 1) keys.usable--;
      rt.a1[id] = valuesNew(rt, cap);
    } else {
      // init_inline_values: shrink the class's usable size by one per instance, then allocate.
      if (keys.usable > 1) keys.usable--;
      const cap = keys.usableSize();
      rt.blk2[id] = rt.pm.malloc(valuesRequest(cap));
      rt.a1[id] = valuesNew(rt, cap);
    }
  }
  return id;
}

/** The instance's values array if it is valid (not taken over by a dict), else 0. */
function validValues(rt: Runtime, id: number): number {
  const values = rt.a1[id]!;
  return values !== 0 && valuesValid(rt, values) ? values : 0;
}

/** Borrowed value of attribute `name`, or 0 when unset. */
export function getAttr(rt: Runtime, id: number, name: string): number {
  const cls = rt.typeOf(id).cls!;
  const si = cls.slotIndex.get(name);
  if (si !== undefined) return rt.vcells.data[rt.a0[id]! + si]!;
  if (!cls.managedDict) return 0;
  const values = validValues(rt, id);
  const dict = rt.size[id]!;
  if (values === 0) return dict === 0 ? 0 : dictGet(rt, dict, constStr(rt, name));
  const ix = cls.sharedKeys!.index.get(name);
  if (ix === undefined || ix >= valuesCap(rt, values)) return 0;
  return valuesGet(rt, values, ix);
}

/** Whether `setAttr(name)` is possible (slots classes refuse unknown names). */
export function canSetAttr(rt: Runtime, id: number, name: string): boolean {
  const cls = rt.typeOf(id).cls!;
  return cls.slotIndex.has(name) || cls.managedDict;
}

/** `PyObject_SetAttr` on an instance: steals `value`. */
export function setAttr(rt: Runtime, id: number, name: string, value: number): void {
  const cls = rt.typeOf(id).cls!;
  const si = cls.slotIndex.get(name);
  if (si !== undefined) {
    const at = rt.a0[id]! + si;
    const old = rt.vcells.data[at]!;
    rt.vcells.data[at] = value;
    if (old !== 0) rt.decref(old);
    return;
  }
  const values = validValues(rt, id);
  if (values === 0) {
    const key = constStr(rt, name);
    rt.incref(key);
    dictSetItem(rt, materialize(rt, id), key, value);
    return;
  }
  const keys = cls.sharedKeys!;
  const isNew = !keys.index.has(name);
  const ix = keys.insert(name);
  if (ix < 0) {
    // Shared keys are full: materialise a dict and store into it (which converts it).
    const key = constStr(rt, name);
    rt.incref(key);
    dictSetItem(rt, materialize(rt, id), key, value);
    return;
  }
  if (isNew) rt.incref(constStr(rt, name)); // insert_into_dictkeys: the shared keys own the name
  const old = valuesGet(rt, values, ix);
  valuesSet(rt, values, ix, value);
  if (old === 0) {
    valuesAddOrder(rt, values, ix);
    const dict = rt.size[id]!;
    if (dict !== 0) rt.dicts.get(dict)!.used++; // an embedded dict sees the new value
  } else rt.decref(old);
}

/** `del obj.name` (AttributeError when unset). */
export function delAttr(rt: Runtime, id: number, name: string): void {
  const tp = rt.typeOf(id);
  const cls = tp.cls!;
  const si = cls.slotIndex.get(name);
  if (si !== undefined) {
    const at = rt.a0[id]! + si;
    const old = rt.vcells.data[at]!;
    if (old === 0) throw pythonError("AttributeError", name);
    rt.vcells.data[at] = 0;
    rt.decref(old);
    return;
  }
  const missing = () =>
    pythonError("AttributeError", `'${tp.name}' object has no attribute '${name}'`);
  if (!cls.managedDict) throw missing();
  const values = validValues(rt, id);
  const dict = rt.size[id]!;
  if (values === 0) {
    if (dict === 0 || dictGet(rt, dict, constStr(rt, name)) === 0) throw missing();
    dictDelItem(rt, dict, constStr(rt, name), `'${name}'`);
    return;
  }
  const ix = cls.sharedKeys!.index.get(name);
  const old = ix === undefined || ix >= valuesCap(rt, values) ? 0 : valuesGet(rt, values, ix);
  if (old === 0) throw missing();
  valuesSet(rt, values, ix!, 0);
  valuesDeleteOrder(rt, values, ix!);
  if (dict !== 0) rt.dicts.get(dict)!.used--;
  rt.decref(old);
}

/**
 * `PyObject_GenericGetDict`: materialise `__dict__`. 3.11/3.12: a split dict taking over the
 * values array. 3.13: a dict embedded over the inline values, which the instance keeps.
 * Returns the dict id (borrowed; the instance owns it).
 */
export function materialize(rt: Runtime, id: number): number {
  const existing = rt.size[id]!;
  if (existing !== 0) return existing;
  const cls = rt.typeOf(id).cls!;
  const values = validValues(rt, id);
  let d: number;
  if (values !== 0) {
    if (rt.v.embeddedDict) {
      d = dictFromValues(rt, cls.sharedKeys!, values, id);
    } else {
      d = dictFromValues(rt, cls.sharedKeys!, values, 0, rt.blk2[id]!);
      rt.a1[id] = 0;
      rt.blk2[id] = 0;
    }
  } else {
    d = newDictObject(rt, new DictData());
  }
  rt.size[id] = d;
  return d;
}

/** Attribute names and values (borrowed) in `__dict__` order, slots first. */
export function instanceAttrs(rt: Runtime, id: number): [string, number][] {
  const cls = rt.typeOf(id).cls!;
  const out: [string, number][] = [];
  cls.slots.forEach((s, i) => {
    const v = rt.vcells.data[rt.a0[id]! + i]!;
    if (v !== 0) out.push([s, v]);
  });
  if (!cls.managedDict) return out;
  const values = validValues(rt, id);
  const dict = rt.size[id]!;
  if (values === 0) {
    if (dict !== 0) for (const [k, v] of dictItemsNamed(rt, dict)) out.push([k, v]);
    return out;
  }
  for (const ix of valuesOrder(rt, values)) {
    out.push([cls.sharedKeys!.names[ix]!, valuesGet(rt, values, ix)]);
  }
  return out;
}

function dictItemsNamed(rt: Runtime, dict: number): [string, number][] {
  const dd = rt.dicts.get(dict)!;
  const out: [string, number][] = [];
  if (dd.kind === D_SPLIT) {
    for (const ix of valuesOrder(rt, dd.values)) {
      out.push([dd.shared!.names[ix]!, valuesGet(rt, dd.values, ix)]);
    }
    return out;
  }
  for (let i = 0; i < dd.nentries; i++) {
    const v = dd.ev[i]!;
    if (v === 0) continue;
    const k = dd.ek[i]!;
    out.push([rt.strs.get(k) ?? `<key ${k}>`, v]);
  }
  return out;
}

/** `subtype_traverse`: slots in order, managed values by index, the `__dict__`. */
export function instanceChildren(rt: Runtime, id: number, out: number[]): void {
  const cls = rt.typeOf(id).cls!;
  const d = rt.vcells.data;
  const so = rt.a0[id]!;
  for (let i = 0; i < cls.slots.length; i++) {
    const v = d[so + i]!;
    if (v !== 0) out.push(v);
  }
  if (!cls.managedDict) return;
  const values = validValues(rt, id);
  if (values !== 0) {
    const n = Math.min(cls.sharedKeys!.nentries, valuesCap(rt, values));
    for (let i = 0; i < n; i++) {
      const v = valuesGet(rt, values, i);
      if (v !== 0) out.push(v);
    }
    return; // a 3.13 embedded dict is not visited while the inline values are valid
  }
  const dict = rt.size[id]!;
  if (dict !== 0) out.push(dict);
}

/** `subtype_clear`: slots, then the managed values (Py_CLEAR each), then the `__dict__`. */
export function instanceClear(rt: Runtime, id: number): void {
  const cls = rt.typeOf(id).cls!;
  clearSlots(rt, id, cls.slots.length);
  if (!cls.managedDict) return;
  const values = validValues(rt, id);
  if (values !== 0) {
    const n = Math.min(cls.sharedKeys!.nentries, valuesCap(rt, values));
    for (let i = 0; i < n; i++) {
      const v = valuesGet(rt, values, i);
      if (v !== 0) {
        valuesSet(rt, values, i, 0);
        rt.decref(v);
      }
    }
  }
  const dict = rt.size[id]!;
  if (dict !== 0) {
    rt.size[id] = 0;
    rt.decref(dict);
  }
}

function clearSlots(rt: Runtime, id: number, n: number): void {
  const so = rt.a0[id]!;
  for (let i = 0; i < n; i++) {
    const v = rt.vcells.data[so + i]!;
    if (v !== 0) {
      rt.vcells.data[so + i] = 0;
      rt.decref(v);
    }
  }
}

/**
 * `subtype_dealloc` for GC instances: untrack, trashcan, `__del__` (once, PEP 442; an object it
 * resurrects stays alive, re-tracked in generation 0), weakref callbacks, slots, then the dict or
 * the values (in index order), then `PyObject_GC_Del`.
 */
export function instanceDealloc(rt: Runtime, id: number): void {
  const tp = rt.typeOf(id);
  const cls = tp.cls!;
  rt.untrack(id);
  if (!trashBegin(rt, id)) return;
  if (cls.finalizer !== undefined) {
    rt.track(id);
    if (!callFinalizerFromDealloc(rt, id, cls.finalizer)) {
      trashEnd(rt); // resurrected
      return;
    }
    rt.untrack(id);
  }
  if (cls.weakref) clearWeakRefs(rt, id);
  clearSlots(rt, id, cls.slots.length);
  if (cls.managedDict) {
    const dict = rt.size[id]!;
    if (dict !== 0) {
      rt.size[id] = 0;
      rt.decref(dict);
    }
    const values = rt.a1[id]!;
    if (values !== 0) {
      rt.a1[id] = 0;
      if (valuesValid(rt, values)) {
        const n = Math.min(cls.sharedKeys!.nentries, valuesCap(rt, values));
        for (let i = 0; i < n; i++) {
          const v = valuesGet(rt, values, i);
          if (v !== 0) rt.decref(v);
        }
      }
      const addr = rt.blk2[id]!;
      if (addr !== 0) {
        rt.blk2[id] = 0;
        rt.pm.free(addr);
      }
      valuesFree(rt, values);
    }
  }
  if (cls.slots.length > 0) rt.vcells.release(rt.a0[id]!, cls.slots.length);
  if (rt.emit) emitFree(rt, id, tp.name, instanceRequest(rt, tp));
  rt.gcDel(id);
  trashEnd(rt);
}

/**
 * `PyObject_CallFinalizerFromDealloc`: resurrect temporarily, run `__del__` unless it already
 * ran, then undo. Returns false when the finalizer resurrected the object.
 */
function callFinalizerFromDealloc(rt: Runtime, id: number, fin: (self: number) => void): boolean {
  rt.rc[id] = 1;
  if ((rt.flags[id]! & F_FINALIZED) === 0) {
    if (rt.emit) rt.emit({ type: "finalizer", id, typeName: rt.typeOf(id).name });
    rt.callUser(() => fin(id));
    rt.flags[id]! |= F_FINALIZED;
  }
  rt.rc[id]!--;
  return rt.rc[id] === 0;
}

/** Bytes of the separate values array, for accounting. */
export function instanceValuesBytes(rt: Runtime, id: number): number {
  const values = rt.a1[id]!;
  if (values === 0 || rt.blk2[id] === 0) return 0;
  return valuesRequest(valuesCap(rt, values));
}

export function isInstance(rt: Runtime, id: number): boolean {
  return rt.typeOf(id).kind === K_INSTANCE;
}
