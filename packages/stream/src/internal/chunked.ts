/**
 * Streams that turn a source of chunks into a stream of records (lines, CSV rows, column
 * batches) with a push-style transformer. A transformer's error (a bad CSV record) is delivered
 * after the records that came before it in the same chunk: nothing accepted is lost.
 */
import type { Source, Stream } from "../types.ts";
import { SerialAsyncStream } from "./fused.ts";
import {
  closeAsync,
  closeAsyncQuietly,
  closeSync,
  closeSyncQuietly,
  getAsyncIterator,
  isIteratorObject,
} from "./util.ts";

export interface ChunkTransformer<I, O> {
  /** Parses `chunk`, appending complete records to `out`; may throw after appending some. */
  write(chunk: I, out: O[]): void;
  /** The input ended: append what is left; may throw. */
  end(out: O[]): void;
}

const done = <T>(): IteratorResult<T, undefined> => ({ value: undefined, done: true });

export class ChunkedStream<I, O> implements Stream<O> {
  #source: Iterable<I> | undefined;
  #it: Iterator<I> | undefined;
  #out: O[] = [];
  #oi = 0;
  #error: { error: unknown } | undefined;
  #finished = false;

  constructor(
    source: Iterable<I>,
    private readonly transformer: ChunkTransformer<I, O>,
  ) {
    this.#source = source;
  }

  [Symbol.iterator](): Stream<O> {
    return this;
  }

  next(): IteratorResult<O, undefined> {
    for (;;) {
      if (this.#oi < this.#out.length) {
        const value = this.#out[this.#oi++]!;
        if (this.#oi === this.#out.length) {
          this.#out = [];
          this.#oi = 0;
        }
        return { value, done: false };
      }
      if (this.#error !== undefined) {
        const { error } = this.#error;
        this.#error = undefined;
        throw error;
      }
      if (this.#finished) return done();
      if (this.#it === undefined) {
        this.#it = this.#source![Symbol.iterator]();
        this.#source = undefined;
      }
      let r: IteratorResult<I>;
      try {
        r = this.#it.next();
      } catch (error) {
        this.#finished = true;
        this.#it = undefined;
        throw error;
      }
      try {
        if (r.done) {
          this.#finished = true;
          this.#it = undefined;
          this.transformer.end(this.#out);
        } else {
          this.transformer.write(r.value, this.#out);
        }
      } catch (error) {
        const it = this.#it;
        this.#finished = true;
        this.#it = undefined;
        closeSyncQuietly(it);
        this.#error = { error };
      }
    }
  }

  return(): IteratorResult<O, undefined> {
    this.#out = [];
    this.#oi = 0;
    this.#error = undefined;
    if (this.#finished) return done();
    this.#finished = true;
    const it = this.#it;
    const source = this.#source;
    this.#it = undefined;
    this.#source = undefined;
    if (it !== undefined) closeSync(it);
    else if (isIteratorObject(source)) closeSync(source);
    return done();
  }

  [Symbol.dispose](): void {
    this.return();
  }
}

export class AsyncChunkedStream<I, O> extends SerialAsyncStream<O> {
  #source: Source<I> | undefined;
  #it: AsyncIterator<I> | undefined;
  #out: O[] = [];
  #oi = 0;
  #error: { error: unknown } | undefined;
  #finished = false;

  constructor(
    source: Source<I>,
    private readonly transformer: ChunkTransformer<I, O>,
  ) {
    super();
    this.#source = source;
  }

  protected async step(): Promise<IteratorResult<O, undefined>> {
    try {
      for (;;) {
        if (this.#oi < this.#out.length) {
          const value = this.#out[this.#oi++]!;
          if (this.#oi === this.#out.length) {
            this.#out = [];
            this.#oi = 0;
          }
          return { value, done: false };
        }
        if (this.#error !== undefined) {
          const { error } = this.#error;
          this.#error = undefined;
          throw error;
        }
        if (this.#finished) return done();
        if (this.#it === undefined) {
          this.#it = getAsyncIterator(this.#source!);
          this.#source = undefined;
        }
        let r: IteratorResult<I>;
        try {
          r = await this.#it.next();
        } catch (error) {
          if (this.#finished) return done();
          this.#finished = true;
          this.#it = undefined;
          throw error;
        }
        if (this.#finished) return done();
        try {
          if (r.done) {
            this.#finished = true;
            this.#it = undefined;
            this.transformer.end(this.#out);
          } else {
            this.transformer.write(r.value, this.#out);
          }
        } catch (error) {
          const it = this.#it;
          this.#finished = true;
          this.#it = undefined;
          await closeAsyncQuietly(it);
          this.#error = { error };
        }
      }
    } finally {
      this.release();
    }
  }

  async return(): Promise<IteratorResult<O, undefined>> {
    this.#out = [];
    this.#oi = 0;
    this.#error = undefined;
    if (this.#finished) return done();
    this.#finished = true;
    const it = this.#it;
    const source = this.#source;
    this.#it = undefined;
    this.#source = undefined;
    if (it !== undefined) await closeAsync(it);
    else if (isIteratorObject(source)) await closeAsync(source);
    return done();
  }
}

/** Decodes string or byte chunks to text (UTF-8 by default, BOM dropped, split characters kept). */
export class TextChunks {
  #decoder: InstanceType<typeof TextDecoder> | undefined;
  #first = true;
  constructor(private readonly encoding: string) {}
  decode(chunk: unknown, who: string): string {
    let text: string;
    if (typeof chunk === "string") text = chunk;
    else if (chunk instanceof Uint8Array) {
      this.#decoder ??= new TextDecoder(this.encoding);
      text = this.#decoder.decode(chunk, { stream: true });
    } else {
      throw new TypeError(
        `${who}: chunks must be strings or Uint8Arrays, got ${chunk === null ? "null" : typeof chunk}`,
      );
    }
    if (this.#first && text.length > 0) {
      this.#first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }
  flush(): string {
    return this.#decoder?.decode() ?? "";
  }
}
