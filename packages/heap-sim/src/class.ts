import type { TypeDesc } from "./internal/types.ts";

let makeClass: ((owner: object, type: TypeDesc) => PyClass) | undefined;
let typeOfClass: ((c: PyClass) => TypeDesc) | undefined;
let ownerOfClass: ((c: PyClass) => object) | undefined;

/** @internal */
export function createClass(owner: object, type: TypeDesc): PyClass {
  return makeClass!(owner, type);
}

/** @internal */
export function classType(c: PyClass): TypeDesc {
  return typeOfClass!(c);
}

/** @internal */
export function classOwner(c: PyClass): object {
  return ownerOfClass!(c);
}

/**
 * A user class defined in a heap with `heap.defineClass`. Its instances follow CPython 3.11's
 * layout: a plain class gets a managed `__dict__` (values array + shared keys) and `__weakref__`;
 * a `__slots__` class gets exactly its slots.
 *
 * The class object itself is not simulated in the heap (CPython's class objects are long-lived
 * and usually frozen with the rest of the start-up heap).
 *
 * @example
 * ```ts
 * const Point = py.defineClass("Point", { slots: ["x", "y"] }); // class Point: __slots__ = ("x", "y")
 * Point.basicsize;                  // 32: 16-byte header + two 8-byte slots
 * Point.weakrefable;                // false: no "__weakref__" slot
 * using p = py.new(Point, { x: 1, y: 2 });
 * py.getsizeof(p);                  // 48 (basicsize + the 16-byte GC pre-header)
 * ```
 */
export class PyClass {
  readonly #owner: object;
  readonly #type: TypeDesc;

  private constructor(owner: object, type: TypeDesc) {
    this.#owner = owner;
    this.#type = type;
  }

  static {
    makeClass = (owner, type) => new PyClass(owner, type);
    typeOfClass = (c) => c.#type;
    ownerOfClass = (c) => c.#owner;
  }

  /** `__name__`. */
  get name(): string {
    return this.#type.name;
  }

  /** Member slots (inherited first), without `__dict__`/`__weakref__`. */
  get slots(): readonly string[] {
    return this.#type.cls!.slots;
  }

  /** Whether instances have a `__dict__` (managed). */
  get hasDict(): boolean {
    return this.#type.cls!.managedDict;
  }

  /** Whether instances can be weakly referenced (`__weakref__`). */
  get weakrefable(): boolean {
    return this.#type.weakrefable;
  }

  /** Whether the class (or a base) defines `__del__`. */
  get hasFinalizer(): boolean {
    return this.#type.cls!.finalizer !== undefined;
  }

  /** `__basicsize__`. */
  get basicsize(): number {
    return this.#type.basicsize;
  }

  /** Attribute names of the class's shared keys, in insertion order (managed-dict classes). */
  get sharedKeys(): readonly string[] {
    return this.#type.cls!.sharedKeys?.names ?? [];
  }

  toString(): string {
    return `<class '${this.name}'>`;
  }
}
