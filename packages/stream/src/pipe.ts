/**
 * `pipe(source, ...stages)`: composes stages into one pipeline. Fusible stages (map, filter, take,
 * chunks, …) between two non-fusible ones are compiled into a single iterator, or a single loop when
 * the pipeline ends in a terminal (reduce, toArray, …): no iterator object and no `next()` round
 * trip per stage. Async pipelines make one promise hop per item for the whole fused segment (plus
 * one for each stage callback that actually returns a promise).
 */
import {
  AsyncFusedStream,
  FusedStream,
  runAsync,
  runSync,
  type SinkFactory,
} from "./internal/fused.ts";
import { assertSource, describe, isAsyncIterable } from "./internal/util.ts";
import {
  type AsyncStream,
  type ElementOf,
  type Source,
  STAGE,
  type Stage,
  type StageKind,
  type StageSpec,
  type Stream,
} from "./types.ts";

type Mode = "sync" | "async";
type Flow = "any" | "async";
type ModeOf<S> = S extends AsyncIterable<unknown> ? "async" : "sync";
type Next<M extends Mode, K extends StageKind> = K extends "async" ? "async" : M;
/** The type `pipe` returns for a pipeline in mode `M` whose last stage has kind `K` and output `O`. */
export type Result<M extends Mode, K extends StageKind, O> = K extends "terminal"
  ? M extends "async"
    ? Promise<O>
    : O
  : K extends "fork"
    ? M extends "async"
      ? AsyncStream<O>[]
      : Stream<O>[]
    : K extends "async"
      ? AsyncStream<O>
      : M extends "async"
        ? AsyncStream<O>
        : Stream<O>;

/**
 * Composes `stages` over `source` into one pipeline, left to right, with the element type inferred
 * through the whole chain. A sync source gives a sync {@link Stream} (or a plain value after a
 * terminal); an async source, or any async-only stage, gives an {@link AsyncStream} (or a promise).
 *
 * Nothing runs before the result is iterated (or, with a terminal, before `pipe` is called). A
 * terminal or fork stage may only come last.
 *
 * Cost: stages are fused, so a sync pipeline of map → filter → take → reduce runs as one loop with
 * one call per stage and item. Caveat: the stream is one-shot, like a generator.
 *
 * @example
 * ```ts
 * import { pipe, map, filter, take, reduce } from "@heapwise/stream";
 * const total = pipe(
 *   [1, 2, 3, 4, 5, 6],
 *   map((x) => x * 10),
 *   filter((x) => x % 20 === 0),
 *   take(2),
 *   reduce((sum, x) => sum + x, 0),
 * ); // 60
 * ```
 */
export function pipe<S extends Source<unknown>>(source: S): Result<ModeOf<S>, "any", ElementOf<S>>;
export function pipe<S extends Source<unknown>, A, KA extends StageKind>(
  source: S,
  a: Stage<ElementOf<S>, A, KA>,
): Result<ModeOf<S>, KA, A>;
export function pipe<S extends Source<unknown>, A, B, KA extends Flow, KB extends StageKind>(
  source: S,
  a: Stage<ElementOf<S>, A, KA>,
  b: Stage<A, B, KB>,
): Result<Next<ModeOf<S>, KA>, KB, B>;
export function pipe<
  S extends Source<unknown>,
  A,
  B,
  C,
  KA extends Flow,
  KB extends Flow,
  KC extends StageKind,
>(
  source: S,
  a: Stage<ElementOf<S>, A, KA>,
  b: Stage<A, B, KB>,
  c: Stage<B, C, KC>,
): Result<Next<Next<ModeOf<S>, KA>, KB>, KC, C>;
export function pipe<
  S extends Source<unknown>,
  A,
  B,
  C,
  D,
  KA extends Flow,
  KB extends Flow,
  KC extends Flow,
  KD extends StageKind,
>(
  source: S,
  a: Stage<ElementOf<S>, A, KA>,
  b: Stage<A, B, KB>,
  c: Stage<B, C, KC>,
  d: Stage<C, D, KD>,
): Result<Next<Next<Next<ModeOf<S>, KA>, KB>, KC>, KD, D>;
export function pipe<
  S extends Source<unknown>,
  A,
  B,
  C,
  D,
  E,
  KA extends Flow,
  KB extends Flow,
  KC extends Flow,
  KD extends Flow,
  KE extends StageKind,
>(
  source: S,
  a: Stage<ElementOf<S>, A, KA>,
  b: Stage<A, B, KB>,
  c: Stage<B, C, KC>,
  d: Stage<C, D, KD>,
  e: Stage<D, E, KE>,
): Result<Next<Next<Next<Next<ModeOf<S>, KA>, KB>, KC>, KD>, KE, E>;
export function pipe<
  S extends Source<unknown>,
  A,
  B,
  C,
  D,
  E,
  F,
  KA extends Flow,
  KB extends Flow,
  KC extends Flow,
  KD extends Flow,
  KE extends Flow,
  KF extends StageKind,
>(
  source: S,
  a: Stage<ElementOf<S>, A, KA>,
  b: Stage<A, B, KB>,
  c: Stage<B, C, KC>,
  d: Stage<C, D, KD>,
  e: Stage<D, E, KE>,
  f: Stage<E, F, KF>,
): Result<Next<Next<Next<Next<Next<ModeOf<S>, KA>, KB>, KC>, KD>, KE>, KF, F>;
export function pipe<
  S extends Source<unknown>,
  A,
  B,
  C,
  D,
  E,
  F,
  G,
  KA extends Flow,
  KB extends Flow,
  KC extends Flow,
  KD extends Flow,
  KE extends Flow,
  KF extends Flow,
  KG extends StageKind,
>(
  source: S,
  a: Stage<ElementOf<S>, A, KA>,
  b: Stage<A, B, KB>,
  c: Stage<B, C, KC>,
  d: Stage<C, D, KD>,
  e: Stage<D, E, KE>,
  f: Stage<E, F, KF>,
  g: Stage<F, G, KG>,
): Result<Next<Next<Next<Next<Next<Next<ModeOf<S>, KA>, KB>, KC>, KD>, KE>, KF>, KG, G>;
export function pipe<
  S extends Source<unknown>,
  A,
  B,
  C,
  D,
  E,
  F,
  G,
  H,
  KA extends Flow,
  KB extends Flow,
  KC extends Flow,
  KD extends Flow,
  KE extends Flow,
  KF extends Flow,
  KG extends Flow,
  KH extends StageKind,
>(
  source: S,
  a: Stage<ElementOf<S>, A, KA>,
  b: Stage<A, B, KB>,
  c: Stage<B, C, KC>,
  d: Stage<C, D, KD>,
  e: Stage<D, E, KE>,
  f: Stage<E, F, KF>,
  g: Stage<F, G, KG>,
  h: Stage<G, H, KH>,
): Result<Next<Next<Next<Next<Next<Next<Next<ModeOf<S>, KA>, KB>, KC>, KD>, KE>, KF>, KG>, KH, H>;
export function pipe<
  S extends Source<unknown>,
  A,
  B,
  C,
  D,
  E,
  F,
  G,
  H,
  I,
  KA extends Flow,
  KB extends Flow,
  KC extends Flow,
  KD extends Flow,
  KE extends Flow,
  KF extends Flow,
  KG extends Flow,
  KH extends Flow,
  KI extends StageKind,
>(
  source: S,
  a: Stage<ElementOf<S>, A, KA>,
  b: Stage<A, B, KB>,
  c: Stage<B, C, KC>,
  d: Stage<C, D, KD>,
  e: Stage<D, E, KE>,
  f: Stage<E, F, KF>,
  g: Stage<F, G, KG>,
  h: Stage<G, H, KH>,
  i: Stage<H, I, KI>,
): Result<
  Next<Next<Next<Next<Next<Next<Next<Next<ModeOf<S>, KA>, KB>, KC>, KD>, KE>, KF>, KG>, KH>,
  KI,
  I
>;
export function pipe<
  S extends Source<unknown>,
  A,
  B,
  C,
  D,
  E,
  F,
  G,
  H,
  I,
  J,
  KA extends Flow,
  KB extends Flow,
  KC extends Flow,
  KD extends Flow,
  KE extends Flow,
  KF extends Flow,
  KG extends Flow,
  KH extends Flow,
  KI extends Flow,
  KJ extends StageKind,
>(
  source: S,
  a: Stage<ElementOf<S>, A, KA>,
  b: Stage<A, B, KB>,
  c: Stage<B, C, KC>,
  d: Stage<C, D, KD>,
  e: Stage<D, E, KE>,
  f: Stage<E, F, KF>,
  g: Stage<F, G, KG>,
  h: Stage<G, H, KH>,
  i: Stage<H, I, KI>,
  j: Stage<I, J, KJ>,
): Result<
  Next<
    Next<Next<Next<Next<Next<Next<Next<Next<ModeOf<S>, KA>, KB>, KC>, KD>, KE>, KF>, KG>, KH>,
    KI
  >,
  KJ,
  J
>;
export function pipe<
  S extends Source<unknown>,
  A,
  B,
  C,
  D,
  E,
  F,
  G,
  H,
  I,
  J,
  K,
  KA extends Flow,
  KB extends Flow,
  KC extends Flow,
  KD extends Flow,
  KE extends Flow,
  KF extends Flow,
  KG extends Flow,
  KH extends Flow,
  KI extends Flow,
  KJ extends Flow,
  KK extends StageKind,
>(
  source: S,
  a: Stage<ElementOf<S>, A, KA>,
  b: Stage<A, B, KB>,
  c: Stage<B, C, KC>,
  d: Stage<C, D, KD>,
  e: Stage<D, E, KE>,
  f: Stage<E, F, KF>,
  g: Stage<F, G, KG>,
  h: Stage<G, H, KH>,
  i: Stage<H, I, KI>,
  j: Stage<I, J, KJ>,
  k: Stage<J, K, KK>,
): Result<
  Next<
    Next<
      Next<Next<Next<Next<Next<Next<Next<Next<ModeOf<S>, KA>, KB>, KC>, KD>, KE>, KF>, KG>, KH>,
      KI
    >,
    KJ
  >,
  KK,
  K
>;
export function pipe<
  S extends Source<unknown>,
  A,
  B,
  C,
  D,
  E,
  F,
  G,
  H,
  I,
  J,
  K,
  L,
  KA extends Flow,
  KB extends Flow,
  KC extends Flow,
  KD extends Flow,
  KE extends Flow,
  KF extends Flow,
  KG extends Flow,
  KH extends Flow,
  KI extends Flow,
  KJ extends Flow,
  KK extends Flow,
  KL extends StageKind,
>(
  source: S,
  a: Stage<ElementOf<S>, A, KA>,
  b: Stage<A, B, KB>,
  c: Stage<B, C, KC>,
  d: Stage<C, D, KD>,
  e: Stage<D, E, KE>,
  f: Stage<E, F, KF>,
  g: Stage<F, G, KG>,
  h: Stage<G, H, KH>,
  i: Stage<H, I, KI>,
  j: Stage<I, J, KJ>,
  k: Stage<J, K, KK>,
  l: Stage<K, L, KL>,
): Result<
  Next<
    Next<
      Next<
        Next<Next<Next<Next<Next<Next<Next<Next<ModeOf<S>, KA>, KB>, KC>, KD>, KE>, KF>, KG>, KH>,
        KI
      >,
      KJ
    >,
    KK
  >,
  KL,
  L
>;
export function pipe(
  source: Source<unknown>,
  ...stages: Stage<unknown, unknown, StageKind>[]
): unknown;
export function pipe(
  source: Source<unknown>,
  ...stages: Stage<unknown, unknown, StageKind>[]
): unknown {
  assertSource(source, "pipe");
  const specs: StageSpec[] = stages.map((stage, i) => {
    const spec = (stage as { [STAGE]?: StageSpec } | null | undefined)?.[STAGE];
    if (spec === undefined) {
      throw new TypeError(
        `pipe: stage ${i + 1} must be a stage (map(…), take(…), …), got ${describe(stage)}`,
      );
    }
    if ((spec.type === "terminal" || spec.type === "fork") && i !== stages.length - 1) {
      throw new TypeError(
        `pipe: ${spec.name}() ends a pipeline, so it must be the last stage, but it is stage ${i + 1} of ${stages.length}`,
      );
    }
    return spec;
  });
  return compile(source, specs);
}

/** @internal */
export function compile(source: Source<unknown>, specs: readonly StageSpec[]): unknown {
  let src: Source<unknown> = source;
  let async = isAsyncIterable(source);
  let pending: SinkFactory[] = [];
  const last = specs[specs.length - 1];
  const pushMode = last !== undefined && last.type === "terminal";
  // In a pipeline that ends in a terminal, the last segment runs in push mode, where every
  // fusible stage (flatMap included) fuses; elsewhere, flatMap needs its own pull iterator.
  let lastBoundary = -1;
  specs.forEach((s, i) => {
    if (s.type === "wrap") lastBoundary = i;
  });
  const flush = () => {
    if (pending.length > 0) {
      src = async
        ? new AsyncFusedStream(src, pending)
        : new FusedStream(src as Iterable<unknown>, pending);
      pending = [];
    }
  };
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    switch (spec.type) {
      case "sink":
        if (spec.pull !== undefined && !(pushMode && i > lastBoundary)) {
          flush();
          src = spec.pull(src, async);
        } else {
          pending.push(spec.make.bind(spec));
        }
        break;
      case "wrap":
        flush();
        src = spec.wrap(src, async);
        async ||= spec.async;
        break;
      case "terminal":
        return async
          ? runAsync(src, pending, spec.make(true))
          : runSync(src as Iterable<unknown>, pending, spec.make(false));
      case "fork":
        flush();
        return spec.fork(src, async);
    }
  }
  if (pending.length === 0 && (src as unknown) !== source) return src;
  return async
    ? new AsyncFusedStream(src, pending)
    : new FusedStream(src as Iterable<unknown>, pending);
}

/**
 * @internal Makes a stage: a function of a source (`op(xs)` = `pipe(xs, op)`) carrying its spec.
 * Typed `never` so that each operator declares its own precise stage type.
 */
export function makeStage(spec: StageSpec): never {
  const kind: StageKind =
    spec.type === "sink"
      ? "any"
      : spec.type === "wrap"
        ? spec.async
          ? "async"
          : "any"
        : spec.type;
  const stage = (source: Source<unknown>): unknown => {
    assertSource(source, `${spec.name}`);
    return compile(source, [spec]);
  };
  Object.defineProperty(stage, "name", { value: spec.name });
  Object.defineProperty(stage, "kind", { value: kind, enumerable: true });
  Object.defineProperty(stage, STAGE, { value: spec });
  return stage as never;
}
