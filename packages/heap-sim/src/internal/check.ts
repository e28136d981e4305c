/**
 * A full consistency check of a runtime, for tests and `Heap.check()`: GC lists are well formed
 * and hold exactly the tracked objects, refcounts of live objects are positive, free lists hold
 * parked objects, pymalloc's counters add up, and every allocated byte is accounted for by an
 * object (whose recorded request matches its size formula), a free list or an allocator buffer.
 */

import { Cells } from "./cells.ts";
import {
  F_DEAD,
  F_STATIC,
  F_TRACKED,
  F_WATCHED,
  FIRST_ID,
  GEN0,
  GEN1,
  GEN2,
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
  PERMANENT,
} from "./constants.ts";
import { D_GENERAL, D_SPLIT, D_UNICODE, keysSize } from "./dict.ts";
import { ARRAY_ITEMSIZE, arrayTypecode } from "./misc.ts";
import type { Runtime } from "./runtime.ts";
import { strRequest } from "./scalars.ts";
import { valuesCap, valuesCells, valuesRequest } from "./values.ts";

function bodySize(rt: Runtime, id: number): number {
  const tp = rt.typeOf(id);
  switch (tp.kind) {
    case K_FLOAT:
      return 24;
    case K_INT:
      return 24 + 4 * Math.max(1, rt.size[id]!);
    case K_STR:
      return strRequest(rt, rt.strs.get(id)!);
    case K_BYTES:
      return 33 + rt.size[id]!;
    case K_COMPLEX:
      return 32;
    case K_OBJECT:
      return 16;
    case K_RANGE:
      return 48;
    case K_BYTEARRAY:
      return 56;
    case K_TUPLE:
      return 40 + 8 * rt.size[id]!;
    case K_LIST:
      return 56;
    case K_DICT:
      return 64;
    case K_SET:
    case K_FROZENSET:
      return 216;
    case K_FUNCTION:
      return rt.v.functionSize;
    case K_ARRAY:
      return 80;
    case K_WEAKREF:
      return tp.preheader + tp.basicsize;
    case K_INSTANCE: {
      let size = tp.preheader + tp.basicsize;
      const values = rt.a1[id]!;
      if (values !== 0 && rt.blk2[id] === 0) {
        const cap = valuesCap(rt, values);
        size += Math.ceil(cap / 8) * 8 + 8 * (cap + 1);
      }
      return size;
    }
    default:
      return -1;
  }
}

export function checkHeap(rt: Runtime): string[] {
  const problems: string[] = [];
  const pm = rt.pm;
  let accounted = 0;
  const inList = new Uint8Array(rt.cap);
  // GC lists
  for (const head of [GEN0, GEN1, GEN2, PERMANENT]) {
    let prev = head;
    let g = rt.next[head]!;
    let steps = 0;
    while (g !== head) {
      if (rt.prev[g] !== prev) problems.push(`GC list ${head}: broken prev link at #${g}`);
      if (g < FIRST_ID || g >= rt.top) {
        problems.push(`GC list ${head}: bad id ${g}`);
        break;
      }
      if (inList[g]) problems.push(`#${g} is in two GC lists`);
      inList[g] = 1;
      if ((rt.flags[g]! & F_TRACKED) === 0)
        problems.push(`#${g} is listed but not flagged tracked`);
      prev = g;
      g = rt.next[g]!;
      if (++steps > rt.cap) {
        problems.push(`GC list ${head} does not end`);
        break;
      }
    }
  }
  const parked = new Set<number>();
  for (const id of rt.floatFree) parked.add(id);
  for (const id of rt.listFree) parked.add(id);
  for (const id of rt.dictFree) parked.add(id);
  for (const fl of rt.tupleFree) for (const id of fl) parked.add(id);

  const add = (addr: number, expected: number, what: string) => {
    if (addr === 0) return;
    const req = pm.requestedSize(addr);
    if (expected >= 0 && req !== expected) {
      problems.push(`${what}: allocation of ${req} bytes, expected ${expected}`);
    }
    accounted += req;
  };

  let live = 0;
  for (let id = FIRST_ID; id < rt.top; id++) {
    const t = rt.type[id]!;
    if (t === 0) continue;
    const f = rt.flags[id]!;
    const tp = rt.types[t]!;
    const name = `<${tp.name} object #${id}>`;
    if ((f & F_DEAD) !== 0) {
      if (!parked.has(id)) problems.push(`${name} is dead but on no free list`);
      add(rt.blk[id]!, bodySize(rt, id), name);
      continue;
    }
    if ((f & F_STATIC) !== 0) continue;
    live++;
    if (rt.rc[id]! <= 0) problems.push(`${name} is alive with refcount ${rt.rc[id]}`);
    if ((f & F_TRACKED) !== 0 && !inList[id])
      problems.push(`${name} is flagged tracked but in no list`);
    if (tp.gc === false && (f & F_TRACKED) !== 0)
      problems.push(`${name} is tracked but not a GC type`);
    add(rt.blk[id]!, bodySize(rt, id), name);
    switch (tp.kind) {
      case K_LIST:
        add(rt.blk2[id]!, 8 * rt.a1[id]!, `${name} items`);
        if (rt.size[id]! > rt.a1[id]!) problems.push(`${name} has more items than capacity`);
        break;
      case K_BYTEARRAY:
        add(rt.blk2[id]!, rt.a1[id]!, `${name} buffer`);
        break;
      case K_ARRAY:
        add(rt.blk2[id]!, rt.a1[id]! * ARRAY_ITEMSIZE[arrayTypecode(rt, id)]!, `${name} buffer`);
        break;
      case K_DICT: {
        const dd = rt.dicts.get(id)!;
        if (dd.kind === D_UNICODE || dd.kind === D_GENERAL) {
          add(dd.keysAddr, keysSize(dd.log2, dd.kind === D_UNICODE), `${name} keys`);
        } else if (dd.kind === D_SPLIT) {
          add(dd.valuesAddr, valuesRequest(valuesCap(rt, dd.values)), `${name} values`);
        }
        if (dd.used < 0) problems.push(`${name} has negative size`);
        break;
      }
      case K_SET:
      case K_FROZENSET: {
        const so = rt.sets.get(id)!;
        add(so.tableAddr, 16 * (so.mask + 1), `${name} table`);
        if (so.used > so.fill) problems.push(`${name}: used > fill`);
        break;
      }
      case K_INSTANCE: {
        const values = rt.a1[id]!;
        if (values !== 0) add(rt.blk2[id]!, valuesRequest(valuesCap(rt, values)), `${name} values`);
        else if (rt.blk2[id] !== 0) problems.push(`${name} has a values block but no values`);
        break;
      }
    }
  }
  if (live !== rt.live) problems.push(`live count ${rt.live} but ${live} live objects found`);
  problems.push(...checkSegments(rt));
  for (const [id, ws] of rt.watchers) {
    if (!rt.isAlive(id) || (rt.flags[id]! & F_WATCHED) === 0 || ws.length === 0) {
      problems.push(`#${id} has JS watchers but is not a live, watched object`);
    }
  }
  for (const addr of rt.dictKeysFree) add(addr, keysSize(3, true), "free keys object");
  accounted += rt.externalBytes;
  const total = pm.requestedBytes + pm.rawBytes;
  if (accounted !== total) {
    problems.push(
      `accounting: objects, free lists and buffers hold ${accounted} bytes, the allocator ${total}`,
    );
  }
  for (const p of pm.check()) problems.push(`pymalloc: ${p}`);
  if (rt.trashLater.length !== 0) problems.push("trashcan not empty");
  return problems;
}

/** Live cell segments must not overlap and must lie below their slab's top. */
function checkSegments(rt: Runtime): string[] {
  const segs: [number, number, number][] = [];
  const vsegs: [number, number, number][] = [];
  for (let id = FIRST_ID; id < rt.top; id++) {
    const t = rt.type[id]!;
    if (t === 0) continue;
    const tp = rt.types[t]!;
    if (tp.kind === K_LIST && rt.a0[id] !== 0)
      segs.push([rt.a0[id]!, Cells.classOf(rt.a1[id]!), id]);
    if ((tp.kind === K_TUPLE || tp.kind === K_FUNCTION) && rt.a0[id] !== 0 && rt.size[id]! > 0) {
      segs.push([rt.a0[id]!, Cells.classOf(rt.size[id]!), id]);
    }
    if (tp.kind === K_INSTANCE) {
      const n = tp.cls?.slots.length ?? 0;
      if (n > 0 && rt.a0[id] !== 0) vsegs.push([rt.a0[id]!, Cells.classOf(n), id]);
      const v = rt.a1[id]!;
      if (v !== 0) vsegs.push([v, Cells.classOf(valuesCells(valuesCap(rt, v))), id]);
    }
  }
  for (const [id, dd] of rt.dicts) {
    if (dd.kind === D_SPLIT && !dd.embedded && dd.values !== 0) {
      vsegs.push([dd.values, Cells.classOf(valuesCells(valuesCap(rt, dd.values))), id]);
    }
  }
  return [...overlaps(segs, rt.cells.used, "cells"), ...overlaps(vsegs, rt.vcells.used, "values")];
}

function overlaps(segs: [number, number, number][], top: number, slab: string): string[] {
  segs.sort((a, b) => a[0] - b[0]);
  const problems: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    const [off, size, id] = segs[i]!;
    if (off + size > top) problems.push(`${slab} of #${id} lie beyond the slab's top`);
    const next = segs[i + 1];
    if (next !== undefined && off + size > next[0]) {
      problems.push(`${slab} of #${id} and #${next[2]} overlap`);
    }
  }
  return problems;
}
