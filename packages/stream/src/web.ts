/** fromWeb / toWeb: adapters between streams and WHATWG `ReadableStream`s (browsers and Node). */
import { SerialAsyncStream } from "./internal/fused.ts";
import {
  assertCount,
  assertOptions,
  assertSource,
  closeAsync,
  describe,
  getAsyncIterator,
} from "./internal/util.ts";
import type { AsyncStream, Source } from "./types.ts";

const done = <T>(): IteratorResult<T, undefined> => ({ value: undefined, done: true });

class FromWebStream<T> extends SerialAsyncStream<T> {
  #stream: ReadableStream<T> | undefined;
  #reader: ReadableStreamDefaultReader<T> | undefined;
  #finished = false;
  constructor(stream: ReadableStream<T>) {
    super();
    this.#stream = stream;
  }
  protected async step(): Promise<IteratorResult<T, undefined>> {
    try {
      if (this.#finished) return done();
      this.#reader ??= this.#stream!.getReader();
      this.#stream = undefined;
      let r: Awaited<ReturnType<ReadableStreamDefaultReader<T>["read"]>>;
      try {
        r = await this.#reader.read();
      } catch (error) {
        this.#release();
        throw error;
      }
      if (this.#finished) return done();
      if (r.done) {
        this.#release();
        return done();
      }
      return { value: r.value, done: false };
    } finally {
      this.release();
    }
  }
  #release(): void {
    this.#finished = true;
    this.#reader?.releaseLock();
    this.#reader = undefined;
  }
  async return(): Promise<IteratorResult<T, undefined>> {
    if (this.#finished) return done();
    this.#finished = true;
    const reader = this.#reader ?? this.#stream?.getReader();
    this.#reader = undefined;
    this.#stream = undefined;
    if (reader !== undefined) {
      await reader.cancel();
      reader.releaseLock();
    }
    return done();
  }
}

/**
 * An async stream over a WHATWG `ReadableStream` (fetch bodies, `Blob.stream()`, Node
 * `Readable.toWeb`). The reader is taken at the first `next()`; stopping early cancels the stream
 * (so the producer stops) and releases the lock.
 *
 * @example
 * ```ts
 * const res = await fetch(url);
 * for await (const line of splitLines(fromWeb(res.body!))) …
 * ```
 */
export function fromWeb<T>(stream: ReadableStream<T>): AsyncStream<T> {
  if (
    stream === null ||
    typeof stream !== "object" ||
    typeof (stream as ReadableStream<T>).getReader !== "function"
  ) {
    throw new TypeError(`fromWeb: stream must be a ReadableStream, got ${describe(stream)}`);
  }
  return new FromWebStream(stream);
}

/** Options of {@link toWeb}. */
export interface ToWebOptions {
  /** Elements the `ReadableStream` reads ahead of its reader. Default 0: pull only on demand. */
  highWaterMark?: number;
}

/**
 * A WHATWG `ReadableStream` that pulls from `source` on demand; cancelling it closes the source.
 *
 * @example
 * ```ts
 * return new Response(toWeb(pipe(rows, map((r) => `${JSON.stringify(r)}\n`))));
 * ```
 */
export function toWeb<T>(source: Source<T>, options: ToWebOptions = {}): ReadableStream<T> {
  assertSource(source, "toWeb");
  assertOptions(options, "toWeb");
  const highWaterMark = assertCount(options.highWaterMark ?? 0, "toWeb", "highWaterMark", 0);
  let it: AsyncIterator<T> | undefined;
  return new ReadableStream<T>(
    {
      async pull(controller) {
        it ??= getAsyncIterator(source);
        const r = await it.next();
        if (r.done) {
          it = undefined;
          controller.close();
        } else controller.enqueue(r.value);
      },
      async cancel() {
        const i = it;
        it = undefined;
        await closeAsync(i);
      },
    },
    { highWaterMark },
  );
}
