/**
 * AsyncDisposableStack behaviour, for the ponyfill and for what the package exports.
 */
import { describe, expect, it } from "vitest";
import * as exported from "../src/index.ts";
import { asyncDisposeSymbol, disposeSymbol } from "../src/internal/symbols.ts";
import { AsyncDisposableStackPonyfill } from "../src/ponyfill/async-disposable-stack.ts";

const implementations = {
  ponyfill: AsyncDisposableStackPonyfill,
  exported: exported.AsyncDisposableStack,
};

/** Runs `disposeAsync` against a chain of `ticks` microtasks and says after which one it settled. */
async function ticksUntilSettled(dispose: () => Promise<void>, ticks = 6): Promise<number> {
  const order: string[] = [];
  const p = dispose().then(() => order.push("dispose"));
  let chain: Promise<unknown> = Promise.resolve();
  for (let i = 1; i <= ticks; i++) chain = chain.then(() => order.push(`tick ${i}`));
  await Promise.all([p, chain]);
  return order.indexOf("dispose");
}

describe.each(Object.entries(implementations))("AsyncDisposableStack (%s)", (_label, Stack) => {
  it("awaits each async disposal in reverse order", async () => {
    const log: string[] = [];
    const stack = new Stack();
    const later = (name: string) => async () => {
      await new Promise((r) => setTimeout(r, 1));
      log.push(name);
    };
    stack.use({ [asyncDisposeSymbol]: later("use") });
    stack.adopt("x", async (v) => {
      await later(`adopt ${v}`)();
    });
    stack.defer(later("defer"));
    stack.use({ [disposeSymbol]: () => void log.push("sync") });
    await stack.disposeAsync();
    expect(log).toEqual(["sync", "defer", "adopt x", "use"]);
    expect(stack.disposed).toBe(true);
  });

  it("prefers [Symbol.asyncDispose], reading each key at most once", async () => {
    const reads: string[] = [];
    const calls: string[] = [];
    const both = {
      get [asyncDisposeSymbol]() {
        reads.push("async");
        return async () => void calls.push("async");
      },
      get [disposeSymbol]() {
        reads.push("sync");
        return () => void calls.push("sync");
      },
    };
    const onlySync = {
      get [asyncDisposeSymbol]() {
        reads.push("async2");
        return undefined;
      },
      get [disposeSymbol]() {
        reads.push("sync2");
        return () => void calls.push("sync2");
      },
    };
    const stack = new Stack();
    stack.use(both);
    stack.use(onlySync);
    expect(reads).toEqual(["async", "async2", "sync2"]);
    await stack.disposeAsync();
    expect(calls).toEqual(["sync2", "async"]);
    expect(reads).toEqual(["async", "async2", "sync2"]);
  });

  it("does not await what a sync [Symbol.dispose] returns, and turns its throw into a rejection", async () => {
    const stack = new Stack();
    let settled = false;
    const never = new Promise<void>(() => {});
    stack.use({
      [disposeSymbol]: () => {
        void never.then(() => (settled = true));
        return never;
      },
    });
    await stack.disposeAsync();
    expect(settled).toBe(false);
    const failing = new Stack();
    failing.use({
      [disposeSymbol]: () => {
        throw new Error("sync failure");
      },
    });
    await expect(failing.disposeAsync()).rejects.toThrow("sync failure");
  });

  it("keeps the spec's microtask count: none when empty, one for a nullish use", async () => {
    expect(await ticksUntilSettled(() => new Stack().disposeAsync())).toBe(0);
    const withNull = new Stack();
    withNull.use(null);
    expect(await ticksUntilSettled(() => withNull.disposeAsync())).toBe(1);
    const withTwoNulls = new Stack();
    withTwoNulls.use(null);
    withTwoNulls.use(undefined);
    expect(await ticksUntilSettled(() => withTwoNulls.disposeAsync())).toBe(1);
    const withSyncValue = new Stack();
    withSyncValue.defer(() => {});
    expect(await ticksUntilSettled(() => withSyncValue.disposeAsync())).toBe(1);
  });

  it("chains errors from rejections and synchronous throws alike", async () => {
    const stack = new Stack();
    stack.defer(async () => {
      throw new Error("first registered");
    });
    stack.defer(() => {
      throw new Error("sync throw");
    });
    stack.defer(() => Promise.reject(new Error("last registered")));
    const error = (await stack.disposeAsync().then(
      () => undefined,
      (e: unknown) => e,
    )) as SuppressedError;
    expect(error).toBeInstanceOf(exported.SuppressedError);
    expect((error.error as Error).message).toBe("first registered");
    const inner = error.suppressed as SuppressedError;
    expect((inner.error as Error).message).toBe("sync throw");
    expect((inner.suppressed as Error).message).toBe("last registered");
  });

  it("validates input at once and throws ReferenceError once disposed", async () => {
    const stack = new Stack();
    expect(() => stack.use(1 as never)).toThrow(TypeError);
    expect(() => stack.use({} as never)).toThrow(TypeError);
    if (Stack === AsyncDisposableStackPonyfill) {
      expect(() => stack.use(1 as never)).toThrow(/got 1/);
      expect(() => stack.use({} as never)).toThrow(
        /neither a \[Symbol\.asyncDispose\]\(\) nor a \[Symbol\.dispose\]\(\) method/,
      );
    }
    expect(() => stack.use({ [asyncDisposeSymbol]: 2 } as never)).toThrow(TypeError);
    expect(() => stack.defer(undefined as never)).toThrow(TypeError);
    const p1 = stack.disposeAsync();
    const p2 = stack.disposeAsync();
    await Promise.all([p1, p2]);
    expect(() => stack.use(null)).toThrow(ReferenceError);
    expect(() => stack.move()).toThrow(ReferenceError);
  });

  it("does not re-run disposers when disposeAsync is called again while running", async () => {
    const stack = new Stack();
    let runs = 0;
    stack.defer(async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 1));
    });
    await Promise.all([stack.disposeAsync(), stack.disposeAsync()]);
    expect(runs).toBe(1);
  });

  it("disposes 20,000 throwing callbacks iteratively", async () => {
    const stack = new Stack();
    for (let i = 0; i < 20_000; i++) {
      stack.defer(() => {
        throw i;
      });
    }
    const error = await stack.disposeAsync().then(
      () => undefined,
      (e: unknown) => e,
    );
    let depth = 0;
    let e = error;
    while (e instanceof exported.SuppressedError) {
      e = e.suppressed;
      depth++;
    }
    expect(depth).toBe(19_999);
  });

  it("works with `await using` and move()", async () => {
    const log: string[] = [];
    const make = async () => {
      await using stack = new Stack();
      stack.defer(async () => void log.push("a"));
      return stack.move();
    };
    const owned = await make();
    expect(log).toEqual([]);
    await owned.disposeAsync();
    expect(log).toEqual(["a"]);
  });
});
