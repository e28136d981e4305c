/** flatMap's pull-mode iterators: the inner iterable is pulled lazily, one element per `next()`. */
import type { Source, Stream } from "../types.ts";
import { SerialAsyncStream } from "./fused.ts";
import {
  closeAsync,
  closeAsyncQuietly,
  closeSync,
  closeSyncQuietly,
  describe,
  getAsyncIterator,
  isAsyncIterable,
  isIterable,
  isIteratorObject,
} from "./util.ts";

const done = <T>(): IteratorResult<T, undefined> => ({ value: undefined, done: true });

export class FlatMapStream<T> implements Stream<T> {
  #source: Iterable<unknown> | undefined;
  #outer: Iterator<unknown> | undefined;
  #inner: Iterator<unknown> | undefined;
  #i = 0;
  #finished = false;

  /** GetIteratorFlattenable (reject-primitives): an iterable object, not a string. */
  static inner(value: unknown): Iterable<unknown> {
    if (typeof value !== "object" || value === null || !isIterable(value)) {
      throw new TypeError(`flatMap: fn must return an iterable object, got ${describe(value)}`);
    }
    return value;
  }

  constructor(
    source: Iterable<unknown>,
    private readonly fn: (value: unknown, index: number) => unknown,
  ) {
    this.#source = source;
  }

  [Symbol.iterator](): Stream<T> {
    return this;
  }

  next(): IteratorResult<T, undefined> {
    for (;;) {
      if (this.#finished) return done();
      const inner = this.#inner;
      if (inner !== undefined) {
        let r: IteratorResult<unknown>;
        try {
          r = inner.next();
        } catch (error) {
          this.#inner = undefined;
          this.#fail();
          throw error;
        }
        if (!r.done) return { value: r.value as T, done: false };
        this.#inner = undefined;
      }
      if (this.#outer === undefined) {
        this.#outer = this.#source![Symbol.iterator]();
        this.#source = undefined;
      }
      let r: IteratorResult<unknown>;
      try {
        r = this.#outer.next();
      } catch (error) {
        this.#finished = true;
        this.#outer = undefined;
        throw error;
      }
      if (r.done) {
        this.#finished = true;
        this.#outer = undefined;
        return done();
      }
      try {
        this.#inner = FlatMapStream.inner(this.fn(r.value, this.#i++))[Symbol.iterator]();
      } catch (error) {
        this.#fail();
        throw error;
      }
    }
  }

  #fail(): void {
    this.#finished = true;
    const outer = this.#outer;
    this.#outer = undefined;
    closeSyncQuietly(outer);
  }

  return(): IteratorResult<T, undefined> {
    if (this.#finished) return done();
    this.#finished = true;
    const { inner, outer, source } = {
      inner: this.#inner,
      outer: this.#outer,
      source: this.#source,
    };
    this.#inner = this.#outer = this.#source = undefined;
    try {
      closeSync(inner);
    } finally {
      if (outer !== undefined) closeSync(outer);
      else if (isIteratorObject(source)) closeSync(source);
    }
    return done();
  }

  [Symbol.dispose](): void {
    this.return();
  }
}

export class FlatMapAsyncStream<T> extends SerialAsyncStream<T> {
  #source: Source<unknown> | undefined;
  #outer: AsyncIterator<unknown> | undefined;
  #inner: AsyncIterator<unknown> | undefined;
  #i = 0;
  #finished = false;

  static async inner(value: unknown): Promise<Source<unknown>> {
    const v = await value;
    if (typeof v !== "object" || v === null || !(isIterable(v) || isAsyncIterable(v))) {
      throw new TypeError(
        `flatMap: fn must return an iterable or async iterable object, got ${describe(v)}`,
      );
    }
    return v;
  }

  constructor(
    source: Source<unknown>,
    private readonly fn: (value: unknown, index: number) => unknown,
  ) {
    super();
    this.#source = source;
  }

  protected async step(): Promise<IteratorResult<T, undefined>> {
    try {
      for (;;) {
        if (this.#finished) return done();
        const inner = this.#inner;
        if (inner !== undefined) {
          let r: IteratorResult<unknown>;
          try {
            r = await inner.next();
          } catch (error) {
            this.#inner = undefined;
            await this.#fail();
            throw error;
          }
          if (this.#finished) return done();
          if (!r.done) return { value: r.value as T, done: false };
          this.#inner = undefined;
        }
        if (this.#outer === undefined) {
          this.#outer = getAsyncIterator(this.#source!);
          this.#source = undefined;
        }
        let r: IteratorResult<unknown>;
        try {
          r = await this.#outer.next();
        } catch (error) {
          this.#finished = true;
          this.#outer = undefined;
          throw error;
        }
        if (this.#finished) return done();
        if (r.done) {
          this.#finished = true;
          this.#outer = undefined;
          return done();
        }
        try {
          this.#inner = getAsyncIterator(
            await FlatMapAsyncStream.inner(this.fn(r.value, this.#i++)),
          );
        } catch (error) {
          await this.#fail();
          throw error;
        }
      }
    } finally {
      this.release();
    }
  }

  async #fail(): Promise<void> {
    this.#finished = true;
    const outer = this.#outer;
    this.#outer = undefined;
    await closeAsyncQuietly(outer);
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    if (this.#finished) return done();
    this.#finished = true;
    const { inner, outer, source } = {
      inner: this.#inner,
      outer: this.#outer,
      source: this.#source,
    };
    this.#inner = this.#outer = this.#source = undefined;
    try {
      await closeAsync(inner);
    } finally {
      if (outer !== undefined) await closeAsync(outer);
      else if (isIteratorObject(source)) await closeAsync(source);
    }
    return done();
  }
}
