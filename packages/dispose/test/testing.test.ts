/**
 * @heapwise/dispose/testing: expectCollectable, expectDisposed, expectNoLeaks.
 */
import { describe, expect, it } from "vitest";
import { DisposableStack, defer, listen, Mutex, timeout } from "../src/index.ts";
import {
  expectCollectable,
  expectDisposed,
  expectNoLeaks,
  ResourceAssertionError,
} from "../src/testing.ts";

const keep: unknown[] = [];

describe("expectCollectable", () => {
  it("passes for an object nobody holds, fails for one that is kept", async () => {
    await expectCollectable(() => ({ big: new Uint8Array(1024) }));
    await expect(
      expectCollectable(
        () => {
          const o = {};
          keep.push(o);
          return o;
        },
        { rounds: 2 },
      ),
    ).rejects.toThrow(ResourceAssertionError);
    keep.length = 0;
  });

  it("says clearly when the collector is not exposed", async () => {
    const gc = globalThis.gc;
    (globalThis as { gc?: unknown }).gc = undefined;
    try {
      await expect(expectCollectable(() => ({}))).rejects.toThrow(/--expose-gc/);
      await expect(expectNoLeaks(() => {})).rejects.toThrow(/--expose-gc/);
    } finally {
      globalThis.gc = gc;
    }
  });
});

describe("expectDisposed", () => {
  it("checks stacks and the package's handles", () => {
    const stack = new DisposableStack();
    const d = defer(() => {});
    expect(() => expectDisposed(stack, d)).toThrow(/not disposed: argument 0 .*argument 1/);
    stack.dispose();
    d[Symbol.dispose]();
    expectDisposed(stack, d);
    expect(() => expectDisposed({})).toThrow(/cannot tell/);
    expect(() => expectDisposed()).toThrow(TypeError);
  });
});

describe("expectNoLeaks", () => {
  it("passes when everything made inside was disposed", async () => {
    const lock = new Mutex();
    await expectNoLeaks(async () => {
      using _t = timeout(10_000, () => {});
      using _l = listen(new EventTarget(), "x", () => {});
      using _held = await lock.acquire();
    });
  });

  it("reports undisposed resources with where they were created", async () => {
    const target = new EventTarget();
    const error = await expectNoLeaks(() => {
      listen(target, "x", () => {});
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(ResourceAssertionError);
    expect(error!.message).toMatch(
      /1 leak:\nlistener not disposed.*created at:\n.*testing\.test\.ts/s,
    );
  });

  it("reports disposed resources that are still reachable, unless told to ignore them", async () => {
    const error = await expectNoLeaks(() => {
      const d = defer(() => {});
      d[Symbol.dispose]();
      keep.push(d);
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/defer disposed but still reachable/);
    await expectNoLeaks(
      () => {
        const d = defer(() => {});
        d[Symbol.dispose]();
        keep.push(d);
      },
      { retained: "ignore" },
    );
    keep.length = 0;
  });
});
