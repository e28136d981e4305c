import { type AllocatorOptions, createAllocator, type SimulatedAllocator } from "./allocator.ts";
import { classOwner, classType, createClass, PyClass } from "./class.ts";
import { ForeignObjectError, PythonError } from "./errors.ts";
import type { HeapEvent, HeapListener } from "./events.ts";
import { createFrame, type Frame } from "./frame.ts";
import { createGc, type GcModule } from "./gc-module.ts";
import { createRuntime } from "./internal/boot.ts";
import { checkHandle, handles, peekValue, takeValue, type Value } from "./internal/bridge.ts";
import { checkHeap } from "./internal/check.ts";
import { K_STR } from "./internal/constants.ts";
import { constTuple } from "./internal/consts.ts";
import { DictData, dictNew, dictNewPresized, dictSetItem, newDictObject } from "./internal/dict.ts";
import { newInstance, setAttr } from "./internal/instance.ts";
import { addressOf, checkHashable } from "./internal/keys.ts";
import { listExtendIter, listGenericNew, listNew, listNewFromConstants } from "./internal/list.ts";
import { ARRAY_ITEMSIZE, arrayAppend, newArray, newFunction } from "./internal/misc.ts";
import { getrefcount, kindOf, sizeofObject } from "./internal/ops.ts";
import type { ArenaAlignment } from "./internal/pymalloc.ts";
import type { Runtime } from "./internal/runtime.ts";
import {
  newByteArray,
  newBytes,
  newComplex,
  newFloat,
  newInt,
  newPlainObject,
  newRange,
  newStr,
} from "./internal/scalars.ts";
import { setAdd, setNew, setNewFromConstants } from "./internal/setdata.ts";
import { tupleNew } from "./internal/tuple.ts";
import { makeClassType } from "./internal/types.ts";
import { type PythonVersion, profileOf } from "./internal/version.ts";
import type { PyObject } from "./object.ts";
import { createPymallocView, type PymallocView } from "./pymalloc-view.ts";
import { createTracemalloc, type Tracemalloc } from "./tracemalloc.ts";
import {
  createWeakProvider,
  type SimulatedWeakProvider,
  type WeakProviderOptions,
} from "./weak-provider.ts";
import { createWeakrefModule, type WeakrefModule } from "./weakref-module.ts";

export type { PythonVersion };

const NO_ATTRS: readonly (readonly [string, Value])[] = [];

/** Options of the displays `heap.tuple`, `heap.list` and `heap.set`. */
export interface DisplayOptions {
  /**
   * Whether the display is one of constants that CPython's compiler folds (`(1, 2)`, `[1, 2, 3]`,
   * `{1, 2, 3}` in source) rather than one built from computed values (`(i, j)`, `[a, b, c]`).
   * Needs JS literals only. Default: `true` for lists and sets of three or more JS literals,
   * `false` for tuples.
   */
  readonly folded?: boolean;
}

/** A JS literal: a constant of the code (`LOAD_CONST`), not a handle to a computed object. */
function isConstant(v: Value): boolean {
  return v === null || typeof v !== "object";
}

/** Options of {@link Heap}. */
export interface HeapOptions {
  /**
   * Which CPython to model. Default `"3.11"`. `"3.12"`: smaller str headers, 48-byte instances,
   * immortal singletons, collections scheduled to the end of the allocating call. `"3.13"`: those,
   * plus threshold0 = 2000 and inline instance values. See the README for what is modelled.
   */
  readonly version?: PythonVersion;
  /**
   * Whether each new arena is 16 KiB aligned (64 pools) or not (63 pools; CPython loses the first
   * partial pool). Real arenas come from `mmap` and the alignment depends on ASLR. Default
   * `"misaligned"`. An array is used cyclically by arena serial number; a function gets the serial.
   */
  readonly arenaAlignment?: ArenaAlignment;
  /**
   * RSS of the interpreter before any arena or raw block of this heap, in bytes, for `rss()`.
   * Default 10,900,000 (a 3.11 process on x86-64 Linux at start-up, without its arenas; calibrated on oracle d).
   */
  readonly rssBase?: number;
  /**
   * glibc's mmap threshold for the RSS model: raw blocks this large are separate mappings (paged
   * in, returned on free); smaller ones live in the brk heap. Default 131,072.
   */
  readonly mmapThreshold?: number;
  /** Object-table slots reserved up front (it grows as needed). Default 1,024. */
  readonly initialCapacity?: number;
  /**
   * Called with an exception thrown by a `__del__`, a weakref callback or a gc callback (CPython
   * reports those with `sys.unraisablehook` and goes on). Default: collected in `heap.unraisable`.
   */
  readonly onUnraisable?: (error: unknown) => void;
}

/** Options of a user class ({@link Heap.defineClass}). */
export interface ClassOptions {
  /**
   * `__slots__`: member names; `"__weakref__"` makes instances weak-referenceable and `"__dict__"`
   * gives them a dict. Without `slots` the class is a plain class (managed dict + `__weakref__`).
   */
  readonly slots?: readonly string[];
  /** Base class (its slots, dict, weakref support and `__del__` are inherited). */
  readonly base?: PyClass;
  /**
   * `__del__` (PEP 442 `tp_finalize`): called at most once per object, with a borrowed handle to
   * it, before its weakrefs are cleared (refcount death) or after (collector). It may resurrect
   * the object by storing it somewhere.
   */
  readonly del?: (self: PyObject) => void;
}

/** Bytes the heap holds, by kind, for pictures and checks. */
export interface MemorySummary {
  /** Live objects (free-listed ones and static singletons excluded). */
  readonly objects: number;
  /** Objects tracked by the collector (all generations and the permanent one). */
  readonly tracked: number;
  /** pymalloc blocks in use and the bytes requested in them (tracemalloc's view). */
  readonly pymallocBlocks: number;
  readonly pymallocRequestedBytes: number;
  /** Raw (libc malloc) blocks and bytes. */
  readonly rawBlocks: number;
  readonly rawBytes: number;
  /** Arenas mapped now and their bytes. */
  readonly arenas: number;
  readonly arenaBytes: number;
  /** Objects parked on free lists (float, list, dict, tuple) and keys objects on theirs. */
  readonly freeListed: number;
  /** Estimated resident set size (see {@link Heap.rss}). */
  readonly rss: number;
  /** The simulator's own storage (JS side), for the curious: object-table slots, cell slab. */
  readonly simulator: {
    readonly objectSlots: number;
    readonly cellsLive: number;
    readonly cellsReserved: number;
    /** The instance slab (`__slots__` members, values arrays of instances and split dicts). */
    readonly valueCellsLive: number;
    readonly valueCellsReserved: number;
    readonly compactions: number;
    /**
     * JS watchers waiting for objects to die: one per object weakly referenced through
     * {@link Heap.weakProvider} (shared by all its weak references), plus one per finalization
     * registration not yet run or unregistered.
     */
    readonly watchers: number;
  };
}

const VERSIONS: readonly PythonVersion[] = ["3.11", "3.12", "3.13"];

function nonNegativeInteger(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(v)}`);
  }
  return v;
}

/**
 * A simulated CPython heap: objects with reference counts, the cyclic collector, weak references
 * and pymalloc, with sizes and counts as CPython 3.11 (64-bit Linux) reports them.
 *
 * Constructors (`int`, `str`, `list`, `new`, ...) return **owned** handles (a new reference, like a
 * value on the evaluation stack); store them (`frame.set`, `append`, `setAttr`) or dispose them.
 *
 * @example
 * ```ts
 * const py = new Heap();
 * const Obj = py.defineClass("Obj", { del: (self) => log.push("__del__") });
 * using f = py.frame();
 * f.set("o", py.new(Obj));            // o = Obj()
 * f.set("lst", py.list([f.get("o")])); // lst = [o]
 * py.getrefcount(f.get("o"));         // 3
 * f.del("lst");
 * f.del("o");                         // __del__ runs here, inside the statement
 * ```
 */
export class Heap {
  readonly #rt: Runtime;
  readonly #rssBase: number;
  readonly #mmapThreshold: number;
  readonly #listeners: HeapListener[] = [];

  /** The `gc` module. */
  readonly gc: GcModule;
  /** The `weakref` module. */
  readonly weakref: WeakrefModule;
  /** `tracemalloc`. */
  readonly tracemalloc: Tracemalloc;
  /** pymalloc statistics and the arena/pool map. */
  readonly pymalloc: PymallocView;
  /** The modelled CPython version. */
  readonly version: PythonVersion;

  constructor(options: HeapOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`options must be an object, got ${String(options)}`);
    }
    const version = options.version ?? "3.11";
    if (!VERSIONS.includes(version)) {
      throw new RangeError(`version must be one of ${VERSIONS.join(", ")}, got ${String(version)}`);
    }
    const alignment = options.arenaAlignment ?? "misaligned";
    if (
      alignment !== "aligned" &&
      alignment !== "misaligned" &&
      typeof alignment !== "function" &&
      !(
        Array.isArray(alignment) &&
        alignment.length > 0 &&
        alignment.every((a) => typeof a === "boolean")
      )
    ) {
      throw new TypeError(
        `arenaAlignment must be "aligned", "misaligned", a non-empty boolean array or a function, got ${String(alignment)}`,
      );
    }
    this.#rssBase = nonNegativeInteger("rssBase", options.rssBase ?? 10_900_000);
    this.#mmapThreshold = nonNegativeInteger("mmapThreshold", options.mmapThreshold ?? 131_072);
    const initialCapacity = nonNegativeInteger("initialCapacity", options.initialCapacity ?? 1024);
    if (options.onUnraisable !== undefined && typeof options.onUnraisable !== "function") {
      throw new TypeError(`onUnraisable must be a function, got ${String(options.onUnraisable)}`);
    }
    this.version = version;
    this.#rt = createRuntime({
      profile: profileOf(version),
      arenaAlignment: alignment,
      initialCapacity,
    });
    this.#rt.unraisableHook = options.onUnraisable;
    this.gc = createGc(this, this.#rt);
    this.weakref = createWeakrefModule(this, this.#rt);
    this.tracemalloc = createTracemalloc(this.#rt);
    this.pymalloc = createPymallocView(this.#rt);
  }

  #own(id: number): PyObject {
    this.#rt.evalBreaker();
    return handles().make(this, this.#rt, id, true);
  }

  #borrow(id: number): PyObject {
    return handles().make(this, this.#rt, id, false);
  }

  // ------------------------------------------------------------------ singletons and scalars

  /** `None` (a borrowed handle to the singleton). */
  get None(): PyObject {
    return this.#borrow(this.#rt.None);
  }

  /** `True`. */
  get True(): PyObject {
    return this.#borrow(this.#rt.True);
  }

  /** `False`. */
  get False(): PyObject {
    return this.#borrow(this.#rt.False);
  }

  /** `int(v)`: 28 bytes + 4 per extra 30-bit digit; -5..256 are shared singletons. */
  int(v: number | bigint): PyObject {
    if (typeof v === "number" && !Number.isInteger(v)) {
      throw new RangeError(`int() needs an integer value, got ${v}`);
    }
    if (typeof v !== "number" && typeof v !== "bigint") {
      throw new TypeError(`int() needs a number or bigint, got ${String(v)}`);
    }
    return this.#own(newInt(this.#rt, v));
  }

  /** `float(v)`: 24 bytes (a 32-byte block); reuses the float free list (100). */
  float(v: number): PyObject {
    if (typeof v !== "number") throw new TypeError(`float() needs a number, got ${String(v)}`);
    return this.#own(newFloat(this.#rt, v));
  }

  /** `complex(re, im)`: 32 bytes. */
  complex(re: number, im: number): PyObject {
    if (typeof re !== "number" || typeof im !== "number") {
      throw new TypeError(`complex() needs two numbers, got ${String(re)}, ${String(im)}`);
    }
    return this.#own(newComplex(this.#rt, re, im));
  }

  /**
   * A str built at run time (not interned): 49 + n bytes for ASCII in 3.11, 72 + kind × (n + 1)
   * otherwise; '' and one-character latin-1 strings are shared singletons. JS string literals
   * passed where a value is expected are *constants* instead (interned, created once).
   */
  str(s: string): PyObject {
    if (typeof s !== "string") throw new TypeError(`str() needs a string, got ${String(s)}`);
    return this.#own(newStr(this.#rt, s));
  }

  /** `bytes`: 33 + n bytes; b'' and 1-byte values are singletons. */
  bytes(data: Uint8Array | readonly number[] | number): PyObject {
    let s: string;
    if (typeof data === "number") {
      nonNegativeInteger("bytes length", data);
      s = "\0".repeat(data);
    } else if (data instanceof Uint8Array) {
      s = "";
      for (let i = 0; i < data.length; i += 8192) {
        s += String.fromCharCode(...data.subarray(i, i + 8192));
      }
    } else if (Array.isArray(data)) {
      for (const b of data) {
        if (!Number.isInteger(b) || b < 0 || b > 255) {
          throw new RangeError(`bytes must be in range(0, 256), got ${String(b)}`);
        }
      }
      s = String.fromCharCode(...data);
    } else {
      throw new TypeError(
        `bytes() needs a length, a Uint8Array or an array of bytes, got ${String(data)}`,
      );
    }
    return this.#own(newBytes(this.#rt, s));
  }

  /** `bytearray(n)`: 56 bytes + a separate buffer. */
  bytearray(length = 0): PyObject {
    return this.#own(newByteArray(this.#rt, nonNegativeInteger("bytearray length", length)));
  }

  /** `object()`: 16 bytes, not tracked, not weak-referenceable. */
  object(): PyObject {
    return this.#own(newPlainObject(this.#rt));
  }

  /** `range(start, stop, step)`: 48 bytes. */
  range(start: number, stop?: number, step = 1): PyObject {
    const [a, b] = stop === undefined ? [0, start] : [start, stop];
    for (const v of [a, b, step]) {
      if (!Number.isInteger(v)) throw new TypeError(`range() arguments must be integers, got ${v}`);
    }
    if (step === 0) throw new PythonError("ValueError", "range() arg 3 must not be zero");
    return this.#own(newRange(this.#rt, a, b, step));
  }

  // ------------------------------------------------------------------ containers

  /** Whether a display is folded: `options.folded`, else `byDefault` for `min`+ literals. */
  #folded(
    items: readonly Value[],
    options: DisplayOptions,
    byDefault: boolean,
    min: number,
  ): boolean {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`options must be an object, got ${String(options)}`);
    }
    const folded = options.folded ?? (byDefault && items.length >= min && items.every(isConstant));
    if (typeof folded !== "boolean") {
      throw new TypeError(`folded must be a boolean, got ${String(folded)}`);
    }
    if (!folded) return false;
    if (items.length < min || !items.every(isConstant)) {
      throw new TypeError(
        `folded: true needs ${min === 1 ? "at least one item" : `${min} or more items`}, all JS literals (constants)`,
      );
    }
    return true;
  }

  #checkAll(values: readonly Value[]): void {
    if (!Array.isArray(values))
      throw new TypeError(`expected an array of values, got ${String(values)}`);
    for (const v of values) peekValue(this, this.#rt, v);
  }

  /**
   * A tuple display `(a, b, ...)` (`BUILD_TUPLE`): 40 + 8n bytes, free lists for lengths 1..19.
   * `py.tuple()` is the empty-tuple singleton.
   *
   * With `{ folded: true }` (all items JS literals) it is instead a tuple constant, `(1, "a")` in
   * Python source: the compiler folds it (`Python/ast_opt.c: fold_tuple`) and every evaluation
   * returns the same object, made once, not from a free list and not counted by the collector.
   * Default `false`: JS values in a loop (`py.tuple([i, i])`) are computed values, as `(i, i)` is.
   */
  tuple(items: readonly Value[] = [], options: DisplayOptions = {}): PyObject {
    this.#checkAll(items);
    const rt = this.#rt;
    if (this.#folded(items, options, false, 1)) {
      const id = constTuple(
        rt,
        items.map((v) => peekValue(this, rt, v)),
      );
      rt.incref(id);
      return this.#own(id);
    }
    const ids = items.map((v) => takeValue(this, this.#rt, v));
    return this.#own(tupleNew(this.#rt, ids));
  }

  /**
   * A list display `[a, b, ...]` (`BUILD_LIST`, `PyList_New(n)`): the free list first, exactly n
   * slots. `py.list()` then `append` models a list comprehension; `list(iterable)` is
   * {@link Heap.listFromIterable}.
   *
   * Three or more JS literals are taken as a display of constants, `[1, 2, 3]` in Python source,
   * which the 3.11 compiler builds with `BUILD_LIST 0; LOAD_CONST (1, 2, 3); LIST_EXTEND`: the
   * capacity is rounded up to even, so `py.list([1, 2, 3])` is 88 bytes like `[1, 2, 3]`, where
   * `[a, b, c]` is 80. Pass `{ folded: false }` for a display of computed values (`[i, j, k]`).
   */
  list(items: readonly Value[] = [], options: DisplayOptions = {}): PyObject {
    this.#checkAll(items);
    const rt = this.#rt;
    if (this.#folded(items, options, true, 3)) {
      return this.#own(
        listNewFromConstants(
          rt,
          items.map((v) => takeValue(this, rt, v)),
        ),
      );
    }
    const id = listNew(rt, items.length);
    const off = rt.a0[id]!;
    items.forEach((v, i) => {
      rt.cells.data[off + i] = takeValue(this, rt, v);
    });
    return this.#own(id);
  }

  /**
   * `list(iterable)`: `PyType_GenericAlloc` (no free list), then `list.extend` on an iterator with
   * the given length hint: 8 for a generator (the default), len for a sized iterable such as
   * `range(n)` (the capacity is then rounded up to even).
   */
  listFromIterable(values: Iterable<Value>, lengthHint = 8): PyObject {
    nonNegativeInteger("lengthHint", lengthHint);
    if (values === null || typeof (values as Iterable<Value>)[Symbol.iterator] !== "function") {
      throw new TypeError(`expected an iterable, got ${String(values)}`);
    }
    const rt = this.#rt;
    const id = listGenericNew(rt);
    const it = values[Symbol.iterator]();
    try {
      // Items are taken as the iterator yields them, as CPython's list_extend does.
      listExtendIter(
        rt,
        id,
        () => {
          const r = it.next();
          if (r.done) return 0;
          peekValue(this, rt, r.value);
          return takeValue(this, rt, r.value);
        },
        lengthHint,
      );
    } catch (error) {
      rt.decref(id); // the partial list is dropped, as when the iterator raises in CPython
      throw error;
    }
    return this.#own(id);
  }

  /**
   * A dict display `{k: v, ...}` (`BUILD_MAP`): up to 5 items start from the shared empty keys,
   * more get a presized keys table; the dict free list is used. Untracked until a key or value may
   * be tracked.
   */
  dict(entries: readonly (readonly [Value, Value])[] = []): PyObject {
    const rt = this.#rt;
    if (!Array.isArray(entries))
      throw new TypeError(`entries must be an array of [key, value] pairs`);
    for (const e of entries) {
      if (!Array.isArray(e) || e.length !== 2) {
        throw new TypeError(`each entry must be a [key, value] pair, got ${String(e)}`);
      }
      checkHashable(rt, peekValue(this, rt, e[0]));
      peekValue(this, rt, e[1]);
    }
    const unicode = entries.every(([k]) => kindOf(rt, peekValue(this, rt, k)) === K_STR);
    const id = entries.length > 5 ? dictNewPresized(rt, entries.length, unicode) : dictNew(rt);
    for (const [k, v] of entries) {
      dictSetItem(rt, id, takeValue(this, rt, k), takeValue(this, rt, v));
    }
    return this.#own(id);
  }

  /** `dict(pairs)`: `dict_new` (`tp_alloc`, no free list), then item by item. */
  dictFromPairs(entries: readonly (readonly [Value, Value])[] = []): PyObject {
    const rt = this.#rt;
    if (!Array.isArray(entries))
      throw new TypeError(`entries must be an array of [key, value] pairs`);
    for (const e of entries) {
      if (!Array.isArray(e) || e.length !== 2) {
        throw new TypeError(`each entry must be a [key, value] pair, got ${String(e)}`);
      }
      checkHashable(rt, peekValue(this, rt, e[0]));
      peekValue(this, rt, e[1]);
    }
    const id = newDictObject(rt, new DictData(), true);
    for (const [k, v] of entries)
      dictSetItem(rt, id, takeValue(this, rt, k), takeValue(this, rt, v));
    return this.#own(id);
  }

  /**
   * A set display `{a, b, ...}` (`set()` when empty): 216 bytes with 8 inline slots, a separate
   * table beyond; the items are added one by one. Three or more JS literals are taken as a display
   * of constants, `{1, 2, 3, 4, 5}` in Python source, which CPython folds into a frozenset and
   * merges in one go (472 bytes, where `{a, b, c, d, e}` added one by one is 728). Pass
   * `{ folded: false }` for computed values. `set(iterable)` is {@link Heap.setFromIterable}.
   */
  set(items: readonly Value[] = [], options: DisplayOptions = {}): PyObject {
    return this.#own(this.#makeSet(items, false, this.#folded(items, options, true, 3)));
  }

  /** `set(iterable)`: `set_update_internal`, the items added one by one. */
  setFromIterable(values: Iterable<Value>): PyObject {
    if (values === null || typeof (values as Iterable<Value>)[Symbol.iterator] !== "function") {
      throw new TypeError(`expected an iterable, got ${String(values)}`);
    }
    return this.#own(this.#makeSet([...values], false, false));
  }

  /** `frozenset(iterable)`: the items added one by one. */
  frozenset(items: Iterable<Value> = []): PyObject {
    if (items === null || typeof (items as Iterable<Value>)[Symbol.iterator] !== "function") {
      throw new TypeError(`expected an iterable, got ${String(items)}`);
    }
    return this.#own(this.#makeSet([...items], true, false));
  }

  #makeSet(items: readonly Value[], frozen: boolean, folded: boolean): number {
    this.#checkAll(items);
    const rt = this.#rt;
    for (const v of items) checkHashable(rt, peekValue(this, rt, v));
    if (folded) {
      return setNewFromConstants(
        rt,
        items.map((v) => takeValue(this, rt, v)),
      );
    }
    const id = setNew(rt, frozen);
    for (const v of items) setAdd(rt, id, takeValue(this, rt, v));
    return id;
  }

  /** `array.array(typecode, numbers)`: 80 bytes + `array_resize`'s buffer. */
  array(typecode: string, values: Iterable<number> = []): PyObject {
    if (typeof typecode !== "string" || ARRAY_ITEMSIZE[typecode] === undefined) {
      throw new PythonError(
        "ValueError",
        `bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d), got ${String(typecode)}`,
      );
    }
    const nums = [...values];
    for (const n of nums) {
      if (typeof n !== "number")
        throw new TypeError(`array values must be numbers, got ${String(n)}`);
    }
    const id = newArray(this.#rt, typecode);
    for (const n of nums) arrayAppend(this.#rt, id, n);
    return this.#own(id);
  }

  /**
   * A function object (152 bytes, tracked, weak-referenceable). `captures` are the objects its
   * closure holds (no cell objects are modelled); `body` runs when it is called (e.g. as a weakref
   * callback), with borrowed handles of the arguments.
   */
  function(body?: (...args: PyObject[]) => void, captures: readonly Value[] = []): PyObject {
    if (body !== undefined && typeof body !== "function") {
      throw new TypeError(`body must be a function, got ${String(body)}`);
    }
    this.#checkAll(captures);
    const rt = this.#rt;
    const ids = captures.map((v) => takeValue(this, rt, v));
    const run =
      body === undefined
        ? undefined
        : (args: number[]) => body(...args.map((a) => this.#borrow(a)));
    return this.#own(newFunction(rt, run, ids));
  }

  // ------------------------------------------------------------------ classes

  /**
   * `class Name: ...`. A plain class has a managed `__dict__` (3.11: 56-byte instances plus a values
   * array) and `__weakref__`; `slots` gives a `__slots__` class (16 GC + 16 + 8 per slot).
   *
   * @example
   * ```ts
   * const Node = py.defineClass("Node");
   * const SlotNode = py.defineClass("SlotNode", { slots: ["parent", "children", "__weakref__"] });
   * const DelNode = py.defineClass("DelNode", { base: Node, del: () => finalized++ });
   * ```
   */
  defineClass(name: string, options: ClassOptions = {}): PyClass {
    if (typeof name !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new TypeError(`class name must be an identifier, got ${String(name)}`);
    }
    const { slots, base, del } = options;
    if (slots !== undefined) {
      if (!Array.isArray(slots))
        throw new TypeError(`slots must be an array of names, got ${String(slots)}`);
      const seen = new Set<string>();
      for (const s of slots) {
        if (typeof s !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) {
          throw new TypeError(`__slots__ items must be identifiers, got ${String(s)}`);
        }
        if (seen.has(s))
          throw new PythonError("TypeError", `__slots__ items must be unique: '${s}'`);
        seen.add(s);
      }
    }
    if (base !== undefined) {
      if (!(base instanceof PyClass))
        throw new TypeError(`base must be a PyClass, got ${String(base)}`);
      if (classOwner(base) !== this) throw new ForeignObjectError(`class ${base.name}`);
    }
    if (del !== undefined && typeof del !== "function") {
      throw new TypeError(`del must be a function, got ${String(del)}`);
    }
    const rt = this.#rt;
    const finalizer = del === undefined ? undefined : (id: number) => del(this.#borrow(id));
    const tp = makeClassType(
      rt.types,
      { name, base: base === undefined ? undefined : classType(base).cls, slots, finalizer },
      rt.v,
    );
    return createClass(this, tp);
  }

  /**
   * `cls()` followed by `self.name = value` for each attribute, in order (an `__init__`). Returns
   * an owned handle. The collection that the allocation may trigger runs before the instance is
   * tracked, as in CPython 3.11.
   */
  new(
    cls: PyClass,
    attrs: Readonly<Record<string, Value>> | readonly (readonly [string, Value])[] = NO_ATTRS,
  ): PyObject {
    if (!(cls instanceof PyClass)) throw new TypeError(`expected a PyClass, got ${String(cls)}`);
    if (classOwner(cls) !== this) throw new ForeignObjectError(`class ${cls.name}`);
    const rt = this.#rt;
    const tp = classType(cls);
    if (attrs === NO_ATTRS) return this.#own(newInstance(rt, tp));
    const pairs = Array.isArray(attrs) ? (attrs as [string, Value][]) : Object.entries(attrs);
    for (const [k, v] of pairs) {
      if (typeof k !== "string" || k.length === 0)
        throw new TypeError(`attribute names must be strings, got ${String(k)}`);
      if (!tp.cls!.slotIndex.has(k) && !tp.cls!.managedDict) {
        throw new PythonError("AttributeError", `'${tp.name}' object has no attribute '${k}'`);
      }
      peekValue(this, rt, v);
    }
    const id = newInstance(rt, tp);
    for (const [k, v] of pairs) setAttr(rt, id, k, takeValue(this, rt, v));
    return this.#own(id);
  }

  // ------------------------------------------------------------------ frames and sys

  /** A new frame (a function's locals); dispose it to release its variables. */
  frame(name = "<frame>"): Frame {
    if (typeof name !== "string")
      throw new TypeError(`frame name must be a string, got ${String(name)}`);
    return createFrame(this, this.#rt, name);
  }

  /**
   * `sys.getrefcount(obj)`: the object's references plus the one the call's argument holds, so a
   * variable's object reports one more than it has referrers. An owned handle *is* that argument
   * reference (a temporary, as in `sys.getrefcount(int("257"))`, which is 1), so it adds nothing.
   * Immortal objects (3.12+) report 2**32 − 1.
   */
  getrefcount(obj: Value): number {
    const id = peekValue(this, this.#rt, obj);
    const n = getrefcount(this.#rt, id);
    if (n === 4294967295) return n;
    return handles().isHandle(obj) && handles().owned(obj) ? n - 1 : n;
  }

  /** `sys.getsizeof(obj)`: what CPython reports (GC pre-header included, shallow). */
  getsizeof(obj: Value): number {
    return sizeofObject(this.#rt, peekValue(this, this.#rt, obj));
  }

  /** `id(obj)`: a simulated address derived from the object's pymalloc block. */
  id(obj: Value): number {
    return addressOf(this.#rt, peekValue(this, this.#rt, obj));
  }

  /** `a is b`. */
  is(a: Value, b: Value): boolean {
    return peekValue(this, this.#rt, a) === peekValue(this, this.#rt, b);
  }

  /** A borrowed handle to a live object by table id (e.g. from an event), or undefined. */
  objectById(id: number): PyObject | undefined {
    if (!Number.isInteger(id) || !this.#rt.isAlive(id)) return undefined;
    return this.#borrow(id);
  }

  /** `Py_INCREF`: a new owned handle to the object. */
  incref(obj: PyObject): PyObject {
    const id = checkHandle(this, this.#rt, obj);
    this.#rt.incref(id);
    return handles().make(this, this.#rt, id, true);
  }

  // ------------------------------------------------------------------ memory

  /**
   * Estimated RSS: `rssBase` + the pages of carved pools in mapped arenas (pymalloc touches a pool
   * only when it carves it) + raw blocks (mmap'd ones rounded to pages). Approximate by nature:
   * the real figure depends on glibc and the kernel.
   */
  rss(): number {
    const rt = this.#rt;
    let raw = 0;
    const threshold = this.#mmapThreshold;
    rt.pm.forEachRaw((size) => {
      raw +=
        size >= threshold ? Math.ceil((size + 16) / 4096) * 4096 : Math.ceil((size + 8) / 16) * 16;
    });
    return this.#rssBase + rt.pm.touchedArenaBytes() + raw;
  }

  /** A summary of what the heap holds. */
  memory(): MemorySummary {
    const rt = this.#rt;
    const stats = rt.pm.stats();
    let tracked = 0;
    for (const h of [1, 2, 3, 4]) tracked += rt.listSize(h);
    const freeListed =
      rt.floatFree.length +
      rt.listFree.length +
      rt.dictFree.length +
      rt.dictKeysFree.length +
      rt.tupleFree.reduce((n, fl) => n + fl.length, 0);
    return {
      objects: rt.live,
      tracked,
      pymallocBlocks: rt.pm.blocksInUse,
      pymallocRequestedBytes: rt.pm.requestedBytes,
      rawBlocks: rt.pm.rawCount,
      rawBytes: rt.pm.rawBytes,
      arenas: stats.arenasAllocatedCurrent,
      arenaBytes: stats.arenaBytes,
      freeListed,
      rss: this.rss(),
      simulator: {
        objectSlots: rt.cap,
        cellsLive: rt.cells.live,
        cellsReserved: rt.cells.data.length,
        valueCellsLive: rt.vcells.live,
        valueCellsReserved: rt.vcells.data.length,
        compactions: rt.compactions,
        watchers: [...rt.watchers.values()].reduce((n, ws) => n + ws.length, 0),
      },
    };
  }

  /** Owned handles not yet stored or disposed (references held from JS). */
  get ownedHandles(): number {
    return this.#rt.ownedHandles;
  }

  /** Exceptions raised by `__del__`s and callbacks (when no `onUnraisable` was given). */
  get unraisable(): readonly unknown[] {
    return this.#rt.unraisable;
  }

  /**
   * Consistency check: GC lists, tracking flags, free lists, pymalloc's pools and arenas, and
   * the byte accounting (every allocated byte belongs to a live object, a free list or an
   * allocator buffer). Returns the problems found; an empty array means consistent.
   */
  check(): string[] {
    return checkHeap(this.#rt);
  }

  // ------------------------------------------------------------------ events and interfaces

  /**
   * Subscribes to heap events (see {@link HeapEvent}); returns the unsubscribe function.
   * Listeners run synchronously inside the heap operation and must not change the heap. Cost: with
   * no listener, events are not even built; with one, every allocation and free builds an object.
   *
   * @example
   * ```ts
   * const stop = py.on((e) => {
   *   if (e.type === "gc-stop") console.log(`gen ${e.generation}: ${e.collected} collected`);
   * });
   * py.gc.collect();
   * stop();
   * ```
   */
  on(listener: HeapListener): () => void {
    if (typeof listener !== "function")
      throw new TypeError(`listener must be a function, got ${String(listener)}`);
    this.#listeners.push(listener);
    this.#syncEmit();
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
      this.#syncEmit();
    };
  }

  #syncEmit(): void {
    const rt = this.#rt;
    if (this.#listeners.length === 0) {
      rt.emit = undefined;
      rt.pm.onEvent = undefined;
      return;
    }
    const send = (e: HeapEvent) => {
      for (const l of this.#listeners.slice()) l(e);
    };
    rt.emit = send;
    rt.pm.onEvent = send;
  }

  /**
   * A `WeakProvider` (the interface `@heapwise/cache` accepts) whose targets are handles of this
   * heap: `deref()` returns the handle while the simulated object lives, and registry cleanups run
   * when the object is freed by refcount or by the collector. Targets must be weakly referenceable
   * in CPython (instances of plain classes, functions, sets...): an int or a list throws `TypeError`.
   *
   * Cost: all weak references to one object share one record (a `WeakCache` re-recording a value
   * on every `set` adds nothing); each registration is one record until its cleanup runs or it is
   * unregistered. No native `FinalizationRegistry` is used: registrations live in the heap's table,
   * so a registry object dropped early still gets its cleanups (and its callback is kept until
   * then), and V8's bug that stops all cleanups once a registry with pending cleanups is collected
   * cannot occur.
   *
   * @example
   * ```ts
   * import { WeakValueMap } from "@heapwise/cache";
   * const registry = new WeakValueMap<string, PyObject>(null, { weakProvider: py.weakProvider() });
   *
   * const weak = py.weakProvider();
   * const freed: string[] = [];
   * const registry = weak.finalizationRegistry<string>((held) => freed.push(held));
   * {
   *   using obj = py.new(Node);
   *   registry.register(obj, "obj");
   * }
   * freed;                               // ["obj"]: freed by refcount at the end of the block
   * ```
   */
  weakProvider(options: WeakProviderOptions = {}): SimulatedWeakProvider {
    return createWeakProvider(this, this.#rt, options);
  }

  /**
   * An `Allocator` (the interface `@heapwise/buffer` accepts) whose buffers are charged to this
   * heap as raw (or PyMem) allocations: they show in `pymalloc.stats()`, `tracemalloc` and `rss()`.
   * The buffers are real `ArrayBuffer`s (the JS memory is spent too); releasing one that this
   * allocator did not hand out, or twice, throws.
   *
   * @example
   * ```ts
   * const alloc = py.allocator();        // PyMem_RawMalloc, as NumPy's data buffers
   * const buf = alloc.allocate(8 * 1_000_000);
   * py.memory().rawBytes;                // 8000000
   * alloc.release(buf);
   * ```
   */
  allocator(options: AllocatorOptions = {}): SimulatedAllocator {
    return createAllocator(this.#rt, options);
  }

  toString(): string {
    return `<Heap CPython ${this.version}: ${this.#rt.live} objects>`;
  }
}
