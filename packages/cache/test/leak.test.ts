/**
 * Resource hygiene on the real V8 heap (vitest runs with --expose-gc): dropped values are
 * collected, bounded caches stay bounded, timers are gone after dispose and never keep a cache or
 * the process alive. Finalizers run asynchronously after gc(): the tests yield to the event loop in
 * a bounded loop (collectUntil), never sleep a fixed time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type Clock,
  MemoryBudget,
  type RemovalReason,
  systemClock,
  WeakCache,
  WeakValueMap,
} from "../src/index.ts";
import { collectUntil, gc, nextTask } from "./helpers.ts";

const MiB = 1024 * 1024;
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/** systemClock, counting the timers that are scheduled and neither run nor cleared. */
function countingClock() {
  const live = new Set<unknown>();
  const handles: { hasRef?: () => boolean }[] = [];
  const clock: Clock = {
    now: () => systemClock.now(),
    setTimeout(callback, ms) {
      const handle: unknown = systemClock.setTimeout(() => {
        live.delete(handle);
        callback();
      }, ms);
      live.add(handle);
      handles.push(handle as { hasRef?: () => boolean });
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      systemClock.clearTimeout(handle);
    },
  };
  return { clock, live, handles };
}

describe("leaks", () => {
  it("100,000 values put in a WeakValueMap and dropped are collected; size reaches 0", async () => {
    const map = new WeakValueMap<number, { i: number; tag: string }>();
    let sample: WeakRef<object> | undefined;
    (() => {
      for (let i = 0; i < 100_000; i++) {
        const value = { i, tag: `value ${i}` };
        if (i === 54_321) sample = new WeakRef(value);
        map.set(i, value);
      }
    })();
    expect(map.size).toBe(100_000);
    await nextTask(); // the job ends: its weak references are made, its kept objects released
    expect(await collectUntil(() => map.size === 0, 1000)).toBe(true);
    expect(sample!.deref()).toBeUndefined();
    expect([...map]).toEqual([]);
  });

  it("a WeakCache({ max: 1000 }) fed 1,000,000 distinct keys keeps heapUsed within 4 MiB of its start", {
    timeout: 60_000,
  }, () => {
    // Each value is about 200 bytes: 1,000,000 of them kept would be about 200 MiB (measured here:
    // about 1 MiB above the start, flat from the first 100,000 keys on). The cache holds
    // 1,000 strongly and, with the native provider, lets at most 1,000 more enter the weak tier in
    // this one synchronous job (a WeakRef keeps its target until the job ends): all others are
    // dropped, so gc() can reclaim them even in the middle of the job.
    const cache = new WeakCache<string, { id: number; data: Uint8Array }>({ max: 1000 });
    const before = heapUsed();
    let peak = 0;
    for (let i = 0; i < 1_000_000; i++) {
      cache.set(`key:${i}`, { id: i, data: new Uint8Array(64) });
      if (i % 100_000 === 99_999) peak = Math.max(peak, heapUsed() - before);
    }
    expect(cache.stats()).toMatchObject({ entries: 2000, weakEntries: 1000, evictions: 999_000 });
    expect(peak).toBeLessThan(4 * MiB);
  });

  it("the same stream with a job boundary every 10,000 keys stays as bounded", {
    timeout: 60_000,
  }, async () => {
    const cache = new WeakCache<string, { id: number; data: Uint8Array }>({ max: 1000 });
    const before = heapUsed();
    let peak = 0;
    for (let i = 0; i < 1_000_000; i++) {
      cache.set(`key:${i}`, { id: i, data: new Uint8Array(64) });
      if (i % 10_000 === 9_999) await nextTask();
      if (i % 100_000 === 99_999) peak = Math.max(peak, heapUsed() - before);
    }
    expect(peak).toBeLessThan(4 * MiB);
    // the weak tier empties as the collector finds its values unreachable
    expect(await collectUntil(() => cache.stats().weakEntries === 0, 1000)).toBe(true);
    expect(cache.size).toBe(1000);
  });

  it("weak-tier values are collected once the program drops them (reason collected)", async () => {
    const removed: RemovalReason[] = [];
    const cache = new WeakCache<number, { i: number }>({
      max: 10,
      onRemove: (_k, _v, r) => removed.push(r),
    });
    const kept = { i: -1 };
    cache.set(-1, kept);
    for (let i = 0; i < 100; i++) {
      cache.set(i, { i });
      if (i % 10 === 9) await nextTask(); // below the per-job weak-tier limit: every eviction is kept
    }
    expect(cache.stats()).toMatchObject({ entries: 101, weakEntries: 91 });
    expect(await collectUntil(() => cache.stats().weakEntries === 1, 1000)).toBe(true);
    expect(cache.get(-1)).toBe(kept); // still held by the program: still a (weak) hit
    expect(removed).toEqual(Array(90).fill("collected")); // all but the one the program holds
    expect(cache.size).toBe(11);
  });

  it("per job, at most max new entries enter the weak tier (native provider)", async () => {
    const reasons: RemovalReason[] = [];
    const cache = new WeakCache<number, object>({
      max: 100,
      onRemove: (_k, _v, r) => reasons.push(r),
    });
    const values = Array.from({ length: 1000 }, () => ({}));
    for (let i = 0; i < 1000; i++) cache.set(i, values[i]!);
    expect(cache.stats()).toMatchObject({ entries: 200, weakEntries: 100, evictions: 900 });
    expect(reasons.length).toBe(800);
    await nextTask(); // a new job: the limit starts again
    for (let i = 1000; i < 1100; i++) cache.set(i, values[i - 1000]!);
    expect(cache.stats().weakEntries).toBe(200);
  });

  it("disposing a cache leaves no timer; its timers are unref'd and hold the cache weakly", async () => {
    const { clock, live, handles } = countingClock();
    const cache = new WeakCache<string, number>({ ttl: 60_000, clock });
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timeouts();
    cache.set("a", 1);
    expect(live.size).toBe(1);
    expect(handles[0]!.hasRef?.()).toBe(false); // never keeps the process alive
    expect(timeouts()).toBe(before);
    cache[Symbol.dispose]();
    expect(live.size).toBe(0);

    // A cache dropped without dispose is not kept alive by its pending purge timer.
    const ref = (() => {
      const dropped = new WeakCache<string, number>({ ttl: 60_000, clock });
      dropped.set("x", 1);
      return new WeakRef(dropped);
    })();
    expect(live.size).toBe(1);
    expect(await collectUntil(() => ref.deref() === undefined)).toBe(true);
  });

  it("a purge timer on the real clock fires and removes expired entries", async () => {
    const { clock, live } = countingClock();
    const removed: string[] = [];
    const cache = new WeakCache<string, number>({
      ttl: 1,
      clock,
      onRemove: (k) => removed.push(k),
    });
    cache.set("a", 1);
    // bounded wait for the 1 ms timer: yield to the event loop until it has run
    for (let i = 0; i < 1000 && removed.length === 0; i++) await nextTask();
    expect(removed).toEqual(["a"]);
    expect(live.size).toBe(0);
  });
});

describe("a V8 FinalizationRegistry bug this package does not trigger", () => {
  // In V8 (Node 20.20, 24.21), when a registry with collected targets is itself collected before its
  // cleanup task runs, no registry in the isolate gets cleanup callbacks afterwards. Dropping a
  // WeakValueMap, a WeakCache with a weak tier or a MemoryBudget that way must not cause it.
  async function dropWhileDirty(make: (hold: (x: object) => void) => void): Promise<boolean> {
    const holder: object[] = [];
    const probe: WeakRef<object>[] = [];
    make((x) => {
      holder.push(x);
      probe.push(new WeakRef(x));
    });
    await nextTask();
    gc(); // the held values are collected: the registries have cleanups pending
    holder.length = 0;
    gc(); // the containers themselves are collected before those cleanups ran
    expect(probe.every((r) => r.deref() === undefined)).toBe(true);
    await nextTask();
    const survivor = new WeakValueMap<number, object>();
    (() => {
      survivor.set(1, {});
    })();
    await nextTask();
    return collectUntil(() => survivor.size === 0);
  }

  it("a dropped WeakValueMap", async () => {
    const ok = await dropWhileDirty((hold) => {
      const map = new WeakValueMap<number, object>();
      map.set(1, {});
      hold(map);
    });
    expect(ok).toBe(true);
  });

  it("a dropped WeakCache with a weak tier", async () => {
    const ok = await dropWhileDirty((hold) => {
      const cache = new WeakCache<number, object>({ max: 1 });
      cache.set(1, {}).set(2, {});
      hold(cache);
    });
    expect(ok).toBe(true);
  });

  it("the guard is the same code as @heapwise/dispose's (a fix in one must reach the other)", () => {
    const strip = (path: string) =>
      readFileSync(join(import.meta.dirname, path), "utf8")
        .split("\n")
        .filter((line) => !line.startsWith("import ") && !line.includes("the owner ("))
        .join("\n");
    expect(strip("../src/internal/guarded-registry.ts")).toBe(
      strip("../../dispose/src/internal/guarded-registry.ts"),
    );
  });

  it("a dropped MemoryBudget with a dropped member", async () => {
    const ok = await dropWhileDirty((hold) => {
      const budget = new MemoryBudget({ maxBytes: 100 });
      (() => {
        new WeakCache<number, string>({ budget, sizeOf: (v) => v.length }).set(1, "x");
      })();
      hold(budget);
    });
    expect(ok).toBe(true);
  });
});
