/** chunks, windows, pairwise, groupBy: operators that group consecutive elements (fusible). */
import { after, PassSink, type Sink, type Step, track } from "./internal/sink.ts";
import { assertCount, assertFunction, describe, isThenable } from "./internal/util.ts";
import { makeStage } from "./pipe.ts";
import type { Operator } from "./types.ts";

const MAX_SIZE = 2 ** 32 - 1;

/** SameValueZero: `===`, except that NaN equals NaN. */
function sameValueZero(a: unknown, b: unknown): boolean {
  return (
    a === b ||
    (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b))
  );
}

class ChunksSink<T> extends PassSink<T, T[]> {
  #chunk: T[] = [];
  #stopped = false;
  readonly #stop = () => {
    this.#stopped = true;
  };
  constructor(
    down: Sink<T[]>,
    private readonly size: number,
  ) {
    super(down);
  }
  push(value: T): Step {
    const chunk = this.#chunk;
    chunk.push(value);
    if (chunk.length < this.size) return true;
    this.#chunk = [];
    return track(this.down.push(chunk), this.#stop);
  }
  override end(): void | Promise<void> {
    const chunk = this.#chunk;
    this.#chunk = [];
    if (chunk.length === 0 || this.#stopped) return this.down.end();
    const step = this.down.push(chunk);
    return step === true || step === false ? this.down.end() : step.then(() => this.down.end());
  }
}

function assertSize(size: unknown, who: string): number {
  const n = assertCount(size, who, "size", 1);
  if (n > MAX_SIZE)
    throw new RangeError(`${who}: size must be at most 2^32 - 1, got ${describe(size)}`);
  return n;
}

/**
 * Groups elements into arrays of `size` (the last one may be shorter), each a new array (TC39
 * iterator chunking `chunks`; Python `itertools.batched`; it-batch). Holds at most `size` elements.
 *
 * @param size an integer from 1 to 2^32 - 1; anything else throws a `RangeError`.
 * @example
 * ```ts
 * pipe([1, 2, 3, 4, 5], chunks(2), toArray()); // [[1, 2], [3, 4], [5]]
 * ```
 */
export function chunks<T>(size: number): Operator<T, T[]> {
  const n = assertSize(size, "chunks");
  return makeStage({
    type: "sink",
    name: "chunks",
    make: (down) => new ChunksSink(down as Sink<unknown[]>, n),
  });
}

class WindowsSink<T> extends PassSink<T, T[]> {
  readonly #ring: T[];
  #start = 0;
  #count = 0;
  #stopped = false;
  readonly #stop = () => {
    this.#stopped = true;
  };
  constructor(
    down: Sink<T[]>,
    private readonly size: number,
    private readonly partial: boolean,
  ) {
    super(down);
    this.#ring = new Array<T>(size);
  }
  push(value: T): Step {
    const size = this.size;
    const ring = this.#ring;
    if (this.#count < size) {
      ring[this.#count++] = value;
      if (this.#count < size) return true;
    } else {
      ring[this.#start] = value;
      this.#start = this.#start + 1 === size ? 0 : this.#start + 1;
    }
    const window = new Array<T>(size);
    for (let i = 0, j = this.#start; i < size; i++, j = j + 1 === size ? 0 : j + 1)
      window[i] = ring[j]!;
    return track(this.down.push(window), this.#stop);
  }
  override end(): void | Promise<void> {
    const count = this.#count;
    // Before the ring wraps, its first `count` slots are the window, in order.
    const partial = this.partial && !this.#stopped && count > 0 && count < this.size;
    const window = partial ? this.#ring.slice(0, count) : undefined;
    this.#ring.fill(undefined as T);
    if (window === undefined) return this.down.end();
    const step = this.down.push(window);
    return step === true || step === false ? this.down.end() : step.then(() => this.down.end());
  }
}

/**
 * Sliding windows of `size` consecutive elements, each a new array (TC39 iterator chunking
 * `windows`; Python `itertools.pairwise` for size 2, `more_itertools.sliding_window`). With
 * `undersized: "only-full"` (the default) a source shorter than `size` yields nothing; with
 * `"allow-partial"` it yields one shorter window. Holds at most `size` elements.
 *
 * @param size an integer from 1 to 2^32 - 1; anything else throws a `RangeError`.
 * @example
 * ```ts
 * pipe([1, 2, 3, 4], windows(3), toArray()); // [[1, 2, 3], [2, 3, 4]]
 * ```
 */
export function windows<T>(
  size: number,
  undersized: "only-full" | "allow-partial" = "only-full",
): Operator<T, T[]> {
  const n = assertSize(size, "windows");
  if (undersized !== "only-full" && undersized !== "allow-partial") {
    throw new TypeError(
      `windows: undersized must be "only-full" or "allow-partial", got ${describe(undersized)}`,
    );
  }
  return makeStage({
    type: "sink",
    name: "windows",
    make: (down) => new WindowsSink(down as Sink<unknown[]>, n, undersized === "allow-partial"),
  });
}

/**
 * Overlapping pairs of consecutive elements: `[a, b], [b, c], …` (Python `itertools.pairwise`;
 * `windows(2)` typed as a tuple).
 *
 * @example
 * ```ts
 * pipe([1, 2, 3], pairwise(), toArray()); // [[1, 2], [2, 3]]
 * ```
 */
export function pairwise<T>(): Operator<T, [T, T]> {
  return windows<T>(2) as unknown as Operator<T, [T, T]>;
}

class GroupBySink<T, K> extends PassSink<T, [K, T[]]> {
  #i = 0;
  #key: K | undefined;
  #group: T[] | undefined;
  #stopped = false;
  readonly #stop = () => {
    this.#stopped = true;
  };
  constructor(
    down: Sink<[K, T[]]>,
    private readonly fn: (value: T, index: number) => K | PromiseLike<K>,
    private readonly async: boolean,
  ) {
    super(down);
  }
  push(value: T): Step {
    const key = this.fn(value, this.#i++);
    if (this.async && isThenable(key)) return Promise.resolve(key).then((k) => this.#add(value, k));
    return this.#add(value, key as K);
  }
  #add(value: T, key: K): Step {
    const group = this.#group;
    if (group !== undefined && sameValueZero(key, this.#key)) {
      group.push(value);
      return true;
    }
    const prevKey = this.#key;
    this.#key = key;
    this.#group = [value];
    if (group === undefined) return true;
    return track(this.down.push([prevKey as K, group]), this.#stop);
  }
  override end(): void | Promise<void> {
    const group = this.#group;
    this.#group = undefined;
    if (group === undefined || this.#stopped) return this.down.end();
    const step = this.down.push([this.#key as K, group]);
    return after(step === true || step === false ? undefined : step.then(() => undefined), () =>
      this.down.end(),
    );
  }
}

/**
 * Groups runs of consecutive elements with the same key (SameValueZero) into `[key, elements]`
 * (Python `itertools.groupby`). Unlike `Object.groupBy`, equal keys that are not adjacent make
 * separate groups, and only the current run is held in memory. Sort first for SQL-like grouping.
 *
 * @example
 * ```ts
 * pipe([1, 1, 2, 1], groupBy((x) => x), toArray()); // [[1, [1, 1]], [2, [2]], [1, [1]]]
 * ```
 */
export function groupBy<T, K>(
  key: (value: T, index: number) => K | PromiseLike<K>,
): Operator<T, [K, T[]]> {
  assertFunction(key, "groupBy", "key");
  return makeStage({
    type: "sink",
    name: "groupBy",
    make: (down, async) => new GroupBySink(down as Sink<[unknown, unknown[]]>, key as never, async),
  });
}
