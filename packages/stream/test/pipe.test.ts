import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type AsyncStream,
  abortable,
  buffer,
  chunks,
  concat,
  drop,
  enumerate,
  filter,
  flatMap,
  groupBy,
  map,
  mapConcurrent,
  merge,
  pipe,
  reduce,
  type Stream,
  scan,
  take,
  takeWhile,
  tee,
  toArray,
  windows,
  zip,
} from "../src/index.ts";
import { asyncSource, collect, newLog, syncSource } from "./helpers.ts";

describe("pipe: types are inferred through the chain", () => {
  it("sync in gives sync out; async in, or an async-only stage, gives async out", async () => {
    const a = pipe(
      [1, 2, 3],
      map((x) => x * 2),
      filter((x) => x > 2),
      reduce((s, x) => s + x, 0),
    );
    expectTypeOf(a).toEqualTypeOf<number>();
    const b = pipe(
      ["a", "bb"],
      map((s) => s.length),
      chunks(2),
    );
    expectTypeOf(b).toEqualTypeOf<Stream<number[]>>();
    const c = pipe(
      asyncSource([1, 2]),
      map((x) => `${x}`),
    );
    expectTypeOf(c).toEqualTypeOf<AsyncStream<string>>();
    const d = pipe(
      [1, 2],
      mapConcurrent(async (x) => x > 1, { concurrency: 2 }),
      toArray(),
    );
    expectTypeOf(d).toEqualTypeOf<Promise<boolean[]>>();
    const e = pipe([1, 2], tee(2));
    expectTypeOf(e).toEqualTypeOf<Stream<number>[]>();
    const f = pipe(
      [1, "x"] as (number | string)[],
      filter((x): x is string => typeof x === "string"),
    );
    expectTypeOf(f).toEqualTypeOf<Stream<string>>();
    expect(a).toBe(10);
    expect([...b]).toEqual([[1, 2]]);
    expect(await collect(c)).toEqual(["1", "2"]);
    expect(await d).toEqual([false, true]);
    expect(e.map((s) => [...s])).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect([...f]).toEqual(["x"]);
  });

  it("each operator also works on its own", async () => {
    expect([...map((x: number) => x + 1)([1, 2])]).toEqual([2, 3]);
    expect(reduce((s: number, x: number) => s + x, 0)([1, 2, 3])).toBe(6);
    expect(await reduce((s: number, x: number) => s + x, 0)(asyncSource([1, 2, 3]))).toBe(6);
    expect(await collect(buffer<number>(2)([1, 2, 3]))).toEqual([1, 2, 3]);
  });
});

describe("pipe: input validation names the bad value", () => {
  it("rejects non-iterables, non-stages, misplaced terminals and bad arguments", () => {
    expect(() => pipe(42 as never)).toThrow(
      new TypeError("pipe: source must be an Iterable or an AsyncIterable, got 42"),
    );
    expect(() => pipe([1], (() => 1) as never)).toThrow(/stage 1 must be a stage .* got function/);
    expect(() => pipe([1], toArray() as never, map((x) => x) as never)).toThrow(
      /toArray\(\) ends a pipeline/,
    );
    expect(() => chunks(0)).toThrow(new RangeError("chunks: size must be an integer ≥ 1, got 0"));
    expect(() => windows(2.5)).toThrow(RangeError);
    expect(() => windows(2, "sometimes" as never)).toThrow(/undersized/);
    expect(() => take(-3)).toThrow(
      new RangeError("take: count must be a non-negative integer or Infinity, got -3"),
    );
    expect(() => drop(Number.NaN)).toThrow(RangeError);
    expect(() => take("3" as never)).toThrow(
      new TypeError('take: count must be a number, got "3"'),
    );
    expect(() => map(3 as never)).toThrow(new TypeError("map: fn must be a function, got 3"));
    expect(() => filter(undefined as never)).toThrow(/predicate must be a function, got undefined/);
    expect(() => mapConcurrent(async (x) => x, { concurrency: 0 })).toThrow(
      /concurrency must be an integer ≥ 1/,
    );
    expect(() => mapConcurrent(async (x) => x, { concurrency: 4, highWaterMark: 2 })).toThrow(
      /highWaterMark must be ≥ concurrency \(4\), got 2/,
    );
    expect(() => mapConcurrent(async (x) => x, undefined as never)).toThrow(TypeError);
    expect(() => buffer(0)).toThrow(RangeError);
    expect(() => abortable({} as never)).toThrow(/signal must be an AbortSignal/);
    expect(() => tee(0)).toThrow(RangeError);
    expect(() => zip([1], 5 as never)).toThrow(/source 2 must be an Iterable/);
    expect(() => merge([1], null as never)).toThrow(/source 2 must be an Iterable/);
    expect(() => concat({} as never)).toThrow(/source 1/);
    expect(() => enumerate(1.5)).toThrow(RangeError);
  });

  it("flatMap rejects a callback that returns a string or a non-iterable, and closes the source", () => {
    const src = syncSource([1, 2]);
    expect(() => [
      ...pipe(
        src,
        flatMap(() => "ab" as never),
      ),
    ]).toThrow(/must return an iterable object, got "ab"/);
    expect(src.log.returns).toBe(1);
  });
});

describe("fusion keeps the iterator semantics", () => {
  it("take(n) closes the source as soon as the n-th element is pulled, before the consumer asks again", () => {
    const src = syncSource([1, 2, 3, 4, 5]);
    const s = pipe(
      src,
      map((x) => x * 2),
      take(2),
    );
    expect(s.next()).toEqual({ value: 2, done: false });
    expect(src.log.returns).toBe(0);
    expect(s.next()).toEqual({ value: 4, done: false });
    expect(src.log.returns).toBe(1);
    expect(src.log.pulls).toBe(2);
    expect(s.next()).toEqual({ value: undefined, done: true });
    expect(src.log.pulls).toBe(2);
  });

  it("take(0) pulls nothing; return() before the first next() closes an iterator source", () => {
    const a = syncSource([1]);
    expect([...pipe(a, take(0))]).toEqual([]);
    expect(a.log.pulls).toBe(0);
    expect(a.log.returns).toBe(1);
    const b = syncSource([1]);
    pipe(
      b,
      map((x) => x),
    ).return();
    expect(b.log.returns).toBe(1);
  });

  it("a throwing callback closes the source; a throwing source is not closed", () => {
    const a = syncSource([1, 2, 3]);
    expect(() =>
      pipe(
        a,
        map((x) => {
          if (x === 2) throw new Error("boom");
          return x;
        }),
        toArray(),
      ),
    ).toThrow("boom");
    expect(a.log.returns).toBe(1);
    const b = syncSource([1, 2, 3], newLog(), 1);
    expect(() => [
      ...pipe(
        b,
        map((x) => x),
      ),
    ]).toThrow("source failed at 1");
    expect(b.log.returns).toBe(0);
  });

  it("flushing stages deliver their partial state after a stop upstream", () => {
    expect([...pipe([1, 2, 3, 4, 5], take(3), chunks(2))]).toEqual([[1, 2], [3]]);
    expect([
      ...pipe(
        [1, 2, 3],
        scan((a, x) => a + x, 10),
        windows(5, "allow-partial"),
      ),
    ]).toEqual([[11, 13, 16]]);
  });

  it("a stop that arrives as a promise is seen by the stages that flush at the end", async () => {
    // found by the property test: groupBy flushed its last run into a takeWhile that had stopped
    const got = await collect(
      pipe(
        asyncSource([0, 1]),
        groupBy(async (x) => x % 2),
        map(([k, g]) => k * 100 + g.length),
        scan(async (acc, x) => acc - x, 1),
        takeWhile(async (x) => x < 0),
      ),
    );
    expect(got).toEqual([]);
    let calls = 0;
    const out = await pipe(
      asyncSource([1, 2, 3]),
      chunks(2),
      map(async (c) => {
        calls++;
        return c;
      }),
      take(1),
      toArray(),
    );
    expect(out).toEqual([[1, 2]]);
    expect(calls).toBe(1); // the partial chunk [3] is not pushed after the stop
  });

  it("flatMap pulls inner iterables lazily in a stream (an infinite inner is fine)", () => {
    function* naturals() {
      for (let i = 0; ; i++) yield i;
    }
    const log = newLog();
    expect([
      ...pipe(
        syncSource([1, 2], log),
        flatMap(() => naturals()),
        take(3),
      ),
    ]).toEqual([0, 1, 2]);
    expect(
      pipe(
        [1, 2],
        flatMap(() => naturals()),
        take(4),
        toArray(),
      ),
    ).toEqual([0, 1, 2, 3]);
    expect(log.returns).toBe(1);
  });

  it("overlapping async next() calls are served in order", async () => {
    const s = pipe(
      asyncSource([1, 2, 3]),
      map(async (x) => x * 2),
    );
    const rs = await Promise.all([s.next(), s.next(), s.next(), s.next()]);
    expect(rs.map((r) => r.value)).toEqual([2, 4, 6, undefined]);
  });
});

describe("tee, zip, concat", () => {
  it("tee: branches see every element; a branch too far ahead gets a RangeError", async () => {
    const [a, b] = pipe([1, 2, 3, 4], tee(2, { bufferSize: 2 }));
    expect(a!.next().value).toBe(1);
    expect(a!.next().value).toBe(2);
    expect(() => a!.next()).toThrow(
      /branch 0 would run more than bufferSize \(2\) elements ahead of branch 1/,
    );
    expect(b!.next().value).toBe(1); // the lagging branch catches up
    expect(a!.next().value).toBe(3); // and the leading one may go on
    a!.return(); // a closed branch holds nothing back
    expect([...b!]).toEqual([2, 3, 4]);
    const [c, d] = pipe(asyncSource([1, 2, 3]), tee(2));
    expect(await collect(zip(c!, d!))).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    await expect(
      collect(tee<number>(2, { bufferSize: 1 })(asyncSource([1, 2, 3]))[0]!),
    ).rejects.toThrow(RangeError);
  });

  it("zip stops at the shortest and closes the others; concat chains sync and async", async () => {
    const long = syncSource([1, 2, 3]);
    expect([...zip(["a"], long)]).toEqual([["a", 1]]);
    expect(long.log.returns).toBe(1);
    expect([...concat([1], new Set([2]))]).toEqual([1, 2]);
    expect(await collect(concat([1], asyncSource([2, 3])))).toEqual([1, 2, 3]);
  });
});
