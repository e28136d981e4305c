/**
 * `tp_dealloc`, `tp_traverse` and `tp_clear` by kind.
 */
import {
  K_ARRAY,
  K_BYTEARRAY,
  K_BYTES,
  K_COMPLEX,
  K_DICT,
  K_FLOAT,
  K_FROZENSET,
  K_FUNCTION,
  K_INSTANCE,
  K_INT,
  K_LIST,
  K_OBJECT,
  K_RANGE,
  K_SET,
  K_STR,
  K_TUPLE,
  K_WEAKREF,
} from "./constants.ts";
import { dictChildren, dictClear, dictDealloc } from "./dict.ts";
import { instanceChildren, instanceClear, instanceDealloc } from "./instance.ts";
import { listClear, listDealloc } from "./list.ts";
import { arrayDealloc, functionChildren, functionClear, functionDealloc } from "./misc.ts";
import type { Runtime } from "./runtime.ts";
import { emitFree, floatDealloc } from "./scalars.ts";
import { setClear, setDealloc } from "./setdata.ts";
import { tupleDealloc } from "./tuple.ts";
import { clearWeakref, weakrefDealloc } from "./weakref.ts";

/** Frees `id` whose refcount just reached zero. */
export function dealloc(rt: Runtime, id: number): void {
  const tp = rt.types[rt.type[id]!]!;
  switch (tp.kind) {
    case K_FLOAT:
      floatDealloc(rt, id);
      return;
    case K_TUPLE:
      tupleDealloc(rt, id);
      return;
    case K_LIST:
      listDealloc(rt, id);
      return;
    case K_DICT:
      dictDealloc(rt, id);
      return;
    case K_SET:
    case K_FROZENSET:
      setDealloc(rt, id);
      return;
    case K_INSTANCE:
      instanceDealloc(rt, id);
      return;
    case K_WEAKREF:
      weakrefDealloc(rt, id);
      return;
    case K_FUNCTION:
      functionDealloc(rt, id);
      return;
    case K_ARRAY:
      arrayDealloc(rt, id);
      return;
    case K_BYTEARRAY:
      if (rt.blk2[id] !== 0) rt.pm.free(rt.blk2[id]!);
      rt.extra.delete(id);
      if (rt.emit) emitFree(rt, id, tp.name, 56);
      rt.objFree(id);
      return;
    case K_STR:
    case K_BYTES:
      if (rt.emit) emitFree(rt, id, tp.name, rt.pm.requestedSize(rt.blk[id]!));
      rt.strs.delete(id);
      rt.objFree(id);
      return;
    case K_INT:
      if (rt.emit) emitFree(rt, id, tp.name, rt.pm.requestedSize(rt.blk[id]!));
      rt.bigs.delete(id);
      rt.objFree(id);
      return;
    case K_COMPLEX:
    case K_RANGE:
    case K_OBJECT:
      if (rt.emit) emitFree(rt, id, tp.name, rt.pm.requestedSize(rt.blk[id]!));
      rt.extra.delete(id);
      rt.objFree(id);
      return;
    default:
      throw new Error(`internal: cannot free ${tp.name} #${id}`);
  }
}

/** `tp_traverse`: the references `id` holds, in CPython's visiting order. */
export function children(rt: Runtime, id: number, out: number[]): void {
  const tp = rt.types[rt.type[id]!]!;
  const d = rt.cells.data;
  switch (tp.kind) {
    case K_TUPLE:
    case K_LIST: {
      const off = rt.a0[id]!;
      for (let i = rt.size[id]! - 1; i >= 0; i--) {
        const v = d[off + i]!;
        if (v !== 0) out.push(v);
      }
      return;
    }
    case K_DICT:
      dictChildren(rt, id, out);
      return;
    case K_SET:
    case K_FROZENSET: {
      const so = rt.sets.get(id)!;
      for (let e = 0; e <= so.mask; e++) if (so.keys[e]! > 0) out.push(so.keys[e]!);
      return;
    }
    case K_INSTANCE:
      instanceChildren(rt, id, out);
      return;
    case K_WEAKREF:
      if (tp.keyed && rt.size[id] !== 0) out.push(rt.size[id]!);
      if (rt.a1[id] !== 0) out.push(rt.a1[id]!);
      return;
    case K_FUNCTION:
      functionChildren(rt, id, out);
      return;
    default:
      return;
  }
}

/** `tp_clear` (tuples have none). */
export function clear(rt: Runtime, id: number): void {
  const tp = rt.types[rt.type[id]!]!;
  switch (tp.kind) {
    case K_LIST:
      listClear(rt, id);
      return;
    case K_DICT:
      dictClear(rt, id);
      return;
    case K_SET:
    case K_FROZENSET:
      setClear(rt, id);
      return;
    case K_INSTANCE:
      instanceClear(rt, id);
      return;
    case K_WEAKREF:
      if (tp.keyed && rt.size[id] !== 0) {
        const key = rt.size[id]!;
        rt.size[id] = 0;
        rt.decref(key);
      }
      clearWeakref(rt, id);
      return;
    case K_FUNCTION:
      functionClear(rt, id);
      return;
    default:
      return;
  }
}
