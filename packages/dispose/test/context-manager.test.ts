/**
 * contextManager / asyncContextManager: Python's @contextmanager semantics with `using`, stacks and
 * scopes (error delivered at the yield).
 */
import { describe, expect, it } from "vitest";
import {
  AsyncDisposableStack,
  asyncContextManager,
  asyncScope,
  contextManager,
  DisposableStack,
  enterContext,
  SuppressedError,
  scope,
} from "../src/index.ts";

function recorder() {
  const log: string[] = [];
  const resource = contextManager(function* (name: string) {
    log.push(`enter ${name}`);
    try {
      yield { name };
      log.push(`after yield ${name}`);
    } catch (error) {
      log.push(`caught ${(error as Error).message}`);
      throw error;
    } finally {
      log.push(`exit ${name}`);
    }
  });
  return { log, resource };
}

describe("contextManager", () => {
  it("runs setup at once, gives the yielded value, resumes after the yield on dispose", () => {
    const { log, resource } = recorder();
    {
      using r = resource("a");
      expect(r.value).toEqual({ name: "a" });
      expect(r.disposed).toBe(false);
      expect(log).toEqual(["enter a"]);
    }
    expect(log).toEqual(["enter a", "after yield a", "exit a"]);
  });

  it("with plain `using`, a failing block still resumes the generator as a success (documented)", () => {
    const { log, resource } = recorder();
    expect(() => {
      using _r = resource("a");
      throw new Error("body");
    }).toThrow("body");
    expect(log).toEqual(["enter a", "after yield a", "exit a"]);
  });

  it("under scope(), the body's error is thrown in at the yield (Python semantics)", () => {
    const { log, resource } = recorder();
    expect(() =>
      scope((s) => {
        const r = s.enter(resource("a"));
        expect(r).toEqual({ name: "a" });
        throw new Error("body");
      }),
    ).toThrow("body");
    expect(log).toEqual(["enter a", "caught body", "exit a"]);
  });

  it("a generator that swallows the error suppresses it; the scope returns undefined", () => {
    const swallow = contextManager(function* () {
      try {
        yield 1;
      } catch {
        // suppressed
      }
    });
    expect(
      scope((s) => {
        s.enter(swallow());
        throw new Error("gone");
      }),
    ).toBeUndefined();
  });

  it("a generator that throws a different error replaces it, chained as SuppressedError", () => {
    const convert = contextManager(function* () {
      try {
        yield 1;
      } catch (e) {
        throw new Error(`wrapped: ${(e as Error).message}`);
      }
    });
    let caught: unknown;
    try {
      scope((s) => {
        s.enter(convert());
        throw new Error("inner");
      });
    } catch (e) {
      caught = e;
    }
    const se = caught as SuppressedError;
    expect((se.error as Error).message).toBe("wrapped: inner");
    expect((se.suppressed as Error).message).toBe("inner");
  });

  it("rejects generators that do not yield or yield twice, and closes them", () => {
    const none = contextManager(function* () {});
    expect(() => none()).toThrow(/did not yield/);
    const log: string[] = [];
    const twice = contextManager(function* () {
      try {
        yield 1;
        yield 2;
      } finally {
        log.push("closed");
      }
    });
    const m = twice();
    expect(() => m[Symbol.dispose]()).toThrow(/yielded more than once/);
    expect(log).toEqual(["closed"]);
    const again = contextManager(function* () {
      try {
        yield 1;
      } catch {
        yield 2;
      }
    });
    expect(() =>
      scope((s) => {
        s.enter(again());
        throw new Error("x");
      }),
    ).toThrow(SuppressedError);
  });

  it("validates its input", () => {
    expect(() => contextManager(42 as never)).toThrow(/expected a generator function, got 42/);
    const notGen = contextManager((() => 1) as never);
    expect(() => notGen()).toThrow(/must return a generator, got 1/);
  });

  it("disposing twice resumes once", () => {
    const { log, resource } = recorder();
    const r = resource("a");
    r[Symbol.dispose]();
    r[Symbol.dispose]();
    expect(r.disposed).toBe(true);
    expect(log.filter((l) => l === "exit a")).toHaveLength(1);
  });

  it("enterContext(stack, manager) returns the value and exits with the stack (ExitStack.enter_context)", () => {
    const { log, resource } = recorder();
    {
      using stack = new DisposableStack();
      const a = enterContext(stack, resource("a"));
      const b = enterContext(stack, resource("b"));
      expect([a.name, b.name]).toEqual(["a", "b"]);
    }
    expect(log).toEqual([
      "enter a",
      "enter b",
      "after yield b",
      "exit b",
      "after yield a",
      "exit a",
    ]);
    expect(() => enterContext({} as never, resource("c"))).toThrow(TypeError);
  });

  it("a suspended generator manager can be collected after dispose (no retention)", async () => {
    const { resource } = recorder();
    let ref: WeakRef<object> | undefined;
    (() => {
      const m = resource("gc");
      ref = new WeakRef(m);
      m[Symbol.dispose]();
    })();
    await new Promise((r) => setTimeout(r, 0));
    globalThis.gc!();
    expect(ref!.deref()).toBeUndefined();
  });
});

describe("asyncContextManager", () => {
  const make = () => {
    const log: string[] = [];
    const conn = asyncContextManager(async function* (url: string) {
      await Promise.resolve();
      log.push(`open ${url}`);
      try {
        yield { url };
      } catch (e) {
        log.push(`rollback ${(e as Error).message}`);
        throw e;
      } finally {
        await Promise.resolve();
        log.push(`close ${url}`);
      }
    });
    return { log, conn };
  };

  it("works with `await using`", async () => {
    const { log, conn } = make();
    {
      await using c = await conn("db");
      expect(c.value.url).toBe("db");
    }
    expect(log).toEqual(["open db", "close db"]);
  });

  it("under asyncScope(), errors arrive at the yield; enter() takes the pending manager", async () => {
    const { log, conn } = make();
    await expect(
      asyncScope(async (s) => {
        const c = await s.enter(conn("db"));
        expect(c.url).toBe("db");
        throw new Error("query failed");
      }),
    ).rejects.toThrow("query failed");
    expect(log).toEqual(["open db", "rollback query failed", "close db"]);
  });

  it("enterContext with an AsyncDisposableStack awaits the manager", async () => {
    const { log, conn } = make();
    {
      await using stack = new AsyncDisposableStack();
      const c = await enterContext(stack, conn("x"));
      expect(c.url).toBe("x");
    }
    expect(log).toEqual(["open x", "close x"]);
  });

  it("rejects async generators that do not yield", async () => {
    const none = asyncContextManager(async function* () {});
    await expect(none()).rejects.toThrow(/did not yield/);
    expect(() => asyncContextManager("x" as never)).toThrow(TypeError);
  });
});
