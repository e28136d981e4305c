/**
 * The drivers of a fused segment: one iterator (pull mode) or one loop (a terminal) around a chain
 * of sinks. This is where the cleanup contract lives for the fusible stages:
 * - the source iterator is created on the first `next()` (nothing is opened before that);
 * - when the chain is satisfied (take, find, …) the source's `return()` is called at once, before
 *   the last value is handed out, and nothing more is pulled;
 * - when a stage throws, the source is closed (IteratorClose with a throw completion) and the error
 *   propagates; when the source itself throws, it is not closed (it is already done);
 * - `return()` / `[Symbol.dispose]()` closes the source, also before the first `next()` when the
 *   source is an iterator object (as ES iterator helpers do).
 */
import type { AsyncStream, Source, Stream } from "../types.ts";
import type { Sink, Step, TerminalSink } from "./sink.ts";
import {
  closeAsync,
  closeAsyncQuietly,
  closeSync,
  closeSyncQuietly,
  getAsyncIterator,
  isIteratorObject,
} from "./util.ts";

const arrayValues = Array.prototype[Symbol.iterator];
const arrayIteratorProto = Object.getPrototypeOf([][Symbol.iterator]()) as Iterator<unknown>;
const arrayIteratorNext = arrayIteratorProto.next;

/** An array whose iteration is the built-in one (so indexing it is unobservably the same). */
function isPlainArray(source: Iterable<unknown>): source is unknown[] {
  return (
    Array.isArray(source) &&
    source[Symbol.iterator] === arrayValues &&
    arrayIteratorProto.next === arrayIteratorNext
  );
}

export type SinkFactory = (down: Sink<unknown>, async: boolean) => Sink<unknown>;

export function buildChain(
  factories: readonly SinkFactory[],
  last: Sink<unknown>,
  async: boolean,
): Sink<unknown> {
  let sink = last;
  for (let i = factories.length - 1; i >= 0; i--) sink = factories[i]!(sink, async);
  return sink;
}

/**
 * The last sink of a pull-mode segment: what the iterator hands out next. Most stages emit at most
 * one value per input, so the first value has a slot of its own and the array is rarely touched.
 */
class Collector implements Sink<unknown> {
  #slot: unknown;
  #hasSlot = false;
  #rest: unknown[] = [];
  #ri = 0;
  start(): boolean {
    return true;
  }
  push(value: unknown): boolean {
    if (!this.#hasSlot && this.#ri === this.#rest.length) {
      this.#slot = value;
      this.#hasSlot = true;
    } else this.#rest.push(value);
    return true;
  }
  end(): void {}
  get empty(): boolean {
    return !this.#hasSlot && this.#ri === this.#rest.length;
  }
  /** The next value; call only when not empty. */
  take(): unknown {
    if (this.#hasSlot) {
      const v = this.#slot;
      this.#slot = undefined;
      this.#hasSlot = false;
      return v;
    }
    const v = this.#rest[this.#ri++];
    if (this.#ri === this.#rest.length) {
      this.#rest = [];
      this.#ri = 0;
    }
    return v;
  }
  clear(): void {
    this.#slot = undefined;
    this.#hasSlot = false;
    this.#rest = [];
    this.#ri = 0;
  }
}

const done = <T>(): IteratorResult<T, undefined> => ({ value: undefined, done: true });

export class FusedStream<T> implements Stream<T> {
  #source: Iterable<unknown> | undefined;
  #it: Iterator<unknown> | undefined;
  /** A plain array source is indexed directly (unobservably the same as its iterator). */
  #array: unknown[] | undefined;
  #index = 0;
  #head: Sink<unknown> | undefined;
  #factories: readonly SinkFactory[];
  readonly #collector = new Collector();
  #finished = false;

  constructor(source: Iterable<unknown>, factories: readonly SinkFactory[]) {
    this.#source = source;
    this.#factories = factories;
  }

  [Symbol.iterator](): Stream<T> {
    return this;
  }

  next(): IteratorResult<T, undefined> {
    const q = this.#collector;
    if (!q.empty) return { value: q.take() as T, done: false };
    if (this.#finished) return done();
    let it = this.#it;
    let head = this.#head;
    if (head === undefined) {
      head = this.#head = buildChain(this.#factories, this.#collector, false);
      const source = this.#source!;
      this.#source = undefined;
      if (!head.start()) {
        this.#finished = true;
        if (isIteratorObject(source)) closeSync(source);
        head.end();
        return q.empty ? done() : { value: q.take() as T, done: false };
      }
      if (isPlainArray(source)) this.#array = source;
      else it = this.#it = source[Symbol.iterator]();
    }
    if (this.#array !== undefined) return this.#nextFromArray(this.#array, head, q);
    for (;;) {
      let r: IteratorResult<unknown>;
      try {
        r = it!.next();
      } catch (error) {
        this.#stop();
        throw error;
      }
      if (r.done) {
        this.#stop();
        head.end();
        break;
      }
      let more: Step;
      try {
        more = head.push(r.value);
      } catch (error) {
        this.#stop();
        closeSyncQuietly(it);
        throw error;
      }
      if (more === false) {
        this.#stop();
        closeSync(it);
        head.end();
        break;
      }
      if (!q.empty) break;
    }
    return q.empty ? done() : { value: q.take() as T, done: false };
  }

  #nextFromArray(
    array: unknown[],
    head: Sink<unknown>,
    q: Collector,
  ): IteratorResult<T, undefined> {
    let i = this.#index;
    for (;;) {
      if (i >= array.length) {
        this.#index = i;
        this.#stop();
        head.end();
        break;
      }
      let more: Step;
      try {
        more = head.push(array[i++]);
      } catch (error) {
        this.#index = i;
        this.#stop();
        throw error;
      }
      if (more === false) {
        this.#index = i;
        this.#stop();
        head.end();
        break;
      }
      if (!q.empty) {
        this.#index = i;
        break;
      }
    }
    return q.empty ? done() : { value: q.take() as T, done: false };
  }

  #stop(): void {
    this.#finished = true;
    this.#it = undefined;
    this.#array = undefined;
  }

  return(): IteratorResult<T, undefined> {
    this.#array = undefined;
    if (!this.#finished) {
      this.#finished = true;
      const it = this.#it;
      const source = this.#source;
      this.#it = undefined;
      this.#source = undefined;
      this.#collector.clear();
      if (it !== undefined) closeSync(it);
      else if (isIteratorObject(source)) closeSync(source);
    } else {
      this.#collector.clear();
    }
    return done();
  }

  [Symbol.dispose](): void {
    this.return();
  }
}

/**
 * Base of our async iterators: serialises overlapping `next()` calls (each waits for the one
 * before, as async generators do) without an extra promise hop on the usual, sequential path.
 * Subclasses implement `step()` and must call `release()` in a `finally` of it.
 */
export abstract class SerialAsyncStream<T> implements AsyncStream<T> {
  #busy = false;
  readonly #waiting: (() => void)[] = [];

  [Symbol.asyncIterator](): AsyncStream<T> {
    return this;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#busy) {
      return new Promise((resolve) => {
        this.#waiting.push(() => resolve(this.step()));
      });
    }
    this.#busy = true;
    return this.step();
  }

  protected abstract step(): Promise<IteratorResult<T, undefined>>;

  protected release(): void {
    if (this.#waiting.length === 0) this.#busy = false;
    else this.#waiting.shift()!();
  }

  abstract return(): Promise<IteratorResult<T, undefined>>;

  [Symbol.asyncDispose](): Promise<void> {
    return this.return().then(() => undefined);
  }
}

export class AsyncFusedStream<T> extends SerialAsyncStream<T> {
  #source: Source<unknown> | undefined;
  #it: AsyncIterator<unknown> | undefined;
  #head: Sink<unknown> | undefined;
  #factories: readonly SinkFactory[];
  readonly #collector = new Collector();
  #finished = false;

  constructor(source: Source<unknown>, factories: readonly SinkFactory[]) {
    super();
    this.#source = source;
    this.#factories = factories;
  }

  protected async step(): Promise<IteratorResult<T, undefined>> {
    try {
      const q = this.#collector;
      if (!q.empty) return { value: q.take() as T, done: false };
      if (this.#finished) return done();
      let it = this.#it;
      let head = this.#head;
      if (head === undefined) {
        head = this.#head = buildChain(this.#factories, this.#collector, true);
        const source = this.#source!;
        this.#source = undefined;
        if (!head.start()) {
          this.#finished = true;
          if (isIteratorObject(source)) await closeAsync(source);
          await head.end();
          return q.empty ? done() : { value: q.take() as T, done: false };
        }
        it = this.#it = getAsyncIterator(source);
      }
      for (;;) {
        let r: IteratorResult<unknown>;
        try {
          r = await it!.next();
        } catch (error) {
          if (this.#finished) return done();
          this.#stop();
          throw error;
        }
        if (this.#finished) return done(); // return() was called while we waited
        if (r.done) {
          this.#stop();
          await head.end();
          break;
        }
        let more: Step;
        try {
          more = head.push(r.value);
          if (more !== true && more !== false) more = await more;
        } catch (error) {
          if (!this.#finished) {
            this.#stop();
            await closeAsyncQuietly(it);
          }
          throw error;
        }
        if (this.#finished) return done();
        if (!more) {
          this.#stop();
          await closeAsync(it);
          await head.end();
          break;
        }
        if (!q.empty) break;
      }
      return q.empty ? done() : { value: q.take() as T, done: false };
    } finally {
      this.release();
    }
  }

  #stop(): void {
    this.#finished = true;
    this.#it = undefined;
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    this.#collector.clear();
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

/** Drives a sync chain ending in a terminal with one `for…of` loop. */
export function runSync<R>(
  source: Iterable<unknown>,
  factories: readonly SinkFactory[],
  terminal: TerminalSink<unknown, R>,
): R {
  const head = buildChain(factories, terminal, false);
  if (head.start()) {
    if (isPlainArray(source)) {
      // Same observable behaviour as for…of over an unmodified array, without the iterator.
      for (let i = 0; i < source.length; i++) {
        if (head.push(source[i]) === false) break;
      }
    } else {
      for (const value of source) {
        if (head.push(value) === false) break;
      }
    }
  } else if (isIteratorObject(source)) {
    closeSync(source);
  }
  head.end();
  return terminal.result();
}

/** Drives an async chain ending in a terminal with one `for await…of` loop. */
export async function runAsync<R>(
  source: Source<unknown>,
  factories: readonly SinkFactory[],
  terminal: TerminalSink<unknown, R>,
): Promise<R> {
  const head = buildChain(factories, terminal, true);
  if (head.start()) {
    for await (const value of source as AsyncIterable<unknown>) {
      let more = head.push(value);
      if (more !== true && more !== false) more = await more;
      if (!more) break;
    }
  } else if (isIteratorObject(source)) {
    await closeAsync(source);
  }
  await head.end();
  return terminal.result();
}
