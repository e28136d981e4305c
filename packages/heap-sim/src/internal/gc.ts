/**
 * The cyclic collector, CPython 3.11 `Modules/gcmodule.c` step for step: `gc_collect_generations`
 * (oldest generation over its threshold, gen 2 only when `long_lived_pending` ≥ 25 % of
 * `long_lived_total`), `gc_collect_main` (`deduce_unreachable` = `update_refs` + `subtract_refs` +
 * `move_unreachable`, `untrack_tuples`, survivors merged into the next generation or `untrack_dicts`
 * for a full collection, `handle_weakrefs`, `finalize_garbage`, `handle_resurrected_objects`,
 * `delete_garbage`, `clear_freelists`), on doubly linked lists in the object table.
 */
import {
  F_COLLECTING,
  F_FINALIZED,
  F_TRACKED,
  F_UNREACHABLE,
  F_WATCHED,
  FIRST_ID,
  GEN0,
  GEN1,
  GEN2,
  K_DICT,
  K_INSTANCE,
  K_TUPLE,
  K_WEAKREF,
  L_FINALIZERS,
  L_SEEN,
  L_STILL,
  L_UNREACHABLE,
  L_WRCB,
  PERMANENT,
} from "./constants.ts";
import { children, clear } from "./dealloc.ts";
import { dictMaybeUntrack, dictNew, dictSetItem } from "./dict.ts";
import { DEBUG_SAVEALL } from "./gcstate.ts";
import { listAppend } from "./list.ts";
import type { Runtime } from "./runtime.ts";
import { newInt, newStr } from "./scalars.ts";
import { tupleMaybeUntrack } from "./tuple.ts";
import { clearRef, notifyWatchers, runCallback } from "./weakref.ts";

const HEADS = [GEN0, GEN1, GEN2] as const;

export function genHead(g: number): number {
  return HEADS[g]!;
}

/** Installs the automatic-collection hook on the runtime. */
export function installCollector(rt: Runtime): void {
  rt.collectHook = () => {
    rt.gc.collecting = true;
    try {
      collectGenerations(rt);
    } finally {
      rt.gc.collecting = false;
    }
  };
}

/** `gc_collect_generations`. */
function collectGenerations(rt: Runtime): number {
  const gc = rt.gc;
  const counts = [gc.count0, gc.count1, gc.count2];
  const thresholds = [gc.threshold0, gc.threshold1, gc.threshold2];
  for (let i = 2; i >= 0; i--) {
    if (counts[i]! > thresholds[i]!) {
      if (i === 2 && gc.longLivedPending < Math.trunc(gc.longLivedTotal / 4)) continue;
      return collectWithCallback(rt, i);
    }
  }
  return 0;
}

/** `gc.collect(generation)`: 0 without collecting when a collection is already running. */
export function collectManual(rt: Runtime, generation: number): number {
  if (rt.gc.collecting) return 0;
  rt.gc.collecting = true;
  try {
    return collectWithCallback(rt, generation);
  } finally {
    rt.gc.collecting = false;
  }
}

/** `gc_collect_with_callback`. */
function collectWithCallback(rt: Runtime, generation: number): number {
  invokeCallbacks(rt, "start", generation, 0, 0);
  const [n, m] = collectMain(rt, generation);
  invokeCallbacks(rt, "stop", generation, m, n);
  return n + m;
}

/**
 * `invoke_gc_callback`: when `gc.callbacks` is not empty, CPython builds the info dict with
 * `Py_BuildValue("{sisnsn}", ...)`: a dict, three new strs and three ints, freed afterwards.
 */
function invokeCallbacks(
  rt: Runtime,
  phase: "start" | "stop",
  generation: number,
  collected: number,
  uncollectable: number,
): void {
  const cbs = rt.gc.callbacks;
  if (cbs.length === 0) return;
  const info = dictNew(rt);
  const fields: [string, number][] = [
    ["generation", generation],
    ["collected", collected],
    ["uncollectable", uncollectable],
  ];
  for (const [k, v] of fields) dictSetItem(rt, info, newStr(rt, k), newInt(rt, v));
  for (const cb of cbs.slice()) {
    rt.callUser(() => cb(phase, { generation, collected, uncollectable }));
  }
  rt.decref(info);
}

/** `gc_collect_main`: returns [uncollectable n, collected m]. */
function collectMain(rt: Runtime, generation: number): [number, number] {
  const gc = rt.gc;
  if (rt.emit) rt.emit({ type: "gc-start", generation, count: [gc.count0, gc.count1, gc.count2] });
  if (generation === 0) gc.count1++;
  else if (generation === 1) gc.count2++;
  gc.count0 = 0;
  if (generation >= 1) gc.count1 = 0;
  if (generation >= 2) gc.count2 = 0;
  for (let i = 0; i < generation; i++) rt.listMerge(genHead(i), genHead(generation));
  const young = genHead(generation);
  const old = generation < 2 ? genHead(generation + 1) : young;

  deduceUnreachable(rt, young, L_UNREACHABLE);
  untrackTuples(rt, young);
  if (young !== old) {
    if (generation === 1) gc.longLivedPending += rt.listSize(young);
    rt.listMerge(young, old);
  } else {
    untrackDicts(rt, young);
    gc.longLivedPending = 0;
    gc.longLivedTotal = rt.listSize(young);
  }
  // No legacy (tp_del) finalizers can exist in the model: move_legacy_finalizers only clears the
  // NEXT_MASK_UNREACHABLE flags.
  clearUnreachableMask(rt, L_UNREACHABLE);

  let m = handleWeakrefs(rt, L_UNREACHABLE, old);
  finalizeGarbage(rt, L_UNREACHABLE);
  handleResurrected(rt, L_UNREACHABLE, L_STILL, old);
  m += rt.listSize(L_STILL);
  deleteGarbage(rt, L_STILL, old);
  const n = rt.listSize(L_FINALIZERS);
  rt.listMerge(L_FINALIZERS, old);
  if (generation === 2) clearFreelists(rt);
  const st = gc.stats[generation]!;
  st.collections++;
  st.collected += m;
  st.uncollectable += n;
  if (rt.emit) {
    rt.emit({
      type: "gc-stop",
      generation,
      collected: m,
      uncollectable: n,
      count: [gc.count0, gc.count1, gc.count2],
    });
  }
  return [n, m];
}

const buf: number[] = [];

/**
 * `deduce_unreachable`: `update_refs`, `subtract_refs`, `move_unreachable`. As in CPython, an
 * object's `gc_refs` lives in its `prev` link while the object is being collected (flag
 * `F_COLLECTING`): the list being scanned is singly linked meanwhile, and `move_unreachable`
 * restores the back links of the objects it keeps. The unreachable list stays doubly linked.
 */
function deduceUnreachable(rt: Runtime, base: number, unreachable: number): void {
  const next = rt.next;
  const prev = rt.prev;
  const flags = rt.flags;
  const rc = rt.rc;
  // update_refs
  for (let g = next[base]!; g !== base; g = next[g]!) {
    prev[g] = rc[g]!;
    flags[g] = (flags[g]! & ~F_UNREACHABLE) | F_COLLECTING;
  }
  // subtract_refs
  for (let g = next[base]!; g !== base; g = next[g]!) {
    buf.length = 0;
    children(rt, g, buf);
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i]!;
      if ((flags[c]! & F_COLLECTING) !== 0) prev[c]!--;
    }
  }
  // move_unreachable
  next[unreachable] = unreachable;
  prev[unreachable] = unreachable;
  let kept = base;
  let g = next[base]!;
  while (g !== base) {
    if (prev[g]! > 0) {
      buf.length = 0;
      children(rt, g, buf);
      for (let i = 0; i < buf.length; i++) visitReachable(rt, buf[i]!, base);
      prev[g] = kept; // relink the back pointer
      flags[g]! &= ~F_COLLECTING;
      kept = g;
    } else {
      // Move g to unreachable (no need for next[g]'s back link: the scanned list is singly linked).
      next[kept] = next[g]!;
      const last = prev[unreachable]!;
      next[last] = g;
      prev[g] = last;
      next[g] = unreachable;
      prev[unreachable] = g;
      flags[g]! |= F_UNREACHABLE;
    }
    g = next[kept]!;
  }
  prev[base] = kept; // the last object the scan kept
}

/** `visit_reachable`. */
function visitReachable(rt: Runtime, op: number, young: number): void {
  const f = rt.flags[op]!;
  if ((f & F_COLLECTING) === 0) return;
  const prev = rt.prev;
  const next = rt.next;
  if ((f & F_UNREACHABLE) !== 0) {
    // Back from the unreachable list (doubly linked) to the tail of the list being scanned.
    const p = prev[op]!;
    const n = next[op]!;
    next[p] = n;
    prev[n] = p;
    const last = prev[young]!;
    next[last] = op;
    next[op] = young;
    prev[young] = op;
    rt.flags[op] = f & ~F_UNREACHABLE;
    prev[op] = 1; // gc_refs
  } else if (prev[op] === 0) {
    prev[op] = 1;
  }
}

function clearUnreachableMask(rt: Runtime, list: number): void {
  for (let g = rt.next[list]!; g !== list; g = rt.next[g]!) rt.flags[g]! &= ~F_UNREACHABLE;
}

/** `untrack_tuples`. */
function untrackTuples(rt: Runtime, head: number): void {
  let g = rt.next[head]!;
  while (g !== head) {
    const next = rt.next[g]!;
    if (rt.types[rt.type[g]!]!.kind === K_TUPLE) tupleMaybeUntrack(rt, g);
    g = next;
  }
}

/** `untrack_dicts` (full collections only). */
function untrackDicts(rt: Runtime, head: number): void {
  let g = rt.next[head]!;
  while (g !== head) {
    const next = rt.next[g]!;
    if (rt.types[rt.type[g]!]!.kind === K_DICT) dictMaybeUntrack(rt, g);
    g = next;
  }
}

/**
 * `handle_weakrefs`: clear every weakref to (or in) the garbage; queue the callbacks of weakrefs
 * that are not garbage themselves, run them, count those that die right away.
 */
function handleWeakrefs(rt: Runtime, unreachable: number, old: number): number {
  let numFreed = 0;
  const watched: number[] = [];
  rt.next[L_WRCB] = L_WRCB;
  rt.prev[L_WRCB] = L_WRCB;
  let g = rt.next[unreachable]!;
  while (g !== unreachable) {
    const next = rt.next[g]!;
    const tp = rt.types[rt.type[g]!]!;
    if (tp.kind === K_WEAKREF) clearRef(rt, g);
    if (tp.weakrefable) {
      for (;;) {
        const list = rt.weaklists.get(g);
        if (list === undefined || list.length === 0) break;
        const wr = list[0]!;
        clearRef(rt, wr);
        if (rt.a1[wr] === 0 && !rt.wrCallbacks.has(wr)) continue;
        if ((rt.flags[wr]! & F_COLLECTING) !== 0) continue;
        rt.incref(wr);
        rt.listMove(wr, L_WRCB);
      }
      if ((rt.flags[g]! & F_WATCHED) !== 0) watched.push(g);
    }
    g = next;
  }
  while (rt.next[L_WRCB] !== L_WRCB) {
    const wr = rt.next[L_WRCB]!;
    runCallback(rt, wr, rt.a1[wr]!, rt.wrCallbacks.get(wr), 0);
    rt.decref(wr);
    if (rt.next[L_WRCB] === wr) rt.listMove(wr, old);
    else numFreed++;
  }
  for (const w of watched) if (rt.isAlive(w)) notifyWatchers(rt, w);
  return numFreed;
}

/** `finalize_garbage`: each `__del__` at most once (PEP 442), in list order. */
function finalizeGarbage(rt: Runtime, collectable: number): void {
  rt.next[L_SEEN] = L_SEEN;
  rt.prev[L_SEEN] = L_SEEN;
  while (rt.next[collectable] !== collectable) {
    const g = rt.next[collectable]!;
    rt.listMove(g, L_SEEN);
    const tp = rt.types[rt.type[g]!]!;
    const fin = tp.kind === K_INSTANCE ? tp.cls?.finalizer : undefined;
    if (fin !== undefined && (rt.flags[g]! & F_FINALIZED) === 0) {
      rt.flags[g]! |= F_FINALIZED;
      rt.incref(g);
      if (rt.emit) rt.emit({ type: "finalizer", id: g, typeName: tp.name });
      rt.callUser(() => fin(g));
      rt.decref(g);
    }
  }
  rt.listMerge(L_SEEN, collectable);
}

/** `handle_resurrected_objects`. */
function handleResurrected(rt: Runtime, unreachable: number, still: number, old: number): void {
  for (let g = rt.next[unreachable]!; g !== unreachable; g = rt.next[g]!) {
    rt.flags[g]! &= ~F_COLLECTING;
  }
  deduceUnreachable(rt, unreachable, still);
  clearUnreachableMask(rt, still);
  rt.listMerge(unreachable, old);
}

/** `delete_garbage`: `tp_clear` each (or keep it in `gc.garbage` under DEBUG_SAVEALL). */
function deleteGarbage(rt: Runtime, collectable: number, old: number): void {
  const saveall = (rt.gc.debug & DEBUG_SAVEALL) !== 0;
  const prevCause = rt.freeCause;
  rt.freeCause = "collector";
  try {
    while (rt.next[collectable] !== collectable) {
      const g = rt.next[collectable]!;
      if (saveall) {
        const garbage = garbageList(rt);
        rt.incref(g);
        listAppend(rt, garbage, g);
      } else {
        rt.incref(g);
        clear(rt, g);
        rt.decref(g);
      }
      if (rt.next[collectable] === g) {
        rt.flags[g]! &= ~F_COLLECTING;
        rt.listMove(g, old);
      }
    }
  } finally {
    rt.freeCause = prevCause;
  }
}

/** `gc.garbage` (created on first use; lives for the heap's lifetime). */
export function garbageList(rt: Runtime): number {
  if (rt.gc.garbage === 0) {
    // Created by _PyGC_Init at interpreter start-up in CPython: not counted here.
    const id = rt.newObject(rt.b.list, 56);
    rt.track(id);
    rt.gc.garbage = id;
  }
  return rt.gc.garbage;
}

/** `clear_freelists` (tuple, float, list, dict and keys), as a full collection does. */
export function clearFreelists(rt: Runtime): void {
  const prevCause = rt.freeCause;
  rt.freeCause = "freelist-clear";
  for (const fl of rt.tupleFree) {
    while (fl.length > 0) {
      const id = fl.pop()!;
      rt.cells.release(rt.a0[id]!, rt.size[id]!);
      freeParked(rt, id, true, "tuple", 40 + 8 * rt.size[id]!);
    }
  }
  while (rt.floatFree.length > 0) freeParked(rt, rt.floatFree.pop()!, false, "float", 24);
  while (rt.listFree.length > 0) freeParked(rt, rt.listFree.pop()!, true, "list", 56);
  while (rt.dictFree.length > 0) freeParked(rt, rt.dictFree.pop()!, true, "dict", 64);
  while (rt.dictKeysFree.length > 0) rt.pm.free(rt.dictKeysFree.pop()!);
  rt.freeCause = prevCause;
}

function freeParked(rt: Runtime, id: number, gcObject: boolean, typeName: string, size: number) {
  if (rt.emit) {
    rt.emit({ type: "free", id, typeName, size, freelist: false, cause: "freelist-clear" });
  }
  if (gcObject && rt.gc.count0 > 0) rt.gc.count0--;
  rt.pm.free(rt.blk[id]!);
  rt.releaseParked(id);
}

/** `gc.freeze()`. */
export function freeze(rt: Runtime): void {
  for (let i = 0; i < 3; i++) rt.listMerge(genHead(i), PERMANENT);
  rt.gc.count0 = 0;
  rt.gc.count1 = 0;
  rt.gc.count2 = 0;
}

/** `gc.unfreeze()`. */
export function unfreeze(rt: Runtime): void {
  rt.listMerge(PERMANENT, GEN2);
}

/** Tracked objects of one generation (or all three), in list order. */
export function objectsOf(rt: Runtime, generation: number | undefined): number[] {
  const out: number[] = [];
  const heads = generation === undefined ? [GEN0, GEN1, GEN2] : [genHead(generation)];
  for (const h of heads) for (let g = rt.next[h]!; g !== h; g = rt.next[g]!) out.push(g);
  return out;
}

/** Generation (0, 1, 2, or "permanent") of a tracked object, by walking the lists. */
export function generationOf(rt: Runtime, id: number): number | "permanent" | undefined {
  if ((rt.flags[id]! & F_TRACKED) === 0) return undefined;
  let g = rt.next[id]!;
  while (g >= FIRST_ID) g = rt.next[g]!;
  if (g === GEN0) return 0;
  if (g === GEN1) return 1;
  if (g === GEN2) return 2;
  if (g === PERMANENT) return "permanent";
  return undefined;
}

/** `gc.get_referents`: what a GC object's `tp_traverse` visits. */
export function referentsOf(rt: Runtime, id: number): number[] {
  const out: number[] = [];
  if (rt.types[rt.type[id]!]!.gc) children(rt, id, out);
  return out;
}

/** `gc.get_referrers`: tracked objects (all generations) that refer to `id`. */
export function referrersOf(rt: Runtime, id: number): number[] {
  const out: number[] = [];
  for (const h of [GEN0, GEN1, GEN2]) {
    for (let g = rt.next[h]!; g !== h; g = rt.next[g]!) {
      buf.length = 0;
      children(rt, g, buf);
      if (buf.includes(id)) out.push(g);
    }
  }
  return out;
}
