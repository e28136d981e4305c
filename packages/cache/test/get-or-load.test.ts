import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { WeakCache } from "../src/index.ts";

/** A loader whose result the test releases by hand; counts calls and keeps the signals it got. */
function manualLoader<V>() {
  const calls: {
    key: string;
    signal: AbortSignal;
    resolve: (v: V) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const loader = (key: string, signal: AbortSignal) =>
    new Promise<V>((resolve, reject) => {
      calls.push({ key, signal, resolve, reject });
    });
  return { loader, calls };
}

describe("WeakCache.getOrLoad", () => {
  it("concurrent callers share one in-flight load; the result is cached", async () => {
    const c = new WeakCache<string, number>({ max: 10 });
    const { loader, calls } = manualLoader<number>();
    const p1 = c.getOrLoad("k", loader);
    const p2 = c.getOrLoad("k", loader);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(42);
    expect(await Promise.all([p1, p2])).toEqual([42, 42]);
    expect(c.get("k")).toBe(42);
    expect(await c.getOrLoad("k", loader)).toBe(42); // a hit: no new load
    expect(calls).toHaveLength(1);
    expect(c.stats()).toMatchObject({ hits: 2, misses: 2 });
  });

  it("accepts a synchronous loader", async () => {
    const c = new WeakCache<string, string>({ max: 10 });
    expect(await c.getOrLoad("k", (k) => k.toUpperCase())).toBe("K");
    expect(c.get("k")).toBe("K");
  });

  it("a rejection reaches every waiting caller and is not cached", async () => {
    const c = new WeakCache<string, number>({ max: 10 });
    const { loader, calls } = manualLoader<number>();
    const p1 = c.getOrLoad("k", loader);
    const p2 = c.getOrLoad("k", loader);
    calls[0]!.reject(new Error("db down"));
    await expect(p1).rejects.toThrow("db down");
    await expect(p2).rejects.toThrow("db down");
    expect(c.has("k")).toBe(false);
    const p3 = c.getOrLoad("k", loader); // loads again
    expect(calls).toHaveLength(2);
    calls[1]!.resolve(1);
    expect(await p3).toBe(1);
  });

  it("a loader that throws synchronously rejects", async () => {
    const c = new WeakCache<string, number>({ max: 10 });
    await expect(
      c.getOrLoad("k", () => {
        throw new RangeError("bad");
      }),
    ).rejects.toThrow(RangeError);
    expect(c.size).toBe(0);
  });

  it("one caller's abort rejects only that caller; the load goes on for the others", async () => {
    const c = new WeakCache<string, number>({ max: 10 });
    const { loader, calls } = manualLoader<number>();
    const ac = new AbortController();
    const p1 = c.getOrLoad("k", loader, { signal: ac.signal });
    const p2 = c.getOrLoad("k", loader);
    ac.abort(new Error("caller gone"));
    await expect(p1).rejects.toThrow("caller gone");
    expect(calls[0]!.signal.aborted).toBe(false);
    calls[0]!.resolve(7);
    expect(await p2).toBe(7);
    expect(c.get("k")).toBe(7);
  });

  it("when every caller aborted, the load's signal aborts and its result is not stored", async () => {
    const c = new WeakCache<string, number>({ max: 10 });
    const { loader, calls } = manualLoader<number>();
    const a = new AbortController();
    const b = new AbortController();
    const p1 = c.getOrLoad("k", loader, { signal: a.signal });
    const p2 = c.getOrLoad("k", loader, { signal: b.signal });
    a.abort(new Error("a"));
    expect(calls[0]!.signal.aborted).toBe(false);
    b.abort(new Error("b"));
    await expect(p1).rejects.toThrow("a");
    await expect(p2).rejects.toThrow("b");
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(calls[0]!.signal.reason).toEqual(new Error("b"));
    // a new caller starts a fresh load
    const p3 = c.getOrLoad("k", loader);
    expect(calls).toHaveLength(2);
    calls[0]!.resolve(1); // the abandoned load finishes anyway: not stored
    calls[1]!.resolve(2);
    expect(await p3).toBe(2);
    await Promise.resolve();
    expect(c.get("k")).toBe(2);
  });

  it("an already aborted signal rejects at once without loading", async () => {
    const c = new WeakCache<string, number>({ max: 10 });
    const { loader, calls } = manualLoader<number>();
    await expect(
      c.getOrLoad("k", loader, { signal: AbortSignal.abort(new Error("no")) }),
    ).rejects.toThrow("no");
    expect(calls).toHaveLength(0);
  });

  it("leaves no abort listener behind once the load settles", async () => {
    const c = new WeakCache<string, number>({ max: 10 });
    const { loader, calls } = manualLoader<number>();
    const ac = new AbortController();
    const p1 = c.getOrLoad("k", loader, { signal: ac.signal });
    const p2 = c.getOrLoad("j", loader, { signal: ac.signal });
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(2);
    calls[0]!.resolve(1);
    calls[1]!.reject(new Error("x"));
    await p1;
    await expect(p2).rejects.toThrow("x");
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0);
  });

  it("a set or delete of the key meanwhile wins over the load's result", async () => {
    const c = new WeakCache<string, number>({ max: 10 });
    const { loader, calls } = manualLoader<number>();
    const p1 = c.getOrLoad("k", loader);
    c.set("k", 100);
    calls[0]!.resolve(1);
    expect(await p1).toBe(1); // its callers get what was loaded
    expect(c.get("k")).toBe(100); // the cache keeps the newer value
    const p2 = c.getOrLoad("j", loader);
    c.delete("j");
    calls[1]!.resolve(2);
    expect(await p2).toBe(2);
    expect(c.has("j")).toBe(false);
  });

  it("disposing rejects waiting callers with an AbortError and aborts the loader", async () => {
    const c = new WeakCache<string, number>({ max: 10 });
    const { loader, calls } = manualLoader<number>();
    const p = c.getOrLoad("k", loader);
    c[Symbol.dispose]();
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
    expect(calls[0]!.signal.aborted).toBe(true);
    calls[0]!.resolve(5);
    await Promise.resolve();
    expect(c.size).toBe(0);
    await expect(c.getOrLoad("k", loader)).rejects.toThrow(ReferenceError);
  });

  it("rejects bad input with a TypeError naming it, and a loader resolving to undefined", async () => {
    const c = new WeakCache<string, number>({ max: 10 });
    await expect(c.getOrLoad("k", 5 as never)).rejects.toThrow(/loader must be a function, got 5/);
    await expect(c.getOrLoad("k", () => 1, { signal: {} as never })).rejects.toThrow(
      /signal must be an AbortSignal, got an Object object/,
    );
    await expect(c.getOrLoad("k", () => 1, { timeout: 1 } as never)).rejects.toThrow(
      /unknown option "timeout"/,
    );
    await expect(c.getOrLoad("k", () => undefined as never)).rejects.toThrow(
      /resolved to undefined/,
    );
    expect(c.size).toBe(0);
  });

  it("a value the cache refuses (sizeOf too large) rejects the load and caches nothing", async () => {
    const c = new WeakCache<string, string>({ maxBytes: 3, sizeOf: (v) => v.length });
    await expect(c.getOrLoad("k", () => "toolong")).rejects.toThrow(RangeError);
    expect(c.size).toBe(0);
  });
});
