/**
 * chunks(1000) → sum over 10,000,000 integers. The floor is the hand-written loop that does the
 * same work: it fills arrays of 1000 and sums each one. Also shown: the plain sum loop without any
 * chunking (not the same work: it allocates nothing), hand-written generators, IxJS `buffer`,
 * iter-tools `batch` and the native `Iterator.prototype.chunks` where it exists.
 * Goal of issue 4: ≤ 1.6× the floor.
 */
import { compare } from "@heapwise/bench";
import { chunks, pipe, reduce } from "@heapwise/stream";
import { batch as itBatch, reduce as itReduce } from "iter-tools";
import { from as ixFrom, reduce as ixReduce } from "ix/iterable";
import { buffer as ixBuffer } from "ix/iterable/operators";

const N = 10_000_000;
const SIZE = 1000;
const xs: number[] = Array.from({ length: N }, (_, i) => i);
const expected = (N * (N - 1)) / 2;
const sumOf = (c: readonly number[]) => {
  let t = 0;
  for (let i = 0; i < c.length; i++) t += c[i]!;
  return t;
};
type NativeChunks = Iterator<number> & { chunks(n: number): Iterable<number[]> };
const hasChunks =
  typeof (globalThis as { Iterator?: { prototype?: { chunks?: unknown } } }).Iterator?.prototype
    ?.chunks === "function";

await compare<number>({
  suite: "chunks 1000 then sum over 1e7 ints",
  floor: "hand-written batching loop",
  ops: N,
  budgetMs: 60_000,
  expect: (r) => r === expected || `sum ${r}, expected ${expected}`,
  contestants: {
    "hand-written batching loop": () => () => {
      let s = 0;
      let c: number[] = [];
      for (let i = 0; i < xs.length; i++) {
        c.push(xs[i]!);
        if (c.length === SIZE) {
          s += sumOf(c);
          c = [];
        }
      }
      if (c.length > 0) s += sumOf(c);
      return s;
    },
    "plain sum loop (no chunks, not the same work)": () => () => {
      let s = 0;
      for (let i = 0; i < xs.length; i++) s += xs[i]!;
      return s;
    },
    "@heapwise/stream pipe(chunks, reduce)": () => () =>
      pipe(
        xs,
        chunks(SIZE),
        reduce((s, c) => s + sumOf(c), 0),
      ),
    "@heapwise/stream for…of pipe(chunks)": () => () => {
      let s = 0;
      for (const c of pipe(xs, chunks(SIZE))) s += sumOf(c);
      return s;
    },
    "hand-written generator": () => {
      function* batched(it: Iterable<number>, n: number) {
        let c: number[] = [];
        for (const x of it) {
          c.push(x);
          if (c.length === n) {
            yield c;
            c = [];
          }
        }
        if (c.length > 0) yield c;
      }
      return () => {
        let s = 0;
        for (const c of batched(xs, SIZE)) s += sumOf(c);
        return s;
      };
    },
    "IxJS 7 buffer": () => () =>
      ixReduce(ixFrom(xs).pipe(ixBuffer(SIZE)), (s: number, c: number[]) => s + sumOf(c), 0),
    // iter-tools' batches are lazy iterables at run time (its .d.ts says arrays), so iterate them.
    "iter-tools 7 batch": () => () =>
      itReduce(
        0,
        (s: number, c: Iterable<number>) => {
          for (const x of c) s += x;
          return s;
        },
        itBatch(SIZE, xs),
      ),
    "native Iterator.prototype.chunks": () =>
      hasChunks
        ? () => {
            let s = 0;
            for (const c of (xs.values() as unknown as NativeChunks).chunks(SIZE)) s += sumOf(c);
            return s;
          }
        : "not in this Node (TC39 proposal)",
  },
});
