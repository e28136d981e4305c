import { PythonError } from "./errors.ts";
import type { Heap } from "./heap.ts";
import { handles, peekValue, takeValue, type Value } from "./internal/bridge.ts";
import type { Runtime } from "./internal/runtime.ts";
import type { PyObject } from "./object.ts";

let makeFrame: ((heap: Heap, rt: Runtime, name: string) => Frame) | undefined;

/** @internal */
export function createFrame(heap: Heap, rt: Runtime, name: string): Frame {
  return makeFrame!(heap, rt, name);
}

/**
 * A scope of named variables: a function's locals. Binding a name holds a reference, rebinding
 * releases the old one after storing the new one (`STORE_FAST`), `del` releases it, and disposing
 * the frame releases every variable in binding order, as CPython clears a frame's `localsplus`.
 * Frames are not objects in the simulated heap (3.11 frames live on the data stack).
 *
 * @example
 * ```ts
 * {
 *   using f = py.frame();
 *   f.set("o", py.new(Obj));   // o = Obj()
 *   f.set("a", f.get("o"));    // a = o
 *   py.getrefcount(f.get("o")); // 3
 * }                            // end of the function: o and a are released
 * ```
 */
export class Frame implements Disposable {
  readonly #heap: Heap;
  readonly #rt: Runtime;
  readonly #vars = new Map<string, number>();
  readonly #name: string;
  #disposed = false;

  private constructor(heap: Heap, rt: Runtime, name: string) {
    this.#heap = heap;
    this.#rt = rt;
    this.#name = name;
  }

  static {
    makeFrame = (heap, rt, name) => new Frame(heap, rt, name);
  }

  /** The frame's name (for messages). */
  get name(): string {
    return this.#name;
  }

  /** Whether `dispose` ran. */
  get disposed(): boolean {
    return this.#disposed;
  }

  #live(): void {
    if (this.#disposed) throw new ReferenceError(`frame ${this.#name} is disposed`);
  }

  /** `name = value`. */
  set(name: string, value: Value): void {
    this.#live();
    checkName(name);
    peekValue(this.#heap, this.#rt, value);
    const id = takeValue(this.#heap, this.#rt, value);
    const old = this.#vars.get(name) ?? 0;
    this.#vars.set(name, id);
    if (old !== 0) this.#rt.decref(old);
    this.#rt.evalBreaker();
  }

  /** The object bound to `name` (borrowed). Throws `NameError` when unbound. */
  get(name: string): PyObject {
    this.#live();
    const id = this.#vars.get(checkName(name)) ?? 0;
    if (id === 0) throw new PythonError("NameError", `name '${name}' is not defined`);
    return handles().make(this.#heap, this.#rt, id, false);
  }

  /** Whether `name` is bound. */
  has(name: string): boolean {
    return (this.#vars.get(name) ?? 0) !== 0;
  }

  /** `del name`. */
  del(name: string): void {
    this.#live();
    const id = this.#vars.get(checkName(name)) ?? 0;
    if (id === 0) throw new PythonError("NameError", `name '${name}' is not defined`);
    this.#vars.set(name, 0);
    this.#rt.decref(id);
    this.#rt.evalBreaker();
  }

  /** Bound names, in binding order. */
  names(): string[] {
    return [...this.#vars].filter(([, id]) => id !== 0).map(([n]) => n);
  }

  /**
   * Calls a function: a child frame with `args` bound as its parameters, `body` run with it, the
   * child disposed afterwards (even when `body` throws). Returns what `body` returns.
   *
   * @example
   * ```ts
   * f.call({ x: f.get("o") }, (inner) => py.getrefcount(inner.get("x"))); // 3: o, x, the call
   * ```
   */
  call<R>(args: Readonly<Record<string, Value>>, body: (frame: Frame) => R): R {
    this.#live();
    const child = new Frame(this.#heap, this.#rt, `${this.#name}>call`);
    try {
      for (const [k, v] of Object.entries(args)) child.set(k, v);
      return body(child);
    } finally {
      child.dispose();
    }
  }

  /** Releases every variable (binding order). Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const [name, id] of this.#vars) {
      if (id === 0) continue;
      this.#vars.set(name, 0);
      this.#rt.decref(id);
    }
    this.#rt.evalBreaker();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

function checkName(name: unknown): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`variable name must be a non-empty string, got ${String(name)}`);
  }
  return name;
}
