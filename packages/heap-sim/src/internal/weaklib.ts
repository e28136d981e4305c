/**
 * The weak containers of CPython 3.11 `Lib/weakref.py` and `Lib/_weakrefset.py`, built from
 * simulated objects the way the Python code builds them: an instance whose `data` is a dict (or a
 * set), a `remove` function object holding a weakref to the container, `_pending_removals` (a list)
 * and `_iterating` (a set). Values (WeakValueDictionary) are held by `KeyedRef` weakrefs, keys
 * (WeakKeyDictionary) and members (WeakSet) by `ref(item, remove)`. So an entry dies when its
 * referent dies, and a collection counts the KeyedRefs freed by their callbacks.
 */
import { PythonError } from "../errors.ts";
import { constStr } from "./consts.ts";
import { dictDelItem, dictGet, dictItems, dictNew, dictSetItem } from "./dict.ts";
import { getAttr, newInstance, setAttr } from "./instance.ts";
import { checkHashable } from "./keys.ts";
import { listAppend, listNew, listPop } from "./list.ts";
import { newFunction } from "./misc.ts";
import type { Runtime } from "./runtime.ts";
import { setAdd, setDiscard, setNew } from "./setdata.ts";
import { makeClassType, type TypeDesc } from "./types.ts";
import { newWeakref } from "./weakref.ts";

export type WeakKind = "WeakValueDictionary" | "WeakKeyDictionary" | "WeakSet";

function libType(rt: Runtime, name: string): TypeDesc {
  let tp = rt.libTypes.get(name);
  if (tp === undefined) {
    tp = makeClassType(
      rt.types,
      { name, base: undefined, slots: undefined, finalizer: undefined },
      rt.v,
    );
    rt.libTypes.set(name, tp);
  }
  return tp;
}

function attr(rt: Runtime, self: number, name: string): number {
  return getAttr(rt, self, name);
}

/** Creates the container instance (a new reference), its attributes in `__init__` order. */
export function newWeakContainer(rt: Runtime, kind: WeakKind): number {
  const self = newInstance(rt, libType(rt, kind));
  const selfref = newWeakref(rt, self, undefined, undefined, 0);
  const body = (args: number[]) => removeCallback(rt, kind, args[0]!, selfref);
  if (kind === "WeakValueDictionary") {
    setAttr(rt, self, "_remove", newFunction(rt, body, [selfref]));
    setAttr(rt, self, "_pending_removals", listNew(rt, 0));
    setAttr(rt, self, "_iterating", setNew(rt, false));
    setAttr(rt, self, "data", dictNew(rt));
  } else if (kind === "WeakKeyDictionary") {
    setAttr(rt, self, "data", dictNew(rt));
    setAttr(rt, self, "_remove", newFunction(rt, body, [selfref]));
    setAttr(rt, self, "_pending_removals", listNew(rt, 0));
    setAttr(rt, self, "_iterating", setNew(rt, false));
    rt.incref(rt.False);
    setAttr(rt, self, "_dirty_len", rt.False);
  } else {
    setAttr(rt, self, "data", setNew(rt, false));
    setAttr(rt, self, "_remove", newFunction(rt, body, [selfref]));
    setAttr(rt, self, "_pending_removals", listNew(rt, 0));
    setAttr(rt, self, "_iterating", setNew(rt, false));
  }
  return self;
}

/** The `remove` closures of the three containers. `wr` is the dead weakref (borrowed). */
function removeCallback(rt: Runtime, kind: WeakKind, wr: number, selfref: number): void {
  const self = rt.a0[selfref]!;
  if (self === 0) return;
  const iterating = rt.sets.get(attr(rt, self, "_iterating"))!.used > 0;
  const pending = attr(rt, self, "_pending_removals");
  if (kind === "WeakValueDictionary") {
    const key = rt.size[wr]!; // KeyedRef.key
    if (iterating) {
      rt.incref(key);
      listAppend(rt, pending, key);
    } else {
      removeDeadWeakref(rt, attr(rt, self, "data"), key);
    }
    return;
  }
  if (iterating) {
    rt.incref(wr);
    listAppend(rt, pending, wr);
    return;
  }
  if (kind === "WeakKeyDictionary") {
    const data = attr(rt, self, "data");
    if (dictGet(rt, data, wr) !== 0) dictDelItem(rt, data, wr, "weakref");
  } else {
    setDiscard(rt, attr(rt, self, "data"), wr);
  }
}

/** `_remove_dead_weakref(d, key)`: deletes `d[key]` only if it is a dead weakref. */
function removeDeadWeakref(rt: Runtime, dict: number, key: number): void {
  const wr = dictGet(rt, dict, key);
  if (wr !== 0 && rt.a0[wr] === 0) dictDelItem(rt, dict, key, "key");
}

/** `_commit_removals`. */
export function commitRemovals(rt: Runtime, kind: WeakKind, self: number): void {
  const pending = attr(rt, self, "_pending_removals");
  const data = attr(rt, self, "data");
  while (rt.size[pending]! > 0) {
    const key = listPop(rt, pending, -1);
    if (kind === "WeakValueDictionary") removeDeadWeakref(rt, data, key);
    else if (kind === "WeakKeyDictionary") {
      if (dictGet(rt, data, key) !== 0) dictDelItem(rt, data, key, "weakref");
    } else setDiscard(rt, data, key);
    rt.decref(key);
  }
}

export function pendingCount(rt: Runtime, self: number): number {
  return rt.size[attr(rt, self, "_pending_removals")]!;
}

/** `len()` of the container (3.11 semantics per class). */
export function weakLen(rt: Runtime, kind: WeakKind, self: number): number {
  const data = attr(rt, self, "data");
  if (kind === "WeakValueDictionary") {
    if (pendingCount(rt, self) > 0) commitRemovals(rt, kind, self);
    return rt.dicts.get(data)!.used;
  }
  const n = kind === "WeakKeyDictionary" ? rt.dicts.get(data)!.used : rt.sets.get(data)!.used;
  return n - pendingCount(rt, self);
}

/** `wvd[key] = value`: steals `key`; `value` is borrowed (must support weakrefs). */
export function wvdSet(rt: Runtime, self: number, key: number, value: number): void {
  if (pendingCount(rt, self) > 0) commitRemovals(rt, "WeakValueDictionary", self);
  const remove = attr(rt, self, "_remove");
  rt.incref(key);
  const kr = newWeakref(rt, value, remove, rt.b.KeyedRef, key);
  dictSetItem(rt, attr(rt, self, "data"), key, kr);
}

/** `wvd[key]`: borrowed referent, or 0 when missing or dead. */
export function wvdGet(rt: Runtime, self: number, key: number): number {
  if (pendingCount(rt, self) > 0) commitRemovals(rt, "WeakValueDictionary", self);
  const wr = dictGet(rt, attr(rt, self, "data"), key);
  return wr === 0 ? 0 : rt.a0[wr]!;
}

/** `wkd[key] = value`: both stolen; `key` must support weakrefs. */
export function wkdSet(rt: Runtime, self: number, key: number, value: number): void {
  const remove = attr(rt, self, "_remove");
  const wr = newWeakref(rt, key, remove, undefined, 0);
  rt.decref(key);
  dictSetItem(rt, attr(rt, self, "data"), wr, value);
}

/** `wkd[key]` (borrowed value or 0). */
export function wkdGet(rt: Runtime, self: number, key: number): number {
  const wr = newWeakref(rt, key, undefined, undefined, 0);
  const v = dictGet(rt, attr(rt, self, "data"), wr);
  rt.decref(wr);
  return v;
}

/** `weakset.add(item)` (item borrowed). */
export function wsAdd(rt: Runtime, self: number, item: number): void {
  if (pendingCount(rt, self) > 0) commitRemovals(rt, "WeakSet", self);
  const remove = attr(rt, self, "_remove");
  const wr = newWeakref(rt, item, remove, undefined, 0);
  setAdd(rt, attr(rt, self, "data"), wr);
}

/**
 * Iterates a dict the way `dictiter` does: raises `RuntimeError: dictionary changed size during
 * iteration` on the next step after the dict's size changed.
 */
export function* iterDict(rt: Runtime, dict: number): Generator<[number, number]> {
  const start = rt.dicts.get(dict)!.used;
  let i = 0;
  for (;;) {
    const dd = rt.dicts.get(dict)!;
    if (dd.used !== start) {
      throw new PythonError("RuntimeError", "dictionary changed size during iteration");
    }
    const items = dictItems(rt, dict);
    if (i >= items.length) return;
    yield items[i++]!;
  }
}

/**
 * `for k in wvd`: an `_IterationGuard` (in `_iterating` while iterating; pending removals are
 * committed when the last guard leaves), yielding keys whose value is alive.
 */
export function* wvdKeys(rt: Runtime, self: number): Generator<number> {
  const guard = newInstance(rt, libType(rt, "_IterationGuard"));
  const iterating = attr(rt, self, "_iterating");
  rt.incref(guard);
  setAdd(rt, iterating, guard);
  try {
    for (const [k, wr] of iterDict(rt, attr(rt, self, "data"))) {
      if (rt.a0[wr] !== 0) yield k;
    }
  } finally {
    setDiscard(rt, iterating, guard);
    rt.decref(guard);
    if (rt.sets.get(iterating)!.used === 0) commitRemovals(rt, "WeakValueDictionary", self);
  }
}

/** Checks a key for a weak dictionary (hashable) before anything is stored. */
export function checkKey(rt: Runtime, key: number): void {
  checkHashable(rt, key);
}

/** The name constant of an attribute (for debugging views). */
export function attrName(rt: Runtime, name: string): number {
  return constStr(rt, name);
}
