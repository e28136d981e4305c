/** reduce, toArray, forEach, some, every, find, first, count: stages that end a pipeline. */
import type { Step, TerminalSink } from "./internal/sink.ts";
import { assertFunction, isThenable } from "./internal/util.ts";
import { makeStage } from "./pipe.ts";
import type { Terminal } from "./types.ts";

abstract class Term<T, R> implements TerminalSink<T, R> {
  start(): boolean {
    return true;
  }
  abstract push(value: T): Step;
  end(): void {}
  abstract result(): R;
}

class ReduceSink<T, A> extends Term<T, A> {
  #i = 0;
  readonly #set = (acc: A): true => {
    this.acc = acc;
    return true;
  };
  constructor(
    private readonly fn: (acc: A, value: T, index: number) => A | PromiseLike<A>,
    private has: boolean,
    private acc: A | undefined,
    private readonly async: boolean,
  ) {
    super();
  }
  push(value: T): Step {
    const i = this.#i++;
    if (!this.has) {
      this.has = true;
      this.acc = value as unknown as A;
      return true;
    }
    const next = this.fn(this.acc as A, value, i);
    if (this.async && isThenable(next)) return Promise.resolve(next).then(this.#set);
    this.acc = next as A;
    return true;
  }
  result(): A {
    if (!this.has)
      throw new TypeError("reduce: the stream is empty and no initial value was given");
    return this.acc as A;
  }
}

/**
 * Folds the stream into one value: `acc = fn(acc, value, index)` (ES `Iterator.prototype.reduce`;
 * Python `functools.reduce`). Without `initial` the first element is the initial accumulator, and
 * an empty stream throws a `TypeError`. In an async pipeline a promise returned by `fn` is awaited.
 *
 * @example
 * ```ts
 * pipe([1, 2, 3], reduce((sum, x) => sum + x, 0)); // 6
 * ```
 */
export function reduce<T>(
  fn: (acc: T, value: T, index: number) => T | PromiseLike<T>,
): Terminal<T, T>;
export function reduce<T, A>(
  fn: (acc: A, value: T, index: number) => A | PromiseLike<A>,
  initial: A,
): Terminal<T, A>;
export function reduce<T, A>(
  fn: (acc: A, value: T, index: number) => A | PromiseLike<A>,
  ...rest: [A?]
): Terminal<T, A> {
  assertFunction(fn, "reduce");
  const has = rest.length > 0;
  const initial = rest[0];
  return makeStage({
    type: "terminal",
    name: "reduce",
    make: (async) => new ReduceSink(fn as never, has, initial, async),
  });
}

class ToArraySink<T> extends Term<T, T[]> {
  readonly #out: T[] = [];
  push(value: T): true {
    this.#out.push(value);
    return true;
  }
  result(): T[] {
    return this.#out;
  }
}

/**
 * Collects the stream into an array (ES `Iterator.prototype.toArray`; Python `list(xs)`). Caveat:
 * this is the one stage that holds the whole stream in memory.
 *
 * @example
 * ```ts
 * pipe(new Set([1, 2]), toArray()); // [1, 2]
 * ```
 */
export function toArray<T>(): Terminal<T, T[]> {
  return makeStage({ type: "terminal", name: "toArray", make: () => new ToArraySink() });
}

class ForEachSink<T> extends Term<T, undefined> {
  #i = 0;
  constructor(
    private readonly fn: (value: T, index: number) => unknown,
    private readonly async: boolean,
  ) {
    super();
  }
  push(value: T): Step {
    const r = this.fn(value, this.#i++);
    if (this.async && isThenable(r)) return Promise.resolve(r).then(() => true);
    return true;
  }
  result(): undefined {
    return undefined;
  }
}

/**
 * Calls `fn(value, index)` for each element (ES `Iterator.prototype.forEach`). In an async
 * pipeline a returned promise is awaited before the next element is pulled.
 *
 * @example
 * ```ts
 * await pipe(readLines("log.txt"), forEach((line) => console.log(line)));
 * ```
 */
export function forEach<T>(fn: (value: T, index: number) => unknown): Terminal<T, undefined> {
  assertFunction(fn, "forEach");
  return makeStage({
    type: "terminal",
    name: "forEach",
    make: (async) => new ForEachSink(fn as (v: unknown, i: number) => unknown, async),
  });
}

/** Shared by some/every/find: stops at the first element whose predicate result is `stopOn`. */
class SearchSink<T, R> extends Term<T, R> {
  #i = 0;
  #found = false;
  #value: T | undefined;
  constructor(
    private readonly fn: (value: T, index: number) => unknown,
    private readonly async: boolean,
    private readonly stopOn: boolean,
    private readonly make: (found: boolean, value: T | undefined) => R,
  ) {
    super();
  }
  push(value: T): Step {
    if (this.#found) return false; // a flush after the answer: ignored
    const r = this.fn(value, this.#i++);
    if (this.async && isThenable(r)) return Promise.resolve(r).then((v) => this.#check(value, v));
    return this.#check(value, r);
  }
  #check(value: T, r: unknown): boolean {
    if (this.#found) return false;
    if (Boolean(r) !== this.stopOn) return true;
    this.#found = true;
    this.#value = value;
    return false;
  }
  result(): R {
    return this.make(this.#found, this.#value);
  }
}

/**
 * `true` as soon as one element satisfies `predicate` (then stops, closing the source), `false`
 * for none (ES `Iterator.prototype.some`; Python `any(map(predicate, xs))`).
 *
 * @example
 * ```ts
 * pipe([1, 2, 3], some((x) => x > 2)); // true
 * ```
 */
export function some<T>(predicate: (value: T, index: number) => unknown): Terminal<T, boolean> {
  assertFunction(predicate, "some", "predicate");
  return makeStage({
    type: "terminal",
    name: "some",
    make: (async) =>
      new SearchSink(
        predicate as (v: unknown, i: number) => unknown,
        async,
        true,
        (found) => found,
      ),
  });
}

/**
 * `false` as soon as one element fails `predicate` (then stops, closing the source), `true` when
 * all pass (ES `Iterator.prototype.every`; Python `all(map(predicate, xs))`).
 *
 * @example
 * ```ts
 * pipe([1, 2, 3], every((x) => x > 0)); // true
 * ```
 */
export function every<T>(predicate: (value: T, index: number) => unknown): Terminal<T, boolean> {
  assertFunction(predicate, "every", "predicate");
  return makeStage({
    type: "terminal",
    name: "every",
    make: (async) =>
      new SearchSink(
        predicate as (v: unknown, i: number) => unknown,
        async,
        false,
        (found) => !found,
      ),
  });
}

/**
 * The first element that satisfies `predicate`, or `undefined` (ES `Iterator.prototype.find`;
 * Python `next(filter(predicate, xs), None)`). Stops at the match and closes the source.
 *
 * @example
 * ```ts
 * pipe([1, 2, 3], find((x) => x > 1)); // 2
 * ```
 */
export function find<T, S extends T>(
  predicate: (value: T, index: number) => value is S,
): Terminal<T, S | undefined>;
export function find<T>(
  predicate: (value: T, index: number) => unknown,
): Terminal<T, T | undefined>;
export function find<T>(
  predicate: (value: T, index: number) => unknown,
): Terminal<T, T | undefined> {
  assertFunction(predicate, "find", "predicate");
  return makeStage({
    type: "terminal",
    name: "find",
    make: (async) =>
      new SearchSink(predicate as (v: unknown, i: number) => unknown, async, true, (_f, v) => v),
  });
}

const always = (): true => true;

/**
 * The first element, or `undefined` for an empty stream (Python `next(iter(xs), None)`). Pulls one
 * element and closes the source.
 *
 * @example
 * ```ts
 * pipe(readLines("data.csv"), first()); // the header line
 * ```
 */
export function first<T>(): Terminal<T, T | undefined> {
  return makeStage({
    type: "terminal",
    name: "first",
    make: () => new SearchSink(always, false, true, (_f, v) => v),
  });
}

class CountSink extends Term<unknown, number> {
  #n = 0;
  push(): true {
    this.#n++;
    return true;
  }
  result(): number {
    return this.#n;
  }
}

/**
 * The number of elements (Python `sum(1 for _ in xs)`). Consumes the whole stream, holding nothing.
 *
 * @example
 * ```ts
 * await pipe(readLines("big.log"), count());
 * ```
 */
export function count<T>(): Terminal<T, number> {
  return makeStage({ type: "terminal", name: "count", make: () => new CountSink() });
}
