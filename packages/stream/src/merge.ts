/** merge: several sources into one async stream, in the order their elements arrive. */
import { SignalLink } from "./internal/signal.ts";
import {
  assertSignal,
  assertSource,
  closeAsync,
  getAsyncIterator,
  isAsyncIterable,
  isIterable,
} from "./internal/util.ts";
import type { AsyncStream, Source } from "./types.ts";

/** Options of {@link merge}. */
export interface MergeOptions {
  /** Stops the merged stream when aborted: pending `next()` rejects, every source is closed. */
  signal?: AbortSignal;
}

type Lane<T> = {
  it: AsyncIterator<T>;
  /** A `next()` of this source is in flight. */
  pulling: boolean;
  /** A result of this source waiting for the consumer (at most one per source). */
  ready: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  done: boolean;
};
type Waiter<T> = {
  resolve: (r: IteratorResult<T, undefined>) => void;
  reject: (e: unknown) => void;
};
const done = <T>(): IteratorResult<T, undefined> => ({ value: undefined, done: true });

class MergeStream<T> implements AsyncStream<T> {
  #sources: Source<T>[] | undefined;
  #lanes: Lane<T>[] = [];
  #link: SignalLink | undefined;
  #started = false;
  #finished = false;
  #turn = 0;
  readonly #waiters: Waiter<T>[] = [];
  #abortError: { reason: unknown } | undefined;

  constructor(
    sources: Source<T>[],
    private readonly signal: AbortSignal | undefined,
  ) {
    this.#sources = sources;
  }

  [Symbol.asyncIterator](): AsyncStream<T> {
    return this;
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
      this.#lanes = this.#sources!.map((s) => ({
        it: getAsyncIterator(s),
        pulling: false,
        ready: undefined,
        done: false,
      }));
      this.#sources = undefined;
    }
    const p = new Promise<IteratorResult<T, undefined>>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
    });
    this.#pump();
    return p;
  }

  #pump(): void {
    const lanes = this.#lanes;
    // Hand out ready results, taking the sources in turn so that none starves.
    while (!this.#finished && this.#waiters.length > 0) {
      let lane: Lane<T> | undefined;
      for (let k = 0; k < lanes.length; k++) {
        const l = lanes[(this.#turn + k) % lanes.length]!;
        if (l.ready !== undefined) {
          lane = l;
          this.#turn = (this.#turn + k + 1) % lanes.length;
          break;
        }
      }
      if (lane === undefined) break;
      const r = lane.ready!;
      lane.ready = undefined;
      const w = this.#waiters.shift()!;
      if (r.ok) w.resolve({ value: r.value, done: false });
      else {
        lane.done = true;
        this.#finish().catch(() => {});
        w.reject(r.error);
        return;
      }
    }
    if (this.#finished) return;
    if (lanes.every((l) => l.done && l.ready === undefined)) {
      this.#finish().catch(() => {});
      return;
    }
    // Pull only for a waiting consumer, and from each source at most one result ahead.
    if (this.#waiters.length === 0) return;
    for (const lane of lanes) {
      if (!lane.done && !lane.pulling && lane.ready === undefined) this.#pull(lane);
    }
  }

  #pull(lane: Lane<T>): void {
    lane.pulling = true;
    lane.it.next().then(
      (r) => {
        lane.pulling = false;
        if (this.#finished) return;
        if (r.done) lane.done = true;
        else lane.ready = { ok: true, value: r.value };
        this.#pump();
      },
      (error: unknown) => {
        lane.pulling = false;
        lane.done = true;
        if (this.#finished) return;
        lane.ready = { ok: false, error };
        this.#pump();
      },
    );
  }

  /** Ends the stream and closes every source that has not ended (even one paused at a yield). */
  async #finish(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    this.#link?.dispose();
    this.#link = undefined;
    for (const w of this.#waiters.splice(0)) w.resolve(done());
    const open = this.#lanes.filter((l) => !l.done);
    this.#lanes = [];
    const results = await Promise.allSettled(open.map((l) => closeAsync(l.it)));
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  #abort(reason: unknown): void {
    const waiters = this.#waiters.splice(0);
    this.#finish().catch(() => {});
    if (waiters.length === 0) this.#abortError = { reason };
    for (const w of waiters) w.reject(reason);
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    await this.#finish();
    return done();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }
}

/**
 * Interleaves several sources into one async stream, each element as soon as it arrives (it-merge;
 * IxJS `merge`; Python `aiostream.stream.merge`). Each source has at most one `next()` in flight
 * and at most one result waiting, and sources are pulled only while the consumer waits: an idle
 * consumer does not drain fast sources. When the consumer stops (break, return, abort) or a source
 * fails, every other source is closed, also one paused at a `yield`. Sync sources are accepted.
 * An options object with `signal` may come last.
 *
 * @example
 * ```ts
 * for await (const event of merge(clicks, keys, { signal })) handle(event);
 * ```
 */
export function merge<T>(...sources: [...Source<T>[], MergeOptions] | Source<T>[]): AsyncStream<T> {
  let options: MergeOptions = {};
  const last = sources[sources.length - 1];
  if (
    last !== undefined &&
    last !== null &&
    typeof last === "object" &&
    !isIterable(last) &&
    !isAsyncIterable(last)
  ) {
    options = sources.pop() as MergeOptions;
  }
  sources.forEach((s, i) => {
    assertSource(s, "merge", `source ${i + 1}`);
  });
  const signal = assertSignal(options.signal, "merge");
  return new MergeStream(sources as Source<T>[], signal);
}
