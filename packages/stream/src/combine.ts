/** concat and zip: sources built from several sources (sync when all are sync). */
import { SerialAsyncStream } from "./internal/fused.ts";
import {
  assertSource,
  closeAsync,
  closeAsyncQuietly,
  closeSync,
  closeSyncQuietly,
  getAsyncIterator,
  isAsyncIterable,
} from "./internal/util.ts";
import type { AsyncStream, Source, Stream } from "./types.ts";

const done = <T>(): IteratorResult<T, undefined> => ({ value: undefined, done: true });

class ConcatStream<T> implements Stream<T> {
  #i = 0;
  #it: Iterator<T> | undefined;
  #finished = false;
  constructor(private readonly sources: Iterable<T>[]) {}
  [Symbol.iterator](): Stream<T> {
    return this;
  }
  next(): IteratorResult<T, undefined> {
    while (!this.#finished) {
      if (this.#it === undefined) {
        if (this.#i === this.sources.length) {
          this.#finished = true;
          break;
        }
        this.#it = this.sources[this.#i++]![Symbol.iterator]();
      }
      let r: IteratorResult<T>;
      try {
        r = this.#it.next();
      } catch (error) {
        this.#finished = true;
        this.#it = undefined;
        throw error;
      }
      if (!r.done) return { value: r.value, done: false };
      this.#it = undefined;
    }
    return done();
  }
  return(): IteratorResult<T, undefined> {
    if (!this.#finished) {
      this.#finished = true;
      const it = this.#it;
      this.#it = undefined;
      closeSync(it);
    }
    return done();
  }
  [Symbol.dispose](): void {
    this.return();
  }
}

class AsyncConcatStream<T> extends SerialAsyncStream<T> {
  #i = 0;
  #it: AsyncIterator<T> | undefined;
  #finished = false;
  constructor(private readonly sources: Source<T>[]) {
    super();
  }
  protected async step(): Promise<IteratorResult<T, undefined>> {
    try {
      while (!this.#finished) {
        if (this.#it === undefined) {
          if (this.#i === this.sources.length) {
            this.#finished = true;
            break;
          }
          this.#it = getAsyncIterator(this.sources[this.#i++]!);
        }
        let r: IteratorResult<T>;
        try {
          r = await this.#it.next();
        } catch (error) {
          this.#finished = true;
          this.#it = undefined;
          throw error;
        }
        if (this.#finished) break;
        if (!r.done) return { value: r.value, done: false };
        this.#it = undefined;
      }
      return done();
    } finally {
      this.release();
    }
  }
  async return(): Promise<IteratorResult<T, undefined>> {
    if (!this.#finished) {
      this.#finished = true;
      const it = this.#it;
      this.#it = undefined;
      await closeAsync(it);
    }
    return done();
  }
}

/**
 * The elements of each source in turn (Python `itertools.chain`; ES `Iterator.concat`; IxJS
 * `concat`). Sync when every source is sync, async otherwise. Each source is opened only when the
 * one before it is exhausted; a stop closes the open one.
 *
 * @example
 * ```ts
 * pipe(concat([1, 2], new Set([3])), toArray()); // [1, 2, 3]
 * ```
 */
export function concat<T>(...sources: Iterable<T>[]): Stream<T>;
export function concat<T>(...sources: Source<T>[]): AsyncStream<T>;
export function concat<T>(...sources: Source<T>[]): Stream<T> | AsyncStream<T> {
  sources.forEach((s, i) => {
    assertSource(s, "concat", `source ${i + 1}`);
  });
  return sources.some(isAsyncIterable)
    ? new AsyncConcatStream(sources)
    : new ConcatStream(sources as Iterable<T>[]);
}

class ZipStream<T extends unknown[]> implements Stream<T> {
  #its: Iterator<unknown>[] | undefined;
  #finished = false;
  constructor(private readonly sources: Iterable<unknown>[]) {}
  [Symbol.iterator](): Stream<T> {
    return this;
  }
  next(): IteratorResult<T, undefined> {
    if (this.#finished) return done();
    this.#its ??= this.sources.map((s) => s[Symbol.iterator]());
    const its = this.#its;
    if (its.length === 0) return this.#end(-1);
    const values = new Array(its.length) as T;
    for (let i = 0; i < its.length; i++) {
      let r: IteratorResult<unknown>;
      try {
        r = its[i]!.next();
      } catch (error) {
        this.#end(i, true);
        throw error;
      }
      if (r.done) return this.#end(i);
      values[i] = r.value;
    }
    return { value: values, done: false };
  }
  /** Ends the zip: every source but the one that ended (or failed) at `skip` is closed. */
  #end(skip: number, quietly = false): IteratorResult<T, undefined> {
    this.#finished = true;
    const its = this.#its ?? [];
    this.#its = undefined;
    let first: { error: unknown } | undefined;
    its.forEach((it, i) => {
      if (i === skip) return;
      if (quietly) closeSyncQuietly(it);
      else {
        try {
          closeSync(it);
        } catch (error) {
          first ??= { error };
        }
      }
    });
    if (first) throw first.error;
    return done();
  }
  return(): IteratorResult<T, undefined> {
    if (this.#finished) return done();
    return this.#end(-1);
  }
  [Symbol.dispose](): void {
    this.return();
  }
}

class AsyncZipStream<T extends unknown[]> extends SerialAsyncStream<T> {
  #its: AsyncIterator<unknown>[] | undefined;
  #finished = false;
  constructor(private readonly sources: Source<unknown>[]) {
    super();
  }
  protected async step(): Promise<IteratorResult<T, undefined>> {
    try {
      if (this.#finished) return done();
      this.#its ??= this.sources.map((s) => getAsyncIterator(s));
      const its = this.#its;
      if (its.length === 0) {
        await this.#end(new Set());
        return done();
      }
      // One next() per source, in parallel.
      const results = await Promise.allSettled(its.map((it) => it.next()));
      if (this.#finished) return done();
      const failed = results.findIndex((r) => r.status === "rejected");
      const ended = new Set<number>();
      results.forEach((r, i) => {
        if (r.status === "rejected" || r.value.done) ended.add(i);
      });
      if (failed >= 0) {
        await this.#end(ended, true);
        throw (results[failed] as PromiseRejectedResult).reason;
      }
      if (ended.size > 0) {
        await this.#end(ended);
        return done();
      }
      return {
        value: results.map(
          (r) => (r as PromiseFulfilledResult<IteratorResult<unknown>>).value.value,
        ) as T,
        done: false,
      };
    } finally {
      this.release();
    }
  }
  async #end(skip: Set<number>, quietly = false): Promise<void> {
    this.#finished = true;
    const its = this.#its ?? [];
    this.#its = undefined;
    const open = its.filter((_, i) => !skip.has(i));
    if (quietly) await Promise.all(open.map(closeAsyncQuietly));
    else {
      const rs = await Promise.allSettled(open.map((it) => closeAsync(it)));
      const bad = rs.find((r) => r.status === "rejected");
      if (bad) throw (bad as PromiseRejectedResult).reason;
    }
  }
  async return(): Promise<IteratorResult<T, undefined>> {
    if (!this.#finished) await this.#end(new Set());
    return done();
  }
}

type Elements<S extends readonly unknown[]> = {
  [K in keyof S]: S[K] extends AsyncIterable<infer T>
    ? T
    : S[K] extends Iterable<infer T>
      ? T
      : never;
};

/**
 * Tuples of the sources' elements at the same position, ending with the shortest source (Python
 * `zip`; IxJS `zip`; ES `Iterator.zip` with `mode: "shortest"`). When one source ends or fails,
 * the others are closed. Sync when every source is sync; an async zip pulls all sources in
 * parallel, one `next()` each.
 *
 * @example
 * ```ts
 * pipe(zip([1, 2, 3], ["a", "b"]), toArray()); // [[1, "a"], [2, "b"]]
 * ```
 */
export function zip<S extends Iterable<unknown>[]>(...sources: S): Stream<Elements<S>>;
export function zip<S extends Source<unknown>[]>(...sources: S): AsyncStream<Elements<S>>;
export function zip(...sources: Source<unknown>[]): Stream<unknown[]> | AsyncStream<unknown[]> {
  sources.forEach((s, i) => {
    assertSource(s, "zip", `source ${i + 1}`);
  });
  return sources.some(isAsyncIterable)
    ? new AsyncZipStream(sources)
    : new ZipStream(sources as Iterable<unknown>[]);
}
