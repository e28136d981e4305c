/** Resource hygiene, run with --expose-gc: nothing retained, no listener or timer left behind. */
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import {
  abortable,
  buffer,
  chunks,
  filter,
  map,
  mapConcurrent,
  merge,
  pipe,
  take,
  toArray,
} from "../src/index.ts";
import { asyncSource, deferred, newLog, settle, syncSource } from "./helpers.ts";

const gc = (globalThis as { gc?: () => void }).gc;

async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let k = 0; k < 100 && ref.deref() !== undefined; k++) {
    await settle(1);
    gc!();
  }
  return ref.deref() === undefined;
}

describe("hygiene", () => {
  it("runs with --expose-gc", () => {
    expect(typeof gc).toBe("function");
  });

  it("a stopped pipeline drops its source and the values it held", async () => {
    let ref!: WeakRef<object>;
    await (async () => {
      const big = { payload: new Array(1000).fill(1) };
      ref = new WeakRef(big);
      const src = asyncSource([big, { payload: [] }]);
      const s = pipe(
        src,
        map((x) => x),
        chunks(2),
        buffer(2),
      );
      for await (const _ of s) break;
      // the stream object itself stays reachable here, but no longer holds the source or chunk
      expect(src.log.returns).toBe(1);
      (globalThis as { keep?: unknown }).keep = s;
    })();
    expect(await collected(ref)).toBe(true);
    delete (globalThis as { keep?: unknown }).keep;
  });

  it("abort listeners are removed when a stream ends, is stopped, or is aborted", async () => {
    const c = new AbortController();
    const s1 = pipe(
      asyncSource([1, 2, 3]),
      abortable(c.signal),
      mapConcurrent(async (x) => x, { concurrency: 2, signal: c.signal }),
      buffer(2, { signal: c.signal }),
    );
    expect(await pipe(s1, toArray())).toEqual([1, 2, 3]);
    expect(getEventListeners(c.signal, "abort")).toHaveLength(0);

    const s2 = merge(asyncSource([1, 2]), asyncSource([3]), { signal: c.signal });
    for await (const _ of s2) break;
    expect(getEventListeners(c.signal, "abort")).toHaveLength(0);

    const log = newLog();
    const gate = deferred<void>();
    const s3 = pipe(
      asyncSource([1, 2, 3], log, -1, () => gate.promise),
      abortable(c.signal),
    );
    const pending = s3.next();
    expect(getEventListeners(c.signal, "abort")).toHaveLength(1);
    c.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    await settle();
    expect(log.returns).toBe(1);
    expect(getEventListeners(c.signal, "abort")).toHaveLength(0);
    expect(await s3.next()).toEqual({ value: undefined, done: true });
    gate.resolve();
  });

  it("an already-aborted signal rejects the first next() without pulling", async () => {
    const c = new AbortController();
    c.abort(new Error("early"));
    const log = newLog();
    const s = pipe(
      asyncSource([1], log),
      mapConcurrent(async (x) => x, { concurrency: 1, signal: c.signal }),
    );
    await expect(s.next()).rejects.toThrow("early");
    expect(log.pulls).toBe(0);
    expect(getEventListeners(c.signal, "abort")).toHaveLength(0);
  });

  it("no timers are left: nothing pending after streams stop", async () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    await settle();
    // At most as many as before: a timer of the runner's may end meanwhile (seen on CI), ours must
    // not be added.
    const before = timeouts();
    const s = pipe(
      asyncSource(Array.from({ length: 50 }, (_, i) => i)),
      mapConcurrent(async (x) => x, { concurrency: 4 }),
      filter((x) => x % 2 === 0),
      buffer(3),
      take(5),
    );
    expect(await pipe(s, toArray())).toEqual([0, 2, 4, 6, 8]);
    await settle();
    expect(timeouts()).toBeLessThanOrEqual(before);
  });

  it("using / await using dispose streams and close their sources", async () => {
    const a = syncSource([1, 2, 3]);
    {
      using s = pipe(
        a,
        map((x) => x),
      );
      s.next();
    }
    expect(a.log.returns).toBe(1);
    const b = asyncSource([1, 2, 3]);
    {
      await using s = pipe(
        b,
        mapConcurrent(async (x) => x, { concurrency: 2 }),
      );
      await s.next();
    }
    expect(b.log.returns).toBe(1);
  });
});
