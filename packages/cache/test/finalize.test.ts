import { describe, expect, it } from "vitest";
import { Finalizer, finalize } from "../src/index.ts";
import { TestWeakProvider } from "../src/testing.ts";
import { collectUntil } from "./helpers.ts";

describe("finalize (Python weakref.finalize)", () => {
  it("runs the callback with its args once the target is collected, at most once", () => {
    const gc = new TestWeakProvider();
    const calls: unknown[] = [];
    const target = {};
    const f = new Finalizer(target, (a: number, b: string) => calls.push([a, b]), {
      args: [1, "x"],
      weakProvider: gc,
    });
    expect(f.alive).toBe(true);
    gc.collect(target);
    expect(f.alive).toBe(true); // the cleanup has not run yet
    expect(f.peek()).toBeUndefined(); // but the target is gone
    gc.runFinalizers();
    expect(calls).toEqual([[1, "x"]]);
    expect(f.alive).toBe(false);
    expect(f.call()).toBeUndefined(); // at most once
    expect(calls).toHaveLength(1);
  });

  it("call() runs it early and returns its result; the collection then runs nothing", () => {
    const gc = new TestWeakProvider();
    let runs = 0;
    const target = {};
    const f = new Finalizer(target, () => ++runs, { weakProvider: gc });
    expect(f.call()).toBe(1);
    expect(f.alive).toBe(false);
    gc.collect(target);
    expect(gc.runFinalizers()).toBe(0);
    expect(runs).toBe(1);
  });

  it("detach() cancels it and returns what it held; peek() shows it without cancelling", () => {
    const gc = new TestWeakProvider();
    const target = {};
    const callback = (n: number) => n;
    const f = new Finalizer(target, callback, { args: [5], weakProvider: gc });
    expect(f.peek()).toEqual({ target, callback, args: [5] });
    expect(f.alive).toBe(true);
    expect(f.detach()).toEqual({ target, callback, args: [5] });
    expect(f.alive).toBe(false);
    expect(f.detach()).toBeUndefined();
    expect(f.peek()).toBeUndefined();
    gc.collect(target);
    expect(gc.runFinalizers()).toBe(0);
  });

  it("detach() of a collected target changes nothing: the callback still runs", () => {
    const gc = new TestWeakProvider();
    const target = {};
    let ran = false;
    const f = new Finalizer(target, () => (ran = true), { weakProvider: gc });
    gc.collect(target);
    expect(f.detach()).toBeUndefined();
    gc.runFinalizers();
    expect(ran).toBe(true);
  });

  it("disposing runs it now (using)", () => {
    const gc = new TestWeakProvider();
    let ran = 0;
    {
      using _f = new Finalizer({}, () => ran++, { weakProvider: gc });
    }
    expect(ran).toBe(1);
  });

  it("finalize(target, callback, ...args) runs after real garbage collection", async () => {
    let got: unknown;
    let f: Finalizer<[string], void> | undefined;
    (() => {
      f = finalize(
        { big: new Uint8Array(1000) },
        (tag: string) => {
          got = tag;
        },
        "closed",
      );
    })();
    expect(await collectUntil(() => got !== undefined)).toBe(true);
    expect(got).toBe("closed");
    expect(f!.alive).toBe(false);
    expect(Object.prototype.toString.call(f)).toBe("[object Finalizer]");
  });

  it("refuses bad input, and a callback or argument that is the target itself", () => {
    const target = {};
    expect(() => finalize(1 as never, () => {})).toThrow(
      /target must be an object or function .*got 1/,
    );
    expect(() => finalize(target, "x" as never)).toThrow(/callback must be a function, got "x"/);
    expect(() => finalize(target, (_t: object) => {}, target)).toThrow(
      /must not reference the target/,
    );
    const fn = () => {};
    expect(() => finalize(fn, fn)).toThrow(/must not reference the target/);
    expect(() => new Finalizer(target, () => {}, { args: 3 as never })).toThrow(
      /args must be an array, got 3/,
    );
    expect(() => new Finalizer(target, () => {}, { weakProvider: 2 as never })).toThrow(TypeError);
    expect(() => new Finalizer(target, () => {}, { atexit: true } as never)).toThrow(
      /unknown option "atexit"/,
    );
  });
});
