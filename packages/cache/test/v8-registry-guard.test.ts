/**
 * A V8 bug (Node 20.20 and 24.21): when a FinalizationRegistry whose targets died is itself
 * collected before its cleanup task runs, no FinalizationRegistry in the process gets a cleanup
 * again. The registries of WeakValueMap and of WeakCache's weak tier are guarded (kept reachable
 * while registrations are pending), so dropping a map or a cache cannot switch off finalization for
 * everyone. Its own file: when the guard is missing, the bug poisons the whole process.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setImmediate as tick } from "node:timers/promises";
import { expect, it } from "vitest";
import { WeakCache, WeakValueMap } from "../src/index.ts";

const gc = (globalThis as { gc?: () => void }).gc!;

async function finalizationStillWorks(): Promise<boolean> {
  let cleanups = 0;
  const registry = new FinalizationRegistry(() => cleanups++);
  (() => {
    for (let i = 0; i < 10; i++) registry.register({}, i);
  })();
  for (let i = 0; i < 100 && cleanups === 0; i++) {
    await tick();
    gc();
  }
  return cleanups > 0;
}

it("a dropped map and a dropped cache with cleanups pending leave other registries working", async () => {
  let map: WeakValueMap<string, object> | undefined = new WeakValueMap();
  let cache: WeakCache<string, object> | undefined = new WeakCache({ max: 1 });
  (() => {
    map.set("a", {});
    cache.set("a", {}).set("b", {}); // "a" goes to the weak tier
  })();
  await tick(); // the map's values become weak at the job's checkpoint
  gc(); // the values die: cleanup tasks are posted for both registries
  map = undefined;
  cache = undefined;
  gc(); // the map and the cache go before those tasks run
  expect(await finalizationStillWorks()).toBe(true);
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
