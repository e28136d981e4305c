import {
  K_ARRAY,
  K_BOOL,
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
  K_NONE,
  K_OBJECT,
  K_RANGE,
  K_SET,
  K_STR,
  K_TUPLE,
  K_WEAKREF,
  SHARED_KEYS_MAX_SIZE,
} from "./constants.ts";
import type { VersionProfile } from "./version.ts";

/**
 * The shared keys of a class (`ht_cached_keys`, `DICT_KEYS_SPLIT`): attribute names in insertion
 * order, and `dk_usable`, which `init_inline_values` shrinks by one per new instance (3.11
 * `Objects/dictobject.c`), so the values array of later instances is smaller.
 */
export class SharedKeys {
  readonly names: string[] = [];
  readonly index = new Map<string, number>();
  /** `dk_usable`: starts at SHARED_KEYS_MAX_SIZE (`_PyDict_NewKeysForClass`). */
  usable = SHARED_KEYS_MAX_SIZE;

  get nentries(): number {
    return this.names.length;
  }

  /** `shared_keys_usable_size`. */
  usableSize(): number {
    return this.names.length + this.usable;
  }

  /** `insert_into_dictkeys`: index of `name`, adding it if there is room; -1 when full. */
  insert(name: string): number {
    const ix = this.index.get(name);
    if (ix !== undefined) return ix;
    if (this.usable <= 0) return -1;
    const at = this.names.length;
    this.names.push(name);
    this.index.set(name, at);
    this.usable--;
    return at;
  }
}

/** What a user class adds to its type. */
export interface ClassInfo {
  readonly name: string;
  readonly base: ClassInfo | undefined;
  /** Member slots (own and inherited, `__dict__`/`__weakref__` excluded), in layout order. */
  readonly slots: readonly string[];
  readonly slotIndex: ReadonlyMap<string, number>;
  /** Has a (managed) `__dict__`. */
  readonly managedDict: boolean;
  /** Has `__weakref__` (can be weakly referenced). */
  readonly weakref: boolean;
  /** `__del__`, if any (PEP 442 `tp_finalize`). */
  readonly finalizer: ((self: number) => void) | undefined;
  /** Shared keys (only for classes with a managed dict). */
  readonly sharedKeys: SharedKeys | undefined;
}

/** A type as the runtime needs it. */
export interface TypeDesc {
  readonly id: number;
  readonly name: string;
  readonly kind: number;
  /** `Py_TPFLAGS_HAVE_GC`. */
  readonly gc: boolean;
  /** `_PyType_SUPPORTS_WEAKREFS`. */
  readonly weakrefable: boolean;
  readonly hashable: boolean;
  /** `tp_basicsize` (the body, pre-header excluded). */
  readonly basicsize: number;
  /** `_PyType_PreHeaderSize`: 16 per GC head, 16 for managed dict/weakref pointers. */
  readonly preheader: number;
  readonly cls: ClassInfo | undefined;
  /** For weakref subclasses (KeyedRef): has a `key` slot. */
  readonly keyed: boolean;
}

/** The builtin types every heap has, by name. */
export interface Builtins {
  readonly NoneType: TypeDesc;
  readonly bool: TypeDesc;
  readonly int: TypeDesc;
  readonly float: TypeDesc;
  readonly complex: TypeDesc;
  readonly str: TypeDesc;
  readonly bytes: TypeDesc;
  readonly bytearray: TypeDesc;
  readonly tuple: TypeDesc;
  readonly list: TypeDesc;
  readonly dict: TypeDesc;
  readonly set: TypeDesc;
  readonly frozenset: TypeDesc;
  readonly object: TypeDesc;
  readonly weakref: TypeDesc;
  readonly KeyedRef: TypeDesc;
  readonly function: TypeDesc;
  readonly array: TypeDesc;
  readonly range: TypeDesc;
  readonly finalize: TypeDesc;
}

/** Creates the builtin type table (3.11 sizes, `sys.getsizeof` and `__basicsize__` of oracle h). */
export function makeBuiltins(types: TypeDesc[]): Builtins {
  const t = (
    name: string,
    kind: number,
    gc: boolean,
    weakrefable: boolean,
    hashable: boolean,
    basicsize: number,
    keyed = false,
  ): TypeDesc => {
    const d: TypeDesc = {
      id: types.length,
      name,
      kind,
      gc,
      weakrefable,
      hashable,
      basicsize,
      preheader: gc ? 16 : 0,
      cls: undefined,
      keyed,
    };
    types.push(d);
    return d;
  };
  types.push(undefined as unknown as TypeDesc); // type id 0 = free slot
  return {
    NoneType: t("NoneType", K_NONE, false, false, true, 16),
    bool: t("bool", K_BOOL, false, false, true, 24),
    int: t("int", K_INT, false, false, true, 24),
    float: t("float", K_FLOAT, false, false, true, 24),
    complex: t("complex", K_COMPLEX, false, false, true, 32),
    str: t("str", K_STR, false, false, true, 48),
    bytes: t("bytes", K_BYTES, false, false, true, 33),
    bytearray: t("bytearray", K_BYTEARRAY, false, false, false, 56),
    tuple: t("tuple", K_TUPLE, true, false, true, 24),
    list: t("list", K_LIST, true, false, false, 40),
    dict: t("dict", K_DICT, true, false, false, 48),
    set: t("set", K_SET, true, true, false, 200),
    frozenset: t("frozenset", K_FROZENSET, true, true, true, 200),
    object: t("object", K_OBJECT, false, false, true, 16),
    weakref: t("weakref.ReferenceType", K_WEAKREF, true, false, true, 64),
    KeyedRef: t("KeyedRef", K_WEAKREF, true, false, true, 72, true),
    function: t("function", K_FUNCTION, true, true, true, 136),
    array: t("array.array", K_ARRAY, true, true, false, 64),
    range: t("range", K_RANGE, false, false, true, 48),
    finalize: t("finalize", K_INSTANCE, true, false, true, 16),
  };
}

/** Options of a user class, validated by the public `defineClass`. */
export interface ClassSpec {
  readonly name: string;
  readonly base: ClassInfo | undefined;
  /** `__slots__` names, or undefined for a plain class. */
  readonly slots: readonly string[] | undefined;
  readonly finalizer: ((self: number) => void) | undefined;
}

/** Builds the type of a user class (3.11 `type_new` layout rules, version deltas applied). */
export function makeClassType(types: TypeDesc[], spec: ClassSpec, v: VersionProfile): TypeDesc {
  const base = spec.base;
  const own = spec.slots;
  const memberSlots = [...(base?.slots ?? [])];
  for (const s of own ?? []) {
    if (s !== "__dict__" && s !== "__weakref__") memberSlots.push(s);
  }
  const managedDict = (base?.managedDict ?? false) || own === undefined || own.includes("__dict__");
  const weakref = (base?.weakref ?? false) || own === undefined || own.includes("__weakref__");
  // __weakref__ is a body member in 3.11, pre-header managed from 3.12.
  const weakrefInBody = weakref && !v.managedWeakref;
  const basicsize = 16 + 8 * memberSlots.length + (weakrefInBody ? 8 : 0);
  const preheaderExtra = managedDict || (weakref && v.managedWeakref) ? 16 : 0;
  const slotIndex = new Map<string, number>();
  for (let i = 0; i < memberSlots.length; i++) slotIndex.set(memberSlots[i]!, i);
  const cls: ClassInfo = {
    name: spec.name,
    base,
    slots: memberSlots,
    slotIndex,
    managedDict,
    weakref,
    finalizer: spec.finalizer ?? base?.finalizer,
    sharedKeys: managedDict ? new SharedKeys() : undefined,
  };
  const d: TypeDesc = {
    id: types.length,
    name: spec.name,
    kind: K_INSTANCE,
    gc: true,
    weakrefable: weakref,
    hashable: true,
    basicsize,
    preheader: 16 + preheaderExtra,
    cls,
    keyed: false,
  };
  types.push(d);
  return d;
}

/** Which of the names the `f` oracle probes can be weakly referenced in CPython 3.11. */
export const WEAKREFABLE_BUILTINS: Readonly<Record<string, boolean>> = {
  int: false,
  float: false,
  str: false,
  bytes: false,
  tuple: false,
  list: false,
  dict: false,
  set: true,
  frozenset: true,
  NoneType: false,
  bool: false,
  object: false,
  function: true,
  type: true,
  module: true,
  bytearray: false,
  range: false,
  complex: false,
  method: true,
  generator: true,
  code: true,
  builtin_function_or_method: true,
};
