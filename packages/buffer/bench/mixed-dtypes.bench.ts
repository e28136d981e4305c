/**
 * Float64 kernels in a process that also computes with the seven other number dtypes. V8 keeps
 * type feedback per function literal: one loop that reads eight typed-array classes sees eight
 * receiver maps at `a[i]`, turns megamorphic, and stays slow for float64 too. A hand-written
 * generic loop shows the hazard; @heapwise/buffer runs one generated copy of each loop per class
 * (scripts/generate-kernels.mjs), scijs/ndarray-ops compiles one per dtype with `new Function`.
 * Every contestant except the floor has first run on all eight classes (untimed); the timed work
 * is on float64. Each result is checked.
 */
import { compare } from "@heapwise/bench";
import { add, NDArray, sum } from "@heapwise/buffer";
import ndarray from "ndarray";
import ops from "ndarray-ops";

const N = 10_000_000;
const x = new Float64Array(N);
const y = new Float64Array(N);
for (let i = 0; i < N; i++) {
  x[i] = ((i * 2654435761) % 1000) / 1000;
  y[i] = ((i * 40503) % 777) / 777 - 0.5;
}
type Typed =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;
const ramp = (i: number) => i % 100;
const OTHERS: Typed[] = [
  Float32Array.from({ length: 50_000 }, (_, i) => ramp(i)),
  Int32Array.from({ length: 50_000 }, (_, i) => ramp(i)),
  Uint32Array.from({ length: 50_000 }, (_, i) => ramp(i)),
  Int16Array.from({ length: 50_000 }, (_, i) => ramp(i)),
  Uint16Array.from({ length: 50_000 }, (_, i) => ramp(i)),
  Int8Array.from({ length: 50_000 }, (_, i) => ramp(i)),
  Uint8Array.from({ length: 50_000 }, (_, i) => ramp(i)),
];
/** Runs `f` a few times on each of the seven other classes: what a mixed-dtype process does. */
function warmOthers(f: (a: Typed) => unknown): void {
  for (let r = 0; r < 30; r++) for (const a of OTHERS) f(a);
}

function loopSum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}
function loopSumAny(a: Typed): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}
function loopAdd(a: Float64Array, b: Float64Array, o: Float64Array): void {
  for (let i = 0; i < o.length; i++) o[i] = a[i]! + b[i]!;
}
function loopAddAny(a: Typed, b: Typed, o: Typed): void {
  for (let i = 0; i < o.length; i++) o[i] = a[i]! + b[i]!;
}

let ref = 0;
for (let i = 0; i < N; i++) ref += x[i]!;
await compare({
  suite: "sum of 1e7 float64 after all dtypes",
  floor: "for loop, only ever given Float64Array",
  ops: N,
  rounds: 12,
  expect: (r: number) => Math.abs(r - ref) <= 1e-9 * ref || `sum ${r}`,
  contestants: {
    "for loop, only ever given Float64Array": () => () => loopSum(x),
    "the same loop, also given the 7 other classes": () => {
      warmOthers(loopSumAny);
      return () => loopSumAny(x);
    },
    "scijs ndarray-ops sum (new Function per dtype)": () => {
      warmOthers((a) => ops.sum(ndarray(a as unknown as Float64Array)));
      const nd = ndarray(x);
      return () => ops.sum(nd);
    },
    "@heapwise/buffer sum (generated loop per class)": () => {
      warmOthers((a) => sum(a));
      warmOthers((a) => sum(new NDArray(a).slice("::2")));
      return () => sum(x);
    },
  },
});

const PROBES = [0, 1, 12_345, N >> 1, N - 1];
const check = (o: Float64Array) => PROBES.map((p) => o[p]! - (x[p]! + y[p]!));
await compare({
  suite: "add of 1e7 float64 into out after all dtypes",
  floor: "for loop, only ever given Float64Array",
  ops: N,
  rounds: 12,
  expect: (r: number[]) => r.every((d) => d === 0) || `wrong sums at probes: ${r}`,
  contestants: {
    "for loop, only ever given Float64Array": () => {
      const o = new Float64Array(N);
      return () => {
        loopAdd(x, y, o);
        return check(o);
      };
    },
    "the same loop, also given the 7 other classes": () => {
      warmOthers((a) => loopAddAny(a, a, a.slice()));
      const o = new Float64Array(N);
      return () => {
        loopAddAny(x, y, o);
        return check(o);
      };
    },
    "scijs ndarray-ops add (new Function per dtype)": () => {
      warmOthers((a) => {
        const v = ndarray(a as unknown as Float64Array);
        ops.add(ndarray(a.slice() as unknown as Float64Array), v, v);
      });
      const o = new Float64Array(N);
      const [nx, ny, no] = [ndarray(x), ndarray(y), ndarray(o)];
      return () => {
        ops.add(no, nx, ny);
        return check(o);
      };
    },
    "@heapwise/buffer add(…, { out }) (generated loop per class)": () => {
      warmOthers((a) => add(new NDArray(a), new NDArray(a), { out: new NDArray(a.slice()) }));
      const [X, Y, O] = [new NDArray(x), new NDArray(y), new NDArray(new Float64Array(N))];
      return () => {
        add(X, Y, { out: O });
        return check(O.data as Float64Array);
      };
    },
  },
});
