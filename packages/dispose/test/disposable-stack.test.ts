/**
 * DisposableStack behaviour, for the ponyfill and for what the package exports.
 */
import { describe, expect, it } from "vitest";
import * as exported from "../src/index.ts";
import { disposeSymbol } from "../src/internal/symbols.ts";
import { DisposableStackPonyfill } from "../src/ponyfill/disposable-stack.ts";

const implementations = {
  ponyfill: DisposableStackPonyfill,
  exported: exported.DisposableStack,
};

const resource = (log: string[], name: string, fail = false): Disposable => ({
  [disposeSymbol]() {
    log.push(name);
    if (fail) throw new Error(name);
  },
});

describe.each(Object.entries(implementations))("DisposableStack (%s)", (_label, Stack) => {
  it("disposes use/adopt/defer entries in reverse order, once", () => {
    const log: string[] = [];
    const stack = new Stack();
    const r = resource(log, "use");
    expect(stack.use(r)).toBe(r);
    expect(stack.adopt(42, (v) => log.push(`adopt ${v}`))).toBe(42);
    expect(stack.defer(() => log.push("defer"))).toBeUndefined();
    expect(stack.use(null)).toBeNull();
    expect(stack.use(undefined)).toBeUndefined();
    expect(stack.disposed).toBe(false);
    stack.dispose();
    expect(stack.disposed).toBe(true);
    expect(log).toEqual(["defer", "adopt 42", "use"]);
    stack.dispose();
    expect(log).toHaveLength(3);
  });

  it("calls use'd methods with the resource as this, adopt/defer callbacks with this undefined", () => {
    const stack = new Stack();
    const seen: unknown[] = [];
    const r = {
      [disposeSymbol](this: unknown, ...args: unknown[]) {
        seen.push(this, args.length);
      },
    };
    stack.use(r);
    stack.adopt("v", function (this: unknown, ...args: unknown[]) {
      seen.push(this, args);
    });
    stack.defer(function (this: unknown, ...args: unknown[]) {
      seen.push(this, args.length);
    });
    stack.dispose();
    expect(seen).toEqual([undefined, 0, undefined, ["v"], r, 0]);
  });

  it("calls a dispose method exactly, even one with its own `call` property", () => {
    const seen: unknown[] = [];
    const method = function (this: unknown, ...args: unknown[]) {
      seen.push(this, args.length);
    };
    Object.defineProperty(method, "call", {
      value: () => {
        throw new Error("Function.prototype.call must be the one used");
      },
    });
    const r = { [disposeSymbol]: method };
    const stack = new Stack();
    stack.use(r);
    stack.dispose();
    expect(seen).toEqual([r, 0]);
  });

  it("reads [Symbol.dispose] once, when the resource is added", () => {
    let reads = 0;
    const log: string[] = [];
    const r = {
      get [disposeSymbol]() {
        reads++;
        return () => log.push("disposed");
      },
    };
    const stack = new Stack();
    stack.use(r);
    expect(reads).toBe(1);
    stack.dispose();
    expect(reads).toBe(1);
    expect(log).toEqual(["disposed"]);
  });

  it("rejects bad input at once, with a TypeError that names it, and keeps what was accepted", () => {
    const log: string[] = [];
    const stack = new Stack();
    stack.use(resource(log, "kept"));
    const bad: [() => unknown, RegExp][] = [
      [() => stack.use(3 as never), /got 3/],
      [() => stack.use({} as never), /no \[Symbol\.dispose\]\(\) method/],
      [() => stack.use({ [disposeSymbol]: 1 } as never), /must be a function, got 1/],
      [() => stack.defer("x" as never), /onDispose must be a function, got "x"/],
      [() => stack.adopt(1, null as never), /got null/],
    ];
    for (const [call, message] of bad) {
      expect(call).toThrow(TypeError);
      // Our messages name the bad value; V8's (Node 24, exported) are its own.
      if (Stack === DisposableStackPonyfill) expect(call).toThrow(message);
    }
    stack.dispose();
    expect(log).toEqual(["kept"]);
  });

  it("throws a ReferenceError from use/adopt/defer/move once disposed", () => {
    const stack = new Stack();
    stack.dispose();
    expect(() => stack.use(null)).toThrow(ReferenceError);
    expect(() => stack.adopt(1, () => {})).toThrow(ReferenceError);
    expect(() => stack.defer(() => {})).toThrow(ReferenceError);
    expect(() => stack.move()).toThrow(ReferenceError);
  });

  it("runs every callback when some throw, and chains the errors newest-outermost", () => {
    const log: string[] = [];
    const stack = new Stack();
    stack.use(resource(log, "a", true));
    stack.use(resource(log, "b"));
    stack.use(resource(log, "c", true));
    stack.use(resource(log, "d", true));
    let caught: unknown;
    try {
      stack.dispose();
    } catch (e) {
      caught = e;
    }
    expect(log).toEqual(["d", "c", "b", "a"]);
    const outer = caught as SuppressedError;
    expect(outer).toBeInstanceOf(exported.SuppressedError);
    expect(outer.message).toBe("An error was suppressed during disposal");
    expect((outer.error as Error).message).toBe("a");
    const inner = outer.suppressed as SuppressedError;
    expect(inner).toBeInstanceOf(exported.SuppressedError);
    expect((inner.error as Error).message).toBe("c");
    expect((inner.suppressed as Error).message).toBe("d");
  });

  it("rethrows a single error as is", () => {
    const boom = new Error("boom");
    const stack = new Stack();
    stack.defer(() => {
      throw boom;
    });
    expect(() => stack.dispose()).toThrow(boom);
  });

  it("disposes 20,000 throwing callbacks without overflowing the stack (iterative loop)", () => {
    const stack = new Stack();
    let calls = 0;
    for (let i = 0; i < 20_000; i++) {
      stack.defer(() => {
        calls++;
        throw i;
      });
    }
    let caught: unknown;
    try {
      stack.dispose();
    } catch (e) {
      caught = e;
    }
    expect(calls).toBe(20_000);
    // Walk the chain without recursion: newest error outermost.
    let depth = 0;
    let e = caught;
    while (e instanceof exported.SuppressedError) {
      expect(e.error).toBe(depth);
      e = e.suppressed;
      depth++;
    }
    expect(depth).toBe(19_999);
    expect(e).toBe(19_999);
  });

  it("move() hands the resources to a new stack and marks this one disposed", () => {
    const log: string[] = [];
    const stack = new Stack();
    stack.use(resource(log, "a"));
    const moved = stack.move();
    expect(stack.disposed).toBe(true);
    expect(moved.disposed).toBe(false);
    stack.dispose();
    expect(log).toEqual([]);
    moved.dispose();
    expect(log).toEqual(["a"]);
  });

  it("a callback that adds to the stack during disposal gets a ReferenceError", () => {
    const stack = new Stack();
    let error: unknown;
    stack.defer(() => {
      try {
        stack.defer(() => {});
      } catch (e) {
        error = e;
      }
    });
    stack.dispose();
    expect(error).toBeInstanceOf(ReferenceError);
  });

  it("works with `using`, including on an early return and on a throw", () => {
    const log: string[] = [];
    const f = (fail: boolean) => {
      using stack = new Stack();
      stack.use(resource(log, "r"));
      if (fail) throw new Error("body");
      return "ok";
    };
    expect(f(false)).toBe("ok");
    expect(() => f(true)).toThrow("body");
    expect(log).toEqual(["r", "r"]);
  });

  it("drops its references once disposed (the resources can be collected)", async () => {
    const stack = new Stack();
    let ref: WeakRef<object> | undefined;
    (() => {
      const big = { payload: new Uint8Array(1024), [disposeSymbol]() {} };
      ref = new WeakRef(big);
      stack.use(big);
    })();
    stack.dispose();
    await new Promise((r) => setTimeout(r, 0));
    globalThis.gc!();
    expect(ref!.deref()).toBeUndefined();
    expect(stack.disposed).toBe(true);
  });
});
