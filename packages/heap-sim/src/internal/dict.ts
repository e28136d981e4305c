/**
 * Dicts (CPython 3.11 `Objects/dictobject.c`): `Py_EMPTY_KEYS` until the first insert, a keys
 * object of `2**k` index slots holding `USABLE_FRACTION = 2**k * 2 // 3` entries (16-byte entries
 * when every key is an exact str, 24-byte ones otherwise), resize to `calculate_log2_keysize(used *
 * 3)` when full, split tables (shared keys + a values array) for instance dicts. Dicts start
 * untracked and are tracked when a key or value may be tracked (`MAINTAIN_TRACKING`). Free list
 * of 80 dicts and 80 8-slot str-key keys objects.
 *
 * Lookups use a JS Map on canonical keys; the index table itself is not laid out (its layout does
 * not change any observable size or order).
 */
import { DICT_MAXFREELIST, F_TRACKED, K_STR } from "./constants.ts";
import { constStr } from "./consts.ts";
import { type Canon, canon } from "./keys.ts";
import { pythonError } from "./pyerror.ts";
import type { Runtime } from "./runtime.ts";
import { emitFree } from "./scalars.ts";
import { trashBegin, trashEnd } from "./trash.ts";
import { mayBeTracked } from "./tuple.ts";
import type { SharedKeys } from "./types.ts";
import {
  valuesAddOrder,
  valuesCap,
  valuesDeleteOrder,
  valuesFree,
  valuesGet,
  valuesInvalidate,
  valuesOrder,
  valuesSet,
} from "./values.ts";

export const D_EMPTY = 0;
export const D_UNICODE = 1;
export const D_GENERAL = 2;
export const D_SPLIT = 3;
const NO_ENTRIES = new Int32Array(0);
const LOG_MINSIZE = 3;

/** Bookkeeping of one dict object. */
export class DictData {
  kind = D_EMPTY;
  log2 = 0;
  usable = 0;
  nentries = 0;
  used = 0;
  /** pymalloc address of the keys object (combined tables). */
  keysAddr = 0;
  ek: Int32Array = NO_ENTRIES;
  ev: Int32Array = NO_ENTRIES;
  readonly lookup = new Map<Canon, number>();
  shared: SharedKeys | undefined;
  /** Values-slab offset of the values array (split tables). */
  values = 0;
  /** pymalloc address of the values array (split tables that own it; 0 when embedded). */
  valuesAddr = 0;
  /** 3.13: the values are an instance's inline values (the instance owns them). */
  embedded = false;
  /** The instance whose inline values an embedded dict uses. */
  owner = 0;
}

/** `USABLE_FRACTION(2**log2)`. */
export function usableFraction(log2: number): number {
  return Math.floor((2 ** log2 * 2) / 3);
}

/** Bytes of a keys object (`_PyDict_KeysSize`): header 32 + index bytes + entries. */
export function keysSize(log2: number, unicode: boolean): number {
  const log2Bytes = log2 < 8 ? log2 : log2 < 16 ? log2 + 1 : log2 < 32 ? log2 + 2 : log2 + 3;
  return 32 + 2 ** log2Bytes + (unicode ? 16 : 24) * usableFraction(log2);
}

/**
 * `calculate_log2_keysize` exactly as 3.11 computes it on 64-bit Linux:
 * `bit_length(((minsize | 8) - 1) | 7)`. Not quite "the smallest power of two ≥ minsize": 1..7
 * give 16 slots and a power of two m ≥ 16 gives 2m (a dict converted from str keys to general
 * keys with one item gets 16 slots, not 8).
 */
export function calculateLog2Keysize(minsize: number): number {
  let v = (minsize | 8) - 1;
  v |= 7;
  let bits = 0;
  while (v > 0) {
    bits++;
    v = Math.floor(v / 2);
  }
  return bits;
}

/** `estimate_log2_keysize`: room for n entries without resizing. */
export function estimateLog2Keysize(n: number): number {
  return calculateLog2Keysize(Math.floor((n * 3 + 1) / 2));
}

/** `new_keys_object`: makes `dd` a fresh combined table (allocating its keys object). */
function newKeys(rt: Runtime, dd: DictData, log2: number, unicode: boolean): void {
  if (log2 === LOG_MINSIZE && unicode && rt.dictKeysFree.length > 0) {
    dd.keysAddr = rt.dictKeysFree.pop()!;
  } else {
    dd.keysAddr = rt.pm.malloc(keysSize(log2, unicode));
  }
  dd.kind = unicode ? D_UNICODE : D_GENERAL;
  dd.log2 = log2;
  dd.usable = usableFraction(log2);
  dd.nentries = 0;
  dd.ek = new Int32Array(dd.usable);
  dd.ev = new Int32Array(dd.usable);
  dd.lookup.clear();
}

/** Frees a combined keys object (after its entries were released or moved). */
function freeKeysBlock(rt: Runtime, log2: number, unicode: boolean, addr: number): void {
  if (log2 === LOG_MINSIZE && unicode && rt.dictKeysFree.length < DICT_MAXFREELIST) {
    rt.dictKeysFree.push(addr);
  } else {
    rt.pm.free(addr);
  }
}

/**
 * `new_dict`: a dict object (free list first, else the GC allocator) for `dd`. Untracked.
 * `generic` models `dict()` (`dict_new` → `tp_alloc`, which bypasses the free list).
 */
export function newDictObject(rt: Runtime, dd: DictData, generic = false): number {
  let id: number;
  let freelist = false;
  if (!generic && rt.dictFree.length > 0) {
    id = rt.dictFree.pop()!;
    rt.revive(id);
    freelist = true;
  } else {
    id = rt.newObject(rt.b.dict, 64);
  }
  rt.dicts.set(id, dd);
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: "dict", size: 64, freelist });
  if (!freelist) rt.gcLink();
  return id;
}

/** `PyDict_New()` / `{}`. */
export function dictNew(rt: Runtime): number {
  return newDictObject(rt, new DictData());
}

/** `dict_new_presized(n)` as BUILD_MAP uses it for more than 5 items. */
export function dictNewPresized(rt: Runtime, n: number, unicode: boolean): number {
  if (n <= usableFraction(LOG_MINSIZE)) return dictNew(rt);
  const log2 = n > usableFraction(17) ? 17 : estimateLog2Keysize(n);
  const dd = new DictData();
  newKeys(rt, dd, log2, unicode);
  return newDictObject(rt, dd);
}

function isExactStr(rt: Runtime, id: number): boolean {
  return rt.types[rt.type[id]!]!.kind === K_STR;
}

function maintainTracking(rt: Runtime, id: number, key: number, value: number): void {
  if ((rt.flags[id]! & F_TRACKED) !== 0) return;
  if (mayBeTracked(rt, key) || mayBeTracked(rt, value)) rt.track(id);
}

/** `_PyDict_SetItem_Take2`: steals `key` and `value` (the key must be hashable). */
export function dictSetItem(rt: Runtime, id: number, key: number, value: number): void {
  const dd = rt.dicts.get(id)!;
  if (dd.kind === D_EMPTY) {
    // insert_to_emptydict
    const unicode = isExactStr(rt, key);
    newKeys(rt, dd, LOG_MINSIZE, unicode);
    maintainTracking(rt, id, key, value);
    dd.ek[0] = key;
    dd.ev[0] = value;
    dd.lookup.set(canon(rt, key), 0);
    dd.used = 1;
    dd.usable--;
    dd.nentries = 1;
    return;
  }
  if ((dd.kind === D_UNICODE || dd.kind === D_SPLIT) && !isExactStr(rt, key)) {
    dictResize(rt, dd, calculateLog2Keysize(dd.used * 3), false);
  }
  const c = canon(rt, key);
  let ix = -1;
  let old = 0;
  if (dd.kind === D_SPLIT) {
    ix = dd.shared!.index.get((c as string).slice(1)) ?? -1;
    if (ix >= 0) old = valuesGet(rt, dd.values, ix);
  } else {
    ix = dd.lookup.get(c) ?? -1;
    if (ix >= 0) old = dd.ev[ix]!;
  }
  maintainTracking(rt, id, key, value);
  if (ix < 0) {
    const usable = dd.kind === D_SPLIT ? dd.shared!.usable : dd.usable;
    if (usable <= 0) dictResize(rt, dd, calculateLog2Keysize(dd.used * 3), true);
    if (dd.kind === D_SPLIT) {
      const name = (c as string).slice(1);
      const at = dd.shared!.insert(name);
      rt.incref(constStr(rt, name)); // the shared keys hold the name
      valuesSet(rt, dd.values, at, value);
      valuesAddOrder(rt, dd.values, at);
      dd.used++;
      rt.decref(key);
      return;
    }
    const at = dd.nentries;
    dd.ek[at] = key;
    dd.ev[at] = value;
    dd.lookup.set(c, at);
    dd.used++;
    dd.usable--;
    dd.nentries++;
    return;
  }
  if (old !== value) {
    if (dd.kind === D_SPLIT) {
      valuesSet(rt, dd.values, ix, value);
      if (old === 0) {
        valuesAddOrder(rt, dd.values, ix);
        dd.used++;
      }
    } else {
      dd.ev[ix] = value;
    }
  }
  if (old !== 0) rt.decref(old);
  rt.decref(key);
}

/** Borrowed value for `key`, or 0. */
export function dictGet(rt: Runtime, id: number, key: number): number {
  const dd = rt.dicts.get(id)!;
  if (dd.kind === D_EMPTY) return 0;
  const c = canon(rt, key);
  if (dd.kind === D_SPLIT) {
    if (typeof c !== "string" || c[0] !== "s") return 0;
    const ix = dd.shared!.index.get(c.slice(1));
    return ix === undefined || ix >= valuesCap(rt, dd.values) ? 0 : valuesGet(rt, dd.values, ix);
  }
  const ix = dd.lookup.get(c);
  return ix === undefined ? 0 : dd.ev[ix]!;
}

/** `PyDict_DelItem` (KeyError when missing). */
export function dictDelItem(rt: Runtime, id: number, key: number, repr: string): void {
  const dd = rt.dicts.get(id)!;
  const c = canon(rt, key);
  if (dd.kind === D_SPLIT) {
    const ix = typeof c === "string" && c[0] === "s" ? dd.shared!.index.get(c.slice(1)) : undefined;
    const old = ix === undefined ? 0 : valuesGet(rt, dd.values, ix);
    if (old === 0) throw pythonError("KeyError", repr);
    dd.used--;
    valuesSet(rt, dd.values, ix!, 0);
    valuesDeleteOrder(rt, dd.values, ix!);
    rt.decref(old);
    return;
  }
  const ix = dd.kind === D_EMPTY ? undefined : dd.lookup.get(c);
  if (ix === undefined) throw pythonError("KeyError", repr);
  const oldKey = dd.ek[ix]!;
  const oldValue = dd.ev[ix]!;
  dd.used--;
  dd.ek[ix] = 0;
  dd.ev[ix] = 0;
  dd.lookup.delete(c);
  rt.decref(oldKey);
  rt.decref(oldValue);
}

/**
 * `dictresize`: a new keys object first, then entries moved (compacted), then the old keys freed
 * (split tables: values array freed, shared keys kept). Always combined afterwards.
 */
export function dictResize(rt: Runtime, dd: DictData, log2: number, unicode: boolean): void {
  if (dd.kind === D_GENERAL) unicode = false;
  const oldKind = dd.kind;
  const oldLog2 = dd.log2;
  const oldAddr = dd.keysAddr;
  const oldEk = dd.ek;
  const oldEv = dd.ev;
  const oldN = dd.nentries;
  const shared = dd.shared;
  const oldValues = dd.values;
  const oldValuesAddr = dd.valuesAddr;
  const keys: number[] = [];
  const vals: number[] = [];
  if (oldKind === D_SPLIT) {
    for (const index of valuesOrder(rt, oldValues)) {
      const k = constStr(rt, shared!.names[index]!);
      rt.incref(k);
      keys.push(k);
      vals.push(valuesGet(rt, oldValues, index));
    }
  } else {
    for (let i = 0; i < oldN; i++) {
      if (oldEv[i] === 0) continue;
      keys.push(oldEk[i]!);
      vals.push(oldEv[i]!);
    }
  }
  newKeys(rt, dd, log2, unicode);
  dd.shared = undefined;
  dd.values = 0;
  dd.valuesAddr = 0;
  for (let i = 0; i < keys.length; i++) {
    dd.ek[i] = keys[i]!;
    dd.ev[i] = vals[i]!;
    dd.lookup.set(canon(rt, keys[i]!), i);
  }
  if (oldKind === D_SPLIT && dd.embedded) {
    // The dict now owns the values (moved refs); the instance's inline values become invalid.
    const cap = valuesCap(rt, oldValues);
    for (let i = 0; i < cap; i++) valuesSet(rt, oldValues, i, 0);
    valuesInvalidate(rt, oldValues);
    dd.embedded = false;
  } else if (oldKind === D_SPLIT) {
    if (oldValuesAddr !== 0) rt.pm.free(oldValuesAddr);
    valuesFree(rt, oldValues);
  } else if (oldKind !== D_EMPTY) {
    freeKeysBlock(rt, oldLog2, oldKind === D_UNICODE, oldAddr);
  }
  dd.usable -= keys.length;
  dd.nentries = keys.length;
}

/** `PyDict_Clear` (also the dict's `tp_clear`). */
export function dictClear(rt: Runtime, id: number): void {
  const dd = rt.dicts.get(id)!;
  if (dd.kind === D_EMPTY) return;
  if (dd.kind === D_SPLIT && dd.embedded) {
    const cap = valuesCap(rt, dd.values);
    for (let i = 0; i < cap; i++) {
      const v = valuesGet(rt, dd.values, i);
      if (v === 0) continue;
      valuesSet(rt, dd.values, i, 0);
      valuesDeleteOrder(rt, dd.values, i);
      dd.used--;
      rt.decref(v);
    }
    return;
  }
  const old = new DictData();
  Object.assign(old, dd);
  const fresh = new DictData();
  rt.dicts.set(id, fresh);
  releaseEntries(rt, old);
}

/** Releases what a (detached) dict state owns, in CPython's order. */
function releaseEntries(rt: Runtime, dd: DictData): void {
  if (dd.kind === D_SPLIT && dd.embedded) return; // the instance owns its inline values
  if (dd.kind === D_SPLIT) {
    const n = dd.shared!.nentries;
    for (let i = 0; i < n && i < valuesCap(rt, dd.values); i++) {
      const v = valuesGet(rt, dd.values, i);
      if (v !== 0) {
        valuesSet(rt, dd.values, i, 0);
        rt.decref(v);
      }
    }
    if (dd.valuesAddr !== 0) rt.pm.free(dd.valuesAddr);
    valuesFree(rt, dd.values);
  } else if (dd.kind !== D_EMPTY) {
    // free_keys_object: key then value, entry by entry.
    for (let i = 0; i < dd.nentries; i++) {
      const k = dd.ek[i]!;
      const v = dd.ev[i]!;
      if (k !== 0) rt.decref(k);
      if (v !== 0) rt.decref(v);
    }
    freeKeysBlock(rt, dd.log2, dd.kind === D_UNICODE, dd.keysAddr);
  }
}

/** `dict_dealloc`. */
export function dictDealloc(rt: Runtime, id: number): void {
  rt.untrack(id);
  if (!trashBegin(rt, id)) return;
  const dd = rt.dicts.get(id)!;
  releaseEntries(rt, dd);
  rt.dicts.delete(id);
  if (rt.dictFree.length < DICT_MAXFREELIST) {
    rt.park(id);
    rt.dictFree.push(id);
    if (rt.emit) {
      rt.emit({
        type: "free",
        id,
        typeName: "dict",
        size: 64,
        freelist: true,
        cause: rt.freeCause,
      });
    }
  } else {
    if (rt.emit) emitFree(rt, id, "dict", 64);
    rt.gcDel(id);
  }
  trashEnd(rt);
}

/** `_PyDict_MaybeUntrack`. */
export function dictMaybeUntrack(rt: Runtime, id: number): void {
  if ((rt.flags[id]! & F_TRACKED) === 0) return;
  const dd = rt.dicts.get(id)!;
  if (dd.kind === D_SPLIT) {
    const n = dd.shared!.nentries;
    for (let i = 0; i < n; i++) {
      const v = valuesGet(rt, dd.values, i);
      if (v !== 0 && mayBeTracked(rt, v)) return;
    }
  } else {
    for (let i = 0; i < dd.nentries; i++) {
      const v = dd.ev[i]!;
      if (v === 0) continue;
      if (mayBeTracked(rt, v)) return;
      if (dd.kind === D_GENERAL && mayBeTracked(rt, dd.ek[i]!)) return;
    }
  }
  rt.untrack(id);
}

/** Items in iteration order, as [key, value] borrowed ids (split keys are the name constants). */
export function dictItems(rt: Runtime, id: number): [number, number][] {
  const dd = rt.dicts.get(id)!;
  const out: [number, number][] = [];
  if (dd.kind === D_SPLIT) {
    for (const ix of valuesOrder(rt, dd.values)) {
      out.push([constStr(rt, dd.shared!.names[ix]!), valuesGet(rt, dd.values, ix)]);
    }
  } else {
    for (let i = 0; i < dd.nentries; i++) if (dd.ev[i] !== 0) out.push([dd.ek[i]!, dd.ev[i]!]);
  }
  return out;
}

/** `tp_traverse` order: split values by index; unicode values; general value then key. */
export function dictChildren(rt: Runtime, id: number, out: number[]): void {
  const dd = rt.dicts.get(id)!;
  if (dd.kind === D_SPLIT) {
    if (dd.embedded) return; // visited by the instance
    const n = dd.shared!.nentries;
    for (let i = 0; i < n; i++) {
      const v = valuesGet(rt, dd.values, i);
      if (v !== 0) out.push(v);
    }
  } else if (dd.kind === D_UNICODE) {
    for (let i = 0; i < dd.nentries; i++) if (dd.ev[i] !== 0) out.push(dd.ev[i]!);
  } else if (dd.kind === D_GENERAL) {
    for (let i = 0; i < dd.nentries; i++) {
      if (dd.ev[i] !== 0) {
        out.push(dd.ev[i]!);
        out.push(dd.ek[i]!);
      }
    }
  }
}

/** `_PyDict_SizeOf` plus the 16-byte GC head (`sys.getsizeof`). */
export function dictSizeof(rt: Runtime, id: number): number {
  const dd = rt.dicts.get(id)!;
  let res = 16 + 48;
  if (dd.kind === D_SPLIT) res += 8 * dd.shared!.usableSize();
  else if (dd.kind !== D_EMPTY) res += keysSize(dd.log2, dd.kind === D_UNICODE);
  return res;
}

/**
 * `make_dict_from_instance_attributes`: a split dict over an instance's values array (taking it
 * over with its pymalloc block `addr`, or, embedded in 3.13, sharing it with `owner`).
 */
export function dictFromValues(
  rt: Runtime,
  shared: SharedKeys,
  values: number,
  owner = 0,
  addr = 0,
): number {
  const dd = new DictData();
  dd.kind = D_SPLIT;
  dd.shared = shared;
  dd.values = values;
  dd.valuesAddr = addr;
  dd.embedded = owner !== 0;
  dd.owner = owner;
  let track = false;
  const n = shared.usableSize();
  const cap = valuesCap(rt, values);
  for (let i = 0; i < n && i < cap; i++) {
    const v = valuesGet(rt, values, i);
    if (v !== 0) {
      dd.used++;
      if (mayBeTracked(rt, v)) track = true;
    }
  }
  const id = newDictObject(rt, dd);
  if (track) rt.track(id);
  return id;
}
