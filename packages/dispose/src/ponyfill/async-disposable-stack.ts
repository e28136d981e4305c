/**
 * The AsyncDisposableStack ponyfill: ECMA-262 27.4, step by step, with the abstract operations of
 * 7.5. The microtask count of `disposeAsync` is the spec's: one Await per disposed resource, one
 * `Await(undefined)` for a stack that only recorded null/undefined, none for an empty stack.
 *
 * Records live in chunks (internal/chunks.ts), three slots per record: [[ResourceValue]], [[DisposeMethod]] and
 * a kind: ASYNC for a method to call and await, SYNC_FALLBACK for a @@dispose method found by
 * GetDisposeMethod (7.5.4 step 1.b.ii wraps it so that its result is not awaited and its throw
 * becomes a rejection; here the wrapper is inlined). [[Hint]] is always async-dispose.
 */
import { apply, callWithThis, type Fn, NO_ARGUMENTS, nativeCall } from "../internal/call.js";
import { newRecordList, nextChunk } from "../internal/chunks.js";
import { describe, isObject } from "../internal/describe.js";
import { asyncDisposeSymbol, disposeSymbol } from "../internal/symbols.js";
import { SUPPRESSED_MESSAGE, SuppressedError } from "../suppressed-error.js";
import { prototypeFromConstructor } from "./realm.js";

type Callback = (...args: unknown[]) => unknown;

const ASYNC = 0;
const SYNC_FALLBACK = 1;

const incompatible = (method: string, receiver: unknown): TypeError =>
  new TypeError(
    `AsyncDisposableStack.prototype.${method} called on ${describe(receiver)}, which is not an AsyncDisposableStack`,
  );

const alreadyDisposed = (method: string): ReferenceError =>
  new ReferenceError(
    `Cannot call AsyncDisposableStack.prototype.${method} on a disposed AsyncDisposableStack`,
  );

/**
 * 27.4 AsyncDisposableStack Objects.
 */
class AsyncDisposableStack {
  /**
   * [[DisposeCapability]].[[DisposableResourceStack]] as chunks of (value, method, kind) triples
   * (its newest chunk), or null once [[AsyncDisposableState]] is disposed; also the brand for
   * RequireInternalSlot.
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
  static #keepsTheDisposedMapAlive: AsyncDisposableStack | undefined;

  /** Appends the record (value, method, kind) to the list whose newest chunk is `newest`. */
  #add(newest: unknown[], value: unknown, method: unknown, kind: number): void {
    let chunk = newest;
    let top = this.#top;
    if (top >= chunk.length) {
      this.#resources = chunk = nextChunk(chunk);
      top = 1;
    }
    chunk[top] = value;
    chunk[top + 1] = method;
    chunk[top + 2] = kind;
    this.#top = top + 3;
  }

  /** 27.4.1.1 AsyncDisposableStack ( ) */
  constructor() {
    // 1. If NewTarget is undefined, throw a TypeError exception. (A class constructor does.)
    // 2. OrdinaryCreateFromConstructor(NewTarget, "%AsyncDisposableStack.prototype%", …)
    if (new.target !== AsyncDisposableStack) {
      const engineProto = Object.getPrototypeOf(this) as object;
      const proto = prototypeFromConstructor(
        engineProto,
        new.target,
        "AsyncDisposableStack",
        AsyncDisposableStack.prototype,
      );
      if (proto !== engineProto) Object.setPrototypeOf(this, proto);
    }
    // 3.–5. pending, a new empty stack (the field above); return.
  }

  static #resourcesOf(O: unknown, method: string): unknown[] | null {
    // Reading a private field is the brand check: it throws for anything that is not an instance.
    try {
      return (O as AsyncDisposableStack).#resources;
    } catch {
      throw incompatible(method, O);
    }
  }

  /** 27.4.3.1 AsyncDisposableStack.prototype.adopt ( value, onDisposeAsync ) */
  adopt<T>(value: T, onDisposeAsync: (value: T) => PromiseLike<void> | void): T {
    // 1.–2.
    const resources = AsyncDisposableStack.#resourcesOf(this, "adopt");
    // 3.
    if (resources === null) throw alreadyDisposed("adopt");
    // 4. If IsCallable(onDisposeAsync) is false, throw a TypeError exception.
    if (typeof onDisposeAsync !== "function") {
      throw new TypeError(
        `AsyncDisposableStack.prototype.adopt: onDisposeAsync must be a function, got ${describe(onDisposeAsync)}`,
      );
    }
    // 5.–6. A closure that performs Call(onDisposeAsync, undefined, « value »).
    const F = () => onDisposeAsync(value);
    // 7. Perform ? AddDisposableResource(…, undefined, async-dispose, F).
    this.#add(resources, undefined, F, ASYNC);
    // 8. Return value.
    return value;
  }

  /** 27.4.3.3 AsyncDisposableStack.prototype.defer ( onDisposeAsync ) */
  defer(onDisposeAsync: () => PromiseLike<void> | void): void {
    // 1.–2.
    const resources = AsyncDisposableStack.#resourcesOf(this, "defer");
    // 3.
    if (resources === null) throw alreadyDisposed("defer");
    // 4.
    if (typeof onDisposeAsync !== "function") {
      throw new TypeError(
        `AsyncDisposableStack.prototype.defer: onDisposeAsync must be a function, got ${describe(onDisposeAsync)}`,
      );
    }
    // 5. Perform ? AddDisposableResource(…, undefined, async-dispose, onDisposeAsync).
    this.#add(resources, undefined, onDisposeAsync, ASYNC);
    // 6. Return undefined.
  }

  /** 27.4.3.4 AsyncDisposableStack.prototype.disposeAsync ( ) — an async method, so it rejects. */
  async disposeAsync(): Promise<void> {
    // 1.–3. Let asyncDisposableStack be the this value; a promise capability; no slot → reject.
    const chunks = AsyncDisposableStack.#resourcesOf(this, "disposeAsync");
    // 4. If [[AsyncDisposableState]] is disposed, resolve undefined.
    if (chunks === null) return;
    // 5. Set asyncDisposableStack.[[AsyncDisposableState]] to disposed.
    this.#resources = null;
    // 6.–9. Let result be DisposeResources(…, NormalCompletion(undefined)); reject or resolve.
    // 7.5.5 DisposeResources is inlined here: delegating to another async function and returning
    // its promise would cost two extra microtasks, which test262 observes.
    // 1. Let needsAwait be false. 2. Let hasAwaited be false.
    let needsAwait = false;
    let hasAwaited = false;
    let hasError = false;
    let error: unknown;
    const fail = (result: unknown): void => {
      if (hasError) error = new SuppressedError(result, error, SUPPRESSED_MESSAGE);
      else {
        error = result;
        hasError = true;
      }
    };
    // 3. For each element resource of disposableResourceStack, in reverse list order, do
    for (let resources = chunks, i = this.#top - 3; ; i -= 3) {
      if (i < 1) {
        // Slot 0 links to the previous (older) chunk.
        const older = resources[0] as unknown[] | undefined;
        if (older === undefined) break;
        resources = older;
        i = resources.length;
        continue;
      }
      const value = resources[i];
      const method = resources[i + 1] as Callback | undefined;
      // 3.d. (hint is sync-dispose …) never applies: every record here is async-dispose.
      if (method === undefined) {
        // 3.f. Else: a null or undefined `use`: Set needsAwait to true.
        needsAwait = true;
        continue;
      }
      // 3.e.i. Let result be Completion(Call(method, value)).
      let result: unknown;
      if (resources[i + 2] === SYNC_FALLBACK) {
        // GetDisposeMethod's closure: Call(method, O); a throw rejects its promise, a value is ignored.
        let threw = false;
        let thrown: unknown;
        try {
          callWithThis(method, value);
        } catch (e) {
          threw = true;
          thrown = e;
        }
        // 3.e.ii. Await the closure's (settled) promise: one tick, whichever way it settled.
        await undefined;
        hasAwaited = true;
        if (threw) fail(thrown);
        continue;
      }
      try {
        // Call(method, value), also for adopt/defer records (value undefined): one call site for
        // both kinds measured faster on Node 24 than a separate `fn()` branch.
        const fn = method as Fn;
        if (fn.call === nativeCall) result = fn.call(value);
        else result = apply(fn, value, NO_ARGUMENTS);
      } catch (e) {
        // 3.e.iii. A throw completion from the call itself: no Await.
        fail(e);
        continue;
      }
      // 3.e.ii. If result is a normal completion and hint is async-dispose, then
      try {
        // 1. Set result to Completion(Await(result.[[Value]])).
        await result;
      } catch (e) {
        fail(e);
      }
      // 2. Set hasAwaited to true.
      hasAwaited = true;
    }
    // 4. If needsAwait is true and hasAwaited is false, then Perform ! Await(undefined).
    if (needsAwait && !hasAwaited) await undefined;
    // 5.–7. Return completion.
    if (hasError) throw error;
  }

  /** 27.4.3.5 get AsyncDisposableStack.prototype.disposed */
  get disposed(): boolean {
    return AsyncDisposableStack.#resourcesOf(this, "disposed") === null;
  }

  /** 27.4.3.6 AsyncDisposableStack.prototype.move ( ) */
  move(): AsyncDisposableStack {
    // 1.–2.
    const resources = AsyncDisposableStack.#resourcesOf(this, "move");
    // 3.
    if (resources === null) throw alreadyDisposed("move");
    // 4.–5. OrdinaryCreateFromConstructor(%AsyncDisposableStack%, …), pending.
    const newAsyncDisposableStack = new AsyncDisposableStack();
    // 6. Take over the resource stack.
    newAsyncDisposableStack.#resources = resources;
    newAsyncDisposableStack.#top = this.#top;
    // 7.–8. This one: a new empty list, disposed.
    this.#resources = null;
    // 9.
    return newAsyncDisposableStack;
  }

  /** 27.4.3.7 AsyncDisposableStack.prototype.use ( value ) */
  use<T extends AsyncDisposable | Disposable | null | undefined>(value: T): T {
    // 1.–2.
    const resources = AsyncDisposableStack.#resourcesOf(this, "use");
    // 3.
    if (resources === null) throw alreadyDisposed("use");
    // 4. Perform ? AddDisposableResource(…, value, async-dispose).
    if (value === null || value === undefined) {
      // 7.5.2 step 1.b–c / 7.5.3 step 1.a: record that a nullish value was used (for the Await).
      this.#add(resources, undefined, undefined, ASYNC);
      return value;
    }
    // 7.5.3 step 1.b.i: If V is not an Object, throw a TypeError exception.
    if (!isObject(value)) {
      throw new TypeError(
        `AsyncDisposableStack.prototype.use: value must be an object with a [Symbol.asyncDispose]() or [Symbol.dispose]() method, null or undefined; got ${describe(value)}`,
      );
    }
    // 7.5.4 GetDisposeMethod(V, async-dispose): 1.a. GetMethod(V, @@asyncDispose), once.
    let method = (value as unknown as Record<symbol, unknown>)[asyncDisposeSymbol];
    let kind = ASYNC;
    if (method === undefined || method === null) {
      // 1.b. If method is undefined: GetMethod(V, @@dispose), once; wrapped (SYNC_FALLBACK).
      method = (value as unknown as Record<symbol, unknown>)[disposeSymbol];
      kind = SYNC_FALLBACK;
      if (method === undefined || method === null) {
        // 7.5.3 step 1.b.iii: If method is undefined, throw a TypeError exception.
        throw new TypeError(
          `AsyncDisposableStack.prototype.use: ${describe(value)} has neither a [Symbol.asyncDispose]() nor a [Symbol.dispose]() method`,
        );
      }
      if (typeof method !== "function") {
        throw new TypeError(
          `AsyncDisposableStack.prototype.use: [Symbol.dispose] must be a function, got ${describe(method)}`,
        );
      }
    } else if (typeof method !== "function") {
      // GetMethod step 3: If IsCallable(func) is false, throw a TypeError exception.
      throw new TypeError(
        `AsyncDisposableStack.prototype.use: [Symbol.asyncDispose] must be a function, got ${describe(method)}`,
      );
    }
    this.#add(resources, value, method, kind);
    // 5. Return value.
    return value;
  }

  /** 27.4.3.8 AsyncDisposableStack.prototype [ @@asyncDispose ] ( ): the same function as disposeAsync. */
  declare [Symbol.asyncDispose]: () => Promise<void>;

  /** 27.4.3.9 AsyncDisposableStack.prototype [ @@toStringTag ] */
  declare readonly [Symbol.toStringTag]: string;

  static {
    const instance = new AsyncDisposableStack();
    void instance.disposeAsync();
    AsyncDisposableStack.#keepsTheDisposedMapAlive ??= instance;
  }
}

const proto = AsyncDisposableStack.prototype;
// 27.4.3.8: the initial value of @@asyncDispose is %AsyncDisposableStack.prototype.disposeAsync%.
Object.defineProperty(proto, asyncDisposeSymbol, {
  value: proto.disposeAsync,
  writable: true,
  enumerable: false,
  configurable: true,
});
// 27.4.3.9: { [[Writable]]: false, [[Enumerable]]: false, [[Configurable]]: true }.
Object.defineProperty(proto, Symbol.toStringTag, {
  value: "AsyncDisposableStack",
  writable: false,
  enumerable: false,
  configurable: true,
});

/** The ponyfill's AsyncDisposableStack constructor (typed like the built-in). */
export const AsyncDisposableStackPonyfill =
  AsyncDisposableStack as unknown as AsyncDisposableStackConstructor;
