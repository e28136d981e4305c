/**
 * Sets and frozensets (CPython 3.11 `Objects/setobject.c`), with the real open-addressing table:
 * 8 inline slots (`smalltable`), linear probing of 9 slots then perturbation, dummies left by
 * discards (`fill` counts them), resize when `fill * 5 >= mask * 3` to `used * 4` (`used * 2` above
 * 50,000) rounded up to a power of two, a separate `PyMem` table of 16 bytes per slot above 8.
 * Iteration, traversal and deallocation walk the table in slot order, as CPython does.
 */
import { K_FROZENSET } from "./constants.ts";
import { canon, hashOf } from "./keys.ts";
import type { Runtime } from "./runtime.ts";
import { emitFree } from "./scalars.ts";
import { trashBegin, trashEnd } from "./trash.ts";
import { clearWeakRefs } from "./weakref.ts";

const MINSIZE = 8;
const LINEAR_PROBES = 9;
const DUMMY = -1;

export class SetData {
  fill = 0;
  used = 0;
  mask = MINSIZE - 1;
  /** Key ids (0 = unused, -1 = dummy). */
  keys = new Int32Array(MINSIZE);
  /** Hash low and high 32-bit halves (dummies keep hash -1). */
  hlo = new Int32Array(MINSIZE);
  hhi = new Int32Array(MINSIZE);
  /** pymalloc address of the table when it is not the inline smalltable. */
  tableAddr = 0;

  members(_rt: Runtime): number[] {
    const out: number[] = [];
    for (let i = 0; i <= this.mask; i++) {
      const k = this.keys[i]!;
      if (k > 0) out.push(k);
    }
    return out;
  }
}

function split(h: bigint): [number, number] {
  return [Number(BigInt.asIntN(32, h)), Number(BigInt.asIntN(32, h >> 32n))];
}

function sameKey(rt: Runtime, a: number, b: number): boolean {
  return a === b || canon(rt, a) === canon(rt, b);
}

/** `make_new_set` → `PyType_GenericAlloc`: tracked, GC allocator, 216 bytes. */
export function setNew(rt: Runtime, frozen: boolean): number {
  const tp = frozen ? rt.b.frozenset : rt.b.set;
  const id = rt.newObject(tp, 216);
  rt.sets.set(id, new SetData());
  if (rt.emit) rt.emit({ type: "alloc", id, typeName: tp.name, size: 216, freelist: false });
  rt.gcLink();
  rt.track(id);
  return id;
}

/** `set_add_entry`: steals `key` (already checked hashable). */
export function setAdd(rt: Runtime, id: number, key: number): void {
  if (!addEntry(rt, rt.sets.get(id)!, key, true)) rt.decref(key);
}

/**
 * `set_add_entry` on a table: false when an equal key is already there (the caller owns `key`
 * then). `alloc`: whether a resize allocates its table (false for a compile-time constant).
 */
function addEntry(rt: Runtime, so: SetData, key: number, alloc: boolean): boolean {
  const [lo, hi] = split(hashOf(rt, key));
  let mask = so.mask;
  let i = lo & mask;
  let plo = lo;
  let phi = hi;
  let freeslot = -1;
  for (;;) {
    let probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    let e = i;
    do {
      const k = so.keys[e]!;
      if (k === 0) {
        if (freeslot >= 0) {
          so.used++;
          so.keys[freeslot] = key;
          so.hlo[freeslot] = lo;
          so.hhi[freeslot] = hi;
          return true;
        }
        so.fill++;
        so.used++;
        so.keys[e] = key;
        so.hlo[e] = lo;
        so.hhi[e] = hi;
        if (so.fill * 5 < mask * 3) return true;
        setTableResize(rt, so, so.used > 50000 ? so.used * 2 : so.used * 4, alloc);
        return true;
      }
      if (k === DUMMY) {
        freeslot = e;
      } else if (so.hlo[e] === lo && so.hhi[e] === hi && sameKey(rt, k, key)) {
        return false;
      }
      e++;
    } while (probes-- > 0);
    plo = (plo >>> 5) | (phi << 27);
    phi = phi >>> 5;
    i = (i * 5 + 1 + (plo >>> 0)) & mask;
    mask = so.mask;
  }
}

/** `set_lookkey`: slot of `key`, or -1. */
function lookkey(rt: Runtime, so: SetData, key: number): number {
  const [lo, hi] = split(hashOf(rt, key));
  const mask = so.mask;
  let i = lo & mask;
  let plo = lo;
  let phi = hi;
  for (;;) {
    let probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    let e = i;
    do {
      const k = so.keys[e]!;
      if (k === 0) return -1;
      if (k !== DUMMY && so.hlo[e] === lo && so.hhi[e] === hi && sameKey(rt, k, key)) return e;
      e++;
    } while (probes-- > 0);
    plo = (plo >>> 5) | (phi << 27);
    phi = phi >>> 5;
    i = (i * 5 + 1 + (plo >>> 0)) & mask;
  }
}

export function setContains(rt: Runtime, id: number, key: number): boolean {
  return lookkey(rt, rt.sets.get(id)!, key) >= 0;
}

/** `set_discard_entry`: true when found. */
export function setDiscard(rt: Runtime, id: number, key: number): boolean {
  const so = rt.sets.get(id)!;
  const e = lookkey(rt, so, key);
  if (e < 0) return false;
  const old = so.keys[e]!;
  so.keys[e] = DUMMY;
  so.hlo[e] = -1;
  so.hhi[e] = -1;
  so.used--;
  rt.decref(old);
  return true;
}

/** `set_insert_clean`. */
function insertClean(
  keys: Int32Array,
  hlo: Int32Array,
  hhi: Int32Array,
  mask: number,
  key: number,
  lo: number,
  hi: number,
): void {
  let i = lo & mask;
  let plo = lo;
  let phi = hi;
  for (;;) {
    if (keys[i] === 0) break;
    let found = -1;
    if (i + LINEAR_PROBES <= mask) {
      for (let j = 1; j <= LINEAR_PROBES; j++) {
        if (keys[i + j] === 0) {
          found = i + j;
          break;
        }
      }
    }
    if (found >= 0) {
      i = found;
      break;
    }
    plo = (plo >>> 5) | (phi << 27);
    phi = phi >>> 5;
    i = (i * 5 + 1 + (plo >>> 0)) & mask;
  }
  keys[i] = key;
  hlo[i] = lo;
  hhi[i] = hi;
}

/** `set_table_resize(minused)`: smallest power of two > minused (at least 8). */
function setTableResize(rt: Runtime, so: SetData, minused: number, alloc = true): void {
  let newsize = MINSIZE;
  while (newsize <= minused) newsize *= 2;
  if (newsize === MINSIZE && so.tableAddr === 0 && so.fill === so.used) return;
  const newAddr = newsize === MINSIZE || !alloc ? 0 : rt.pm.malloc(16 * newsize);
  const oldKeys = so.keys;
  const oldLo = so.hlo;
  const oldHi = so.hhi;
  const oldAddr = so.tableAddr;
  so.keys = new Int32Array(newsize);
  so.hlo = new Int32Array(newsize);
  so.hhi = new Int32Array(newsize);
  so.mask = newsize - 1;
  so.tableAddr = newAddr;
  so.fill = so.used;
  for (let e = 0; e < oldKeys.length; e++) {
    const k = oldKeys[e]!;
    if (k > 0) insertClean(so.keys, so.hlo, so.hhi, so.mask, k, oldLo[e]!, oldHi[e]!);
  }
  if (oldAddr !== 0) rt.pm.free(oldAddr);
}

/**
 * A set display of three or more constants, `{1, 2, 3}`: the 3.11 compiler folds the items into a
 * constant frozenset and emits `BUILD_SET 0; LOAD_CONST; SET_UPDATE` (`Python/compile.c:
 * starunpack_helper`), so the new set gets them through `set_merge` (`Objects/setobject.c`): one
 * resize up front to `(used + other.used) * 2` when `(fill + other.used) * 5 >= mask * 3`, then
 * the constant's slots copied or inserted clean in its slot order. `{1, 2, 3, 4, 5}` is 472 bytes
 * where `{a, b, c, d, e}` (added one by one) is 728. Steals `items`; duplicates are dropped.
 */
export function setNewFromConstants(rt: Runtime, items: readonly number[]): number {
  // The constant frozenset, built at compile time (PyFrozenSet_New over the folded tuple): its
  // table is not in the simulated heap.
  const other = new SetData();
  for (const k of items) if (!addEntry(rt, other, k, false)) rt.decref(k);
  const id = setNew(rt, false);
  const so = rt.sets.get(id)!;
  if ((so.fill + other.used) * 5 >= so.mask * 3) {
    setTableResize(rt, so, (so.used + other.used) * 2);
  }
  if (so.mask === other.mask && other.fill === other.used) {
    so.keys.set(other.keys);
    so.hlo.set(other.hlo);
    so.hhi.set(other.hhi);
  } else {
    for (let e = 0; e <= other.mask; e++) {
      const k = other.keys[e]!;
      if (k > 0) insertClean(so.keys, so.hlo, so.hhi, so.mask, k, other.hlo[e]!, other.hhi[e]!);
    }
  }
  so.fill = other.used;
  so.used = other.used;
  return id;
}

/** `set_clear_internal`: empty to the small table first, then release the keys in slot order. */
export function setClear(rt: Runtime, id: number): void {
  const so = rt.sets.get(id)!;
  if (so.fill === 0 && so.tableAddr === 0) return;
  const keys = so.keys;
  const addr = so.tableAddr;
  so.keys = new Int32Array(MINSIZE);
  so.hlo = new Int32Array(MINSIZE);
  so.hhi = new Int32Array(MINSIZE);
  so.mask = MINSIZE - 1;
  so.fill = 0;
  so.used = 0;
  so.tableAddr = 0;
  for (let e = 0; e < keys.length; e++) if (keys[e]! > 0) rt.decref(keys[e]!);
  if (addr !== 0) rt.pm.free(addr);
}

/** `set_dealloc`. */
export function setDealloc(rt: Runtime, id: number): void {
  rt.untrack(id);
  if (!trashBegin(rt, id)) return;
  clearWeakRefs(rt, id);
  const so = rt.sets.get(id)!;
  for (let e = 0; e <= so.mask; e++) {
    const k = so.keys[e]!;
    if (k > 0) rt.decref(k);
  }
  if (so.tableAddr !== 0) rt.pm.free(so.tableAddr);
  rt.sets.delete(id);
  if (rt.emit) emitFree(rt, id, rt.typeOf(id).kind === K_FROZENSET ? "frozenset" : "set", 216);
  rt.gcDel(id);
  trashEnd(rt);
}

/** `sys.getsizeof` of a set. */
export function setSizeof(rt: Runtime, id: number): number {
  const so = rt.sets.get(id)!;
  return 216 + (so.tableAddr !== 0 ? 16 * (so.mask + 1) : 0);
}
