/** map, filter, flatMap, scan, enumerate: the element-wise operators (fusible). */
import { FlatMapAsyncStream, FlatMapStream } from "./internal/flatten.ts";
import { PassSink, type Sink, type Step } from "./internal/sink.ts";
import { assertFunction, isThenable } from "./internal/util.ts";
import { makeStage } from "./pipe.ts";
import type { Operator, Source } from "./types.ts";

class MapSink<I, O> extends PassSink<I, O> {
  #i = 0;
  readonly #pushDown = (value: O): Step => this.down.push(value);
  constructor(
    down: Sink<O>,
    private readonly fn: (value: I, index: number) => O,
    private readonly async: boolean,
  ) {
    super(down);
  }
  push(value: I): Step {
    const out = this.fn(value, this.#i++);
    if (this.async && isThenable(out)) return Promise.resolve(out).then(this.#pushDown);
    return this.down.push(out);
  }
}

/**
 * Calls `fn(value, index)` on each element and passes its result on (ES `Iterator.prototype.map`;
 * Python `map`). In an async pipeline a promise returned by `fn` is awaited (one hop); in a sync
 * pipeline it is passed on as a value.
 *
 * @example
 * ```ts
 * pipe([1, 2, 3], map((x) => x * 2), toArray()); // [2, 4, 6]
 * ```
 */
export function map<T, U>(fn: (value: T, index: number) => U | PromiseLike<U>): Operator<T, U> {
  assertFunction(fn, "map");
  return makeStage({
    type: "sink",
    name: "map",
    make: (down, async) => new MapSink(down, fn as (v: unknown, i: number) => unknown, async),
  });
}

class FilterSink<T> extends PassSink<T, T> {
  #i = 0;
  constructor(
    down: Sink<T>,
    private readonly fn: (value: T, index: number) => unknown,
    private readonly async: boolean,
  ) {
    super(down);
  }
  push(value: T): Step {
    const keep = this.fn(value, this.#i++);
    if (this.async && isThenable(keep)) {
      return Promise.resolve(keep).then((k) => (k ? this.down.push(value) : true));
    }
    return keep ? this.down.push(value) : true;
  }
}

/**
 * Keeps the elements for which `predicate(value, index)` is truthy (ES `Iterator.prototype.filter`;
 * Python `filter`). A type-guard predicate narrows the element type. In an async pipeline a
 * returned promise is awaited.
 *
 * @example
 * ```ts
 * pipe([1, 2, 3, 4], filter((x) => x % 2 === 0), toArray()); // [2, 4]
 * ```
 */
export function filter<T, S extends T>(
  predicate: (value: T, index: number) => value is S,
): Operator<T, S>;
export function filter<T>(predicate: (value: T, index: number) => unknown): Operator<T, T>;
export function filter<T>(predicate: (value: T, index: number) => unknown): Operator<T, T> {
  assertFunction(predicate, "filter", "predicate");
  return makeStage({
    type: "sink",
    name: "filter",
    make: (down, async) =>
      new FilterSink(down, predicate as (v: unknown, i: number) => unknown, async),
  });
}

class FlatMapSink<I, O> extends PassSink<I, O> {
  #i = 0;
  constructor(
    down: Sink<O>,
    private readonly fn: (value: I, index: number) => unknown,
    private readonly async: boolean,
  ) {
    super(down);
  }
  push(value: I): Step {
    const inner = this.fn(value, this.#i++);
    if (this.async) return this.#pushAsync(inner);
    for (const x of FlatMapStream.inner(inner)) {
      if (this.down.push(x as O) === false) return false; // for…of closes the inner iterator
    }
    return true;
  }
  async #pushAsync(inner: unknown): Promise<boolean> {
    const it = await FlatMapAsyncStream.inner(inner);
    for await (const x of it) {
      let more = this.down.push(x as O);
      if (more !== true && more !== false) more = await more;
      if (!more) return false;
    }
    return true;
  }
}

/**
 * Maps each element to an iterable and yields its elements in order (ES
 * `Iterator.prototype.flatMap`; Python `itertools.chain.from_iterable(map(fn, xs))`). `fn` must
 * return an iterable object (in an async pipeline also an async iterable, or a promise of either);
 * strings are rejected with a `TypeError`, as ES iterator helpers do. Inner iterables are pulled
 * lazily: an infinite inner iterable is fine, and a stop (take, break) closes it.
 *
 * @example
 * ```ts
 * pipe(["a b", "c"], flatMap((s) => s.split(" ")), toArray()); // ["a", "b", "c"]
 * ```
 */
export function flatMap<T, U>(
  fn: (
    value: T,
    index: number,
  ) => Iterable<U> | AsyncIterable<U> | PromiseLike<Iterable<U> | AsyncIterable<U>>,
): Operator<T, U> {
  assertFunction(fn, "flatMap");
  const f = fn as (value: unknown, index: number) => unknown;
  return makeStage({
    type: "sink",
    name: "flatMap",
    make: (down, async) => new FlatMapSink(down, f, async),
    pull: (source: Source<unknown>, async: boolean) =>
      async ? new FlatMapAsyncStream(source, f) : new FlatMapStream(source as Iterable<unknown>, f),
  });
}

class ScanSink<T, A> extends PassSink<T, A> {
  #i = 0;
  #has: boolean;
  #acc: A | undefined;
  readonly #setAndPush = (acc: A): Step => {
    this.#acc = acc;
    return this.down.push(acc);
  };
  constructor(
    down: Sink<A>,
    private readonly fn: (acc: A, value: T, index: number) => A | PromiseLike<A>,
    seeded: boolean,
    seed: A | undefined,
    private readonly async: boolean,
  ) {
    super(down);
    this.#has = seeded;
    this.#acc = seed;
  }
  push(value: T): Step {
    const i = this.#i++;
    if (!this.#has) {
      this.#has = true;
      this.#acc = value as unknown as A;
      return this.down.push(this.#acc);
    }
    const next = this.fn(this.#acc as A, value, i);
    if (this.async && isThenable(next)) return Promise.resolve(next).then(this.#setAndPush);
    this.#acc = next as A;
    return this.down.push(next as A);
  }
}

/**
 * Running accumulation: yields `acc = fn(acc, value, index)` after each element (RxJS/IxJS `scan`;
 * Python `itertools.accumulate`). Without `seed` the first element is the first accumulator and is
 * yielded as is (as `accumulate` does); with `seed`, the seed itself is not yielded (unlike
 * `accumulate(xs, initial=…)`).
 *
 * @example
 * ```ts
 * pipe([1, 2, 3, 4], scan((a, x) => a + x), toArray()); // [1, 3, 6, 10]
 * ```
 */
export function scan<T>(
  fn: (acc: T, value: T, index: number) => T | PromiseLike<T>,
): Operator<T, T>;
export function scan<T, A>(
  fn: (acc: A, value: T, index: number) => A | PromiseLike<A>,
  seed: A,
): Operator<T, A>;
export function scan<T, A>(
  fn: (acc: A, value: T, index: number) => A | PromiseLike<A>,
  ...rest: [A?]
): Operator<T, A> {
  assertFunction(fn, "scan");
  const seeded = rest.length > 0;
  const seed = rest[0];
  return makeStage({
    type: "sink",
    name: "scan",
    make: (down, async) => new ScanSink(down, fn as never, seeded, seed, async),
  });
}

class EnumerateSink<T> extends PassSink<T, [number, T]> {
  constructor(
    down: Sink<[number, T]>,
    private i: number,
  ) {
    super(down);
  }
  push(value: T): Step {
    return this.down.push([this.i++, value]);
  }
}

/**
 * Pairs each element with its index: `[index, value]`, counting from `start` (Python `enumerate`;
 * ES `Array.prototype.entries` for arrays).
 *
 * @example
 * ```ts
 * pipe(["a", "b"], enumerate(1), toArray()); // [[1, "a"], [2, "b"]]
 * ```
 */
export function enumerate<T>(start = 0): Operator<T, [number, T]> {
  if (typeof start !== "number" || !Number.isSafeInteger(start)) {
    throw new RangeError(`enumerate: start must be a safe integer, got ${String(start)}`);
  }
  return makeStage({
    type: "sink",
    name: "enumerate",
    make: (down) => new EnumerateSink(down as Sink<[number, unknown]>, start),
  });
}
