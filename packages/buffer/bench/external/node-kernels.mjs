// The Node contestants of the cross-process benchmark (run by bench/vs-c-numpy.bench.ts):
//   node node-kernels.mjs <heapwise|wasm|loop> <kernel> <n> <reps>
// (wasm: this package with the arrays in a WasmHeap, so the SIMD kernels run.)
// Times the kernel in-process (median of reps after one warm-up) and prints {"ms": …, "check": …}.
import { add, axpy, dot, NDArray, sum, WasmHeap, zeros } from "@heapwise/buffer";

const [impl, kernel, nArg, repsArg] = process.argv.slice(2);
const n = Number(nArg);
const reps = Number(repsArg);
const x = new Float64Array(n);
const y = new Float64Array(n);
const z = new Float64Array(n);
let s = 42n;
for (let i = 0; i < n; i++) {
  s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
  x[i] = Number(s >> 11n) / 9007199254740992;
  y[i] = 1 - x[i] * x[i];
}
const heap = impl === "wasm" ? new WasmHeap({ bytes: 4 * 8 * n + 2 ** 20 }) : undefined;
const place = (a) => {
  if (heap === undefined) return new NDArray(a);
  const w = zeros([n], { allocator: heap });
  w.data.set(a);
  return w;
};
const X = place(x);
const Y = place(y);
const Z = place(z);
const strided = X.slice("::2");
const newArrays = heap === undefined ? {} : { allocator: heap };

const heapwise = {
  sum: () => sum(X),
  dot: () => dot(X, Y),
  axpy: () => axpy(0.5, X, Y).get(n >> 1),
  "add-new": () => {
    const o = add(X, Y, newArrays);
    const v = o.get(Math.floor(n / 3));
    o[Symbol.dispose](); // gives a WasmHeap block back; a no-op for ordinary memory
    return v;
  },
  "add-out": () => add(X, Y, { out: Z }).get(Math.floor(n / 3)),
  "strided-sum": () => sum(strided),
};
// The plain loops as a user writes them: functions taking the arrays as parameters (an inline loop
// over these module-level constants would be constant-folded by V8, see kernels.bench.ts).
function loopSum(a) {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i];
  return t;
}
function loopDot(a, b) {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i] * b[i];
  return t;
}
function loopAxpy(alpha, a, b) {
  for (let i = 0; i < b.length; i++) b[i] += alpha * a[i];
}
function loopAddNew(a, b) {
  const o = new Float64Array(a.length);
  for (let i = 0; i < o.length; i++) o[i] = a[i] + b[i];
  return o;
}
function loopAddOut(a, b, o) {
  for (let i = 0; i < o.length; i++) o[i] = a[i] + b[i];
}
function loopSumEvery2nd(a) {
  let t = 0;
  for (let i = 0; i < a.length; i += 2) t += a[i];
  return t;
}
const loop = {
  sum: () => loopSum(x),
  dot: () => loopDot(x, y),
  axpy: () => {
    loopAxpy(0.5, x, y);
    return y[n >> 1];
  },
  "add-new": () => loopAddNew(x, y)[Math.floor(n / 3)],
  "add-out": () => {
    loopAddOut(x, y, z);
    return z[Math.floor(n / 3)];
  },
  "strided-sum": () => loopSumEvery2nd(x),
};
const fn = (impl === "loop" ? loop : heapwise)[kernel];
if (!fn) {
  console.error(`unknown ${impl} kernel ${kernel}`);
  process.exit(2);
}
const times = [];
let check = 0;
for (let r = -1; r < reps; r++) {
  const t0 = process.hrtime.bigint();
  check = fn();
  const t1 = process.hrtime.bigint();
  if (r >= 0) times.push(Number(t1 - t0) / 1e6);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ ms: times[times.length >> 1], check }));
