/**
 * Plumbing between the public classes and the runtime: handle creation, validation of handles and
 * JS values (use after free, foreign heap), conversion of JS literals to constants.
 */
import { ForeignObjectError, UseAfterFreeError } from "../errors.ts";
import type { PyObject } from "../object.ts";
import { F_DEAD } from "./constants.ts";
import { constFloat, constInt, constStr } from "./consts.ts";
import type { Runtime } from "./runtime.ts";

/** What the API accepts where Python takes an object: a handle or a JS literal (a constant). */
export type Value = PyObject | string | number | bigint | boolean | null | undefined;

/** Internal view of a handle (set up by `PyObject`'s static block). */
export interface HandleAccess {
  make(owner: object, rt: Runtime, id: number, owned: boolean): PyObject;
  id(h: PyObject): number;
  stamp(h: PyObject): number;
  owner(h: PyObject): object;
  owned(h: PyObject): boolean;
  /** Gives up the handle's reference (ownership moves to the caller). */
  disown(h: PyObject): void;
  typeName(h: PyObject): string;
  isHandle(v: unknown): v is PyObject;
}

let access: HandleAccess | undefined;

export function setHandleAccess(a: HandleAccess): void {
  access = a;
}

export function handles(): HandleAccess {
  return access!;
}

/** `<Node object #12>`. */
export function describe(typeName: string, id: number): string {
  return `<${typeName} object #${id}>`;
}

/** Validates a handle and returns its id. */
export function checkHandle(owner: object, rt: Runtime, h: PyObject): number {
  const a = access!;
  const id = a.id(h);
  if (a.owner(h) !== owner) throw new ForeignObjectError(describe(a.typeName(h), id));
  if ((rt.flags[id]! & F_DEAD) !== 0 || rt.stamp[id] !== a.stamp(h) || rt.type[id] === 0) {
    throw new UseAfterFreeError(describe(a.typeName(h), id));
  }
  return id;
}

/** Validates a value (handle or literal) without taking a reference; returns a borrowed id. */
export function peekValue(owner: object, rt: Runtime, v: Value): number {
  if (access!.isHandle(v)) return checkHandle(owner, rt, v);
  return constantOf(rt, v);
}

/** Literal → constant object (borrowed). */
export function constantOf(rt: Runtime, v: unknown): number {
  switch (typeof v) {
    case "string":
      return constStr(rt, v);
    case "number":
      return Number.isInteger(v) && !Object.is(v, -0) ? constInt(rt, v) : constFloat(rt, v);
    case "bigint":
      return constInt(
        rt,
        v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(v)
          : v,
      );
    case "boolean":
      return v ? rt.True : rt.False;
    case "undefined":
      return rt.None;
    case "object":
      if (v === null) return rt.None;
      break;
  }
  throw new TypeError(
    `expected a PyObject handle or a string, number, bigint, boolean or null, got ${describeJs(v)}`,
  );
}

export function describeJs(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return `an object (${Object.prototype.toString.call(v)})`;
  if (typeof v === "function") return "a function";
  return `${typeof v} ${String(v)}`;
}

/**
 * Takes a reference for storing `v` somewhere: an owned handle gives its reference up, a borrowed
 * handle or a literal is incref'd. Call only after every input was validated.
 */
export function takeValue(owner: object, rt: Runtime, v: Value): number {
  const a = access!;
  if (a.isHandle(v)) {
    const id = checkHandle(owner, rt, v);
    if (a.owned(v)) a.disown(v);
    else rt.incref(id);
    return id;
  }
  const id = constantOf(rt, v);
  rt.incref(id);
  return id;
}
