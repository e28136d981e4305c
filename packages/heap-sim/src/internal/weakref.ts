/**
 * Weak references (CPython 3.11 `Objects/weakrefobject.c`): `weakref___new__` (a callback-less
 * `ref` is shared: asking twice returns the same object; callback refs go after the basic ref in
 * the referent's list), `clear_weakref`, `_PyWeakref_ClearRef`, `PyObject_ClearWeakRefs` (refcount
 * death: basic refs cleared, then callbacks in list order; with more than one weakref a temporary
 * tuple of (ref, callback) pairs is allocated, exactly as CPython does). JS watchers (the
 * WeakProvider's refs) are told after the Python callbacks.
 */
import { F_WATCHED, K_FUNCTION } from "./constants.ts";
import type { Runtime, WeakCallback } from "./runtime.ts";
import { emitFree } from "./scalars.ts";
import { trashBegin, trashEnd } from "./trash.ts";
import { tupleAlloc } from "./tuple.ts";
import type { TypeDesc } from "./types.ts";

/** A weakref callback: a simulated callable (function object id) or a JS function. */
export type CallbackSpec = number | WeakCallback | undefined;

function hasCallback(rt: Runtime, wr: number): boolean {
  return rt.a1[wr] !== 0 || rt.wrCallbacks.has(wr);
}

/** `get_basic_refs`: the head if it is a callback-less exact `ref`, else 0. */
function basicRef(rt: Runtime, list: number[] | undefined): number {
  if (list === undefined || list.length === 0) return 0;
  const head = list[0]!;
  if (!hasCallback(rt, head) && rt.type[head] === rt.b.weakref.id) return head;
  return 0;
}

/**
 * `weakref.ref(target, callback)` / `KeyedRef(target, callback, key)`: returns a new reference.
 * `key` (KeyedRef only) is stolen. The target must support weak references (checked by the caller).
 */
export function newWeakref(
  rt: Runtime,
  target: number,
  callback: CallbackSpec,
  keyedType: TypeDesc | undefined,
  key: number,
): number {
  const exact = keyedType === undefined;
  if (callback === undefined && exact) {
    const ref = basicRef(rt, rt.weaklists.get(target));
    if (ref !== 0) {
      rt.incref(ref);
      return ref;
    }
  }
  const tp = keyedType ?? rt.b.weakref;
  const req = tp.preheader + tp.basicsize;
  const id = rt.newObject(tp, req);
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: tp.name, size: req, freelist: false });
  rt.gcLink();
  rt.track(id);
  rt.a0[id] = target;
  if (typeof callback === "number") {
    rt.incref(callback);
    rt.a1[id] = callback;
  } else if (typeof callback === "function") {
    rt.wrCallbacks.set(id, callback);
  }
  if (!exact) rt.size[id] = key;
  let list = rt.weaklists.get(target);
  if (list === undefined) {
    list = [];
    rt.weaklists.set(target, list);
  }
  if (callback === undefined && exact) {
    list.unshift(id);
  } else {
    const prev = basicRef(rt, list);
    if (prev === 0) list.unshift(id);
    else list.splice(list.indexOf(prev) + 1, 0, id);
  }
  return id;
}

function unlink(rt: Runtime, wr: number): void {
  const target = rt.a0[wr]!;
  if (target === 0) return;
  const list = rt.weaklists.get(target);
  if (list !== undefined) {
    const i = list.indexOf(wr);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) rt.weaklists.delete(target);
  }
  rt.a0[wr] = 0;
}

/** `clear_weakref`: unlink from the referent's list and drop the callback. */
export function clearWeakref(rt: Runtime, wr: number): void {
  unlink(rt, wr);
  const cb = rt.a1[wr]!;
  if (cb !== 0) {
    rt.a1[wr] = 0;
    rt.decref(cb);
  }
  rt.wrCallbacks.delete(wr);
}

/** `_PyWeakref_ClearRef`: unlink only, keep the callback. */
export function clearRef(rt: Runtime, wr: number): void {
  unlink(rt, wr);
}

/** Calls a weakref's callback with the weakref (`handle_callback`). */
export function runCallback(
  rt: Runtime,
  wr: number,
  cb: number,
  js: WeakCallback | undefined,
  referent: number,
): void {
  if (rt.emit) rt.emit({ type: "weakref-callback", weakref: wr, referent });
  if (js !== undefined) {
    rt.callUser(() => js(wr));
    return;
  }
  if (cb !== 0 && rt.types[rt.type[cb]!]!.kind === K_FUNCTION) {
    const body = rt.extra.get(cb) as ((args: number[]) => void) | undefined;
    if (body !== undefined) rt.callUser(() => body([wr]));
  }
}

/** `PyObject_ClearWeakRefs` (refcount death of `obj`), then the JS watchers. */
export function clearWeakRefs(rt: Runtime, obj: number): void {
  const list = rt.weaklists.get(obj);
  if (list !== undefined && list.length > 0) {
    // Remove the callback-less basic (and proxy) references.
    if (!hasCallback(rt, list[0]!)) {
      clearWeakref(rt, list[0]!);
      const l2 = rt.weaklists.get(obj);
      if (l2 !== undefined && l2.length > 0 && !hasCallback(rt, l2[0]!)) clearWeakref(rt, l2[0]!);
    }
    const rest = rt.weaklists.get(obj);
    if (rest !== undefined && rest.length > 0) {
      const refs = rest.slice();
      if (refs.length === 1) {
        const current = refs[0]!;
        const cb = rt.a1[current]!;
        const js = rt.wrCallbacks.get(current);
        rt.a1[current] = 0;
        rt.wrCallbacks.delete(current);
        clearWeakref(rt, current);
        if (cb !== 0 || js !== undefined) {
          if (rt.rc[current]! > 0) runCallback(rt, current, cb, js, obj);
          if (cb !== 0) rt.decref(cb);
        }
      } else {
        const count = refs.length;
        const tuple = tupleAlloc(rt, count * 2);
        rt.track(tuple);
        const jsCbs: (WeakCallback | undefined)[] = [];
        for (let i = 0; i < count; i++) {
          const current = refs[i]!;
          const cb = rt.a1[current]!;
          const js = rt.wrCallbacks.get(current);
          if (rt.rc[current]! > 0) {
            rt.incref(current);
            const off = rt.a0[tuple]!;
            rt.cells.data[off + 2 * i] = current;
            if (cb !== 0) {
              rt.cells.data[off + 2 * i + 1] = cb;
            } else {
              rt.incref(rt.None);
              rt.cells.data[off + 2 * i + 1] = rt.None;
            }
            jsCbs[i] = js;
          } else if (cb !== 0) {
            rt.decref(cb);
          }
          rt.a1[current] = 0;
          rt.wrCallbacks.delete(current);
          clearWeakref(rt, current);
        }
        for (let i = 0; i < count; i++) {
          const off = rt.a0[tuple]!;
          const item = rt.cells.data[off + 2 * i]!;
          const cb = rt.cells.data[off + 2 * i + 1]!;
          const js = jsCbs[i];
          if (item !== 0 && (js !== undefined || (cb !== 0 && cb !== rt.None))) {
            runCallback(rt, item, cb === rt.None ? 0 : cb, js, obj);
          }
        }
        rt.decref(tuple);
      }
    }
  }
  if ((rt.flags[obj]! & F_WATCHED) !== 0) notifyWatchers(rt, obj);
}

/** Tells the JS watchers of `obj` that its weak references are gone. */
export function notifyWatchers(rt: Runtime, obj: number): void {
  const ws = rt.watchers.get(obj);
  rt.flags[obj]! &= ~F_WATCHED;
  if (ws === undefined) return;
  rt.watchers.delete(obj);
  for (const w of ws) rt.callUser(() => w.cleared(obj));
}

/** `weakref_dealloc`, or `subtype_dealloc` then `weakref_dealloc` for KeyedRef. */
export function weakrefDealloc(rt: Runtime, id: number): void {
  const tp = rt.typeOf(id);
  rt.untrack(id);
  if (tp.keyed) {
    if (!trashBegin(rt, id)) return;
    const key = rt.size[id]!;
    if (key !== 0) {
      rt.size[id] = 0;
      rt.decref(key);
    }
  }
  clearWeakref(rt, id);
  rt.wrKeys.delete(id);
  if (rt.emit) emitFree(rt, id, tp.name, tp.preheader + tp.basicsize);
  rt.gcDel(id);
  if (tp.keyed) trashEnd(rt);
}

/** Weakrefs pointing at `obj`, in list order. */
export function weakrefsTo(rt: Runtime, obj: number): readonly number[] {
  return rt.weaklists.get(obj) ?? [];
}
