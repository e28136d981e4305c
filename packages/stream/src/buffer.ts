/** buffer (bounded read-ahead) and abortable (an AbortSignal for any async pipeline). */
import { SignalLink } from "./internal/signal.ts";
import {
  assertCount,
  assertOptions,
  assertSignal,
  closeAsync,
  getAsyncIterator,
  isIteratorObject,
} from "./internal/util.ts";
import { makeStage } from "./pipe.ts";
import type { AsyncOperator, AsyncStream, Source } from "./types.ts";

type Item<T> = { ok: true; r: IteratorResult<T> } | { ok: false; error: unknown };
type Waiter<T> = {
  resolve: (r: IteratorResult<T, undefined>) => void;
  reject: (e: unknown) => void;
};
const done = <T>(): IteratorResult<T, undefined> => ({ value: undefined, done: true });

/**
 * Shared by buffer and abortable: pulls the source one `next()` at a time, keeps up to `size`
 * results ahead of the consumer, and stops (closing the source, removing the signal listener) on
 * return, error, end or abort.
 */
class ReadAheadStream<T> implements AsyncStream<T> {
  #source: Source<T> | undefined;
  #it: AsyncIterator<T> | undefined;
  #link: SignalLink | undefined;
  #started = false;
  #finished = false;
  #pulling = false;
  #sourceDone = false;
  readonly #items: Item<T>[] = [];
  readonly #waiters: Waiter<T>[] = [];
  #abortError: { reason: unknown } | undefined;

  constructor(
    source: Source<T>,
    private readonly size: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.#source = source;
  }

  [Symbol.asyncIterator](): AsyncStream<T> {
    return this;
  }

  /** Results pulled and not yet taken. */
  get buffered(): number {
    return this.#items.length;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#abortError !== undefined) {
      const { reason } = this.#abortError;
      this.#abortError = undefined;
      return Promise.reject(reason);
    }
    if (this.#finished) return Promise.resolve(done());
    if (!this.#started) {
      this.#started = true;
      this.#link = new SignalLink(this.signal, (reason) => this.#abort(reason));
      if (this.#finished) return this.next();
      this.#it = getAsyncIterator(this.#source!);
      this.#source = undefined;
    }
    const p = new Promise<IteratorResult<T, undefined>>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
    });
    this.#pump();
    return p;
  }

  #pump(): void {
    while (!this.#finished && this.#waiters.length > 0 && this.#items.length > 0) {
      const item = this.#items.shift()!;
      const w = this.#waiters.shift()!;
      if (!item.ok) {
        this.#finish(false);
        w.reject(item.error);
        return;
      }
      if (item.r.done) {
        this.#finish(false);
        w.resolve(done());
        return;
      }
      w.resolve({ value: item.r.value, done: false });
    }
    if (this.#finished || this.#pulling || this.#sourceDone) return;
    // Pull when someone waits, or to read ahead while fewer than `size` results are held.
    if (this.#waiters.length > 0 || this.#items.length < this.size) this.#pull();
  }

  #pull(): void {
    this.#pulling = true;
    this.#it!.next().then(
      (r) => {
        this.#pulling = false;
        if (this.#finished) return;
        if (r.done) {
          this.#sourceDone = true;
          this.#it = undefined;
        }
        this.#items.push({ ok: true, r });
        this.#pump();
      },
      (error: unknown) => {
        this.#pulling = false;
        if (this.#finished) return;
        this.#sourceDone = true;
        this.#it = undefined;
        this.#items.push({ ok: false, error });
        this.#pump();
      },
    );
  }

  #finish(close: boolean): AsyncIterator<T> | undefined {
    this.#finished = true;
    this.#link?.dispose();
    this.#link = undefined;
    this.#items.length = 0;
    const it = this.#it;
    this.#it = undefined;
    for (const w of this.#waiters.splice(0)) w.resolve(done());
    return close ? it : undefined;
  }

  #abort(reason: unknown): void {
    const waiters = this.#waiters.splice(0);
    const source = this.#source;
    this.#source = undefined;
    const it = this.#finish(true);
    if (it !== undefined) closeAsync(it).catch(() => {});
    else if (isIteratorObject(source)) closeAsync(source).catch(() => {});
    if (waiters.length === 0) this.#abortError = { reason };
    for (const w of waiters) w.reject(reason);
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    if (this.#finished) return done();
    const source = this.#source;
    this.#source = undefined;
    const it = this.#finish(true);
    if (it !== undefined) await closeAsync(it);
    else if (isIteratorObject(source)) await closeAsync(source);
    return done();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }
}

/** Options of {@link buffer}. */
export interface BufferOptions {
  /** Stops the stream when aborted (pending `next()` rejects with the reason; the source is closed). */
  signal?: AbortSignal;
}

/**
 * Read-ahead: once iteration has started, keeps pulling the source while the consumer is busy,
 * holding at most `size` results, so a slow producer and a slow consumer overlap (it-parallel's
 * buffering; Node `Readable` `highWaterMark` in object mode). The source sees one `next()` at a
 * time; a stop (break, return, abort) pulls nothing more, drops the held results and closes it.
 *
 * @param size results held at most: an integer ≥ 1 or `Infinity`. Cost: that many elements alive.
 * @example
 * ```ts
 * for await (const row of pipe(readCsv("big.csv"), buffer(1000))) await save(row);
 * ```
 */
export function buffer<T>(size: number, options: BufferOptions = {}): AsyncOperator<T, T> {
  const n = assertCount(size, "buffer", "size", 1, true);
  assertOptions(options, "buffer");
  const signal = assertSignal(options.signal, "buffer");
  return makeStage({
    type: "wrap",
    name: "buffer",
    async: true,
    wrap: (source) => new ReadAheadStream(source as Source<T>, n, signal),
  });
}

/**
 * Ties an async pipeline to an `AbortSignal`: on abort a pending `next()` rejects at once with the
 * signal's reason (without waiting for the source), then the source is closed and the stream ends.
 * The listener is added at the first `next()` and removed when the stream ends. Reads no element
 * ahead.
 *
 * @example
 * ```ts
 * const lines = pipe(readLines("app.log"), abortable(AbortSignal.timeout(5_000)));
 * ```
 */
export function abortable<T>(signal: AbortSignal): AsyncOperator<T, T> {
  const s = assertSignal(signal, "abortable");
  if (s === undefined)
    throw new TypeError("abortable: signal must be an AbortSignal, got undefined");
  return makeStage({
    type: "wrap",
    name: "abortable",
    async: true,
    wrap: (source) => new ReadAheadStream(source as Source<T>, 0, s),
  });
}
