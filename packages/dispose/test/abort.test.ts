/**
 * abortScope(): aborts with a reason on dispose; parent and timeout linked without leaks.
 */
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { abortScope, type TimerFunctions } from "../src/index.ts";

function manualTimers() {
  const callbacks = new Map<number, () => void>();
  let id = 0;
  const timers: TimerFunctions = {
    setTimeout: (cb) => {
      callbacks.set(++id, cb);
      return id;
    },
    clearTimeout: (h) => void callbacks.delete(h as number),
    setInterval: () => {
      throw new Error("unused");
    },
    clearInterval: () => {},
  };
  const fireAll = () => {
    for (const cb of [...callbacks.values()]) cb();
  };
  return { timers, fireAll, callbacks };
}

describe("abortScope", () => {
  it("aborts on dispose with an AbortError DOMException, or the given reason", () => {
    let signal: AbortSignal;
    {
      using scope = abortScope();
      signal = scope.signal;
      expect(signal.aborted).toBe(false);
    }
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(DOMException);
    expect((signal.reason as DOMException).name).toBe("AbortError");
    const custom = new Error("shutting down");
    const s2 = abortScope({ reason: custom });
    s2[Symbol.dispose]();
    expect(s2.signal.reason).toBe(custom);
    expect(s2.disposed).toBe(true);
  });

  it("follows a parent signal, and removes its listener from the parent on dispose", () => {
    const parent = new AbortController();
    const a = abortScope({ signal: parent.signal });
    const b = abortScope({ signal: parent.signal });
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(2);
    b[Symbol.dispose]();
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(1);
    parent.abort("parent reason");
    expect(a.signal.reason).toBe("parent reason");
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
    const c = abortScope({ signal: AbortSignal.abort("early") });
    expect(c.signal.reason).toBe("early");
  });

  it("many scopes on one long-lived parent leave no listeners behind", () => {
    const parent = new AbortController();
    for (let i = 0; i < 1000; i++) {
      using _scope = abortScope({ signal: parent.signal });
    }
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
  });

  it("times out with a TimeoutError; the timer is cleared on dispose", () => {
    const { timers, fireAll, callbacks } = manualTimers();
    const s = abortScope({ timeout: 50, timers });
    expect(callbacks.size).toBe(1);
    fireAll();
    expect((s.signal.reason as DOMException).name).toBe("TimeoutError");
    const t = abortScope({ timeout: 50, timers });
    t[Symbol.dispose]();
    expect(callbacks.size).toBe(1); // only the fired one's entry, cleared ones are gone
    expect((t.signal.reason as DOMException).name).toBe("AbortError");
  });

  it("abort() aborts now and is idempotent; input is validated", () => {
    const s = abortScope();
    s.abort("first");
    s.abort("second");
    expect(s.signal.reason).toBe("first");
    expect(() => abortScope({ timeout: -5 })).toThrow(/got -5/);
    expect(() => abortScope({ signal: 1 as never })).toThrow(/AbortSignal/);
  });
});
