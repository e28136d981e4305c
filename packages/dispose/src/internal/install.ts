/**
 * What `@heapwise/dispose/polyfill` does, as a function of the global object (so that it can be
 * tested against stand-ins): install what is missing, never replace what exists.
 */
import { callWithThis } from "./call.js";
import { isObject } from "./describe.js";

/** What the polyfill installed (true) or found already there (false). */
export interface PolyfillReport {
  /** `Symbol.dispose` was missing and is now `Symbol.for("Symbol.dispose")`. */
  readonly "Symbol.dispose": boolean;
  /** `Symbol.asyncDispose` was missing and is now `Symbol.for("Symbol.asyncDispose")`. */
  readonly "Symbol.asyncDispose": boolean;
  readonly DisposableStack: boolean;
  readonly AsyncDisposableStack: boolean;
  readonly SuppressedError: boolean;
  /** `Iterator.prototype[Symbol.dispose]` (27.1.3.3.13) was missing and is now installed. */
  readonly "Iterator.prototype[Symbol.dispose]": boolean;
  /** `%AsyncIteratorPrototype%[Symbol.asyncDispose]` (27.1.4.1) was missing and is now installed. */
  readonly "AsyncIteratorPrototype[Symbol.asyncDispose]": boolean;
}

/** The values the polyfill installs. */
export interface PolyfillValues {
  disposeSymbol: symbol;
  asyncDisposeSymbol: symbol;
  DisposableStack: unknown;
  AsyncDisposableStack: unknown;
  SuppressedError: unknown;
  IteratorPrototype: object;
  AsyncIteratorPrototype: object;
}

const has = (o: object, key: PropertyKey): boolean =>
  Object.getOwnPropertyDescriptor(o, key) !== undefined;

/** Defines `key` on `target` as the built-in globals are: writable, configurable, not enumerable. */
function defineGlobal(target: object, key: PropertyKey, value: unknown): boolean {
  if ((target as Record<PropertyKey, unknown>)[key] !== undefined) return false;
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  return true;
}

/** Installs on `global` (and its `Symbol`) whatever of explicit resource management is missing. */
export function install(global: object, values: PolyfillValues): PolyfillReport {
  const SymbolCtor = (global as { Symbol?: unknown }).Symbol;
  const symbols = isObject(SymbolCtor) ? SymbolCtor : undefined;
  // Well-known symbols are { [[Writable]]: false, [[Enumerable]]: false, [[Configurable]]: false }.
  const defineSymbol = (name: "dispose" | "asyncDispose", value: symbol): boolean => {
    if (!symbols || typeof (symbols as Record<string, unknown>)[name] === "symbol") return false;
    Object.defineProperty(symbols, name, {
      value,
      writable: false,
      enumerable: false,
      configurable: false,
    });
    return true;
  };
  const report = {
    "Symbol.dispose": defineSymbol("dispose", values.disposeSymbol),
    "Symbol.asyncDispose": defineSymbol("asyncDispose", values.asyncDisposeSymbol),
    DisposableStack: defineGlobal(global, "DisposableStack", values.DisposableStack),
    AsyncDisposableStack: defineGlobal(global, "AsyncDisposableStack", values.AsyncDisposableStack),
    SuppressedError: defineGlobal(global, "SuppressedError", values.SuppressedError),
    "Iterator.prototype[Symbol.dispose]": false,
    "AsyncIteratorPrototype[Symbol.asyncDispose]": false,
  };
  const dispose = values.disposeSymbol;
  if (!has(values.IteratorPrototype, dispose)) {
    const method = {
      /** 27.1.3.3.13 Iterator.prototype [ %Symbol.dispose% ] ( ) */
      [dispose](this: unknown): void {
        // 1. Let O be the this value. 2. Let return be ? GetMethod(O, "return").
        const ret = (this as { return?: unknown }).return;
        if (ret === undefined || ret === null) return;
        if (typeof ret !== "function") {
          throw new TypeError("Iterator.prototype[Symbol.dispose]: return must be a function");
        }
        // 3.a. Perform ? Call(return, O, « »).
        callWithThis(ret, this);
        // 4. Return undefined.
      },
    }[dispose] as () => void;
    Object.defineProperty(method, "name", { value: "[Symbol.dispose]" });
    Object.defineProperty(values.IteratorPrototype, dispose, {
      value: method,
      writable: true,
      enumerable: false,
      configurable: true,
    });
    report["Iterator.prototype[Symbol.dispose]"] = true;
  }
  const asyncDispose = values.asyncDisposeSymbol;
  if (!has(values.AsyncIteratorPrototype, asyncDispose)) {
    const method = {
      /** 27.1.4.1 %AsyncIteratorPrototype% [ %Symbol.asyncDispose% ] ( ) */
      async [asyncDispose](this: unknown): Promise<void> {
        // 3.–4. Let return be Completion(GetMethod(O, "return")); IfAbruptRejectPromise.
        const ret = (this as { return?: unknown }).return;
        // 5. If return is undefined, resolve undefined.
        if (ret === undefined || ret === null) return;
        if (typeof ret !== "function") {
          throw new TypeError(
            "%AsyncIteratorPrototype%[Symbol.asyncDispose]: return must be a function",
          );
        }
        // 6. Else: Call(return, O, « »), then PromiseResolve and fulfil with undefined.
        await callWithThis(ret, this);
      },
    }[asyncDispose] as () => Promise<void>;
    Object.defineProperty(method, "name", { value: "[Symbol.asyncDispose]" });
    Object.defineProperty(values.AsyncIteratorPrototype, asyncDispose, {
      value: method,
      writable: true,
      enumerable: false,
      configurable: true,
    });
    report["AsyncIteratorPrototype[Symbol.asyncDispose]"] = true;
  }
  return Object.freeze(report);
}
