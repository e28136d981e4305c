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

/**
 * The tuple constant of constants `items` (borrowed ids of constants): a tuple display of
 * literals, `(1, "a")`, is folded by the compiler (`Python/ast_opt.c: fold_tuple`) and loaded with
 * `LOAD_CONST`, so every evaluation gives the same object. It was made at compile time: no free
 * list, no allocation count for the collector; tracked until the first collection that sees it
 * (which untracks it, its items being atomic).
 */
export function constTuple(rt: Runtime, items: readonly number[]): number {
  const key = `t${items.join(",")}`;
  let id = rt.constants.get(key);
  if (id === undefined) {
    const n = items.length;
    id = rt.newObject(rt.b.tuple, 40 + 8 * n);
    rt.size[id] = n;
    const off = rt.cells.alloc(n);
    rt.a0[id] = off;
    for (let i = 0; i < n; i++) {
      rt.incref(items[i]!);
      rt.cells.data[off + i] = items[i]!;
    }
    if (rt.emit) {
      rt.emit({ type: "alloc", id, typeName: "tuple", size: 40 + 8 * n, freelist: false });
    }
    rt.track(id);
    mark(rt, id);
    rt.constants.set(key, id);
  }
  return id;
}
