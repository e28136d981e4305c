/** take, drop, takeWhile, dropWhile: the slicing operators (fusible). */
import { PassSink, type Sink, type Step, thenStop } from "./internal/sink.ts";
import { assertCount, assertFunction, isThenable } from "./internal/util.ts";
import { makeStage } from "./pipe.ts";
import type { Operator } from "./types.ts";

class TakeSink<T> extends PassSink<T, T> {
  constructor(
    down: Sink<T>,
    private left: number,
  ) {
    super(down);
  }
  override start(): boolean {
    return this.left > 0 && this.down.start();
  }
  push(value: T): Step {
    if (this.left <= 0) return false; // a flush after the stop: ignored
    const step = this.down.push(value);
    return --this.left === 0 ? thenStop(step) : step;
  }
}

/**
 * Yields the first `count` elements, then stops: the source is closed as soon as the last one has
 * been pulled, and no further element is pulled (ES `Iterator.prototype.take`; Python
 * `itertools.islice(xs, count)`). `take(0)` pulls nothing at all.
 *
 * @param count a non-negative integer or `Infinity`; anything else throws a `RangeError`.
 * @example
 * ```ts
 * pipe(naturals(), take(3), toArray()); // [0, 1, 2]
 * ```
 */
export function take<T>(count: number): Operator<T, T> {
  const n = assertCount(count, "take", "count", 0, true);
  return makeStage({ type: "sink", name: "take", make: (down) => new TakeSink(down, n) });
}

class DropSink<T> extends PassSink<T, T> {
  constructor(
    down: Sink<T>,
    private left: number,
  ) {
    super(down);
  }
  push(value: T): Step {
    if (this.left > 0) {
      this.left--;
      return true;
    }
    return this.down.push(value);
  }
}

/**
 * Skips the first `count` elements (ES `Iterator.prototype.drop`; Python `islice(xs, count, None)`).
 *
 * @param count a non-negative integer or `Infinity`; anything else throws a `RangeError`.
 * @example
 * ```ts
 * pipe([1, 2, 3, 4], drop(2), toArray()); // [3, 4]
 * ```
 */
export function drop<T>(count: number): Operator<T, T> {
  const n = assertCount(count, "drop", "count", 0, true);
  return makeStage({ type: "sink", name: "drop", make: (down) => new DropSink(down, n) });
}

class TakeWhileSink<T> extends PassSink<T, T> {
  #i = 0;
  #done = false;
  constructor(
    down: Sink<T>,
    private readonly fn: (value: T, index: number) => unknown,
    private readonly async: boolean,
  ) {
    super(down);
  }
  push(value: T): Step {
    if (this.#done) return false; // a flush after the stop: ignored, the predicate is not called
    const ok = this.fn(value, this.#i++);
    if (this.async && isThenable(ok)) {
      return Promise.resolve(ok).then((k) => this.#decide(value, k));
    }
    return this.#decide(value, ok);
  }
  #decide(value: T, ok: unknown): Step {
    if (this.#done) return false;
    if (ok) return this.down.push(value);
    this.#done = true;
    return false;
  }
}

/**
 * Yields elements while `predicate` holds and stops (closing the source) at the first that fails,
 * which is not yielded (Python `itertools.takewhile`; IxJS `takeWhile`).
 *
 * @example
 * ```ts
 * pipe([1, 2, 5, 1], takeWhile((x) => x < 3), toArray()); // [1, 2]
 * ```
 */
export function takeWhile<T, S extends T>(
  predicate: (value: T, index: number) => value is S,
): Operator<T, S>;
export function takeWhile<T>(predicate: (value: T, index: number) => unknown): Operator<T, T>;
export function takeWhile<T>(predicate: (value: T, index: number) => unknown): Operator<T, T> {
  assertFunction(predicate, "takeWhile", "predicate");
  return makeStage({
    type: "sink",
    name: "takeWhile",
    make: (down, async) =>
      new TakeWhileSink(down, predicate as (v: unknown, i: number) => unknown, async),
  });
}

class DropWhileSink<T> extends PassSink<T, T> {
  #i = 0;
  #dropping = true;
  constructor(
    down: Sink<T>,
    private readonly fn: (value: T, index: number) => unknown,
    private readonly async: boolean,
  ) {
    super(down);
  }
  push(value: T): Step {
    if (!this.#dropping) return this.down.push(value);
    const skip = this.fn(value, this.#i++);
    if (this.async && isThenable(skip)) {
      return Promise.resolve(skip).then((s) => {
        if (s) return true;
        this.#dropping = false;
        return this.down.push(value);
      });
    }
    if (skip) return true;
    this.#dropping = false;
    return this.down.push(value);
  }
}

/**
 * Skips elements while `predicate` holds, then yields the rest, the first failing one included
 * (Python `itertools.dropwhile`; IxJS `skipWhile`).
 *
 * @example
 * ```ts
 * pipe([1, 2, 5, 1], dropWhile((x) => x < 3), toArray()); // [5, 1]
 * ```
 */
export function dropWhile<T>(predicate: (value: T, index: number) => unknown): Operator<T, T> {
  assertFunction(predicate, "dropWhile", "predicate");
  return makeStage({
    type: "sink",
    name: "dropWhile",
    make: (down, async) =>
      new DropWhileSink(down, predicate as (v: unknown, i: number) => unknown, async),
  });
}
