/**
 * Sync map → filter → take → sum over 10,000,000 integers, against the hand-written loop (the
 * floor), hand-written generators, IxJS, iter-tools and the native iterator helpers (Node ≥ 22).
 * Goal of issue 4: ≤ 10× the floor.
 */
import { compare } from "@heapwise/bench";
import { filter, map, pipe, reduce, take } from "@heapwise/stream";
import { filter as itFilter, map as itMap, reduce as itReduce, take as itTake } from "iter-tools";
import { from as ixFrom, reduce as ixReduce } from "ix/iterable";
import { filter as ixFilter, map as ixMap, take as ixTake } from "ix/iterable/operators";

const N = 10_000_000;
const LIMIT = 3_000_000;
const xs: number[] = Array.from({ length: N }, (_, i) => i);

type NativeIterator = Iterator<number> & {
  map(f: (x: number) => number): NativeIterator;
  filter(f: (x: number) => boolean): NativeIterator;
  take(n: number): NativeIterator;
  reduce(f: (s: number, x: number) => number, seed: number): number;
};
const hasHelpers =
  typeof (globalThis as { Iterator?: { prototype?: { map?: unknown } } }).Iterator?.prototype
    ?.map === "function";

let expected = 0;
{
  let n = 0;
  for (let i = 0; i < N; i++) {
    const y = i * 2;
    if (y % 3 === 0) {
      expected += y;
      if (++n === LIMIT) break;
    }
  }
}

await compare<number>({
  suite: "sync map filter take sum over 1e7 ints",
  floor: "for loop",
  ops: N,
  budgetMs: 60_000,
  expect: (r) => r === expected || `sum ${r}, expected ${expected}`,
  contestants: {
    "for loop": () => () => {
      let s = 0;
      let n = 0;
      for (let i = 0; i < xs.length; i++) {
        const y = xs[i]! * 2;
        if (y % 3 === 0) {
          s += y;
          if (++n === LIMIT) break;
        }
      }
      return s;
    },
    "@heapwise/stream pipe(…, reduce)": () => () =>
      pipe(
        xs,
        map((x) => x * 2),
        filter((y) => y % 3 === 0),
        take(LIMIT),
        reduce((s, y) => s + y, 0),
      ),
    "@heapwise/stream for…of pipe(…)": () => () => {
      let s = 0;
      for (const y of pipe(
        xs,
        map((x) => x * 2),
        filter((y) => y % 3 === 0),
        take(LIMIT),
      ))
        s += y;
      return s;
    },
    "hand-written generators": () => {
      function* gMap(it: Iterable<number>, f: (x: number) => number) {
        for (const x of it) yield f(x);
      }
      function* gFilter(it: Iterable<number>, f: (x: number) => boolean) {
        for (const x of it) if (f(x)) yield x;
      }
      function* gTake(it: Iterable<number>, n: number) {
        if (n <= 0) return;
        for (const x of it) {
          yield x;
          if (--n === 0) return;
        }
      }
      return () => {
        let s = 0;
        for (const y of gTake(
          gFilter(
            gMap(xs, (x) => x * 2),
            (y) => y % 3 === 0,
          ),
          LIMIT,
        ))
          s += y;
        return s;
      };
    },
    "IxJS 7": () => () =>
      ixReduce(
        ixFrom(xs).pipe(
          ixMap((x: number) => x * 2),
          ixFilter((y: number) => y % 3 === 0),
          ixTake(LIMIT),
        ),
        (s: number, y: number) => s + y,
        0,
      ),
    "iter-tools 7": () => () =>
      itReduce(
        0,
        (s: number, y: number) => s + y,
        itTake(
          LIMIT,
          itFilter(
            (y: number) => y % 3 === 0,
            itMap((x: number) => x * 2, xs),
          ),
        ),
      ),
    "native iterator helpers": () =>
      hasHelpers
        ? () =>
            (xs.values() as unknown as NativeIterator)
              .map((x) => x * 2)
              .filter((y) => y % 3 === 0)
              .take(LIMIT)
              .reduce((s, y) => s + y, 0)
        : "needs Node ≥ 22 (run with --node24)",
  },
});
