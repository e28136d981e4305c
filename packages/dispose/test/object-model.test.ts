/**
 * The object model of the three classes (ECMA-262 20.5.8, 27.3, 27.4): `length`, `name`, property
 * descriptors, `Symbol.toStringTag`, `prototype[Symbol.dispose] === prototype.dispose`, brand checks.
 * Run against the ponyfill (on every Node) and against what the package exports (native on Node 24).
 */
import { describe, expect, it } from "vitest";
import * as exported from "../src/index.ts";
import { asyncDisposeSymbol, disposeSymbol } from "../src/internal/symbols.ts";
import { AsyncDisposableStackPonyfill } from "../src/ponyfill/async-disposable-stack.ts";
import { DisposableStackPonyfill } from "../src/ponyfill/disposable-stack.ts";
import { SuppressedErrorPonyfill } from "../src/ponyfill/suppressed-error.ts";

const implementations = {
  ponyfill: {
    DisposableStack: DisposableStackPonyfill,
    AsyncDisposableStack: AsyncDisposableStackPonyfill,
    SuppressedError: SuppressedErrorPonyfill,
  },
  exported: {
    DisposableStack: exported.DisposableStack,
    AsyncDisposableStack: exported.AsyncDisposableStack,
    SuppressedError: exported.SuppressedError,
  },
};

const desc = (o: object, key: PropertyKey) => Object.getOwnPropertyDescriptor(o, key);
const method = { writable: true, enumerable: false, configurable: true };
const isConstructor = (f: unknown): boolean => {
  try {
    Reflect.construct(String, [], f as () => void);
    return true;
  } catch {
    return false;
  }
};

describe.each(Object.entries(implementations))("object model (%s)", (_label, impl) => {
  const { DisposableStack, AsyncDisposableStack, SuppressedError } = impl;

  it("the constructors have the spec's name, length and [[Prototype]]", () => {
    expect(DisposableStack.name).toBe("DisposableStack");
    expect(AsyncDisposableStack.name).toBe("AsyncDisposableStack");
    expect(SuppressedError.name).toBe("SuppressedError");
    expect(DisposableStack.length).toBe(0);
    expect(AsyncDisposableStack.length).toBe(0);
    expect(SuppressedError.length).toBe(3);
    expect(Object.getPrototypeOf(DisposableStack)).toBe(Function.prototype);
    expect(Object.getPrototypeOf(AsyncDisposableStack)).toBe(Function.prototype);
    expect(Object.getPrototypeOf(SuppressedError)).toBe(Error);
    for (const C of [DisposableStack, AsyncDisposableStack, SuppressedError]) {
      expect(desc(C, "name")).toMatchObject({
        writable: false,
        enumerable: false,
        configurable: true,
      });
      expect(desc(C, "length")).toMatchObject({
        writable: false,
        enumerable: false,
        configurable: true,
      });
      expect(desc(C, "prototype")).toMatchObject({
        writable: false,
        enumerable: false,
        configurable: false,
      });
      expect(C.prototype.constructor).toBe(C);
    }
  });

  it("methods have the spec's length, name and descriptors, and are not constructors", () => {
    const expected: [object, string, number][] = [
      [DisposableStack.prototype, "adopt", 2],
      [DisposableStack.prototype, "defer", 1],
      [DisposableStack.prototype, "dispose", 0],
      [DisposableStack.prototype, "move", 0],
      [DisposableStack.prototype, "use", 1],
      [AsyncDisposableStack.prototype, "adopt", 2],
      [AsyncDisposableStack.prototype, "defer", 1],
      [AsyncDisposableStack.prototype, "disposeAsync", 0],
      [AsyncDisposableStack.prototype, "move", 0],
      [AsyncDisposableStack.prototype, "use", 1],
    ];
    for (const [proto, name, length] of expected) {
      const d = desc(proto, name)!;
      expect(d, name).toMatchObject(method);
      const fn = d.value as (...args: unknown[]) => unknown;
      expect(fn.name).toBe(name);
      expect(fn.length).toBe(length);
      expect(isConstructor(fn), `${name} is not a constructor`).toBe(false);
    }
  });

  it("`disposed` is an accessor named 'get disposed' with no setter", () => {
    for (const C of [DisposableStack, AsyncDisposableStack]) {
      const d = desc(C.prototype, "disposed")!;
      expect(d.set).toBeUndefined();
      expect(d.get!.name).toBe("get disposed");
      expect(d.get!.length).toBe(0);
      expect(d).toMatchObject({ enumerable: false, configurable: true });
    }
  });

  it("prototype[Symbol.dispose] is prototype.dispose (and the async twin)", () => {
    expect(DisposableStack.prototype[disposeSymbol]).toBe(DisposableStack.prototype.dispose);
    expect(desc(DisposableStack.prototype, disposeSymbol)).toMatchObject(method);
    expect(AsyncDisposableStack.prototype[asyncDisposeSymbol]).toBe(
      AsyncDisposableStack.prototype.disposeAsync,
    );
    expect(desc(AsyncDisposableStack.prototype, asyncDisposeSymbol)).toMatchObject(method);
  });

  it("Symbol.toStringTag is a read-only, configurable data property", () => {
    expect(desc(DisposableStack.prototype, Symbol.toStringTag)).toEqual({
      value: "DisposableStack",
      writable: false,
      enumerable: false,
      configurable: true,
    });
    expect(desc(AsyncDisposableStack.prototype, Symbol.toStringTag)).toEqual({
      value: "AsyncDisposableStack",
      writable: false,
      enumerable: false,
      configurable: true,
    });
    expect(Object.prototype.toString.call(new DisposableStack())).toBe("[object DisposableStack]");
  });

  it("SuppressedError.prototype has message '' and name, and is not an error instance", () => {
    const proto = SuppressedError.prototype;
    expect(Object.getPrototypeOf(proto)).toBe(Error.prototype);
    expect(desc(proto, "message")).toEqual({ value: "", ...method });
    expect(desc(proto, "name")).toEqual({ value: "SuppressedError", ...method });
    expect(Object.hasOwn(proto, "error")).toBe(false);
    expect(Object.hasOwn(proto, "suppressed")).toBe(false);
  });

  it("SuppressedError instances are real errors with non-enumerable own properties in order", () => {
    const cause = new Error("inner");
    const e = new SuppressedError(cause, 1, "outer");
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(SuppressedError);
    expect(Object.prototype.toString.call(e)).toBe("[object Error]");
    const keys = Object.getOwnPropertyNames(e).filter((k) => k !== "stack");
    expect(keys).toEqual(["message", "error", "suppressed"]);
    for (const k of keys) expect(desc(e, k)).toMatchObject(method);
    expect(e.error).toBe(cause);
    expect(e.suppressed).toBe(1);
    expect(String(e)).toBe("SuppressedError: outer");
    expect(typeof e.stack).toBe("string");
    // The trace starts at the code that made the error (V8), not inside the ponyfill.
    const madeHere = function madeByThisTest() {
      return new SuppressedError(1, 2, "m");
    };
    expect(madeHere().stack!.split("\n")[1]).toMatch(/madeByThisTest/);
    // Called as a function, like Error(…); no own message when it is undefined.
    const f = (SuppressedError as unknown as (...a: unknown[]) => SuppressedError)(1, 2);
    expect(f).toBeInstanceOf(SuppressedError);
    expect(Object.hasOwn(f, "message")).toBe(false);
    // ToString(message) throws for Symbols and calls toString on objects.
    expect(() => new SuppressedError(1, 2, Symbol("m") as unknown as string)).toThrow(TypeError);
    expect(new SuppressedError(1, 2, { toString: () => "x" } as unknown as string).message).toBe(
      "x",
    );
  });

  it("brand checks reject look-alikes with a TypeError (disposeAsync rejects)", async () => {
    const fake = Object.create(DisposableStack.prototype) as DisposableStack;
    for (const name of ["use", "adopt", "defer", "dispose", "move"] as const) {
      const fn = DisposableStack.prototype[name] as (...args: unknown[]) => unknown;
      expect(
        () =>
          fn.call(
            fake,
            () => {},
            () => {},
          ),
        name,
      ).toThrow(TypeError);
      expect(
        () =>
          fn.call(
            1,
            () => {},
            () => {},
          ),
        name,
      ).toThrow(TypeError);
    }
    expect(() => desc(DisposableStack.prototype, "disposed")!.get!.call(fake)).toThrow(TypeError);
    const afake = Object.create(AsyncDisposableStack.prototype) as AsyncDisposableStack;
    const p = AsyncDisposableStack.prototype.disposeAsync.call(afake);
    expect(p).toBeInstanceOf(Promise);
    await expect(p).rejects.toThrow(TypeError);
    await expect(AsyncDisposableStack.prototype.disposeAsync.call(undefined)).rejects.toThrow(
      TypeError,
    );
  });

  it("calling a stack constructor without new throws a TypeError", () => {
    expect(() => (DisposableStack as unknown as () => void)()).toThrow(TypeError);
    expect(() => (AsyncDisposableStack as unknown as () => void)()).toThrow(TypeError);
  });

  it("new.target.prototype is used once when it is an object, the intrinsic when it is not", () => {
    for (const C of [DisposableStack, AsyncDisposableStack, SuppressedError]) {
      const custom = { custom: true };
      let reads = 0;
      function Base() {}
      const NT = Base.bind(null);
      Object.defineProperty(NT, "prototype", {
        get: () => {
          reads++;
          return custom;
        },
      });
      expect(Object.getPrototypeOf(Reflect.construct(C, [], NT))).toBe(custom);
      expect(reads).toBe(1);
      for (const value of [undefined, null, 1, "", true, Symbol()]) {
        function Target() {}
        Target.prototype = value;
        expect(Object.getPrototypeOf(Reflect.construct(C, [], Target))).toBe(C.prototype);
      }
    }
  });

  it("subclasses work, and move() always returns a plain stack", () => {
    class MyStack extends DisposableStack {
      extra = 1;
    }
    const s = new MyStack();
    expect(s).toBeInstanceOf(DisposableStack);
    expect(s.extra).toBe(1);
    const moved = s.move();
    expect(Object.getPrototypeOf(moved)).toBe(DisposableStack.prototype);
    class MyError extends SuppressedError {}
    const e = new MyError(1, 2, "m");
    expect(e).toBeInstanceOf(MyError);
    expect(e.error).toBe(1);
  });
});
