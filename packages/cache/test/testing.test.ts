import { describe, expect, it } from "vitest";
import { ManualClock, TestWeakProvider } from "../src/testing.ts";

describe("TestWeakProvider", () => {
  it("derefs until collected, then queues cleanups in order; unregister cancels", () => {
    const gc = new TestWeakProvider();
    const ran: string[] = [];
    const registry = gc.finalizationRegistry<string>((held) => ran.push(held));
    const a = {};
    const b = {};
    const token = {};
    const ref = gc.weakRef(a);
    registry.register(a, "a1");
    registry.register(a, "a2", token);
    registry.register(b, "b1");
    expect(gc.liveRegistrations).toBe(3);
    expect(ref.deref()).toBe(a);
    gc.collect(a);
    gc.collect(a); // twice: nothing more
    expect(ref.deref()).toBeUndefined();
    expect(gc.isCollected(a)).toBe(true);
    expect(gc.pendingFinalizers).toBe(2);
    expect(registry.unregister(token)).toBe(true);
    expect(registry.unregister(token)).toBe(false);
    expect(gc.runFinalizers()).toBe(1);
    expect(ran).toEqual(["a1"]);
    registry.register(a, "late"); // a target already collected: nothing to do
    gc.collect(b);
    expect(gc.runFinalizers()).toBe(1);
    expect(ran).toEqual(["a1", "b1"]);
  });

  it("autoFinalize runs cleanups inside collect()", () => {
    const gc = new TestWeakProvider({ autoFinalize: true });
    const ran: number[] = [];
    const registry = gc.finalizationRegistry<number>((n) => ran.push(n));
    const a = {};
    registry.register(a, 1);
    gc.collect(a);
    expect(ran).toEqual([1]);
  });

  it("follows the FinalizationRegistry argument rules", () => {
    const gc = new TestWeakProvider();
    const registry = gc.finalizationRegistry(() => {});
    const a = {};
    expect(() => registry.register(1 as never, "x")).toThrow(TypeError);
    expect(() => registry.register(a, a)).toThrow(/held value must not be the target/);
    expect(() => registry.register(a, 1, 5 as never)).toThrow(TypeError);
    expect(() => registry.unregister(5 as never)).toThrow(TypeError);
    expect(() => gc.weakRef(3 as never)).toThrow(TypeError);
    expect(() => gc.collect(3 as never)).toThrow(TypeError);
    expect(() => gc.finalizationRegistry(3 as never)).toThrow(TypeError);
    expect(() => new TestWeakProvider({ autoFinalize: 1 as never })).toThrow(TypeError);
  });
});

describe("ManualClock", () => {
  it("runs due timers in time order with now() at their time, including ones they schedule", () => {
    const clock = new ManualClock(1000);
    const seen: [string, number][] = [];
    clock.setTimeout(() => seen.push(["b", clock.now()]), 20);
    clock.setTimeout(() => {
      seen.push(["a", clock.now()]);
      clock.setTimeout(() => seen.push(["c", clock.now()]), 5);
    }, 10);
    const cancelled = clock.setTimeout(() => seen.push(["x", clock.now()]), 1);
    clock.clearTimeout(cancelled);
    expect(clock.pendingTimers).toBe(2);
    expect(clock.advance(30)).toBe(3);
    expect(seen).toEqual([
      ["a", 1010],
      ["c", 1015],
      ["b", 1020],
    ]);
    expect(clock.now()).toBe(1030);
    expect(clock.pendingTimers).toBe(0);
  });

  it("validates its input", () => {
    expect(() => new ManualClock(Number.NaN)).toThrow(RangeError);
    const clock = new ManualClock();
    expect(() => clock.advance(-1)).toThrow(/advance needs a finite number of ms >= 0, got -1/);
    expect(() => clock.setTimeout(1 as never, 1)).toThrow(TypeError);
    expect(() => clock.setTimeout(() => {}, "1" as never)).toThrow(TypeError);
  });
});
