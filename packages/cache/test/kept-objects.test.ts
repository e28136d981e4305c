/**
 * The ECMA-262 rule the README explains: a WeakRef target created or deref()'d in the current job
 * is kept alive until the job ends (AddToKeptObjects / ClearKeptObjects), even across gc().
 */
import { describe, expect, it } from "vitest";
import { WeakCache, WeakValueMap } from "../src/index.ts";
import { collectUntil, gc, nextTask } from "./helpers.ts";

describe("kept alive until the end of the job", () => {
  it("a plain WeakRef: created in this job, its target survives gc() until the job ends", async () => {
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ big: new Uint8Array(1_000_000) });
    })();
    gc();
    expect(ref!.deref() !== undefined).toBe(true); // same job: kept
    await nextTask(); // the job ends; the engine clears its kept objects
    gc();
    expect(ref!.deref() === undefined).toBe(true);
  });

  it("WeakValueMap: get right after the last reference is dropped still returns the value", async () => {
    const map = new WeakValueMap<string, { big: Uint8Array }>();
    (() => {
      map.set("a", { big: new Uint8Array(1_000_000) });
    })();
    gc();
    expect(map.get("a") !== undefined).toBe(true); // nobody holds it, yet: same job
    await nextTask();
    gc();
    expect(map.get("a") === undefined).toBe(true); // collected: get never returns it again
    expect(await collectUntil(() => map.size === 0)).toBe(true); // the finalizer updates size
  });

  it("deref() in a later job keeps the value for that job too", async () => {
    const map = new WeakValueMap<string, object>();
    (() => {
      map.set("a", {});
    })();
    await nextTask();
    expect(map.get("a") !== undefined).toBe(true); // still alive (no gc yet); this get derefs it
    gc();
    expect(map.get("a") !== undefined).toBe(true); // kept by the deref above until the job ends
    await nextTask();
    gc();
    expect(map.get("a") === undefined).toBe(true);
  });

  it("WeakCache: an evicted value in the weak tier is collectable only after the job", async () => {
    const cache = new WeakCache<string, object>({ max: 1 });
    (() => {
      cache.set("a", {});
      cache.set("b", {}); // a → weak tier: its new WeakRef keeps it until the job ends
    })();
    gc();
    expect(cache.peek("a") !== undefined).toBe(true);
    await nextTask();
    gc();
    expect(cache.peek("a") === undefined).toBe(true);
    expect(await collectUntil(() => cache.stats().collected === 1)).toBe(true);
  });
});
