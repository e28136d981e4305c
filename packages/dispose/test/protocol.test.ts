/**
 * isDisposable / toDisposable and friends, including the fallback keys in the wild; and
 * flattenSuppressed / isSuppressedError.
 */
import { describe, expect, it } from "vitest";
import {
  asyncDisposeKeys,
  DisposableStack,
  disposeKeys,
  flattenSuppressed,
  isAsyncDisposable,
  isDisposable,
  isSuppressedError,
  SuppressedError,
  toAsyncDisposable,
  toDisposable,
} from "../src/index.ts";

const fallbacks = [
  Symbol.for("Symbol.dispose"),
  Symbol.for("nodejs.dispose"),
  Symbol.for("dispose"),
  Symbol.for("@esfx/disposable:Disposable.dispose"),
];
const asyncFallbacks = [
  Symbol.for("Symbol.asyncDispose"),
  Symbol.for("nodejs.asyncDispose"),
  Symbol.for("asyncDispose"),
  Symbol.for("@esfx/disposable:AsyncDisposable.asyncDispose"),
];

describe("isDisposable / toDisposable", () => {
  it("lists the runtime's symbol first, then the fallbacks", () => {
    expect(disposeKeys[0]).toBe(Symbol.dispose);
    expect(asyncDisposeKeys[0]).toBe(Symbol.asyncDispose);
    for (const key of fallbacks) expect(disposeKeys).toContain(key);
    for (const key of asyncFallbacks) expect(asyncDisposeKeys).toContain(key);
  });

  it("recognises every fallback key and wraps it under Symbol.dispose, called once", () => {
    for (const key of fallbacks) {
      const calls: unknown[] = [];
      const legacy = {
        [key](this: unknown) {
          calls.push(this);
        },
      };
      expect(isDisposable(legacy)).toBe(true);
      const d = toDisposable(legacy);
      if (key === Symbol.dispose) {
        // Node 20: Symbol.dispose is Symbol.for("nodejs.dispose"), so this one is standard.
        expect(d).toBe(legacy);
        continue;
      }
      d[Symbol.dispose]();
      d[Symbol.dispose]();
      expect(calls).toEqual([legacy]);
    }
  });

  it("returns standard disposables as they are, and wraps cleanup functions", () => {
    const stack = new DisposableStack();
    expect(toDisposable(stack)).toBe(stack);
    let n = 0;
    const d = toDisposable(() => n++);
    d[Symbol.dispose]();
    d[Symbol.dispose]();
    expect(n).toBe(1);
  });

  it("rejects anything else with a TypeError naming it", () => {
    for (const v of [null, undefined, 1, "s", {}, { [Symbol.dispose]: 1 }]) {
      expect(isDisposable(v)).toBe(false);
      expect(() => toDisposable(v)).toThrow(TypeError);
    }
    expect(() => toDisposable(7)).toThrow(/got 7/);
  });

  it("async: prefers async methods, falls back to sync ones without awaiting them", async () => {
    for (const key of asyncFallbacks) {
      let done = false;
      const legacy = {
        async [key]() {
          await Promise.resolve();
          done = true;
        },
      };
      expect(isAsyncDisposable(legacy)).toBe(true);
      await toAsyncDisposable(legacy)[Symbol.asyncDispose]();
      if (key === Symbol.asyncDispose) expect(toAsyncDisposable(legacy)).toBe(legacy);
      expect(done).toBe(true);
    }
    let syncCalls = 0;
    const syncOnly = { [Symbol.for("dispose")]: () => void syncCalls++ };
    expect(isAsyncDisposable(syncOnly)).toBe(false);
    const a = toAsyncDisposable(syncOnly);
    await a[Symbol.asyncDispose]();
    await a[Symbol.asyncDispose]();
    expect(syncCalls).toBe(1);
    let fnCalls = 0;
    await toAsyncDisposable(async () => void fnCalls++)[Symbol.asyncDispose]();
    expect(fnCalls).toBe(1);
    expect(() => toAsyncDisposable({})).toThrow(TypeError);
  });
});

describe("flattenSuppressed", () => {
  it("lists the errors oldest first: body, then each disposal", () => {
    let caught: unknown;
    try {
      using stack = new DisposableStack();
      stack.defer(() => {
        throw new Error("close a");
      });
      stack.defer(() => {
        throw new Error("close b");
      });
      throw new Error("body");
    } catch (e) {
      caught = e;
    }
    expect(isSuppressedError(caught)).toBe(true);
    expect(flattenSuppressed(caught).map((e) => (e as Error).message)).toEqual([
      "body",
      "close b",
      "close a",
    ]);
  });

  it("flattens chains in error position, survives cycles and 20,000-deep chains", () => {
    const inner = new SuppressedError("i2", "i1");
    const outer = new SuppressedError(inner, "o1");
    expect(flattenSuppressed(outer)).toEqual(["o1", "i1", "i2"]);
    const cyclic = new SuppressedError("a", undefined);
    cyclic.suppressed = cyclic;
    expect(flattenSuppressed(cyclic)).toEqual([cyclic, "a"]);
    let deep: unknown = 0;
    for (let i = 1; i < 20_000; i++) deep = new SuppressedError(i, deep);
    const flat = flattenSuppressed(deep);
    expect(flat).toHaveLength(20_000);
    expect(flat[0]).toBe(0);
    expect(flat[19_999]).toBe(19_999);
    expect(flattenSuppressed("plain")).toEqual(["plain"]);
  });

  it("recognises the shape lowered code throws without a SuppressedError global", () => {
    const fallback = Object.assign(new Error("An error was suppressed during disposal"), {
      name: "SuppressedError",
      error: "newer",
      suppressed: "older",
    });
    expect(isSuppressedError(fallback)).toBe(true);
    expect(flattenSuppressed(fallback)).toEqual(["older", "newer"]);
    expect(isSuppressedError(Object.assign(new Error(), { name: "SuppressedError" }))).toBe(false);
  });
});
