/** tee: several independent streams over one source, with a bounded buffer between them. */
import { SerialAsyncStream } from "./internal/fused.ts";
import {
  assertCount,
  assertOptions,
  closeAsync,
  closeSync,
  getAsyncIterator,
  isIteratorObject,
} from "./internal/util.ts";
import { makeStage } from "./pipe.ts";
import type { AsyncStream, Fork, Source, Stream } from "./types.ts";

const done = <T>(): IteratorResult<T, undefined> => ({ value: undefined, done: true });

/** Options of {@link tee}. */
export interface TeeOptions {
  /**
   * How far (in elements) one branch may run ahead of the slowest open branch. Default 1024.
   * Cost: up to that many elements held. Going further throws a `RangeError` (sync) or rejects
   * (async) in the branch that runs ahead: consume the branches together (`zip`), or raise it.
   */
  bufferSize?: number;
}

/** The state the branches share: the source iterator and the elements not yet read by all. */
class TeeCore<T> {
  source: Source<T> | undefined;
  it: Iterator<T> | AsyncIterator<T> | undefined;
  readonly buffer: T[] = [];
  head = 0; // index in `buffer` of absolute position `base`
  base = 0; // absolute position of buffer[head]
  readonly pos: number[];
  readonly open: boolean[];
  ended = false;
  failure: { error: unknown; at: number } | undefined;
  pulling: Promise<void> | undefined;

  constructor(
    source: Source<T>,
    count: number,
    readonly bufferSize: number,
  ) {
    this.source = source;
    this.pos = new Array<number>(count).fill(0);
    this.open = new Array<boolean>(count).fill(true);
  }

  available(b: number): boolean {
    return this.pos[b]! < this.base + this.buffer.length - this.head;
  }

  take(b: number): T {
    const value = this.buffer[this.head + this.pos[b]! - this.base]!;
    this.pos[b]!++;
    this.trim();
    return value;
  }

  /** Throws when branch `b` would get more than `bufferSize` ahead of the slowest open branch. */
  checkBound(b: number): void {
    let slowest = -1;
    for (let i = 0; i < this.pos.length; i++) {
      if (i !== b && this.open[i] && (slowest < 0 || this.pos[i]! < this.pos[slowest]!))
        slowest = i;
    }
    if (slowest >= 0 && this.pos[b]! + 1 - this.pos[slowest]! > this.bufferSize) {
      throw new RangeError(
        `tee: branch ${b} would run more than bufferSize (${this.bufferSize}) elements ahead of branch ${slowest}; consume the branches together or raise bufferSize`,
      );
    }
  }

  /** Stores a value just pulled for branch `b` (kept only if another open branch still needs it). */
  add(b: number, value: T): void {
    this.buffer.push(value);
    this.pos[b]!++;
    this.trim();
  }

  trim(): void {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.pos.length; i++)
      if (this.open[i] && this.pos[i]! < min) min = this.pos[i]!;
    const end = this.base + this.buffer.length - this.head;
    const drop = (min === Number.POSITIVE_INFINITY ? end : min) - this.base;
    if (drop <= 0) return;
    for (let k = 0; k < drop; k++) this.buffer[this.head + k] = undefined as T;
    this.head += drop;
    this.base += drop;
    if (this.head === this.buffer.length) {
      this.buffer.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.buffer.length) {
      this.buffer.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Closes branch `b`; the source is closed when the last branch closes before the end. */
  close(b: number): Iterator<T> | AsyncIterator<T> | Source<T> | undefined {
    this.open[b] = false;
    this.trim();
    if (this.open.some(Boolean) || this.ended) return undefined;
    this.ended = true;
    const it = this.it ?? (isIteratorObject(this.source) ? this.source : undefined);
    this.it = undefined;
    this.source = undefined;
    return it;
  }
}

class TeeBranch<T> implements Stream<T> {
  constructor(
    private readonly core: TeeCore<T>,
    private readonly b: number,
  ) {}
  [Symbol.iterator](): Stream<T> {
    return this;
  }
  next(): IteratorResult<T, undefined> {
    const core = this.core;
    const b = this.b;
    if (!core.open[b]) return done();
    if (core.available(b)) return { value: core.take(b), done: false };
    if (core.failure && core.failure.at === core.pos[b]) {
      core.open[b] = false;
      throw core.failure.error;
    }
    if (core.ended) {
      core.open[b] = false;
      return done();
    }
    core.checkBound(b);
    if (core.it === undefined) {
      core.it = (core.source as Iterable<T>)[Symbol.iterator]();
      core.source = undefined;
    }
    let r: IteratorResult<T>;
    try {
      r = (core.it as Iterator<T>).next();
    } catch (error) {
      core.ended = true;
      core.it = undefined;
      core.failure = { error, at: core.pos[b]! };
      core.open[b] = false;
      throw error;
    }
    if (r.done) {
      core.ended = true;
      core.it = undefined;
      core.open[b] = false;
      return done();
    }
    core.add(b, r.value);
    return { value: r.value, done: false };
  }
  return(): IteratorResult<T, undefined> {
    if (this.core.open[this.b]) {
      const it = this.core.close(this.b);
      if (it !== undefined) closeSync(it as Iterator<T>);
    }
    return done();
  }
  [Symbol.dispose](): void {
    this.return();
  }
}

class AsyncTeeBranch<T> extends SerialAsyncStream<T> {
  constructor(
    private readonly core: TeeCore<T>,
    private readonly b: number,
  ) {
    super();
  }
  protected async step(): Promise<IteratorResult<T, undefined>> {
    try {
      const core = this.core;
      const b = this.b;
      for (;;) {
        if (!core.open[b]) return done();
        if (core.available(b)) return { value: core.take(b), done: false };
        if (core.failure && core.failure.at === core.pos[b]) {
          core.open[b] = false;
          throw core.failure.error;
        }
        if (core.ended) {
          core.open[b] = false;
          return done();
        }
        if (core.pulling) {
          await core.pulling; // another branch is pulling: share its element
          continue;
        }
        core.checkBound(b);
        if (core.it === undefined) {
          core.it = getAsyncIterator(core.source!);
          core.source = undefined;
        }
        const it = core.it as AsyncIterator<T>;
        let result: IteratorResult<T> | undefined;
        let failure: { error: unknown } | undefined;
        core.pulling = it.next().then(
          (r) => {
            result = r;
          },
          (error: unknown) => {
            failure = { error };
          },
        );
        await core.pulling;
        core.pulling = undefined;
        if (failure) {
          core.ended = true;
          core.it = undefined;
          core.failure = { error: failure.error, at: core.pos[b]! };
          continue;
        }
        if (result!.done) {
          core.ended = true;
          core.it = undefined;
          continue;
        }
        if (core.ended) continue; // every branch closed while we waited
        core.add(b, result!.value);
        return { value: result!.value, done: false };
      }
    } finally {
      this.release();
    }
  }
  async return(): Promise<IteratorResult<T, undefined>> {
    if (this.core.open[this.b]) {
      const it = this.core.close(this.b);
      if (it !== undefined) await closeAsync(it as AsyncIterator<T>);
    }
    return done();
  }
}

/**
 * Splits one source into `count` independent streams of the same kind (Python `itertools.tee`;
 * Web `ReadableStream.tee`). Elements are held until every open branch has read them, and a
 * branch may run at most `bufferSize` elements ahead of the slowest open one (Python's tee is
 * unbounded). Closing a branch releases what it alone held back; the source is closed when the
 * last branch closes. Use it as the last stage of `pipe`, or on its own: `tee(2)(source)`.
 *
 * @param count branches, an integer ≥ 1 (default 2).
 * @example
 * ```ts
 * const [a, b] = pipe(readLines("x.log"), tee(2, { bufferSize: 100 }));
 * for await (const [l1, l2] of zip(a, b)) …
 * ```
 */
export function tee<T>(count = 2, options: TeeOptions = {}): Fork<T> {
  const n = assertCount(count, "tee", "count", 1);
  assertOptions(options, "tee");
  const bufferSize = assertCount(options.bufferSize ?? 1024, "tee", "bufferSize", 1, true);
  return makeStage({
    type: "fork",
    name: "tee",
    fork: (source, async) => {
      const core = new TeeCore(source as Source<T>, n, bufferSize);
      return Array.from({ length: n }, (_, b) =>
        async
          ? (new AsyncTeeBranch(core, b) as AsyncStream<T>)
          : (new TeeBranch(core, b) as Stream<T>),
      );
    },
  });
}
