/**
 * Async pipelines over 1,000,000 items from an async generator: map → filter → sum, and
 * chunks(1000) → sum, against `for await` with the work written inline (the floor), hand-written
 * async generators, IxJS asynciterable, it-map/it-filter/it-batch and Node's
 * `Readable.from(…).map().filter()`. Goal of issue 4: ≤ 2× the floor, at most one extra async hop
 * per item however many stages (the 6-stage row).
 */
import { Readable } from "node:stream";
import { compare } from "@heapwise/bench";
import { chunks, filter, map, pipe, reduce } from "@heapwise/stream";
import itBatch from "it-batch";
import itFilter from "it-filter";
import itMap from "it-map";
import { from as ixFrom, reduce as ixReduce } from "ix/asynciterable";
import { buffer as ixBuffer, filter as ixFilter, map as ixMap } from "ix/asynciterable/operators";

const N = 1_000_000;
async function* source(): AsyncGenerator<number> {
  for (let i = 0; i < N; i++) yield i;
}
const f = (x: number) => x * 2;
const g = (y: number) => y % 3 === 0;
let expected = 0;
for (let i = 0; i < N; i++) if (g(f(i))) expected += f(i);
const sumOf = (c: readonly number[]) => {
  let t = 0;
  for (let i = 0; i < c.length; i++) t += c[i]!;
  return t;
};

await compare<number>({
  suite: "async map filter sum over 1e6 items",
  floor: "for await (inline)",
  ops: N,
  budgetMs: 60_000,
  expect: (r) => r === expected || `sum ${r}, expected ${expected}`,
  contestants: {
    "for await (inline)": () => async () => {
      let s = 0;
      for await (const x of source()) {
        const y = f(x);
        if (g(y)) s += y;
      }
      return s;
    },
    "@heapwise/stream pipe(…, reduce)": () => () =>
      pipe(
        source(),
        map(f),
        filter(g),
        reduce((s, y) => s + y, 0),
      ),
    "@heapwise/stream for await…of pipe(…)": () => async () => {
      let s = 0;
      for await (const y of pipe(source(), map(f), filter(g))) s += y;
      return s;
    },
    "@heapwise/stream for await…of, 6 stages": () => async () => {
      let s = 0;
      for await (const y of pipe(
        source(),
        map(f),
        map((y) => y + 1),
        map((y) => y - 1),
        filter(g),
        filter((y) => y >= 0),
        map((y) => y),
      ))
        s += y;
      return s;
    },
    "hand-written async generators": () => {
      async function* aMap(it: AsyncIterable<number>, fn: (x: number) => number) {
        for await (const x of it) yield fn(x);
      }
      async function* aFilter(it: AsyncIterable<number>, fn: (x: number) => boolean) {
        for await (const x of it) if (fn(x)) yield x;
      }
      return async () => {
        let s = 0;
        for await (const y of aFilter(aMap(source(), f), g)) s += y;
        return s;
      };
    },
    "it-map + it-filter": () => async () => {
      let s = 0;
      for await (const y of itFilter(itMap(source(), f), g)) s += y;
      return s;
    },
    "IxJS 7 asynciterable": () => () =>
      ixReduce(ixFrom(source()).pipe(ixMap(f), ixFilter(g)), {
        callback: (s: number, y: number) => s + y,
        seed: 0,
      }),
    "Node Readable.from().map().filter()": () => () =>
      Readable.from(source())
        .map(f)
        .filter(g)
        .reduce((s: number, y: number) => s + y, 0),
  },
});

const total = (N * (N - 1)) / 2;
await compare<number>({
  suite: "async chunks 1000 then sum over 1e6 items",
  floor: "for await (inline batching)",
  ops: N,
  budgetMs: 60_000,
  expect: (r) => r === total || `sum ${r}, expected ${total}`,
  contestants: {
    "for await (inline batching)": () => async () => {
      let s = 0;
      let c: number[] = [];
      for await (const x of source()) {
        c.push(x);
        if (c.length === 1000) {
          s += sumOf(c);
          c = [];
        }
      }
      if (c.length > 0) s += sumOf(c);
      return s;
    },
    "@heapwise/stream pipe(chunks, reduce)": () => () =>
      pipe(
        source(),
        chunks(1000),
        reduce((s, c) => s + sumOf(c), 0),
      ),
    "@heapwise/stream for await…of pipe(chunks)": () => async () => {
      let s = 0;
      for await (const c of pipe(source(), chunks(1000))) s += sumOf(c);
      return s;
    },
    "it-batch": () => async () => {
      let s = 0;
      for await (const c of itBatch(source(), 1000)) s += sumOf(c);
      return s;
    },
    "IxJS 7 buffer": () => () =>
      ixReduce(ixFrom(source()).pipe(ixBuffer(1000)), {
        callback: (s: number, c: number[]) => s + sumOf(c),
        seed: 0,
      }),
  },
});
