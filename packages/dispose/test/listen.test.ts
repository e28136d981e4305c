/**
 * listen(): EventEmitter and EventTarget listeners removed on dispose; none left behind.
 */
import { EventEmitter, getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { listen } from "../src/index.ts";

describe("listen on an EventEmitter", () => {
  it("adds the handler itself and removes it on dispose", () => {
    const emitter = new EventEmitter();
    const seen: unknown[] = [];
    const handler = (a: unknown, b: unknown) => seen.push([a, b]);
    {
      using l = listen(emitter, "data", handler);
      expect(emitter.listeners("data")).toEqual([handler]);
      emitter.emit("data", 1, 2);
      expect(l.active).toBe(true);
    }
    expect(emitter.listenerCount("data")).toBe(0);
    emitter.emit("data", 3, 4);
    expect(seen).toEqual([[1, 2]]);
  });

  it("once: fires once, removes itself, and dispose after that is harmless", () => {
    const emitter = new EventEmitter();
    let calls = 0;
    const l = listen(emitter, "x", () => calls++, { once: true });
    emitter.emit("x");
    emitter.emit("x");
    expect(calls).toBe(1);
    expect(l.active).toBe(false);
    expect(emitter.listenerCount("x")).toBe(0);
    l[Symbol.dispose]();
    expect(l.disposed).toBe(true);
  });

  it("works with symbol event names and addListener/removeListener-only emitters", () => {
    const calls: string[] = [];
    const listeners = new Set<() => void>();
    const minimal = {
      addListener: (_t: string | symbol, f: () => void) => listeners.add(f),
      removeListener: (_t: string | symbol, f: () => void) => listeners.delete(f),
    };
    const sym = Symbol("evt");
    const l = listen(minimal, sym, () => calls.push("called"));
    expect(listeners.size).toBe(1);
    for (const f of listeners) f();
    l[Symbol.dispose]();
    expect(listeners.size).toBe(0);
    expect(calls).toEqual(["called"]);
  });

  it("an abort signal removes the listener, and its own abort listener goes too", () => {
    const emitter = new EventEmitter();
    const controller = new AbortController();
    const l = listen(emitter, "x", () => {}, { signal: controller.signal });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    expect(emitter.listenerCount("x")).toBe(0);
    expect(l.active).toBe(false);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    const c2 = new AbortController();
    const l2 = listen(emitter, "y", () => {}, { signal: c2.signal });
    l2[Symbol.dispose]();
    expect(getEventListeners(c2.signal, "abort")).toHaveLength(0);
    const l3 = listen(emitter, "z", () => {}, { signal: AbortSignal.abort() });
    expect(l3.active).toBe(false);
    expect(emitter.listenerCount("z")).toBe(0);
  });
});

describe("listen on an EventTarget", () => {
  it("removes with the same capture flag", () => {
    const target = new EventTarget();
    let calls = 0;
    {
      using _l = listen(target, "ping", () => calls++, { capture: true });
      expect(getEventListeners(target, "ping")).toHaveLength(1);
      target.dispatchEvent(new Event("ping"));
    }
    expect(getEventListeners(target, "ping")).toHaveLength(0);
    target.dispatchEvent(new Event("ping"));
    expect(calls).toBe(1);
  });

  it("once and signal work as with emitters", () => {
    const target = new EventTarget();
    let calls = 0;
    const l = listen(target, "ping", () => calls++, { once: true });
    target.dispatchEvent(new Event("ping"));
    target.dispatchEvent(new Event("ping"));
    expect(calls).toBe(1);
    expect(l.active).toBe(false);
    expect(getEventListeners(target, "ping")).toHaveLength(0);
  });

  it("validates its input", () => {
    expect(() => listen(null as never, "x", () => {})).toThrow(/got null/);
    expect(() => listen({} as never, "x", () => {})).toThrow(/EventTarget.*or an EventEmitter/);
    expect(() => listen(new EventTarget(), Symbol("s"), () => {})).toThrow(/must be a string/);
    expect(() => listen(new EventEmitter(), "x", 5 as never)).toThrow(/got 5/);
  });

  it("a dropped, undisposed handle can be collected (the target holds only the handler)", async () => {
    const emitter = new EventEmitter();
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef(listen(emitter, "x", () => {}));
    })();
    await new Promise((r) => setTimeout(r, 0));
    globalThis.gc!();
    expect(ref!.deref()).toBeUndefined();
    expect(emitter.listenerCount("x")).toBe(1); // still registered: that is the leak it reports
  });
});
