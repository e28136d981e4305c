/**
 * 10,000,000 float64: sum, dot, axpy, add into a new array, add into `out`, strided sum; against
 * a plain one-accumulator Float64Array loop (the floor), a number[], scijs ndarray + ndarray-ops,
 * and stdlib-js (the focused @stdlib/* packages, not the 100 MB umbrella). Same process,
 * interleaved rounds; every result is checked. NumPy and C are in vs-c-numpy.bench.ts.
 * (tsx resolves `@heapwise/buffer` to src/ through the tsconfig "paths": the same code as dist/.)
 */
import { compare } from "@heapwise/bench";
import { add, axpy, dot, NDArray, sum } from "@heapwise/buffer";
import daxpy from "@stdlib/blas-base-daxpy";
import ddot from "@stdlib/blas-base-ddot";
import dsumkbn from "@stdlib/blas-ext-base-dsumkbn";
import dsumpw from "@stdlib/blas-ext-base-dsumpw";
import addScalar from "@stdlib/number-float64-base-add";
import binary from "@stdlib/strided-base-binary";
import ndarray from "ndarray";
import ops from "ndarray-ops";

const N = 10_000_000;
const x = new Float64Array(N);
const y0 = new Float64Array(N);
let seed = 12345;
const rand = () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 4294967296;
};
for (let i = 0; i < N; i++) {
  x[i] = rand();
  y0[i] = rand() - 0.5;
}
const y = y0.slice();
const xs: number[] = Array.from(x);
const ys: number[] = Array.from(y);
const X = new NDArray(x);
const Y = new NDArray(y);

// References (compensated, independent of the kernels under test).
const kahan = (f: (i: number) => number, n: number) => {
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const v = f(i);
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
};
const refSum = kahan((i) => x[i]!, N);
const refDot = kahan((i) => x[i]! * y[i]!, N);
const refStrided = kahan((i) => x[2 * i]!, N / 2);
const close = (r: number, ref: number) =>
  Math.abs(r - ref) <= 1e-9 * Math.abs(ref) || `${r} differs from ${ref}`;
const PROBES = [0, 1, 12_345, N >> 1, N - 2, N - 1];

const sumSuite = {
  "for loop (1 accumulator)": () => () => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i]!;
    return s;
  },
  "for loop, 4 accumulators": () => () => {
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    const n = x.length;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      a += x[i]!;
      b += x[i + 1]!;
      c += x[i + 2]!;
      d += x[i + 3]!;
    }
    for (; i < n; i++) a += x[i]!;
    return a + b + (c + d);
  },
  "number[] for loop": () => () => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[i]!;
    return s;
  },
  "number[].reduce": () => () => xs.reduce((a, b) => a + b, 0),
  "scijs ndarray-ops sum": () => {
    const nd = ndarray(x);
    return () => ops.sum(nd);
  },
  "@stdlib dsumpw (pairwise)": () => () => dsumpw(N, x, 1),
  "@stdlib dsumkbn (Kahan)": () => () => dsumkbn(N, x, 1),
  "@heapwise/buffer sum (pairwise)": () => () => sum(x),
  "@heapwise/buffer sum (kahan)": () => () => sum(x, { algorithm: "kahan" }),
};

await compare({
  suite: "sum of 1e7 float64",
  floor: "for loop (1 accumulator)",
  ops: N,
  rounds: 12,
  expect: (r) => close(r, refSum),
  contestants: sumSuite,
});

await compare({
  suite: "dot of 1e7 float64",
  floor: "for loop (1 accumulator)",
  ops: N,
  rounds: 12,
  expect: (r) => close(r, refDot),
  contestants: {
    "for loop (1 accumulator)": () => () => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
      return s;
    },
    "number[] for loop": () => () => {
      let s = 0;
      for (let i = 0; i < xs.length; i++) s += xs[i]! * ys[i]!;
      return s;
    },
    "scijs ndarray-ops mul + sum (a temporary)": () => {
      const a = ndarray(x);
      const b = ndarray(y);
      return () => {
        const t = ndarray(new Float64Array(N));
        ops.mul(t, a, b);
        return ops.sum(t);
      };
    },
    "@stdlib ddot": () => () => ddot(N, x, 1, y, 1),
    "@heapwise/buffer dot (pairwise)": () => () => dot(x, y),
  },
});

/** Each axpy contestant updates its own y; after k calls y = y0 + k·a·x, checked at the probes. */
const A = 0.5;
function axpyContestant(run: (yy: Float64Array | number[]) => void, asArray = false) {
  return () => {
    const yy: Float64Array | number[] = asArray ? Array.from(y0) : y0.slice();
    let k = 0;
    return () => {
      run(yy);
      k++;
      return PROBES.map((p) => (yy[p]! - y0[p]!) / (k * A) - x[p]!);
    };
  };
}
await compare({
  suite: "axpy y += a*x of 1e7 float64",
  floor: "for loop",
  ops: N,
  rounds: 12,
  expect: (r: number[]) => r.every((d) => Math.abs(d) < 1e-6) || `drift ${r}`,
  contestants: {
    "for loop": axpyContestant((yy) => {
      const t = yy as Float64Array;
      for (let i = 0; i < t.length; i++) t[i]! += A * x[i]!;
    }),
    "number[] for loop": axpyContestant((yy) => {
      const t = yy as number[];
      for (let i = 0; i < t.length; i++) t[i]! += A * xs[i]!;
    }, true),
    "scijs ndarray-ops muls + addeq (a temporary)": () => {
      const yy = y0.slice();
      const nx = ndarray(x);
      const ny = ndarray(yy);
      let k = 0;
      return () => {
        const t = ndarray(new Float64Array(N));
        ops.muls(t, nx, A);
        ops.addeq(ny, t);
        k++;
        return PROBES.map((p) => (yy[p]! - y0[p]!) / (k * A) - x[p]!);
      };
    },
    "@stdlib daxpy": axpyContestant((yy) => {
      daxpy(N, A, x, 1, yy as Float64Array, 1);
    }),
    "@heapwise/buffer axpy": () => {
      const yy = new NDArray(y0.slice());
      let k = 0;
      return () => {
        axpy(A, X, yy);
        k++;
        return PROBES.map((p) => ((yy.get(p) as number) - y0[p]!) / (k * A) - x[p]!);
      };
    },
  },
});

const sumAt = (get: (i: number) => number) => PROBES.map((p) => get(p) - (x[p]! + y[p]!));
const addExpect = (r: number[]) => r.every((d) => d === 0) || `wrong sums at probes: ${r}`;

await compare({
  suite: "add of 1e7 float64 into a new array",
  floor: "for loop",
  ops: N,
  rounds: 12,
  expect: addExpect,
  contestants: {
    "for loop": () => () => {
      const o = new Float64Array(N);
      for (let i = 0; i < N; i++) o[i] = x[i]! + y[i]!;
      return sumAt((i) => o[i]!);
    },
    "number[].map": () => () => {
      const o = xs.map((v, i) => v + ys[i]!);
      return sumAt((i) => o[i]!);
    },
    "scijs ndarray-ops add": () => {
      const a = ndarray(x);
      const b = ndarray(y);
      return () => {
        const o = ndarray(new Float64Array(N));
        ops.add(o, a, b);
        return sumAt((i) => o.get(i));
      };
    },
    "@stdlib strided-base-binary + float64 add": () => () => {
      const o = new Float64Array(N);
      binary([x, y, o], [N], [1, 1, 1], addScalar);
      return sumAt((i) => o[i]!);
    },
    "@heapwise/buffer add": () => () => {
      const o = add(X, Y);
      return sumAt((i) => o.get(i) as number);
    },
  },
});

await compare({
  suite: "add of 1e7 float64 into out",
  floor: "for loop",
  ops: N,
  rounds: 12,
  expect: addExpect,
  contestants: {
    "for loop": () => {
      const o = new Float64Array(N);
      return () => {
        for (let i = 0; i < N; i++) o[i] = x[i]! + y[i]!;
        return sumAt((i) => o[i]!);
      };
    },
    "number[] for loop": () => {
      const o: number[] = new Array(N).fill(0.5);
      return () => {
        for (let i = 0; i < N; i++) o[i] = xs[i]! + ys[i]!;
        return sumAt((i) => o[i]!);
      };
    },
    "scijs ndarray-ops add": () => {
      const a = ndarray(x);
      const b = ndarray(y);
      const o = ndarray(new Float64Array(N));
      return () => {
        ops.add(o, a, b);
        return sumAt((i) => o.get(i));
      };
    },
    "@stdlib strided-base-binary + float64 add": () => {
      const o = new Float64Array(N);
      return () => {
        binary([x, y, o], [N], [1, 1, 1], addScalar);
        return sumAt((i) => o[i]!);
      };
    },
    "@heapwise/buffer add(…, { out })": () => {
      const o = new NDArray(new Float64Array(N));
      return () => {
        add(X, Y, { out: o });
        return sumAt((i) => o.get(i) as number);
      };
    },
  },
});

await compare({
  suite: "strided sum of every 2nd of 1e7 float64",
  floor: "for loop (1 accumulator)",
  ops: N / 2,
  rounds: 12,
  expect: (r) => close(r, refStrided),
  contestants: {
    "for loop (1 accumulator)": () => () => {
      let s = 0;
      for (let i = 0; i < x.length; i += 2) s += x[i]!;
      return s;
    },
    "number[] for loop": () => () => {
      let s = 0;
      for (let i = 0; i < xs.length; i += 2) s += xs[i]!;
      return s;
    },
    "scijs ndarray-ops sum of .step(2)": () => {
      const v = ndarray(x).step(2);
      return () => ops.sum(v);
    },
    "@stdlib dsumpw (stride 2)": () => () => dsumpw(N / 2, x, 2),
    "@heapwise/buffer sum of slice('::2')": () => {
      const v = X.slice("::2");
      return () => sum(v);
    },
  },
});
