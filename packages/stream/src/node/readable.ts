/** fromReadable / toReadable: Node `Readable` streams in and out of pipelines. */

import { Readable } from "node:stream";
import type { AsyncStream, Source } from "@heapwise/stream";
import { SerialAsyncStream } from "../internal/fused.ts";
import { SignalLink } from "../internal/signal.ts";
import {
  assertCount,
  assertOptions,
  assertSignal,
  assertSource,
  closeAsync,
  describe,
  getAsyncIterator,
} from "../internal/util.ts";

const done = <T>(): IteratorResult<T, undefined> => ({ value: undefined, done: true });

/** Options of the functions that read (`fromReadable`, `readLines`, `readCsv`). */
export interface ReadOptions {
  /**
   * Stops reading when aborted: the stream (and the file) is destroyed, a pending `next()` rejects
   * with the signal's reason. The listener is removed when the stream ends.
   */
  signal?: AbortSignal;
}

/** @internal An async stream over a Readable that it owns: destroyed on every early exit. */
export class ReadableSource<T> extends SerialAsyncStream<T> {
  #open: (() => Readable) | undefined;
  #readable: Readable | undefined;
  #it: AsyncIterator<T> | undefined;
  #link: SignalLink | undefined;
  #finished = false;

  /** Whether we opened the Readable (a file): then stopping waits until it is closed. */
  readonly #owned: boolean;

  constructor(
    open: () => Readable,
    private readonly signal: AbortSignal | undefined,
    given?: Readable,
  ) {
    super();
    this.#open = open;
    this.#readable = given;
    this.#owned = given === undefined;
  }

  /** For a file we opened: resolves once its descriptor is closed ('close' follows destroy). */
  async #closed(readable: Readable | undefined): Promise<void> {
    if (readable === undefined || !this.#owned) return;
    if (!readable.destroyed) readable.destroy();
    if (readable.closed) return;
    await new Promise<void>((resolve) => readable.once("close", () => resolve()));
  }

  protected async step(): Promise<IteratorResult<T, undefined>> {
    try {
      if (this.#finished) return done();
      if (this.#it === undefined) {
        if (this.signal?.aborted) {
          this.#finish()?.destroy();
          throw this.signal.reason;
        }
        // (a never-opened file needs no closing)
        if (this.#readable === undefined) this.#readable = this.#open!();
        const readable = this.#readable;
        this.#open = undefined;
        this.#it = readable[Symbol.asyncIterator]() as AsyncIterator<T>;
        this.#link = new SignalLink(this.signal, (reason) => {
          readable.destroy(reason instanceof Error ? reason : new Error(String(reason)));
        });
      }
      let r: IteratorResult<T>;
      try {
        r = await this.#it.next();
      } catch (error) {
        await this.#closed(this.#finish());
        throw error;
      }
      if (this.#finished) return done();
      if (r.done) {
        await this.#closed(this.#finish());
        return done();
      }
      return { value: r.value, done: false };
    } finally {
      this.release();
    }
  }

  #finish(): Readable | undefined {
    this.#finished = true;
    this.#link?.dispose();
    this.#link = undefined;
    this.#it = undefined;
    this.#open = undefined;
    const readable = this.#readable;
    this.#readable = undefined;
    return readable;
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    if (this.#finished) return done();
    const it = this.#it;
    const readable = this.#finish();
    if (it !== undefined) await closeAsync(it); // Node's iterator destroys the stream
    if (readable !== undefined && !readable.destroyed) readable.destroy();
    await this.#closed(readable);
    return done();
  }
}

/**
 * An async stream of a Node `Readable`'s chunks (Node's own `readable[Symbol.asyncIterator]`, with
 * an abort signal and `[Symbol.asyncDispose]`). Stopping early, or disposing the stream even
 * before the first `next()`, destroys the Readable (closing its file or socket).
 *
 * @example
 * ```ts
 * for await (const chunk of fromReadable(process.stdin, { signal })) …
 * ```
 */
export function fromReadable<T = Buffer>(
  readable: Readable,
  options: ReadOptions = {},
): AsyncStream<T> {
  if (
    !(readable instanceof Readable) &&
    typeof (readable as Readable)?.[Symbol.asyncIterator] !== "function"
  ) {
    throw new TypeError(
      `fromReadable: readable must be a Node Readable, got ${describe(readable)}`,
    );
  }
  assertOptions(options, "fromReadable");
  const signal = assertSignal(options.signal, "fromReadable");
  return new ReadableSource<T>(() => readable, signal, readable);
}

/** Options of {@link toReadable}. */
export interface ToReadableOptions {
  /** Object mode (default `true`); with `false` the elements must be strings or bytes. */
  objectMode?: boolean;
  /** The Readable's buffer (elements in object mode, bytes otherwise). Node's default if unset. */
  highWaterMark?: number;
  /** Destroys the Readable (closing the source) when aborted. */
  signal?: AbortSignal;
}

/**
 * A Node `Readable` that pulls from `source` as its consumer reads (backpressure included), for
 * `pipeline`, HTTP responses and other Node APIs. Destroying the Readable closes the source.
 *
 * @example
 * ```ts
 * await pipeline(toReadable(pipe(rows, map(toLine))), createWriteStream("out.txt"));
 * ```
 */
export function toReadable<T>(source: Source<T>, options: ToReadableOptions = {}): Readable {
  assertSource(source, "toReadable");
  assertOptions(options, "toReadable");
  const signal = assertSignal(options.signal, "toReadable");
  const objectMode = options.objectMode ?? true;
  const highWaterMark =
    options.highWaterMark === undefined
      ? undefined
      : assertCount(options.highWaterMark, "toReadable", "highWaterMark", 0);
  let it: AsyncIterator<T> | undefined;
  let reading = false;
  let link: SignalLink | undefined;
  const readable = new Readable({
    objectMode,
    ...(highWaterMark === undefined ? {} : { highWaterMark }),
    read() {
      if (reading) return;
      reading = true;
      it ??= getAsyncIterator(source);
      const pump = async (): Promise<void> => {
        try {
          for (;;) {
            const i = it;
            if (i === undefined) return;
            const r = await i.next();
            if (it === undefined) return; // destroyed meanwhile
            if (r.done) {
              it = undefined;
              readable.push(null);
              return;
            }
            if (!readable.push(r.value)) return;
          }
        } catch (error) {
          it = undefined;
          readable.destroy(error instanceof Error ? error : new Error(String(error)));
        } finally {
          reading = false;
        }
      };
      void pump();
    },
    destroy(error, callback) {
      link?.dispose();
      const i = it;
      it = undefined;
      if (i === undefined) callback(error);
      else
        closeAsync(i).then(
          () => callback(error),
          (e: unknown) => callback(error ?? (e as Error)),
        );
    },
  });
  link = new SignalLink(signal, (reason) =>
    readable.destroy(reason instanceof Error ? reason : new Error(String(reason))),
  );
  readable.once("close", () => link?.dispose());
  return readable;
}
