import { PythonError } from "./errors.ts";
import type { Heap } from "./heap.ts";
import { checkHandle, handles, peekValue, type Value } from "./internal/bridge.ts";
import { F_FINALIZED, PERMANENT } from "./internal/constants.ts";
import { dictNew, dictSetItem } from "./internal/dict.ts";
import {
  collectManual,
  freeze,
  garbageList,
  generationOf,
  objectsOf,
  referentsOf,
  referrersOf,
  unfreeze,
} from "./internal/gc.ts";
import {
  DEBUG_COLLECTABLE,
  DEBUG_LEAK,
  DEBUG_SAVEALL,
  DEBUG_STATS,
  DEBUG_UNCOLLECTABLE,
  type GcCallback,
  type GenerationStats,
} from "./internal/gcstate.ts";
import { listAppend, listNew } from "./internal/list.ts";
import type { Runtime } from "./internal/runtime.ts";
import { newInt, newStr } from "./internal/scalars.ts";
import { tupleNew } from "./internal/tuple.ts";
import type { PyObject } from "./object.ts";

/**
 * CPython builds the result of `gc.get_count()` & co. as Python objects, which the caller usually
 * drops at once. The model does the same, so polling the collector perturbs it exactly as it
 * does in CPython (after a full collection empties the free lists, the first probe's tuple comes
 * from the GC allocator and adds one to count0).
 */
function transientTuple(rt: Runtime, values: readonly number[]): void {
  const t = tupleNew(
    rt,
    values.map((v) => newInt(rt, v)),
  );
  rt.decref(t);
}

function transientList(rt: Runtime, ids: readonly number[]): void {
  const l = listNew(rt, 0);
  for (const id of ids) {
    rt.incref(id);
    listAppend(rt, l, id);
  }
  rt.decref(l);
}

export type { GcCallback, GenerationStats };

let makeGc: ((heap: Heap, rt: Runtime) => GcModule) | undefined;

/** @internal */
export function createGc(heap: Heap, rt: Runtime): GcModule {
  return makeGc!(heap, rt);
}

function checkGeneration(g: unknown): number {
  if (typeof g !== "number" || !Number.isInteger(g) || g < 0 || g > 2) {
    throw new PythonError("ValueError", "invalid generation");
  }
  return g;
}

function checkThreshold(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(v)}`);
  }
  return v;
}

/**
 * The `gc` module of the simulated interpreter (CPython 3.11 `Modules/gcmodule.c`).
 *
 * @example
 * ```ts
 * py.gc.disable();                 // gc.disable()
 * f.del("root");                   // del root  (a tree with parent back-references)
 * py.gc.collect();                 // 2 * N: each node and its children list
 * py.gc.getCount();                // [0, 0, 0]
 * ```
 */
export class GcModule {
  /** `gc.DEBUG_STATS` (accepted, prints nothing). */
  readonly DEBUG_STATS = DEBUG_STATS;
  /** `gc.DEBUG_COLLECTABLE` (accepted, prints nothing). */
  readonly DEBUG_COLLECTABLE = DEBUG_COLLECTABLE;
  /** `gc.DEBUG_UNCOLLECTABLE` (accepted, prints nothing). */
  readonly DEBUG_UNCOLLECTABLE = DEBUG_UNCOLLECTABLE;
  /** `gc.DEBUG_SAVEALL`: unreachable objects go to `gc.garbage` instead of being freed. */
  readonly DEBUG_SAVEALL = DEBUG_SAVEALL;
  /** `gc.DEBUG_LEAK`. */
  readonly DEBUG_LEAK = DEBUG_LEAK;

  readonly #heap: Heap;
  readonly #rt: Runtime;

  private constructor(heap: Heap, rt: Runtime) {
    this.#heap = heap;
    this.#rt = rt;
  }

  static {
    makeGc = (heap, rt) => new GcModule(heap, rt);
  }

  #handle(id: number): PyObject {
    return handles().make(this.#heap, this.#rt, id, false);
  }

  /**
   * `gc.collect(generation=2)`: collects that generation and the younger ones; returns the number
   * of unreachable objects found (collected + uncollectable, weakrefs freed by their callbacks
   * included). Returns 0 without collecting when called from inside a collection.
   * Throws `PythonError` ValueError("invalid generation") outside 0..2.
   */
  collect(generation = 2): number {
    const n = collectManual(this.#rt, checkGeneration(generation));
    return n;
  }

  /**
   * The three counts, read without allocating anything (CPython has no such call: for pictures
   * and checks that must not disturb the heap). See {@link getCount}.
   */
  get counts(): readonly [number, number, number] {
    const gc = this.#rt.gc;
    return [gc.count0, gc.count1, gc.count2];
  }

  /**
   * `gc.get_count()`: (count0, count1, count2), read before the result tuple is built. Like
   * CPython, the call then allocates that 3-tuple (normally from the tuple free list) and drops it.
   */
  getCount(): [number, number, number] {
    const gc = this.#rt.gc;
    const out: [number, number, number] = [gc.count0, gc.count1, gc.count2];
    transientTuple(this.#rt, out);
    this.#rt.evalBreaker();
    return out;
  }

  /**
   * `gc.get_stats()`: cumulative per generation since the heap was created. Like CPython, the call
   * builds a list of three dicts (new str keys, int values) and drops it.
   */
  getStats(): GenerationStats[] {
    const rt = this.#rt;
    const out = rt.gc.stats.map((s) => ({ ...s }));
    const l = listNew(rt, 0);
    for (const st of out) {
      const d = dictNew(rt);
      dictSetItem(rt, d, newStr(rt, "collections"), newInt(rt, st.collections));
      dictSetItem(rt, d, newStr(rt, "collected"), newInt(rt, st.collected));
      dictSetItem(rt, d, newStr(rt, "uncollectable"), newInt(rt, st.uncollectable));
      listAppend(rt, l, d);
    }
    rt.decref(l);
    rt.evalBreaker();
    return out;
  }

  /** `gc.get_threshold()` (builds and drops its 3-tuple, as CPython does). */
  getThreshold(): [number, number, number] {
    const gc = this.#rt.gc;
    const out: [number, number, number] = [gc.threshold0, gc.threshold1, gc.threshold2];
    transientTuple(this.#rt, out);
    this.#rt.evalBreaker();
    return out;
  }

  /** `gc.set_threshold(t0[, t1[, t2]])`; `t0 = 0` disables automatic collection. */
  setThreshold(threshold0: number, threshold1?: number, threshold2?: number): void {
    const t0 = checkThreshold("threshold0", threshold0);
    const t1 = threshold1 === undefined ? undefined : checkThreshold("threshold1", threshold1);
    const t2 = threshold2 === undefined ? undefined : checkThreshold("threshold2", threshold2);
    const gc = this.#rt.gc;
    gc.threshold0 = t0;
    if (t1 !== undefined) gc.threshold1 = t1;
    if (t2 !== undefined) gc.threshold2 = t2;
  }

  /** `gc.enable()`. */
  enable(): void {
    this.#rt.gc.enabled = true;
  }

  /** `gc.disable()`. */
  disable(): void {
    this.#rt.gc.enabled = false;
  }

  /** `gc.isenabled()`. */
  isEnabled(): boolean {
    return this.#rt.gc.enabled;
  }

  /** `gc.freeze()`: every tracked object moves to the permanent generation; counts reset. */
  freeze(): void {
    freeze(this.#rt);
  }

  /** `gc.unfreeze()`: the permanent generation goes back into generation 2. */
  unfreeze(): void {
    unfreeze(this.#rt);
  }

  /** `gc.get_freeze_count()`. */
  getFreezeCount(): number {
    return this.#rt.listSize(PERMANENT);
  }

  /** `gc.is_tracked(obj)`. */
  isTracked(obj: Value): boolean {
    return this.#rt.isTracked(peekValue(this.#heap, this.#rt, obj));
  }

  /** `gc.is_finalized(obj)`: its `__del__` already ran (PEP 442). */
  isFinalized(obj: Value): boolean {
    return (this.#rt.flags[peekValue(this.#heap, this.#rt, obj)]! & F_FINALIZED) !== 0;
  }

  /** The generation a tracked object is in (0, 1, 2 or "permanent"); undefined when untracked. */
  generationOf(obj: PyObject): number | "permanent" | undefined {
    return generationOf(this.#rt, checkHandle(this.#heap, this.#rt, obj));
  }

  /** `gc.get_objects(generation=None)` (borrowed handles, list order). */
  getObjects(generation?: number): PyObject[] {
    const g = generation === undefined ? undefined : checkGeneration(generation);
    const ids = objectsOf(this.#rt, g);
    const out = ids.map((id) => this.#handle(id));
    transientList(this.#rt, ids);
    this.#rt.evalBreaker();
    return out;
  }

  /** `gc.get_referrers(*objs)`: tracked objects that refer to any of them. */
  getReferrers(...objs: PyObject[]): PyObject[] {
    const ids = objs.map((o) => checkHandle(this.#heap, this.#rt, o));
    const out = new Set<number>();
    for (const id of ids) for (const r of referrersOf(this.#rt, id)) out.add(r);
    return [...out].map((id) => this.#handle(id));
  }

  /** `gc.get_referents(*objs)`: what their `tp_traverse` visits. */
  getReferents(...objs: PyObject[]): PyObject[] {
    const ids = objs.map((o) => checkHandle(this.#heap, this.#rt, o));
    return ids.flatMap((id) => referentsOf(this.#rt, id)).map((id) => this.#handle(id));
  }

  /** `gc.callbacks`: push `(phase, info) => void` functions; called around every collection. */
  get callbacks(): GcCallback[] {
    return this.#rt.gc.callbacks;
  }

  /** `gc.set_debug(flags)`. */
  setDebug(flags: number): void {
    if (!Number.isInteger(flags) || flags < 0) {
      throw new RangeError(`flags must be a non-negative integer, got ${flags}`);
    }
    this.#rt.gc.debug = flags;
  }

  /** `gc.get_debug()`. */
  getDebug(): number {
    return this.#rt.gc.debug;
  }

  /** `gc.garbage` (a list in the heap; borrowed). */
  get garbage(): PyObject {
    return this.#handle(garbageList(this.#rt));
  }
}
