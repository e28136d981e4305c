import { PythonError } from "./errors.ts";
import type { Heap } from "./heap.ts";
import {
  checkHandle,
  describe,
  handles,
  peekValue,
  takeValue,
  type Value,
} from "./internal/bridge.ts";
import { K_FUNCTION } from "./internal/constants.ts";
import { newInstance } from "./internal/instance.ts";
import { reprOf } from "./internal/ops.ts";
import type { Runtime } from "./internal/runtime.ts";
import {
  checkKey,
  newWeakContainer,
  type WeakKind,
  weakLen,
  wkdGet,
  wkdSet,
  wsAdd,
  wvdGet,
  wvdKeys,
  wvdSet,
} from "./internal/weaklib.ts";
import { newWeakref, weakrefsTo } from "./internal/weakref.ts";
import type { PyObject } from "./object.ts";

let makeModule: ((heap: Heap, rt: Runtime) => WeakrefModule) | undefined;

/** @internal */
export function createWeakrefModule(heap: Heap, rt: Runtime): WeakrefModule {
  return makeModule!(heap, rt);
}

/** A weakref callback: a simulated function object, or a JS function given the weakref. */
export type WeakrefCallback = PyObject | ((weakref: PyObject) => void);

function referentId(heap: Heap, rt: Runtime, obj: PyObject, what: string): number {
  if (!handles().isHandle(obj)) {
    throw new TypeError(`${what}: expected a PyObject, got ${String(obj)}`);
  }
  const id = checkHandle(heap, rt, obj);
  const tp = rt.typeOf(id);
  if (!tp.weakrefable) {
    throw new PythonError("TypeError", `cannot create weak reference to '${tp.name}' object`);
  }
  return id;
}

/** Base of the three weak containers: owns one reference to the simulated container. */
abstract class WeakContainer implements Disposable {
  protected readonly heap: Heap;
  protected readonly rt: Runtime;
  protected readonly self: PyObject;
  protected abstract readonly kind: WeakKind;

  protected constructor(heap: Heap, rt: Runtime, kind: WeakKind) {
    this.heap = heap;
    this.rt = rt;
    this.self = handles().make(heap, rt, newWeakContainer(rt, kind), true);
  }

  protected selfId(): number {
    return checkHandle(this.heap, this.rt, this.self);
  }

  /** The simulated container object (its `data`, `_remove`, ... are attributes). */
  get handle(): PyObject {
    return handles().make(this.heap, this.rt, this.selfId(), false);
  }

  /** `len(container)`, with CPython 3.11's pending-removal rules. */
  get size(): number {
    return weakLen(this.rt, this.kind, this.selfId());
  }

  /** Drops the reference this wrapper holds (the container may be freed). */
  dispose(): void {
    this.self.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * `weakref.WeakValueDictionary`: values are held by `KeyedRef`s whose callback removes the entry,
 * so an entry disappears when its value dies (at once for acyclic values, at the next collection
 * for values in cycles; the collection then also counts the KeyedRefs it frees).
 */
export class WeakValueDictionary extends WeakContainer {
  protected readonly kind = "WeakValueDictionary" as const;

  /** @internal */
  constructor(heap: Heap, rt: Runtime) {
    super(heap, rt, "WeakValueDictionary");
  }

  /** `wvd[key] = value` (the value must support weak references). */
  set(key: Value, value: PyObject): void {
    const self = this.selfId();
    const k = peekValue(this.heap, this.rt, key);
    checkKey(this.rt, k);
    const v = referentId(this.heap, this.rt, value, "WeakValueDictionary.set");
    wvdSet(this.rt, self, takeValue(this.heap, this.rt, key), v);
    this.rt.evalBreaker();
  }

  /** `wvd.get(key)`: the live value (borrowed) or undefined. */
  get(key: Value): PyObject | undefined {
    const self = this.selfId();
    const k = peekValue(this.heap, this.rt, key);
    checkKey(this.rt, k);
    const v = wvdGet(this.rt, self, k);
    return v === 0 ? undefined : handles().make(this.heap, this.rt, v, false);
  }

  /** `key in wvd`. */
  has(key: Value): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * `for k in wvd`: keys of live values (borrowed). Values dying meanwhile are queued in
   * `_pending_removals`; reading `size` inside the loop commits them and the next step raises
   * `RuntimeError: dictionary changed size during iteration`, as in CPython 3.11.
   */
  *keys(): Generator<PyObject> {
    const self = this.selfId();
    for (const k of wvdKeys(this.rt, self)) yield handles().make(this.heap, this.rt, k, false);
  }
}

/** `weakref.WeakKeyDictionary`: keys held by `ref(key, remove)`. */
export class WeakKeyDictionary extends WeakContainer {
  protected readonly kind = "WeakKeyDictionary" as const;

  /** @internal */
  constructor(heap: Heap, rt: Runtime) {
    super(heap, rt, "WeakKeyDictionary");
  }

  /** `wkd[key] = value` (the key must support weak references). */
  set(key: PyObject, value: Value): void {
    const self = this.selfId();
    const k = referentId(this.heap, this.rt, key, "WeakKeyDictionary.set");
    checkKey(this.rt, k);
    peekValue(this.heap, this.rt, value);
    this.rt.incref(k);
    wkdSet(this.rt, self, k, takeValue(this.heap, this.rt, value));
    this.rt.evalBreaker();
  }

  /** `wkd.get(key)`: the value (borrowed) or undefined. */
  get(key: PyObject): PyObject | undefined {
    const self = this.selfId();
    const k = referentId(this.heap, this.rt, key, "WeakKeyDictionary.get");
    const v = wkdGet(this.rt, self, k);
    return v === 0 ? undefined : handles().make(this.heap, this.rt, v, false);
  }
}

/** `weakref.WeakSet`: members held by `ref(item, remove)`. */
export class PyWeakSet extends WeakContainer {
  protected readonly kind = "WeakSet" as const;

  /** @internal */
  constructor(heap: Heap, rt: Runtime) {
    super(heap, rt, "WeakSet");
  }

  /** `ws.add(item)` (the item must support weak references). */
  add(item: PyObject): void {
    const self = this.selfId();
    const id = referentId(this.heap, this.rt, item, "WeakSet.add");
    wsAdd(this.rt, self, id);
    this.rt.evalBreaker();
  }
}

interface FinalizeInfo {
  weakref: number;
  func: (...args: unknown[]) => unknown;
  args: unknown[];
  atexit: boolean;
}

/**
 * `weakref.finalize(obj, func, *args)`: calls `func(*args)` at most once, when `obj` dies (by
 * refcount or collection), when called, or (not simulated) at exit. Holds a simulated `finalize`
 * object and a weakref with a callback, registered in a class-level registry as CPython does.
 */
export class Finalize {
  readonly #heap: Heap;
  readonly #rt: Runtime;
  readonly #registry: Map<Finalize, FinalizeInfo>;
  readonly #self: number;

  /** @internal */
  constructor(
    heap: Heap,
    rt: Runtime,
    registry: Map<Finalize, FinalizeInfo>,
    target: number,
    func: (...args: unknown[]) => unknown,
    args: unknown[],
  ) {
    this.#heap = heap;
    this.#rt = rt;
    this.#registry = registry;
    this.#self = newInstance(rt, rt.finalizeType);
    const wr = newWeakref(rt, target, () => void this.call(), undefined, 0);
    registry.set(this, { weakref: wr, func, args, atexit: true });
  }

  #drop(info: FinalizeInfo): void {
    this.#registry.delete(this);
    this.#rt.decref(info.weakref);
    this.#rt.decref(this.#self);
  }

  /** Whether it has not run (nor been detached) yet. */
  get alive(): boolean {
    return this.#registry.has(this);
  }

  /** `finalize.atexit`: false once it ran or was detached. */
  get atexit(): boolean {
    const info = this.#registry.get(this);
    return info?.atexit === true;
  }

  set atexit(value: boolean) {
    const info = this.#registry.get(this);
    if (info !== undefined) info.atexit = Boolean(value);
  }

  /** `finalize()`: runs the function the first time (returning its result), undefined after. */
  call(): unknown {
    const info = this.#registry.get(this);
    if (info === undefined) return undefined;
    this.#drop(info);
    return info.func(...info.args);
  }

  /** `finalize.detach()`: [obj, func, args] and cancels it, or undefined if dead. */
  detach(): [PyObject, (...args: unknown[]) => unknown, unknown[]] | undefined {
    const info = this.#registry.get(this);
    const target = info === undefined ? 0 : this.#rt.a0[info.weakref]!;
    if (info === undefined || target === 0) return undefined;
    const obj = handles().make(this.#heap, this.#rt, target, false);
    this.#drop(info);
    return [obj, info.func, info.args];
  }

  /** `finalize.peek()`: [obj, func, args] without cancelling, or undefined. */
  peek(): [PyObject, (...args: unknown[]) => unknown, unknown[]] | undefined {
    const info = this.#registry.get(this);
    const target = info === undefined ? 0 : this.#rt.a0[info.weakref]!;
    if (info === undefined || target === 0) return undefined;
    return [handles().make(this.#heap, this.#rt, target, false), info.func, info.args];
  }
}

/**
 * The `weakref` module of the simulated interpreter.
 *
 * @example
 * ```ts
 * const wr = py.weakref.ref(f.get("o"), () => log.push("callback"));
 * f.del("o");          // refcount 0: __del__, then the callback, then the memory is freed
 * wr.deref();          // undefined
 * ```
 */
export class WeakrefModule {
  readonly #heap: Heap;
  readonly #rt: Runtime;
  readonly #registry = new Map<Finalize, FinalizeInfo>();

  private constructor(heap: Heap, rt: Runtime) {
    this.#heap = heap;
    this.#rt = rt;
  }

  static {
    makeModule = (heap, rt) => new WeakrefModule(heap, rt);
  }

  /**
   * `weakref.ref(obj, callback)`: an owned handle to a weakref. Without a callback an existing
   * plain ref is shared (CPython returns the same object). Objects that cannot be weakly
   * referenced (int, str, tuple, list, dict, ...) raise `TypeError`.
   */
  ref(obj: PyObject, callback?: WeakrefCallback): PyObject {
    const rt = this.#rt;
    const target = referentId(this.#heap, rt, obj, "weakref.ref");
    let cb: number | ((wr: number) => void) | undefined;
    if (typeof callback === "function") {
      const fn = callback;
      cb = (wr: number) => fn(handles().make(this.#heap, rt, wr, false));
    } else if (callback !== undefined) {
      const cid = checkHandle(this.#heap, rt, callback);
      if (rt.typeOf(cid).kind !== K_FUNCTION && cid !== rt.None) {
        throw new PythonError("TypeError", `'${rt.typeOf(cid).name}' object is not callable`);
      }
      cb = cid === rt.None ? undefined : cid;
    }
    const id = newWeakref(rt, target, cb, undefined, 0);
    rt.evalBreaker();
    return handles().make(this.#heap, rt, id, true);
  }

  /** `weakref.getweakrefcount(obj)`. */
  getweakrefcount(obj: PyObject): number {
    return weakrefsTo(this.#rt, checkHandle(this.#heap, this.#rt, obj)).length;
  }

  /** `weakref.getweakrefs(obj)` (borrowed). */
  getweakrefs(obj: PyObject): PyObject[] {
    return weakrefsTo(this.#rt, checkHandle(this.#heap, this.#rt, obj)).map((w) =>
      handles().make(this.#heap, this.#rt, w, false),
    );
  }

  /** `weakref.finalize(obj, func, *args)`. */
  finalize<A extends unknown[], R>(obj: PyObject, func: (...args: A) => R, ...args: A): Finalize {
    if (typeof func !== "function")
      throw new TypeError(`func must be a function, got ${String(func)}`);
    const target = referentId(this.#heap, this.#rt, obj, "weakref.finalize");
    const f = new Finalize(
      this.#heap,
      this.#rt,
      this.#registry,
      target,
      func as (...a: unknown[]) => unknown,
      args,
    );
    this.#rt.evalBreaker();
    return f;
  }

  /** `weakref.WeakValueDictionary()`. */
  WeakValueDictionary(): WeakValueDictionary {
    return new WeakValueDictionary(this.#heap, this.#rt);
  }

  /** `weakref.WeakKeyDictionary()`. */
  WeakKeyDictionary(): WeakKeyDictionary {
    return new WeakKeyDictionary(this.#heap, this.#rt);
  }

  /** `weakref.WeakSet()`. */
  WeakSet(): PyWeakSet {
    return new PyWeakSet(this.#heap, this.#rt);
  }

  /** Describes an object for messages. */
  describe(obj: PyObject): string {
    const id = checkHandle(this.#heap, this.#rt, obj);
    return `${describe(this.#rt.typeOf(id).name, id)} ${reprOf(this.#rt, id)}`;
  }
}
