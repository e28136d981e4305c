/** mapConcurrent: async mapping with two bounds (work in flight, results buffered). */
import { SignalLink } from "./internal/signal.ts";
import {
  assertCount,
  assertFunction,
  assertOptions,
  assertSignal,
  closeAsync,
  describe,
  getAsyncIterator,
  isAsyncIterable,
  isIteratorObject,
} from "./internal/util.ts";
import { makeStage } from "./pipe.ts";
import type { AsyncOperator, AsyncStream, Source } from "./types.ts";

/** Options of {@link mapConcurrent}. */
export interface MapConcurrentOptions {
  /**
   * Calls of `fn` in flight at most (started, not settled). Required: an integer ≥ 1 or
   * `Infinity`. Cost: that many promises and source elements alive at once.
   */
  concurrency: number;
  /**
   * Results held at most: finished calls whose results the consumer has not taken yet, plus calls
   * in flight (each may become such a result). Default `2 × concurrency`; must be ≥ `concurrency`.
   * Caveat: in ordered mode one slow call holds back the results after it, which then fill this
   * bound and pause new work until it finishes.
   */
  highWaterMark?: number;
  /** Yield results in source order (default `true`) or in completion order (`false`). */
  ordered?: boolean;
  /**
   * Stops the stream when aborted: pending and next `next()` calls reject with the signal's reason
   * (once), calls in flight get an aborted signal, the source is closed. The listener is removed
   * when the stream ends.
   */
  signal?: AbortSignal;
}

/** What `fn` of {@link mapConcurrent} receives besides the element. */
export interface MapConcurrentContext {
  /** The element's position in the source. */
  readonly index: number;
  /** Aborted when the stream stops early (return, error, abort): cancel the work with it. */
  readonly signal: AbortSignal;
}

type Settled<U> = { ok: true; value: U } | { ok: false; error: unknown };
type Waiter<U> = {
  resolve: (r: IteratorResult<U, undefined>) => void;
  reject: (e: unknown) => void;
};
const done = <T>(): IteratorResult<T, undefined> => ({ value: undefined, done: true });

class MapConcurrentStream<T, U> implements AsyncStream<U> {
  #source: Source<T> | undefined;
  #it: AsyncIterator<T> | Iterator<T> | undefined;
  #syncIt = false;
  readonly #controller = new AbortController();
  #link: SignalLink | undefined;
  #started = false;
  #finished = false;
  #pulling = false;
  #sourceDone = false;
  #stopPulling = false; // after an error: no new work
  #inFlight = 0;
  #nextIndex = 0;
  #deliverIndex = 0;
  readonly #results = new Map<number, Settled<U>>(); // ordered mode
  readonly #ready: Settled<U>[] = []; // unordered mode
  readonly #waiters: Waiter<U>[] = [];
  #abortError: { reason: unknown } | undefined;

  constructor(
    source: Source<T>,
    private readonly fn: (value: T, context: MapConcurrentContext) => U | PromiseLike<U>,
    private readonly concurrency: number,
    private readonly highWaterMark: number,
    private readonly ordered: boolean,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.#source = source;
  }

  [Symbol.asyncIterator](): AsyncStream<U> {
    return this;
  }

  /** Work in flight and finished results not yet taken (the `highWaterMark` bound). */
  get held(): number {
    return this.#inFlight + (this.ordered ? this.#results.size : this.#ready.length);
  }

  next(): Promise<IteratorResult<U, undefined>> {
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
      const source = this.#source!;
      this.#source = undefined;
      this.#syncIt = !isAsyncIterable(source);
      this.#it = this.#syncIt
        ? (source as Iterable<T>)[Symbol.iterator]()
        : getAsyncIterator(source);
    }
    const p = new Promise<IteratorResult<U, undefined>>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
    });
    this.#pump();
    return p;
  }

  #hasReady(): boolean {
    return this.ordered ? this.#results.has(this.#deliverIndex) : this.#ready.length > 0;
  }

  #takeReady(): Settled<U> {
    if (!this.ordered) return this.#ready.shift()!;
    const r = this.#results.get(this.#deliverIndex)!;
    this.#results.delete(this.#deliverIndex++);
    return r;
  }

  #pump(): void {
    // Loops because a pull from a sync source changes the state at once.
    for (;;) {
      while (!this.#finished && this.#waiters.length > 0 && this.#hasReady()) {
        const r = this.#takeReady();
        const w = this.#waiters.shift()!;
        if (r.ok) w.resolve({ value: r.value, done: false });
        else {
          this.#finish();
          w.reject(r.error);
          return;
        }
      }
      if (this.#finished) return;
      if ((this.#sourceDone || this.#stopPulling) && this.#inFlight === 0 && !this.#hasReady()) {
        this.#finish();
        return;
      }
      if (
        this.#pulling ||
        this.#sourceDone ||
        this.#stopPulling ||
        this.#inFlight >= this.concurrency ||
        this.held >= this.highWaterMark
      ) {
        return;
      }
      this.#pull();
    }
  }

  #pull(): void {
    const it = this.#it!;
    const index = this.#nextIndex;
    if (this.#syncIt) {
      let r: IteratorResult<T>;
      try {
        r = (it as Iterator<T>).next();
      } catch (error) {
        this.#sourceFailed(index, error);
        return;
      }
      this.#pulled(index, r);
      return;
    }
    this.#pulling = true;
    (it as AsyncIterator<T>).next().then(
      (r) => {
        this.#pulling = false;
        if (this.#finished) return;
        this.#pulled(index, r);
        this.#pump();
      },
      (error: unknown) => {
        this.#pulling = false;
        if (this.#finished) return;
        this.#sourceFailed(index, error);
        this.#pump();
      },
    );
  }

  #sourceFailed(index: number, error: unknown): void {
    this.#sourceDone = true;
    this.#it = undefined;
    this.#nextIndex++;
    this.#settle(index, { ok: false, error }, false);
  }

  #pulled(index: number, r: IteratorResult<T>): void {
    if (r.done) {
      this.#sourceDone = true;
      this.#it = undefined;
      return;
    }
    this.#nextIndex++;
    this.#inFlight++;
    let out: U | PromiseLike<U>;
    try {
      out = this.fn(r.value, { index, signal: this.#controller.signal });
    } catch (error) {
      this.#settle(index, { ok: false, error }, true);
      return;
    }
    Promise.resolve(out).then(
      (value) => {
        if (this.#finished) return;
        this.#settle(index, { ok: true, value }, true);
        this.#pump();
      },
      (error: unknown) => {
        if (this.#finished) return;
        this.#settle(index, { ok: false, error }, true);
        this.#pump();
      },
    );
  }

  #settle(index: number, r: Settled<U>, wasInFlight: boolean): void {
    if (wasInFlight) this.#inFlight--;
    if (!r.ok) this.#stopPulling = true;
    if (this.ordered) this.#results.set(index, r);
    else this.#ready.push(r);
  }

  /** Ends the stream: no more pulls or calls; calls in flight are told through their signal. */
  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#link?.dispose();
    this.#link = undefined;
    this.#results.clear();
    this.#ready.length = 0;
    // Stopped early (return, abort, a failure): tell the calls that may still run.
    if (!this.#sourceDone || this.#inFlight > 0 || this.#stopPulling) {
      this.#controller.abort(new DOMException("mapConcurrent stopped", "AbortError"));
    }
    const it = this.#it;
    this.#it = undefined;
    for (const w of this.#waiters.splice(0)) w.resolve(done());
    if (it !== undefined) closeAsync(it).catch(() => {});
  }

  #abort(reason: unknown): void {
    const waiters = this.#waiters.splice(0);
    const source = this.#source;
    this.#source = undefined;
    this.#finish();
    if (isIteratorObject(source)) closeAsync(source).catch(() => {});
    if (waiters.length === 0) this.#abortError = { reason };
    for (const w of waiters) w.reject(reason);
  }

  async return(): Promise<IteratorResult<U, undefined>> {
    if (this.#finished) return done();
    const it = this.#it;
    const source = this.#source;
    this.#it = undefined;
    this.#source = undefined;
    this.#finish();
    if (it !== undefined) await closeAsync(it);
    else if (isIteratorObject(source)) await closeAsync(source);
    return done();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }
}

/**
 * Maps each element with the async `fn`, running up to `concurrency` calls at once and holding at
 * most `highWaterMark` results (Node `Readable.map` with `concurrency`; p-map's `pMapIterable`;
 * it-parallel; Python `asyncio` with a semaphore). Results come in source order unless
 * `ordered: false`.
 *
 * Contract: nothing is pulled before the first `next()`; the source is pulled one element at a time
 * and only when a call can start within both bounds; once the consumer stops (break, return, a
 * rejected call, abort) no element is pulled and no call is started again, calls in flight see
 * `context.signal` aborted, their late results are dropped, and the source is closed. A failing
 * call rejects `next()` at its place in the order (results before it are delivered first); a
 * failing source likewise.
 *
 * @example
 * ```ts
 * const pages = pipe(
 *   urls,
 *   mapConcurrent((url, { signal }) => fetch(url, { signal }).then((r) => r.text()), {
 *     concurrency: 4,
 *     highWaterMark: 8,
 *   }),
 * );
 * for await (const page of pages) console.log(page.length);
 * ```
 */
export function mapConcurrent<T, U>(
  fn: (value: T, context: MapConcurrentContext) => U | PromiseLike<U>,
  options: MapConcurrentOptions,
): AsyncOperator<T, U> {
  assertFunction(fn, "mapConcurrent");
  if (options === undefined || options === null || typeof options !== "object") {
    throw new TypeError(
      `mapConcurrent: options { concurrency } are required, got ${describe(options)}`,
    );
  }
  assertOptions(options, "mapConcurrent");
  const concurrency = assertCount(options.concurrency, "mapConcurrent", "concurrency", 1, true);
  const highWaterMark =
    options.highWaterMark === undefined
      ? concurrency * 2
      : assertCount(options.highWaterMark, "mapConcurrent", "highWaterMark", 1, true);
  if (highWaterMark < concurrency) {
    throw new RangeError(
      `mapConcurrent: highWaterMark must be ≥ concurrency (${concurrency}), got ${highWaterMark}`,
    );
  }
  const ordered = options.ordered ?? true;
  if (typeof ordered !== "boolean") {
    throw new TypeError(`mapConcurrent: ordered must be a boolean, got ${describe(ordered)}`);
  }
  const signal = assertSignal(options.signal, "mapConcurrent");
  return makeStage({
    type: "wrap",
    name: "mapConcurrent",
    async: true,
    wrap: (source) =>
      new MapConcurrentStream(source as Source<T>, fn, concurrency, highWaterMark, ordered, signal),
  });
}
