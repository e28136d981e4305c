/**
 * A V8 bug (Node 20.20 and 24.21): when a FinalizationRegistry whose targets died is itself
 * collected before its cleanup task runs, no FinalizationRegistry in the process gets a cleanup
 * again. The leak tracker's registry is guarded (kept reachable while registrations are pending),
 * so dropping a stopped tracker cannot switch off finalization for everyone. Its own file: when the
 * guard is missing, the bug poisons the whole process.
 */
import { setImmediate as tick } from "node:timers/promises";
import { expect, it } from "vitest";
import { trackLeaks, trackResource } from "../src/index.ts";

const gc = (globalThis as { gc?: () => void }).gc!;

it("a dropped tracker with cleanups pending leaves other registries working", async () => {
  let tracker: ReturnType<typeof trackLeaks> | undefined = trackLeaks({ onLeak: () => {} });
  (() => trackResource({}, "short-lived"))();
  await tick();
  gc(); // the resource dies: a cleanup task is posted for the tracker's registry
  tracker.stop();
  tracker = undefined;
  gc(); // the tracker goes before that task runs

  let cleanups = 0;
  const registry = new FinalizationRegistry(() => cleanups++);
  (() => {
    for (let i = 0; i < 10; i++) registry.register({}, i);
  })();
  for (let i = 0; i < 100 && cleanups === 0; i++) {
    await tick();
    gc();
  }
  expect(cleanups).toBeGreaterThan(0);
});
