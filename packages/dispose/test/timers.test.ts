/**
 * timeout / interval: cleared on dispose, on abort; nothing left in the event loop. Timing is
 * driven by a fake TimerFunctions, never by sleeping.
 */
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { interval, type TimerFunctions, timeout } from "../src/index.ts";

/** A manual clock implementing TimerFunctions. */
function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; every?: number; callback: () => void }>();
  const timers: TimerFunctions = {
    setTimeout: (callback, ms) => {
      const id = nextId++;
      pending.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout: (id) => void pending.delete(id as number),
    setInterval: (callback, ms) => {
      const id = nextId++;
      pending.set(id, { at: now + ms, every: ms, callback });
      return id;
    },
    clearInterval: (id) => void pending.delete(id as number),
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...pending.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, t] = due;
      now = t.at;
      if (t.every) t.at += t.every;
      else pending.delete(id);
      t.callback();
    }
    now = end;
  };
  return { timers, advance, pending };
}

const activeTimeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("timeout", () => {
  it("fires once, then is inactive; disposing before clears it", () => {
    const { timers, advance, pending } = fakeTimers();
    let fired = 0;
    const t = timeout(100, () => fired++, { timers });
    expect(t.active).toBe(true);
    advance(99);
    expect(fired).toBe(0);
    advance(1);
    expect(fired).toBe(1);
    expect(t.active).toBe(false);
    expect(t.disposed).toBe(false);
    const u = timeout(100, () => fired++, { timers });
    u[Symbol.dispose]();
    u[Symbol.dispose]();
    expect(u.disposed).toBe(true);
    advance(1000);
    expect(fired).toBe(1);
    expect(pending.size).toBe(0);
  });

  it("a real timer is gone from the event loop when disposed", () => {
    const before = activeTimeouts();
    {
      using _t = timeout(60_000, () => {});
      expect(activeTimeouts()).toBe(before + 1);
    }
    expect(activeTimeouts()).toBe(before);
  });

  it("an abort signal clears it and its listener goes away", () => {
    const { timers, advance } = fakeTimers();
    const controller = new AbortController();
    let fired = false;
    const t = timeout(10, () => (fired = true), { timers, signal: controller.signal });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    expect(t.active).toBe(false);
    advance(100);
    expect(fired).toBe(false);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    // and after a normal fire, the listener is removed too
    const c2 = new AbortController();
    timeout(5, () => {}, { timers, signal: c2.signal });
    advance(5);
    expect(getEventListeners(c2.signal, "abort")).toHaveLength(0);
    // an already-aborted signal: never scheduled
    const t3 = timeout(5, () => (fired = true), { timers, signal: AbortSignal.abort() });
    expect(t3.active).toBe(false);
    advance(10);
    expect(fired).toBe(false);
  });

  it("validates its input with errors that name the value", () => {
    expect(() => timeout(-1, () => {})).toThrow(RangeError);
    expect(() => timeout(-1, () => {})).toThrow(/got -1/);
    expect(() => timeout(Number.NaN, () => {})).toThrow(/got NaN/);
    expect(() => timeout(1, "x" as never)).toThrow(/callback must be a function, got "x"/);
    expect(() => timeout(1, () => {}, { signal: {} as never })).toThrow(/AbortSignal/);
    expect(() => timeout(1, () => {}, { timers: {} as never })).toThrow(/timers.setTimeout/);
  });

  it("a dropped, undisposed handle can be collected (the timer does not hold it)", async () => {
    const { timers } = fakeTimers();
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef(timeout(1000, () => {}, { timers }));
    })();
    await new Promise((r) => setTimeout(r, 0));
    globalThis.gc!();
    expect(ref!.deref()).toBeUndefined();
  });
});

describe("interval", () => {
  it("repeats until disposed", () => {
    const { timers, advance, pending } = fakeTimers();
    let ticks = 0;
    const i = interval(10, () => ticks++, { timers });
    advance(35);
    expect(ticks).toBe(3);
    expect(i.active).toBe(true);
    i[Symbol.dispose]();
    advance(100);
    expect(ticks).toBe(3);
    expect(pending.size).toBe(0);
  });

  it("unref: true does not keep the process alive (real timer)", () => {
    using i = interval(60_000, () => {}, { unref: true });
    expect(i.active).toBe(true);
  });
});
