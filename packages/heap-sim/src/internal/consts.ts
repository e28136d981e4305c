/**
 * Constants: the objects a code object's `co_consts` would hold for JS literals used as Python
 * values (`"k"`, `42`, `1.5`). They are created once per heap, kept alive by the constant table
 * (interned strings are immortal in the 3.12+ model), and returned as borrowed ids.
 */
import { F_CONST, F_IMMORTAL, F_STATIC } from "./constants.ts";
import type { Runtime } from "./runtime.ts";
import { newFloat, newInt, newStr } from "./scalars.ts";

function mark(rt: Runtime, id: number): void {
  if ((rt.flags[id]! & F_STATIC) !== 0) return;
  rt.flags[id]! |= F_CONST | (rt.v.immortal ? F_IMMORTAL : 0);
}

/** The interned str constant `s` (borrowed). */
export function constStr(rt: Runtime, s: string): number {
  const key = `s${s}`;
  let id = rt.constants.get(key);
  if (id === undefined) {
    id = newStr(rt, s);
    mark(rt, id);
    rt.constants.set(key, id);
  }
  return id;
}

/** The int constant `v` (borrowed). */
export function constInt(rt: Runtime, v: number | bigint): number {
  const key = typeof v === "bigint" ? v : v;
  let id = rt.constants.get(key);
  if (id === undefined) {
    id = newInt(rt, v);
    mark(rt, id);
    rt.constants.set(key, id);
  }
  return id;
}

/** The float constant `v` (borrowed). */
export function constFloat(rt: Runtime, v: number): number {
  const key = `f${Object.is(v, -0) ? "-0" : String(v)}`;
  let id = rt.constants.get(key);
  if (id === undefined) {
    id = newFloat(rt, v);
    mark(rt, id);
    rt.constants.set(key, id);
  }
  return id;
}
