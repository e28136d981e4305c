/**
 * The DisposableStack ponyfill: ECMA-262 27.3, step by step, with the abstract operations of 7.5
 * (AddDisposableResource, CreateDisposableResource, GetDisposeMethod, DisposeResources).
 *
 * The DisposableResource records of the stack live in chunks (internal/chunks.ts), two slots per
 * record: [[ResourceValue]] then [[DisposeMethod]]. [[Hint]] is always sync-dispose here. Records
 * made by `adopt` and `defer` have an undefined value, as in the spec, and are called with `this`
 * undefined.
 */
import { apply, type Fn, NO_ARGUMENTS, nativeCall } from "../internal/call.js";
import { newRecordList, nextChunk } from "../internal/chunks.js";
import { describe, isObject } from "../internal/describe.js";
import { disposeSymbol } from "../internal/symbols.js";
import { SUPPRESSED_MESSAGE, SuppressedError } from "../suppressed-error.js";
import { prototypeFromConstructor } from "./realm.js";

const incompatible = (method: string, receiver: unknown): TypeError =>
  new TypeError(
    `DisposableStack.prototype.${method} called on ${describe(receiver)}, which is not a DisposableStack`,
  );

const alreadyDisposed = (method: string): ReferenceError =>
  new ReferenceError(
    `Cannot call DisposableStack.prototype.${method} on a disposed DisposableStack`,
  );

/**
 * 7.5.5 DisposeResources ( disposableResourceStack, completion ), for a stack of sync-dispose
 * records and a normal completion: `newest` is the newest chunk, filled up to `top` (exclusive);
 * older chunks are full. One loop, no recursion: any number of throwing callbacks is fine.
 */
export function disposeResourcesSync(newest: unknown[], top: number): void {
  let hasError = false;
  let error: unknown;
  // 3. For each element resource of disposableResourceStack, in reverse list order, do
  for (
    let resources = newest as unknown[] | undefined, end = top;
    resources !== undefined;
    resources = resources[0] as unknown[] | undefined, end = resources?.length ?? 0
  ) {
    for (let i = end - 2; i >= 1; i -= 2) {
      const value = resources[i];
      const method = resources[i + 1] as Fn;
      try {
        // 3.e.i. Let result be Completion(Call(method, value)). (callWithThis, inlined so that this
        // loop has call sites of its own; see internal/call.ts for the fast path.)
        if (value === undefined) method();
        else if (method.call === nativeCall) method.call(value);
        else apply(method, value, NO_ARGUMENTS);
      } catch (result) {
        // 3.e.iii. If result is a throw completion, then
        if (hasError) {
          // 1.–5. a new SuppressedError with "error" the new error, "suppressed" the previous one.
          error = new SuppressedError(result, error, SUPPRESSED_MESSAGE);
        } else {
          error = result;
          hasError = true;
        }
      }
    }
  }
  // 4.–6. (the list is dropped by the caller) Return completion.
  if (hasError) throw error;
}

/**
 * 27.3 DisposableStack Objects.
 */
class DisposableStack {
  /**
   * [[DisposeCapability]].[[DisposableResourceStack]] as chunks of (value, method) pairs (its newest
   * chunk), or null once [[DisposableState]] is disposed. Being a private field, it is also the
   * brand that RequireInternalSlot(disposableStack, [[DisposableState]]) checks.
   */
  #resources: unknown[] | null = newRecordList();

  /** The first free slot of the newest chunk. */
  #top = 1;

  /**
   * One disposed instance, held by the class. V8 reaches the layout of a disposed stack (the field
   * set to null) through a map transition that it holds weakly: when every such instance has died
   * (a gc() between workloads), the map is collected and all code optimised for it is thrown away
   * and rebuilt, measured here as a 3–5× slowdown. Holding one keeps the map, and the code, alive.
   */
  static #keepsTheDisposedMapAlive: DisposableStack | undefined;

  /** Appends the record (value, method) to the list whose newest chunk is `newest`. */
  #add(newest: unknown[], value: unknown, method: unknown): void {
    let chunk = newest;
    let top = this.#top;
    if (top >= chunk.length) {
      this.#resources = chunk = nextChunk(chunk);
      top = 1;
    }
    chunk[top] = value;
    chunk[top + 1] = method;
    this.#top = top + 2;
  }

  /** 27.3.1.1 DisposableStack ( ) */
  constructor() {
    // 1. If NewTarget is undefined, throw a TypeError exception. (A class constructor does.)
    // 2. Let disposableStack be ? OrdinaryCreateFromConstructor(NewTarget, "%DisposableStack.prototype%", …).
    if (new.target !== DisposableStack) {
      const engineProto = Object.getPrototypeOf(this) as object;
      const proto = prototypeFromConstructor(
        engineProto,
        new.target,
        "DisposableStack",
        DisposableStack.prototype,
      );
      if (proto !== engineProto) Object.setPrototypeOf(this, proto);
    }
    // 3.–4. [[DisposableState]] pending, a new empty [[DisposableResourceStack]]: the field above.
    // 5. Return disposableStack.
  }

  /** RequireInternalSlot(O, [[DisposableState]]), then the state: null when disposed. */
  static #resourcesOf(O: unknown, method: string): unknown[] | null {
    // Reading a private field is the brand check: it throws for anything that is not an instance.
    try {
      return (O as DisposableStack).#resources;
    } catch {
      throw incompatible(method, O);
    }
  }

  /** 27.3.3.1 DisposableStack.prototype.adopt ( value, onDispose ) */
  adopt<T>(value: T, onDispose: (value: T) => void): T {
    // 1.–2. Let disposableStack be the this value; RequireInternalSlot.
    const resources = DisposableStack.#resourcesOf(this, "adopt");
    // 3. If disposableStack.[[DisposableState]] is disposed, throw a ReferenceError exception.
    if (resources === null) throw alreadyDisposed("adopt");
    // 4. If IsCallable(onDispose) is false, throw a TypeError exception.
    if (typeof onDispose !== "function") {
      throw new TypeError(
        `DisposableStack.prototype.adopt: onDispose must be a function, got ${describe(onDispose)}`,
      );
    }
    // 5.–6. A closure that performs Call(onDispose, undefined, « value »).
    const F = () => onDispose(value);
    // 7. Perform ? AddDisposableResource(disposableStack.[[DisposableResourceStack]], undefined, sync-dispose, F).
    this.#add(resources, undefined, F);
    // 8. Return value.
    return value;
  }

  /** 27.3.3.3 DisposableStack.prototype.defer ( onDispose ) */
  defer(onDispose: () => void): void {
    // 1.–2.
    const resources = DisposableStack.#resourcesOf(this, "defer");
    // 3.
    if (resources === null) throw alreadyDisposed("defer");
    // 4. If IsCallable(onDispose) is false, throw a TypeError exception.
    if (typeof onDispose !== "function") {
      throw new TypeError(
        `DisposableStack.prototype.defer: onDispose must be a function, got ${describe(onDispose)}`,
      );
    }
    // 5. Perform ? AddDisposableResource(disposableStack.[[DisposableResourceStack]], undefined, sync-dispose, onDispose).
    this.#add(resources, undefined, onDispose);
    // 6. Return undefined.
  }

  /** 27.3.3.4 DisposableStack.prototype.dispose ( ) */
  dispose(): void {
    // 1.–2.
    const resources = DisposableStack.#resourcesOf(this, "dispose");
    // 3. If disposableStack.[[DisposableState]] is disposed, return undefined.
    if (resources === null) return;
    // 4. Set disposableStack.[[DisposableState]] to disposed.
    this.#resources = null;
    // 5. Return ? DisposeResources(disposableStack.[[DisposableResourceStack]], NormalCompletion(undefined)).
    disposeResourcesSync(resources, this.#top);
  }

  /** 27.3.3.5 get DisposableStack.prototype.disposed */
  get disposed(): boolean {
    // 1.–4.
    return DisposableStack.#resourcesOf(this, "disposed") === null;
  }

  /** 27.3.3.6 DisposableStack.prototype.move ( ) */
  move(): DisposableStack {
    // 1.–2.
    const resources = DisposableStack.#resourcesOf(this, "move");
    // 3. If disposableStack.[[DisposableState]] is disposed, throw a ReferenceError exception.
    if (resources === null) throw alreadyDisposed("move");
    // 4.–5. Let newDisposableStack be ? OrdinaryCreateFromConstructor(%DisposableStack%, …), pending.
    const newDisposableStack = new DisposableStack();
    // 6. Set newDisposableStack.[[DisposableResourceStack]] to disposableStack.[[DisposableResourceStack]].
    newDisposableStack.#resources = resources;
    newDisposableStack.#top = this.#top;
    // 7.–8. Set disposableStack.[[DisposableResourceStack]] to a new empty List; state disposed.
    this.#resources = null;
    // 9. Return newDisposableStack.
    return newDisposableStack;
  }

  /** 27.3.3.7 DisposableStack.prototype.use ( value ) */
  use<T extends Disposable | null | undefined>(value: T): T {
    // 1.–2.
    const resources = DisposableStack.#resourcesOf(this, "use");
    // 3.
    if (resources === null) throw alreadyDisposed("use");
    // 4. Perform ? AddDisposableResource(disposableStack.[[DisposableResourceStack]], value, sync-dispose).
    // 7.5.2 step 1.a: null and undefined are not recorded for sync-dispose.
    if (value !== null && value !== undefined) {
      // 7.5.3 CreateDisposableResource step 1.b.i: If V is not an Object, throw a TypeError exception.
      if (!isObject(value)) {
        throw new TypeError(
          `DisposableStack.prototype.use: value must be an object with a [Symbol.dispose]() method, null or undefined; got ${describe(value)}`,
        );
      }
      // 7.5.4 GetDisposeMethod → GetMethod(V, @@dispose), read exactly once.
      const method = (value as unknown as Record<symbol, unknown>)[disposeSymbol];
      // 7.5.3 step 1.b.iii: If method is undefined (GetMethod maps null to undefined), throw a TypeError.
      if (typeof method !== "function") {
        throw new TypeError(
          method === undefined || method === null
            ? `DisposableStack.prototype.use: ${describe(value)} has no [Symbol.dispose]() method`
            : `DisposableStack.prototype.use: [Symbol.dispose] must be a function, got ${describe(method)}`,
        );
      }
      this.#add(resources, value, method);
    }
    // 5. Return value.
    return value;
  }

  /** 27.3.3.8 DisposableStack.prototype [ @@dispose ] ( ): the same function object as `dispose`. */
  declare [Symbol.dispose]: () => void;

  /** 27.3.3.9 DisposableStack.prototype [ @@toStringTag ] */
  declare readonly [Symbol.toStringTag]: string;

  static {
    const instance = new DisposableStack();
    void instance.dispose();
    DisposableStack.#keepsTheDisposedMapAlive ??= instance;
  }
}

const proto = DisposableStack.prototype;
// 27.3.3.2 DisposableStack.prototype.constructor is the class itself (already so).
// 27.3.3.8: the initial value of @@dispose is %DisposableStack.prototype.dispose%.
Object.defineProperty(proto, disposeSymbol, {
  value: proto.dispose,
  writable: true,
  enumerable: false,
  configurable: true,
});
// 27.3.3.9: { [[Writable]]: false, [[Enumerable]]: false, [[Configurable]]: true }.
Object.defineProperty(proto, Symbol.toStringTag, {
  value: "DisposableStack",
  writable: false,
  enumerable: false,
  configurable: true,
});

/** The ponyfill's DisposableStack constructor (typed like the built-in). */
export const DisposableStackPonyfill = DisposableStack as unknown as DisposableStackConstructor;
