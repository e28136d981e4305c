import { PythonError, RefcountError } from "./errors.ts";
import type { Heap } from "./heap.ts";
import {
  checkHandle,
  describe,
  peekValue,
  setHandleAccess,
  takeValue,
  type Value,
} from "./internal/bridge.ts";
import {
  F_DEAD,
  K_ARRAY,
  K_BYTEARRAY,
  K_BYTES,
  K_DICT,
  K_FROZENSET,
  K_FUNCTION,
  K_INSTANCE,
  K_LIST,
  K_SET,
  K_STR,
  K_TUPLE,
  K_WEAKREF,
} from "./internal/constants.ts";
import { dictClear, dictGet, dictItems } from "./internal/dict.ts";
import {
  canSetAttr,
  delAttr,
  getAttr,
  instanceAttrs,
  materialize,
  setAttr,
} from "./internal/instance.ts";
import { checkHashable } from "./internal/keys.ts";
import {
  listAppend,
  listAssSlice,
  listClear,
  listExtendFast,
  listInsert,
  listItems,
  listPop,
  listRepeat,
  listSet,
  listSlice,
} from "./internal/list.ts";
import { arrayAppend, arrayValues } from "./internal/misc.ts";
import {
  dictRemove,
  dictStore,
  getItem,
  getrefcount,
  kindOf,
  noAttr,
  reprOf,
  scalarOf,
  sizeofObject,
  toIndex,
  typeErr,
} from "./internal/ops.ts";
import type { Runtime } from "./internal/runtime.ts";
import { byteArrayResize } from "./internal/scalars.ts";
import { setAdd, setClear, setContains, setDiscard } from "./internal/setdata.ts";

/** What `PyObject.value` returns for scalars (undefined for other objects). */
export type ScalarValue = number | bigint | string | boolean | null | { re: number; im: number };

/**
 * A handle to a simulated Python object.
 *
 * A handle is either **owned** (it holds one reference, like a value on CPython's evaluation stack
 * or a local variable: what constructors such as `heap.list()` and `pop()` return) or **borrowed**
 * (a view that holds none: what `getItem`, `getAttr` and `frame.get` return). Storing an owned
 * handle (`frame.set`, `append`, `setAttr`, ...) moves its reference into the container; storing a
 * borrowed one adds a reference. Disposing an owned handle drops its reference (`del x`), so
 * `using x = heap.float(1.5)` frees the float at the end of the block.
 *
 * A handle to a freed object throws {@link UseAfterFreeError} on use.
 *
 * @example
 * ```ts
 * const py = new Heap();
 * using f = py.frame();
 * f.set("lst", py.list());                 // lst = []
 * f.get("lst").append(py.float(1.5));      // lst.append(1.5)
 * py.getsizeof(f.get("lst"));              // 88 (56 + 4 slots)
 * ```
 */
export class PyObject implements Disposable {
  readonly #owner: Heap;
  readonly #rt: Runtime;
  readonly #id: number;
  readonly #stamp: number;
  readonly #typeName: string;
  #owned: boolean;

  private constructor(owner: Heap, rt: Runtime, id: number, owned: boolean) {
    this.#owner = owner;
    this.#rt = rt;
    this.#id = id;
    this.#stamp = rt.stamp[id]!;
    this.#typeName = rt.typeOf(id).name;
    this.#owned = owned;
    if (owned) rt.ownedHandles++;
  }

  static {
    setHandleAccess({
      make: (owner, rt, id, owned) => new PyObject(owner as Heap, rt, id, owned),
      id: (h) => h.#id,
      stamp: (h) => h.#stamp,
      owner: (h) => h.#owner,
      owned: (h) => h.#owned,
      disown: (h) => {
        h.#owned = false;
        h.#rt.ownedHandles--;
      },
      typeName: (h) => h.#typeName,
      isHandle: (v): v is PyObject => typeof v === "object" && v !== null && #id in v,
    });
  }

  /** Validated object id (throws when freed). */
  #check(): number {
    return checkHandle(this.#owner, this.#rt, this);
  }

  #borrow(id: number): PyObject {
    return new PyObject(this.#owner, this.#rt, id, false);
  }

  #own(id: number): PyObject {
    return new PyObject(this.#owner, this.#rt, id, true);
  }

  #kind(): number {
    return kindOf(this.#rt, this.#check());
  }

  #expect(kinds: readonly number[], method: string): number {
    const id = this.#check();
    if (!kinds.includes(kindOf(this.#rt, id))) throw noAttr(this.#rt, id, method);
    return id;
  }

  /** The heap this object lives in. */
  get heap(): Heap {
    return this.#owner;
  }

  /** The object's number in the heap's object table (stable while it lives). */
  get id(): number {
    return this.#id;
  }

  /** `type(obj).__name__`, e.g. `"list"` or a class name. */
  get type(): string {
    return this.#typeName;
  }

  /** Whether this handle holds a reference (see the class description). */
  get owned(): boolean {
    return this.#owned;
  }

  /** Whether the object is still alive (not freed, not parked on a free list). */
  get alive(): boolean {
    const rt = this.#rt;
    return (
      (rt.flags[this.#id]! & F_DEAD) === 0 &&
      rt.stamp[this.#id] === this.#stamp &&
      rt.type[this.#id] !== 0
    );
  }

  /** `ob_refcnt` (`sys.getrefcount(obj) - 1`; 2**32 − 1 for immortal objects in 3.12+). */
  get refcount(): number {
    return getrefcount(this.#rt, this.#check()) - 1;
  }

  /** The JS value of an int, float, str, bytes (latin-1 string), bool, None or complex. */
  get value(): ScalarValue | undefined {
    return scalarOf(this.#rt, this.#check());
  }

  /** `sys.getsizeof(obj)`. */
  sizeof(): number {
    return sizeofObject(this.#rt, this.#check());
  }

  /**
   * `obj.__sizeof__()`: `sys.getsizeof` without the pre-header (the 16-byte GC head, and in 3.11
   * the managed-dict pointers of plain-class instances).
   */
  objectSizeof(): number {
    const id = this.#check();
    return sizeofObject(this.#rt, id) - this.#rt.typeOf(id).preheader;
  }

  /** Whether the type supports the cyclic collector (`Py_TPFLAGS_HAVE_GC`). */
  get isGcType(): boolean {
    return this.#rt.typeOf(this.#check()).gc;
  }

  /** `obj is other`. */
  is(other: Value): boolean {
    return this.#check() === peekValue(this.#owner, this.#rt, other);
  }

  /** A new owned handle (one more reference) to the same object. */
  share(): PyObject {
    const id = this.#check();
    this.#rt.incref(id);
    return this.#own(id);
  }

  /**
   * Drops the handle's reference, like `del name` on the variable it stands for. Idempotent, and a
   * no-op for borrowed handles and handles whose reference was stored somewhere.
   */
  dispose(): void {
    if (!this.#owned) return;
    const id = this.#check();
    this.#owned = false;
    this.#rt.ownedHandles--;
    this.#rt.decref(id);
    this.#rt.evalBreaker();
  }

  /** Same as {@link dispose}: `using x = heap.float(1.5)`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * `Py_DECREF` on an owned handle, strictly: unlike `dispose`, calling it on a handle that holds
   * no reference throws {@link RefcountError} (a decrement below what the handle owns).
   */
  decref(): void {
    const id = this.#check();
    if (!this.#owned) {
      throw new RefcountError(
        `decref of ${describe(this.#typeName, id)} would drop a reference this handle does not own ` +
          `(refcount ${this.#rt.rc[id]}); only owned handles can release one`,
      );
    }
    this.dispose();
  }

  /** `len(obj)`. */
  len(): number {
    const id = this.#check();
    const rt = this.#rt;
    switch (kindOf(rt, id)) {
      case K_LIST:
      case K_TUPLE:
      case K_STR:
      case K_BYTES:
      case K_BYTEARRAY:
      case K_ARRAY:
        return rt.size[id]!;
      case K_DICT:
        return rt.dicts.get(id)!.used;
      case K_SET:
      case K_FROZENSET:
        return rt.sets.get(id)!.used;
      default:
        throw typeErr(`object of type '${this.#typeName}' has no len()`);
    }
  }

  /** `obj[key]` (list/tuple index, dict key): a borrowed handle. */
  getItem(key: Value): PyObject {
    return this.#borrow(getItem(this.#owner, this.#rt, this.#check(), key));
  }

  /** `obj[key] = value` on a list or dict. */
  setItem(key: Value, value: Value): void {
    const id = this.#check();
    const rt = this.#rt;
    const kind = kindOf(rt, id);
    if (kind === K_LIST) {
      const n = rt.size[id]!;
      const i = toIndex(this.#owner, rt, key);
      if (i >= n || i < -n)
        throw new PythonError("IndexError", "list assignment index out of range");
      peekValue(this.#owner, rt, value);
      listSet(rt, id, i, takeValue(this.#owner, rt, value));
      return;
    }
    if (kind === K_DICT) {
      dictStore(this.#owner, rt, id, key, value);
      rt.evalBreaker();
      return;
    }
    throw typeErr(`'${this.#typeName}' object does not support item assignment`);
  }

  /** `del obj[key]` on a list or dict. */
  delItem(key: Value): void {
    const id = this.#check();
    const rt = this.#rt;
    const kind = kindOf(rt, id);
    if (kind === K_LIST) {
      const n = rt.size[id]!;
      let i = toIndex(this.#owner, rt, key);
      if (i < 0) i += n;
      if (i < 0 || i >= n)
        throw new PythonError("IndexError", "list assignment index out of range");
      listAssSlice(rt, id, i, i + 1, undefined);
      return;
    }
    if (kind === K_DICT) {
      dictRemove(this.#owner, rt, id, key);
      return;
    }
    throw typeErr(`'${this.#typeName}' object does not support item deletion`);
  }

  /** `del lst[lo:hi]` (step 1; negative bounds count from the end). */
  delSlice(lo = 0, hi?: number): void {
    const id = this.#expect([K_LIST], "__delitem__");
    const n = this.#rt.size[id]!;
    for (const v of [lo, hi]) {
      if (v !== undefined && !Number.isInteger(v))
        throw typeErr(`slice indices must be integers, got ${v}`);
    }
    const norm = (v: number) => Math.min(n, Math.max(0, v < 0 ? v + n : v));
    listAssSlice(this.#rt, id, norm(lo), norm(hi ?? n), undefined);
  }

  /** `value in obj` (list/tuple by equality, dict keys, set members). */
  has(value: Value): boolean {
    const id = this.#check();
    const rt = this.#rt;
    const v = peekValue(this.#owner, rt, value);
    switch (kindOf(rt, id)) {
      case K_DICT:
        checkHashable(rt, v);
        return dictGet(rt, id, v) !== 0;
      case K_SET:
      case K_FROZENSET:
        checkHashable(rt, v);
        return setContains(rt, id, v);
      case K_LIST:
      case K_TUPLE: {
        const items = listItems(rt, id);
        return items.some((x) => x === v || reprOf(rt, x) === reprOf(rt, v));
      }
      default:
        throw typeErr(`argument of type '${this.#typeName}' is not iterable`);
    }
  }

  /** `list.append(value)` (also `bytearray.append(int)` and `array.append(number)`). */
  append(value: Value): void {
    const id = this.#expect([K_LIST, K_BYTEARRAY, K_ARRAY], "append");
    const rt = this.#rt;
    const kind = kindOf(rt, id);
    if (kind === K_LIST) {
      peekValue(this.#owner, rt, value);
      listAppend(rt, id, takeValue(this.#owner, rt, value));
      rt.evalBreaker();
      return;
    }
    if (typeof value !== "number")
      throw typeErr(`an integer or float is required, got ${String(value)}`);
    if (kind === K_BYTEARRAY) {
      if (!Number.isInteger(value) || value < 0 || value > 255) {
        throw new PythonError("ValueError", `byte must be in range(0, 256), got ${value}`);
      }
      const n = rt.size[id]!;
      byteArrayResize(rt, id, n + 1);
      (rt.extra.get(id) as Uint8Array)[n] = value;
      return;
    }
    arrayAppend(rt, id, value);
  }

  /** `list.insert(index, value)`. */
  insert(index: number, value: Value): void {
    const id = this.#expect([K_LIST], "insert");
    if (!Number.isInteger(index)) throw typeErr(`index must be an integer, got ${index}`);
    peekValue(this.#owner, this.#rt, value);
    listInsert(this.#rt, id, index, takeValue(this.#owner, this.#rt, value));
    this.#rt.evalBreaker();
  }

  /** `list.pop(index)` or `dict.pop(key)`: an owned handle (the container's reference). */
  pop(key?: Value): PyObject {
    const id = this.#check();
    const rt = this.#rt;
    const kind = kindOf(rt, id);
    if (kind === K_LIST) {
      const i = key === undefined ? -1 : toIndex(this.#owner, rt, key);
      return this.#own(listPop(rt, id, i));
    }
    if (kind === K_DICT) {
      if (key === undefined) throw typeErr("pop expected at least 1 argument, got 0");
      const v = getItem(this.#owner, rt, id, key);
      rt.incref(v);
      dictRemove(this.#owner, rt, id, key);
      return this.#own(v);
    }
    throw noAttr(rt, id, "pop");
  }

  /**
   * `list.extend(iterable)`. A list or tuple handle takes CPython's fast path (`PySequence_Fast`:
   * an empty list gets an exact, even-rounded capacity); a JS array behaves like a tuple of those
   * values.
   */
  extend(values: PyObject | readonly Value[]): void {
    const id = this.#expect([K_LIST], "extend");
    const rt = this.#rt;
    if (Array.isArray(values)) {
      const ids = values.map((v: Value) => peekValue(this.#owner, rt, v));
      // Owned handles give their reference to the temporary sequence, which drops it afterwards.
      const owned = values.filter((v) => v instanceof PyObject && v.owned) as PyObject[];
      listExtendFast(rt, id, ids);
      for (const h of owned) h.dispose();
      rt.evalBreaker();
      return;
    }
    const src = peekValue(this.#owner, rt, values as PyObject);
    const k = kindOf(rt, src);
    if (k !== K_LIST && k !== K_TUPLE) throw typeErr(`cannot extend from '${rt.typeOf(src).name}'`);
    listExtendFast(rt, id, listItems(rt, src));
    rt.evalBreaker();
  }

  /** `list.clear()`, `dict.clear()`, `set.clear()`. */
  clear(): void {
    const id = this.#expect([K_LIST, K_DICT, K_SET], "clear");
    const rt = this.#rt;
    const kind = kindOf(rt, id);
    if (kind === K_LIST) listClear(rt, id);
    else if (kind === K_SET) setClear(rt, id);
    else dictClear(rt, id);
  }

  /** `list * n`: a new list (owned). */
  repeat(times: number): PyObject {
    const id = this.#expect([K_LIST], "__mul__");
    if (!Number.isInteger(times)) throw typeErr(`can't multiply sequence by non-int ${times}`);
    const out = listRepeat(this.#rt, id, times);
    this.#rt.evalBreaker();
    return this.#own(out);
  }

  /** `list[lo:hi]` (step 1): a new list (owned). */
  slice(lo = 0, hi?: number): PyObject {
    const id = this.#expect([K_LIST], "__getitem__");
    const n = this.#rt.size[id]!;
    const norm = (v: number) => Math.min(n, Math.max(0, v < 0 ? v + n : v));
    const out = listSlice(this.#rt, id, norm(lo), norm(hi ?? n));
    this.#rt.evalBreaker();
    return this.#own(out);
  }

  /** `set.add(value)`. */
  add(value: Value): void {
    const id = this.#expect([K_SET], "add");
    const rt = this.#rt;
    const v = peekValue(this.#owner, rt, value);
    checkHashable(rt, v);
    setAdd(rt, id, takeValue(this.#owner, rt, value));
  }

  /** `set.discard(value)`: true when it was there. */
  discard(value: Value): boolean {
    const id = this.#expect([K_SET], "discard");
    const v = peekValue(this.#owner, this.#rt, value);
    checkHashable(this.#rt, v);
    return setDiscard(this.#rt, id, v);
  }

  /** `set.remove(value)` (KeyError when absent). */
  remove(value: Value): void {
    const id = this.#expect([K_SET, K_LIST], "remove");
    const rt = this.#rt;
    const v = peekValue(this.#owner, rt, value);
    if (kindOf(rt, id) === K_LIST) {
      const i = listItems(rt, id).findIndex((x) => x === v || reprOf(rt, x) === reprOf(rt, v));
      if (i < 0) throw new PythonError("ValueError", "list.remove(x): x not in list");
      listAssSlice(rt, id, i, i + 1, undefined);
      return;
    }
    checkHashable(rt, v);
    if (!setDiscard(rt, id, v)) throw new PythonError("KeyError", reprOf(rt, v));
  }

  /** Dict keys (borrowed), in order. */
  keys(): PyObject[] {
    const id = this.#expect([K_DICT], "keys");
    return dictItems(this.#rt, id).map(([k]) => this.#borrow(k));
  }

  /** Dict values (borrowed), in order. */
  values(): PyObject[] {
    const id = this.#expect([K_DICT], "values");
    return dictItems(this.#rt, id).map(([, v]) => this.#borrow(v));
  }

  /** Dict items as [key, value] pairs of borrowed handles. */
  items(): [PyObject, PyObject][] {
    const id = this.#expect([K_DICT], "items");
    return dictItems(this.#rt, id).map(([k, v]) => [this.#borrow(k), this.#borrow(v)]);
  }

  /** `dict.get(key)`: a borrowed handle or undefined. */
  get(key: Value): PyObject | undefined {
    const id = this.#expect([K_DICT], "get");
    const k = peekValue(this.#owner, this.#rt, key);
    checkHashable(this.#rt, k);
    const v = dictGet(this.#rt, id, k);
    return v === 0 ? undefined : this.#borrow(v);
  }

  /** `getattr(obj, name)`: a borrowed handle (AttributeError when unset). */
  getAttr(name: string): PyObject {
    const id = this.#expect([K_INSTANCE], name);
    const v = getAttr(this.#rt, id, checkName(name));
    if (v === 0) throw noAttr(this.#rt, id, name);
    return this.#borrow(v);
  }

  /** `hasattr(obj, name)`. */
  hasAttr(name: string): boolean {
    const id = this.#check();
    if (kindOf(this.#rt, id) !== K_INSTANCE) return false;
    return getAttr(this.#rt, id, checkName(name)) !== 0;
  }

  /** `obj.name = value`. */
  setAttr(name: string, value: Value): void {
    const id = this.#expect([K_INSTANCE], name);
    const rt = this.#rt;
    checkName(name);
    if (!canSetAttr(rt, id, name)) throw noAttr(rt, id, name);
    peekValue(this.#owner, rt, value);
    setAttr(rt, id, name, takeValue(this.#owner, rt, value));
    rt.evalBreaker();
  }

  /** `del obj.name`. */
  delAttr(name: string): void {
    const id = this.#expect([K_INSTANCE], name);
    delAttr(this.#rt, id, checkName(name));
  }

  /**
   * `obj.__dict__`: materialises the instance's dict, which the instance owns (returned borrowed).
   * 3.11/3.12: a split dict that takes over the values array (an extra GC object per instance).
   * 3.13: a dict over the inline values, which the instance keeps visiting itself.
   */
  dict(): PyObject {
    const id = this.#check();
    const rt = this.#rt;
    const tp = rt.typeOf(id);
    if (tp.kind !== K_INSTANCE || !tp.cls?.managedDict) throw noAttr(rt, id, "__dict__");
    const d = materialize(rt, id);
    rt.evalBreaker();
    return this.#borrow(d);
  }

  /** An instance's attributes (slots first, then `__dict__` order), values borrowed. */
  attrs(): [string, PyObject][] {
    const id = this.#expect([K_INSTANCE], "__dict__");
    return instanceAttrs(this.#rt, id).map(([k, v]) => [k, this.#borrow(v)]);
  }

  /** Calling a weakref, `wr()`: the referent (borrowed) or undefined once cleared. */
  deref(): PyObject | undefined {
    const id = this.#expect([K_WEAKREF], "__call__");
    const target = this.#rt.a0[id]!;
    return target === 0 ? undefined : this.#borrow(target);
  }

  /** Calls a simulated function object with borrowed handles of the arguments. */
  call(...args: Value[]): void {
    const id = this.#expect([K_FUNCTION], "__call__");
    const ids = args.map((a) => peekValue(this.#owner, this.#rt, a));
    const body = this.#rt.extra.get(id) as ((a: number[]) => void) | undefined;
    body?.(ids);
  }

  /** Items of a list, tuple, set or array (borrowed handles; numbers for arrays). */
  toArray(): PyObject[] {
    const id = this.#check();
    const rt = this.#rt;
    const kind = kindOf(rt, id);
    if (kind === K_LIST || kind === K_TUPLE) return listItems(rt, id).map((x) => this.#borrow(x));
    if (kind === K_SET || kind === K_FROZENSET) {
      return rt.sets
        .get(id)!
        .members(rt)
        .map((x) => this.#borrow(x));
    }
    if (kind === K_DICT) return dictItems(rt, id).map(([k]) => this.#borrow(k));
    throw typeErr(`'${this.#typeName}' object is not iterable`);
  }

  /** Numbers stored in an `array.array` or bytes of a bytearray. */
  numbers(): number[] {
    const id = this.#expect([K_ARRAY, K_BYTEARRAY], "tolist");
    if (kindOf(this.#rt, id) === K_ARRAY) return [...arrayValues(this.#rt, id)];
    return [...(this.#rt.extra.get(id) as Uint8Array)];
  }

  /** Iterates like `for x in obj` (borrowed handles). */
  [Symbol.iterator](): Iterator<PyObject> {
    return this.toArray()[Symbol.iterator]();
  }

  /** `<Node object #12>` (`(freed)` once dead). */
  toString(): string {
    const base = describe(this.#typeName, this.#id);
    if (!this.alive) return `${base.slice(0, -1)} (freed)>`;
    const v = this.#kind() === K_STR || typeof this.value !== "object" ? this.value : undefined;
    return v === undefined ? base : `${base.slice(0, -1)} ${reprOf(this.#rt, this.#id)}>`;
  }
}

function checkName(name: unknown): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`attribute name must be a non-empty string, got ${String(name)}`);
  }
  return name;
}
