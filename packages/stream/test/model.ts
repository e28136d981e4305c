/** The operator catalog for property tests: each stage with its plain-array model. */
import {
  chunks,
  drop,
  dropWhile,
  enumerate,
  filter,
  flatMap,
  groupBy,
  map,
  pairwise,
  type Stage,
  type StageKind,
  scan,
  take,
  takeWhile,
  windows,
} from "../src/index.ts";

type AnyStage = Stage<never, unknown, StageKind>;
export interface Step {
  label: string;
  stages: (asyncFns: boolean) => AnyStage[];
  model: (xs: number[]) => number[];
}

const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);
const maybeAsync = <A extends unknown[], R>(asyncFns: boolean, fn: (...a: A) => R) =>
  asyncFns ? (...a: A) => Promise.resolve(fn(...a)) : fn;

/** Builds one step from a kind and a small parameter (both drawn by fast-check). */
export function step(kind: number, p: number): Step {
  const n = (p % 5) + 1;
  switch (kind % 15) {
    case 0:
      return {
        label: "map",
        stages: (a) => [map(maybeAsync(a, (x: number, i: number) => x * 2 + i))],
        model: (xs) => xs.map((x, i) => x * 2 + i),
      };
    case 1:
      return {
        label: `filter %${n + 1}`,
        stages: (a) => [filter(maybeAsync(a, (x: number) => x % (n + 1) !== 0))],
        model: (xs) => xs.filter((x) => x % (n + 1) !== 0),
      };
    case 2:
      return {
        label: `take ${p % 7}`,
        stages: () => [take(p % 7)],
        model: (xs) => xs.slice(0, p % 7),
      };
    case 3:
      return {
        label: `drop ${p % 7}`,
        stages: () => [drop(p % 7)],
        model: (xs) => xs.slice(p % 7),
      };
    case 4:
      return {
        label: `takeWhile < ${p}`,
        stages: (a) => [takeWhile(maybeAsync(a, (x: number) => x < p))],
        model: (xs) => {
          const k = xs.findIndex((x) => !(x < p));
          return k < 0 ? xs : xs.slice(0, k);
        },
      };
    case 5:
      return {
        label: `dropWhile < ${p}`,
        stages: (a) => [dropWhile(maybeAsync(a, (x: number) => x < p))],
        model: (xs) => {
          const k = xs.findIndex((x) => !(x < p));
          return k < 0 ? [] : xs.slice(k);
        },
      };
    case 6:
      return {
        label: "scan",
        stages: (a) => [scan(maybeAsync(a, (acc: number, x: number) => acc + x))],
        model: (xs) => xs.map((_, i) => sum(xs.slice(0, i + 1))),
      };
    case 7:
      return {
        label: `scan seed ${p}`,
        stages: (a) => [
          scan(
            maybeAsync(a, (acc: number, x: number) => acc - x),
            p,
          ),
        ],
        model: (xs) => xs.map((_, i) => p - sum(xs.slice(0, i + 1))),
      };
    case 8:
      return {
        label: "flatMap",
        stages: (a) => [
          flatMap((x: number) =>
            a ? Promise.resolve(x % 4 === 0 ? [] : [x, -x]) : x % 4 === 0 ? [] : [x, -x],
          ),
        ],
        model: (xs) => xs.flatMap((x) => (x % 4 === 0 ? [] : [x, -x])),
      };
    case 9:
      return {
        label: `chunks ${n}`,
        stages: () => [chunks<number>(n), map((c: number[]) => sum(c) * 10 + c.length)],
        model: (xs) => {
          const out: number[] = [];
          for (let i = 0; i < xs.length; i += n)
            out.push(sum(xs.slice(i, i + n)) * 10 + xs.slice(i, i + n).length);
          return out;
        },
      };
    case 10:
      return {
        label: `windows ${n}`,
        stages: () => [windows<number>(n), map((w: number[]) => sum(w) * 10 + w.length)],
        model: (xs) => {
          const out: number[] = [];
          for (let i = 0; i + n <= xs.length; i++) out.push(sum(xs.slice(i, i + n)) * 10 + n);
          return out;
        },
      };
    case 11:
      return {
        label: `windows ${n} partial`,
        stages: () => [
          windows<number>(n, "allow-partial"),
          map((w: number[]) => sum(w) * 10 + w.length),
        ],
        model: (xs) => {
          if (xs.length > 0 && xs.length < n) return [sum(xs) * 10 + xs.length];
          const out: number[] = [];
          for (let i = 0; i + n <= xs.length; i++) out.push(sum(xs.slice(i, i + n)) * 10 + n);
          return out;
        },
      };
    case 12:
      return {
        label: "pairwise",
        stages: () => [pairwise<number>(), map(([a, b]: [number, number]) => a * 3 - b)],
        model: (xs) => xs.slice(1).map((b, i) => xs[i]! * 3 - b),
      };
    case 13:
      return {
        label: `groupBy %${n}`,
        stages: (a) => [
          groupBy(maybeAsync(a, (x: number) => Math.abs(x) % n)),
          map(([k, g]: [number, number[]]) => k * 100 + g.length),
        ],
        model: (xs) => {
          const out: number[] = [];
          let key: number | undefined;
          let len = 0;
          for (const x of xs) {
            const k = Math.abs(x) % n;
            if (len > 0 && k === key) len++;
            else {
              if (len > 0) out.push(key! * 100 + len);
              key = k;
              len = 1;
            }
          }
          if (len > 0) out.push(key! * 100 + len);
          return out;
        },
      };
    default:
      return {
        label: `enumerate ${p}`,
        stages: () => [enumerate<number>(p), map(([i, x]: [number, number]) => i * 1000 + x)],
        model: (xs) => xs.map((x, i) => (i + p) * 1000 + x),
      };
  }
}
