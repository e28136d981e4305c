import { Cells } from "./cells.ts";
import {
  F_DEAD,
  F_IMMORTAL,
  F_STATIC,
  F_TRACKED,
  FIRST_ID,
  GEN0,
  GEN1,
  GEN2,
  K_FUNCTION,
  K_INSTANCE,
  K_LIST,
  K_TUPLE,
  L_FINALIZERS,
  L_SEEN,
  L_STILL,
  L_TEMP,
  L_UNREACHABLE,
  L_WRCB,
  PERMANENT,
} from "./constants.ts";
import type { DictData } from "./dict.ts";
import type { GcState } from "./gcstate.ts";
import { newGcState } from "./gcstate.ts";
import { type ArenaAlignment, Pymalloc } from "./pymalloc.ts";
import type { SetData } from "./setdata.ts";
import { type Builtins, makeBuiltins, makeClassType, type TypeDesc } from "./types.ts";
import { valuesCap, valuesCells } from "./values.ts";
import type { VersionProfile } from "./version.ts";

/** A JS callback attached to a weakref (the simulated weakref passed, borrowed). */
export type WeakCallback = (weakref: number) => void;

/** A JS observer of an object's death (WeakProvider refs and registrations). */
export interface Watcher {
  /** Called once when the object's weak references are cleared (refcount death or collector). */
  cleared(id: number): void;
}

/** A low-level event for the public stream (ids and type names, no handles). */
export type RuntimeEvent =
  | { type: "alloc"; id: number; typeName: string; size: number; freelist: boolean }
  | {
      type: "free";
      id: number;
      typeName: string;
      size: number;
      freelist: boolean;
      /** "refcount", "collector" (tp_clear cascade) or "freelist-clear". */
      cause: "refcount" | "collector" | "freelist-clear";
    }
  | { type: "gc-start"; generation: number; count: readonly [number, number, number] }
  | {
      type: "gc-stop";
      generation: number;
      collected: number;
      uncollectable: number;
      count: readonly [number, number, number];
    }
  | { type: "finalizer"; id: number; typeName: string }
  | { type: "weakref-callback"; weakref: number; referent: number };

/** Options of the runtime (validated by the public `Heap`). */
export interface RuntimeOptions {
  readonly profile: VersionProfile;
  readonly arenaAlignment: ArenaAlignment;
  readonly initialCapacity: number;
}

/**
 * The object table and everything that acts on it. One instance per `Heap`. Columns are typed
 * arrays indexed by object id; side tables hold the few JS values (strings, dict bookkeeping).
 */
export class Runtime {
  readonly v: VersionProfile;
  readonly pm: Pymalloc;
  /** Items of lists and tuples, closures: the segments that grow and shrink. */
  readonly cells = new Cells();
  /**
   * Instances' `__slots__` members and values arrays (of instances and split dicts, see
   * values.ts): fixed-size segments, kept apart so that a growing list does not strand them.
   */
  readonly vcells = new Cells(1 << 12);
  readonly types: TypeDesc[] = [];
  readonly b: Builtins;
  readonly finalizeType: TypeDesc;

  // ---- object table ----
  cap = 0;
  top = FIRST_ID;
  private freeIds = new Int32Array(0);
  private freeTop = 0;
  type = new Uint16Array(0);
  rc = new Int32Array(0);
  flags = new Uint16Array(0);
  next = new Int32Array(0);
  prev = new Int32Array(0);
  size = new Int32Array(0);
  a0 = new Int32Array(0);
  a1 = new Int32Array(0);
  stamp = new Uint32Array(0);
  blk = new Int32Array(0);
  blk2 = new Int32Array(0);
  /** Live objects (not counting free-listed ones and statics). */
  live = 0;
  /** Owned handles not yet consumed or disposed (references held from JS). */
  ownedHandles = 0;

  // ---- side tables ----
  readonly strs = new Map<number, string>();
  readonly bigs = new Map<number, bigint>();
  readonly dicts = new Map<number, DictData>();
  readonly sets = new Map<number, SetData>();
  readonly extra = new Map<number, unknown>();
  /** Referent id → weakrefs to it, in list order (`tp_weaklist`). */
  readonly weaklists = new Map<number, number[]>();
  readonly wrCallbacks = new Map<number, WeakCallback>();
  readonly watchers = new Map<number, Watcher[]>();
  /** Cached hash/equality keys of weakrefs used as dict keys or set members. */
  readonly wrKeys = new Map<number, { canon: string | number | bigint; hash: bigint }>();
  /** Bytes and buffers charged by `Heap.allocator()` (not objects). */
  externalBytes = 0;
  externalCount = 0;
  /** Library classes made on first use (WeakValueDictionary, ...). */
  readonly libTypes = new Map<string, TypeDesc>();

  // ---- scratch for float payloads ----
  private readonly f64 = new Float64Array(1);
  private readonly i32 = new Int32Array(this.f64.buffer);

  // ---- singletons ----
  readonly None: number;
  readonly True: number;
  readonly False: number;
  readonly emptyTuple: number;
  readonly emptyStr: number;
  readonly emptyBytes: number;
  readonly smallInts = new Int32Array(262);
  readonly latin1 = new Int32Array(256);
  readonly byteChars = new Int32Array(256);
  /** JS literal → constant object id (a code object's `co_consts`). */
  readonly constants = new Map<string | number | bigint, number>();

  // ---- free lists (object ids parked with their blocks) ----
  readonly floatFree: number[] = [];
  readonly listFree: number[] = [];
  readonly dictFree: number[] = [];
  /** Keys objects of 8 slots with str keys (`keys_free_list`), as pymalloc addresses. */
  readonly dictKeysFree: number[] = [];
  /** Per length 1..20 (index length - 1). */
  readonly tupleFree: number[][] = [];

  // ---- collector ----
  readonly gc: GcState;

  // ---- trashcan ----
  trashNesting = 0;
  readonly trashLater: number[] = [];

  // ---- events ----
  emit: ((e: RuntimeEvent) => void) | undefined;
  /** Why objects are being freed right now (for events). */
  freeCause: "refcount" | "collector" | "freelist-clear" = "refcount";

  constructor(options: RuntimeOptions) {
    this.v = options.profile;
    this.pm = new Pymalloc(options.arenaAlignment);
    this.b = makeBuiltins(this.types);
    this.finalizeType = makeClassType(
      this.types,
      { name: "finalize", base: undefined, slots: [], finalizer: undefined },
      this.v,
    );
    this.grow(Math.max(64, options.initialCapacity));
    for (const head of [
      GEN0,
      GEN1,
      GEN2,
      PERMANENT,
      L_UNREACHABLE,
      L_FINALIZERS,
      L_WRCB,
      L_SEEN,
      L_STILL,
      L_TEMP,
    ]) {
      this.next[head] = head;
      this.prev[head] = head;
    }
    this.gc = newGcState(this.v.threshold0);
    this.None = this.newStatic(this.b.NoneType);
    this.False = this.newStatic(this.b.bool);
    this.True = this.newStatic(this.b.bool);
    this.setIntPayload(this.True, 1);
    this.emptyTuple = this.newStatic(this.b.tuple);
    this.emptyStr = this.newStatic(this.b.str);
    this.strs.set(this.emptyStr, "");
    this.emptyBytes = this.newStatic(this.b.bytes);
    this.strs.set(this.emptyBytes, "");
    for (let i = 0; i < 30; i++) this.tupleFree.push([]);
  }

  // ------------------------------------------------------------------ table management

  private grow(min: number): void {
    let n = this.cap === 0 ? min : this.cap;
    while (n < min) n = n < 1 << 20 ? n * 2 : Math.ceil(n * 1.125); // ≤ 12.5 % slack when large
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.type = ((a) => {
      const b = new Uint16Array(n);
      b.set(a);
      return b;
    })(this.type);
    this.flags = ((a) => {
      const b = new Uint16Array(n);
      b.set(a);
      return b;
    })(this.flags);
    this.stamp = ((a) => {
      const b = new Uint32Array(n);
      b.set(a);
      return b;
    })(this.stamp);
    this.rc = g32(this.rc);
    this.next = g32(this.next);
    this.prev = g32(this.prev);
    this.size = g32(this.size);
    this.a0 = g32(this.a0);
    this.a1 = g32(this.a1);
    this.blk = g32(this.blk);
    this.blk2 = g32(this.blk2);
    this.cap = n;
  }

  /** A fresh object id with zeroed columns. */
  allocId(tp: TypeDesc): number {
    let id: number;
    if (this.freeTop > 0) id = this.freeIds[--this.freeTop]!;
    else {
      if (this.top >= this.cap) this.grow(this.top + 1);
      id = this.top++;
    }
    this.type[id] = tp.id;
    this.rc[id] = 1;
    this.flags[id] = 0;
    this.next[id] = 0;
    this.prev[id] = 0;
    this.size[id] = 0;
    this.a0[id] = 0;
    this.a1[id] = 0;
    this.blk[id] = 0;
    this.blk2[id] = 0;
    this.live++;
    return id;
  }

  /** Ends an id's life: handles to it fail from now on, and the slot can be reused. */
  releaseId(id: number): void {
    this.type[id] = 0;
    this.flags[id] = F_DEAD;
    this.stamp[id]!++;
    this.rc[id] = 0;
    this.live--;
    if (this.freeTop >= this.freeIds.length) {
      const b = new Int32Array(this.freeIds.length * 2 + 16);
      b.set(this.freeIds);
      this.freeIds = b;
    }
    this.freeIds[this.freeTop++] = id;
  }

  /** Frees the slot of an object that was parked on a free list. */
  releaseParked(id: number): void {
    this.live++;
    this.releaseId(id);
  }

  /** Errors thrown by user callbacks (`__del__`, weakref callbacks), like `sys.unraisablehook`. */
  readonly unraisable: unknown[] = [];
  unraisableHook: ((error: unknown) => void) | undefined;

  /** Runs user code the way CPython runs a finalizer: an exception is reported, not propagated. */
  callUser(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      if (this.unraisableHook !== undefined) this.unraisableHook(error);
      else this.unraisable.push(error);
    }
  }

  /** Marks a free-listed object dead for handles, keeping its slot and block. */
  park(id: number): void {
    this.flags[id] = F_DEAD;
    this.stamp[id]!++;
    this.rc[id] = 0;
    this.live--;
  }

  /** Revives an object taken from a free list (`_Py_NewReference`). */
  revive(id: number): void {
    this.flags[id] = 0;
    this.rc[id] = 1;
    this.live++;
  }

  private newStatic(tp: TypeDesc): number {
    const id = this.allocId(tp);
    this.flags[id] = F_STATIC | (this.v.immortal ? F_IMMORTAL : 0);
    this.live--; // statics are not counted as live heap objects
    return id;
  }

  /** A statically allocated singleton (small int, latin-1 char...), created on first use. */
  staticOf(tp: TypeDesc): number {
    return this.newStatic(tp);
  }

  /** Allocates the body of a new object through pymalloc (`PyObject_Malloc(request)`). */
  newObject(tp: TypeDesc, request: number): number {
    const addr = this.pm.malloc(request);
    const id = this.allocId(tp);
    this.blk[id] = addr;
    return id;
  }

  typeOf(id: number): TypeDesc {
    return this.types[this.type[id]!]!;
  }

  isAlive(id: number): boolean {
    return (
      id >= FIRST_ID && id < this.top && (this.flags[id]! & F_DEAD) === 0 && this.type[id] !== 0
    );
  }

  // ------------------------------------------------------------------ payloads

  setFloatPayload(id: number, v: number): void {
    this.f64[0] = v;
    this.a0[id] = this.i32[0]!;
    this.a1[id] = this.i32[1]!;
  }

  floatPayload(id: number): number {
    this.i32[0] = this.a0[id]!;
    this.i32[1] = this.a1[id]!;
    return this.f64[0]!;
  }

  /** Ints up to 2**53 live in a0/a1 (as float64 bits); larger ones in `bigs`. */
  setIntPayload(id: number, v: number): void {
    this.setFloatPayload(id, v);
  }

  intValue(id: number): number | bigint {
    const big = this.bigs.get(id);
    if (big !== undefined) return big;
    return this.floatPayload(id);
  }

  // ------------------------------------------------------------------ refcounts

  incref(id: number): void {
    this.rc[id]!++;
  }

  /** `Py_DECREF`: frees at zero, with CPython's cascade order. */
  decref(id: number): void {
    if (--this.rc[id]! === 0) this.deallocHook!(id);
  }

  /** Installed by `dealloc.ts` (kept as a field to avoid an import cycle). */
  deallocHook: ((id: number) => void) | undefined;

  // ------------------------------------------------------------------ GC lists

  /** `_PyObject_GC_TRACK`: append to the tail of generation 0. */
  track(id: number): void {
    const last = this.prev[GEN0]!;
    this.prev[id] = last;
    this.next[last] = id;
    this.next[id] = GEN0;
    this.prev[GEN0] = id;
    this.flags[id]! |= F_TRACKED;
  }

  /** `_PyObject_GC_UNTRACK`. */
  untrack(id: number): void {
    if ((this.flags[id]! & F_TRACKED) === 0) return;
    const p = this.prev[id]!;
    const n = this.next[id]!;
    this.next[p] = n;
    this.prev[n] = p;
    this.next[id] = 0;
    this.prev[id] = 0;
    this.flags[id]! &= ~F_TRACKED;
  }

  isTracked(id: number): boolean {
    return (this.flags[id]! & F_TRACKED) !== 0;
  }

  /** `gc_list_append` (node must not be in a list). */
  listAppend(node: number, head: number): void {
    const last = this.prev[head]!;
    this.prev[node] = last;
    this.next[last] = node;
    this.next[node] = head;
    this.prev[head] = node;
  }

  /** `gc_list_move`. */
  listMove(node: number, head: number): void {
    const p = this.prev[node]!;
    const n = this.next[node]!;
    this.next[p] = n;
    this.prev[n] = p;
    this.listAppend(node, head);
  }

  /** `gc_list_merge`: append `from` to `to`; `from` becomes empty. */
  listMerge(from: number, to: number): void {
    if (this.next[from] !== from) {
      const toTail = this.prev[to]!;
      const fromHead = this.next[from]!;
      const fromTail = this.prev[from]!;
      this.next[toTail] = fromHead;
      this.prev[fromHead] = toTail;
      this.next[fromTail] = to;
      this.prev[to] = fromTail;
    }
    this.next[from] = from;
    this.prev[from] = from;
  }

  listSize(head: number): number {
    let n = 0;
    for (let g = this.next[head]!; g !== head; g = this.next[g]!) n++;
    return n;
  }

  /**
   * `_PyObject_GC_Link` (3.11): count the GC-allocator allocation and, past the threshold, run
   * the collection right here, inside the allocating call. From 3.12 it is only scheduled.
   */
  gcLink(): void {
    const gc = this.gc;
    gc.count0++;
    if (gc.count0 > gc.threshold0 && gc.enabled && gc.threshold0 !== 0 && !gc.collecting) {
      if (this.v.scheduledGc) gc.scheduled = true;
      else this.collectHook!();
    }
  }

  /**
   * The end of a heap call (a safe point): 3.12+ runs a scheduled collection here (the
   * eval-breaker check), and the cell slab is compacted when dead segments dominate it.
   */
  evalBreaker(): void {
    const gc = this.gc;
    if (gc.scheduled) {
      gc.scheduled = false;
      if (gc.enabled && !gc.collecting && gc.count0 > gc.threshold0) this.collectHook!();
    }
    if (
      (this.cells.fragmented() || this.vcells.fragmented()) &&
      !gc.collecting &&
      this.trashNesting === 0
    ) {
      this.compactCells();
    }
  }

  /** Compactions of the cell slab so far. */
  compactions = 0;

  /**
   * Moves every live segment of a fragmented slab down and updates the fields that point at them
   * (both slabs when both are fragmented).
   */
  compactCells(): void {
    this.compactions++;
    if (this.cells.fragmented()) this.compactItems();
    if (this.vcells.fragmented()) this.compactValues();
  }

  /** Compacts `cells`: list and tuple items, closures. */
  private compactItems(): void {
    const segs: [number, number][] = [];
    const fixId: number[] = [];
    for (let id = FIRST_ID; id < this.top; id++) {
      const t = this.type[id]!;
      if (t === 0) continue;
      const tp = this.types[t]!;
      switch (tp.kind) {
        case K_LIST:
          if (this.a0[id] !== 0) {
            segs.push([this.a0[id]!, this.a1[id]!]);
            fixId.push(id);
          }
          break;
        case K_TUPLE:
        case K_FUNCTION:
          if (this.a0[id] !== 0 && this.size[id]! > 0) {
            segs.push([this.a0[id]!, this.size[id]!]);
            fixId.push(id);
          }
          break;
      }
    }
    const moved = this.cells.compact(segs);
    for (let i = 0; i < moved.length; i++) this.a0[fixId[i]!] = moved[i]!;
  }

  /** Compacts `vcells`: instances' slots and values arrays, split dicts' values arrays. */
  private compactValues(): void {
    const segs: [number, number][] = [];
    const fix: number[] = []; // id << 1 | 0: a0 (slots), id << 1 | 1: a1 (values); < 0: a dict
    const splitDicts: DictData[] = [];
    for (let id = FIRST_ID; id < this.top; id++) {
      const t = this.type[id]!;
      if (t === 0) continue;
      const tp = this.types[t]!;
      if (tp.kind !== K_INSTANCE) continue;
      const nslots = tp.cls?.slots.length ?? 0;
      if (nslots > 0 && this.a0[id] !== 0) {
        segs.push([this.a0[id]!, nslots]);
        fix.push(id * 2);
      }
      const v = this.a1[id]!;
      if (v !== 0) {
        segs.push([v, valuesCells(valuesCap(this, v))]);
        fix.push(id * 2 + 1);
      }
    }
    for (const dd of this.dicts.values()) {
      if (dd.kind === 3 && !dd.embedded && dd.values !== 0) {
        segs.push([dd.values, valuesCells(valuesCap(this, dd.values))]);
        fix.push(-1 - splitDicts.length);
        splitDicts.push(dd);
      }
    }
    const moved = this.vcells.compact(segs);
    for (let i = 0; i < moved.length; i++) {
      const who = fix[i]!;
      if (who < 0) splitDicts[-1 - who]!.values = moved[i]!;
      else if ((who & 1) === 0) this.a0[who >> 1] = moved[i]!;
      else this.a1[who >> 1] = moved[i]!;
    }
    for (const dd of this.dicts.values()) if (dd.embedded) dd.values = this.a1[dd.owner]!;
  }

  /** Installed by `gc.ts`: `gc_collect_generations` under `collecting = 1`. */
  collectHook: (() => void) | undefined;

  /** `PyObject_GC_Del`: unlink if tracked, count0-- (floored), free the body. */
  gcDel(id: number): void {
    this.untrack(id);
    if (this.gc.count0 > 0) this.gc.count0--;
    this.pm.free(this.blk[id]!);
    this.releaseId(id);
  }

  /** `PyObject_Free` of a non-GC object's body. */
  objFree(id: number): void {
    this.pm.free(this.blk[id]!);
    this.releaseId(id);
  }

  isStatic(id: number): boolean {
    return (this.flags[id]! & F_STATIC) !== 0;
  }
}
