/**
 * `@heapwise/dispose/polyfill`: installs what is missing, never replaces what exists.
 */
import { describe, expect, it } from "vitest";
import * as exported from "../src/index.ts";
import { install, type PolyfillValues } from "../src/internal/install.ts";

function standIns(): PolyfillValues & { global: Record<string, unknown> } {
  class FakeStack {}
  class FakeAsyncStack {}
  class FakeError extends Error {}
  const IteratorPrototype = {};
  const AsyncIteratorPrototype = {};
  return {
    global: { Symbol: {} },
    disposeSymbol: Symbol.for("Symbol.dispose"),
    asyncDisposeSymbol: Symbol.for("Symbol.asyncDispose"),
    DisposableStack: FakeStack,
    AsyncDisposableStack: FakeAsyncStack,
    SuppressedError: FakeError,
    IteratorPrototype,
    AsyncIteratorPrototype,
  };
}

describe("install (the polyfill's work, on a stand-in global)", () => {
  it("installs everything that is missing, with the built-ins' descriptors", () => {
    const v = standIns();
    const report = install(v.global, v);
    expect(Object.values(report).every((x) => x === true)).toBe(true);
    const symbolCtor = v.global.Symbol as object;
    expect(Object.getOwnPropertyDescriptor(symbolCtor, "dispose")).toEqual({
      value: Symbol.for("Symbol.dispose"),
      writable: false,
      enumerable: false,
      configurable: false,
    });
    expect((symbolCtor as { asyncDispose: symbol }).asyncDispose).toBe(
      Symbol.for("Symbol.asyncDispose"),
    );
    for (const name of ["DisposableStack", "AsyncDisposableStack", "SuppressedError"] as const) {
      expect(Object.getOwnPropertyDescriptor(v.global, name)).toEqual({
        value: v[name],
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }
    const iterDispose = (v.IteratorPrototype as Record<symbol, () => void>)[v.disposeSymbol]!;
    expect(iterDispose.name).toBe("[Symbol.dispose]");
    expect(iterDispose.length).toBe(0);
    const asyncIterDispose = (v.AsyncIteratorPrototype as Record<symbol, () => Promise<void>>)[
      v.asyncDisposeSymbol
    ]!;
    expect(asyncIterDispose.name).toBe("[Symbol.asyncDispose]");
  });

  it("never replaces what exists (natives, earlier polyfills, existing symbols)", () => {
    const v = standIns();
    const existing = {
      dispose: Symbol("native dispose"),
      asyncDispose: Symbol("native asyncDispose"),
    };
    Object.defineProperties(v.global.Symbol as object, {
      dispose: { value: existing.dispose, writable: false, configurable: false },
      asyncDispose: { value: existing.asyncDispose, writable: false, configurable: false },
    });
    const natives = { DisposableStack: {}, AsyncDisposableStack: {}, SuppressedError: {} };
    Object.assign(v.global, natives);
    const iterMethod = () => {};
    (v.IteratorPrototype as Record<symbol, unknown>)[v.disposeSymbol] = iterMethod;
    (v.AsyncIteratorPrototype as Record<symbol, unknown>)[v.asyncDisposeSymbol] = iterMethod;
    const report = install(v.global, v);
    expect(Object.values(report).every((x) => x === false)).toBe(true);
    expect((v.global.Symbol as typeof existing).dispose).toBe(existing.dispose);
    expect((v.global.Symbol as typeof existing).asyncDispose).toBe(existing.asyncDispose);
    for (const name of Object.keys(natives)) expect(v.global[name]).toBe(natives[name as never]);
    expect((v.IteratorPrototype as Record<symbol, unknown>)[v.disposeSymbol]).toBe(iterMethod);
  });

  it("the iterator dispose methods call return() (with no arguments) when there is one", async () => {
    const v = standIns();
    install(v.global, v);
    const calls: unknown[][] = [];
    const it = Object.create(v.IteratorPrototype, {
      return: {
        value(...args: unknown[]) {
          calls.push(args);
          return { done: true };
        },
      },
    });
    (it as Record<symbol, () => void>)[v.disposeSymbol]!();
    expect(calls).toEqual([[]]);
    const noReturn = Object.create(v.IteratorPrototype);
    expect((noReturn as Record<symbol, () => void>)[v.disposeSymbol]!()).toBeUndefined();
    const asyncIt = Object.create(v.AsyncIteratorPrototype, {
      return: {
        value: async () => {
          calls.push(["async"]);
          return { done: true, value: 42 };
        },
      },
    });
    await expect(
      (asyncIt as Record<symbol, () => Promise<unknown>>)[v.asyncDisposeSymbol]!(),
    ).resolves.toBeUndefined();
    expect(calls).toEqual([[], ["async"]]);
    const badReturn = Object.create(v.AsyncIteratorPrototype, { return: { value: 1 } });
    await expect(
      (badReturn as Record<symbol, () => Promise<unknown>>)[v.asyncDisposeSymbol]!(),
    ).rejects.toThrow(TypeError);
  });
});

describe("import '@heapwise/dispose/polyfill' (this runtime)", () => {
  it("leaves natives alone and installs the exported classes where missing", async () => {
    const before = {
      dispose: Symbol.dispose,
      asyncDispose: Symbol.asyncDispose,
      DisposableStack: (globalThis as Record<string, unknown>).DisposableStack,
    };
    const { polyfilled } = await import("../src/polyfill.ts");
    // Node 20 and 24 both have the symbols: never reassigned.
    expect(polyfilled["Symbol.dispose"]).toBe(false);
    expect(Symbol.dispose).toBe(before.dispose);
    expect(Symbol.asyncDispose).toBe(before.asyncDispose);
    expect(polyfilled.DisposableStack).toBe(before.DisposableStack === undefined);
    const g = globalThis as unknown as Record<string, unknown>;
    expect(g.DisposableStack).toBe(exported.DisposableStack);
    expect(g.AsyncDisposableStack).toBe(exported.AsyncDisposableStack);
    expect(g.SuppressedError).toBe(exported.SuppressedError);
  });

  it("after it, esbuild-lowered `using` throws the exported SuppressedError", async () => {
    await import("../src/polyfill.ts");
    const { transform } = await import("esbuild");
    const { code } = await transform(
      `export function run() {
        using a = { [Symbol.dispose]() { throw new Error("a"); } };
        using b = { [Symbol.dispose]() { throw new Error("b"); } };
      }`,
      { format: "cjs", target: "es2022", loader: "ts" },
    );
    const module = { exports: {} as { run?: () => void } };
    // The transformed module is CommonJS text: evaluate it as a CJS module would be.
    const { Script } = await import("node:vm");
    new Script(`(function (module, exports) {${code}\n})`).runInThisContext()(
      module,
      module.exports,
    );
    let error: unknown;
    try {
      module.exports.run!();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(exported.SuppressedError);
  });

  it("after it, `using` closes a generator early", () => {
    const log: string[] = [];
    function* numbers() {
      try {
        yield 1;
        yield 2;
      } finally {
        log.push("closed");
      }
    }
    {
      using it = numbers();
      expect(it.next().value).toBe(1);
    }
    expect(log).toEqual(["closed"]);
  });
});
