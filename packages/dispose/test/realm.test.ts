/**
 * GetPrototypeFromConstructor across realms (ECMA-262 10.1.14 step 4 with GetFunctionRealm): a
 * newTarget from another realm whose `prototype` is not an object gets that realm's intrinsic. The
 * ponyfill finds it through the per-realm record on `Object` (see src/ponyfill/realm.ts).
 */
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { AsyncDisposableStackPonyfill } from "../src/ponyfill/async-disposable-stack.ts";
import { DisposableStackPonyfill } from "../src/ponyfill/disposable-stack.ts";
import { REGISTRY_KEY, registerRealmIntrinsic } from "../src/ponyfill/realm.ts";
import { SuppressedErrorPonyfill } from "../src/ponyfill/suppressed-error.ts";

describe("cross-realm construction", () => {
  it("uses the other realm's recorded prototype when newTarget.prototype is not an object", () => {
    const other = vm.createContext({});
    const otherObject = vm.runInContext("Object", other) as ObjectConstructor;
    const fakeProtos = {
      DisposableStack: vm.runInContext("({ realm: 'other', kind: 'ds' })", other) as object,
      AsyncDisposableStack: vm.runInContext("({ realm: 'other', kind: 'ads' })", other) as object,
      SuppressedError: vm.runInContext("({ realm: 'other', kind: 'se' })", other) as object,
    };
    // What the ponyfill does when it loads in that realm (registerRealmIntrinsic there).
    const record = vm.runInContext("Object.create(null)", other) as Record<string, object>;
    Object.assign(record, fakeProtos);
    Object.defineProperty(otherObject, REGISTRY_KEY, { value: record });

    const newTarget = vm.runInContext("(function () {})", other) as () => void;
    for (const value of [undefined, null, 1, "", true]) {
      (newTarget as { prototype: unknown }).prototype = value;
      expect(Object.getPrototypeOf(Reflect.construct(DisposableStackPonyfill, [], newTarget))).toBe(
        fakeProtos.DisposableStack,
      );
      expect(
        Object.getPrototypeOf(Reflect.construct(AsyncDisposableStackPonyfill, [], newTarget)),
      ).toBe(fakeProtos.AsyncDisposableStack);
      expect(
        Object.getPrototypeOf(Reflect.construct(SuppressedErrorPonyfill, [1, 2], newTarget)),
      ).toBe(fakeProtos.SuppressedError);
    }
  });

  it("falls back to this realm's prototype when the other realm recorded nothing", () => {
    const other = vm.createContext({});
    const newTarget = vm.runInContext("(function () {})", other) as () => void;
    (newTarget as { prototype: unknown }).prototype = undefined;
    expect(Object.getPrototypeOf(Reflect.construct(DisposableStackPonyfill, [], newTarget))).toBe(
      DisposableStackPonyfill.prototype,
    );
  });

  it("an object prototype with a null [[Prototype]] is kept (not mistaken for a fallback)", () => {
    function NT() {}
    const bare = Object.create(null) as object;
    NT.prototype = bare;
    expect(Object.getPrototypeOf(Reflect.construct(DisposableStackPonyfill, [], NT))).toBe(bare);
    NT.prototype = Object.prototype;
    expect(Object.getPrototypeOf(Reflect.construct(DisposableStackPonyfill, [], NT))).toBe(
      Object.prototype,
    );
  });

  it("records a realm's intrinsics once, read-only and non-enumerable: the first copy wins", () => {
    const first = { first: true };
    registerRealmIntrinsic("DisposableStack", first);
    const own = Object.getOwnPropertyDescriptor(Object, REGISTRY_KEY)!;
    expect(own).toMatchObject({ writable: false, enumerable: false, configurable: false });
    const recorded = (own.value as Record<string, unknown>).DisposableStack;
    // On Node 20 the exported ponyfill registered itself when it loaded; on Node 24 nothing had.
    expect([first, DisposableStackPonyfill.prototype]).toContain(recorded);
    registerRealmIntrinsic("DisposableStack", { second: true });
    expect((own.value as Record<string, unknown>).DisposableStack).toBe(recorded);
  });
});
