/**
 * The public types of `@heapwise/stream`: the streams that `pipe` and the operators return, and
 * the stages (operators, terminals, forks) that `pipe` composes.
 */
import type { Sink, TerminalSink } from "./internal/sink.ts";

/** Anything `pipe` and the operators accept as input. */
export type Source<T> = Iterable<T> | AsyncIterable<T>;

/**
 * A one-shot synchronous stream: an iterator that is also iterable (returns itself), like a
 * generator object or an ES iterator helper. `return()` (and `[Symbol.dispose]()`, so `using s = …`
 * works) closes every upstream iterator it opened.
 */
export interface Stream<T> extends IterableIterator<T>, Disposable {
  [Symbol.iterator](): Stream<T>;
  next(): IteratorResult<T, undefined>;
  /** Stops the stream: upstream iterators are closed, later `next()` calls return `done`. */
  return(value?: undefined): IteratorResult<T, undefined>;
}

/**
 * A one-shot asynchronous stream. `return()` (and `[Symbol.asyncDispose]()`, so
 * `await using s = …` works) closes every upstream iterator it opened.
 */
export interface AsyncStream<T> extends AsyncIterableIterator<T>, AsyncDisposable {
  [Symbol.asyncIterator](): AsyncStream<T>;
  next(): Promise<IteratorResult<T, undefined>>;
  /** Stops the stream: upstream iterators are closed, later `next()` calls resolve `done`. */
  return(value?: undefined): Promise<IteratorResult<T, undefined>>;
}

/**
 * What a stage does to the kind of the stream: `"any"` keeps it (sync in, sync out; async in,
 * async out), `"async"` always gives an async stream, `"terminal"` consumes the stream into a value,
 * `"fork"` splits it into several streams.
 */
export type StageKind = "any" | "async" | "terminal" | "fork";

/** @internal the runtime description of a stage, read by `pipe`. */
export const STAGE: unique symbol = Symbol("heapwise.stream.stage");

/** @internal */
export type StageSpec =
  | {
      readonly type: "sink";
      readonly name: string;
      make(down: Sink<unknown>, async: boolean): Sink<unknown>;
      /** For stages that may emit many values per input (flatMap): their pull-mode iterator. */
      pull?(source: Source<unknown>, async: boolean): Source<unknown>;
    }
  | {
      readonly type: "wrap";
      readonly name: string;
      readonly async: boolean;
      wrap(source: Source<unknown>, async: boolean): Source<unknown>;
    }
  | {
      readonly type: "terminal";
      readonly name: string;
      make(async: boolean): TerminalSink<unknown, unknown>;
    }
  | {
      readonly type: "fork";
      readonly name: string;
      fork(source: Source<unknown>, async: boolean): unknown;
    };

/**
 * A stage of a pipeline, typed by its input `I`, its output `O` and its {@link StageKind}. Every
 * stage is also a function of a source, so each operator works on its own: `map(f)(xs)`.
 */
export interface Stage<I, O, K extends StageKind> {
  readonly kind: K;
  /** @internal */
  readonly [STAGE]: StageSpec;
  /** Phantom member that carries the element types (never set at run time). */
  readonly __types?: (input: I) => O;
}

/** An operator that keeps the kind of the stream: sync in gives sync out, async in gives async out. */
export interface Operator<I, O> extends Stage<I, O, "any"> {
  (source: AsyncIterable<I>): AsyncStream<O>;
  (source: Iterable<I>): Stream<O>;
}

/** An async-only operator (`mapConcurrent`, `buffer`, `abortable`): its output is always async. */
export interface AsyncOperator<I, O> extends Stage<I, O, "async"> {
  (source: Iterable<I> | AsyncIterable<I>): AsyncStream<O>;
}

/** A terminal stage: consumes the stream into a value (a promise of it for async sources). */
export interface Terminal<I, R> extends Stage<I, R, "terminal"> {
  (source: AsyncIterable<I>): Promise<R>;
  (source: Iterable<I>): R;
}

/** A fork stage (`tee`): splits the stream into several streams of the same kind. */
export interface Fork<T> extends Stage<T, T, "fork"> {
  (source: AsyncIterable<T>): AsyncStream<T>[];
  (source: Iterable<T>): Stream<T>[];
}

/** Element type of a source. */
export type ElementOf<S> =
  S extends AsyncIterable<infer T> ? T : S extends Iterable<infer T> ? T : never;
