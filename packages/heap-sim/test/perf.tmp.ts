import { Heap } from "../src/index.ts";

const py = new Heap();
let t = performance.now();
const N = 2_000_000;
for (let i = 0; i < N; i++) py.float(i).dispose();
let dt = performance.now() - t;
console.log("float alloc+free", (((N / dt) * 1000) / 1e6).toFixed(2), "M/s");
const Leaf = py.defineClass("Leaf", { slots: ["a"] });
py.gc.disable();
t = performance.now();
for (let i = 0; i < 1_000_000; i++) py.new(Leaf).dispose();
dt = performance.now() - t;
console.log("slots instance alloc+free", (((1e6 / dt) * 1000) / 1e6).toFixed(2), "M/s");
const P = py.defineClass("P");
t = performance.now();
for (let i = 0; i < 1_000_000; i++) py.new(P).dispose();
dt = performance.now() - t;
console.log("plain instance alloc+free", (((1e6 / dt) * 1000) / 1e6).toFixed(2), "M/s");
// full collection over 1M tracked objects
const f = py.frame();
f.set("l", py.list());
const l = f.get("l");
t = performance.now();
for (let i = 0; i < 1_000_000; i++) l.append(py.list());
console.log("build 1M lists", (performance.now() - t).toFixed(0), "ms");
t = performance.now();
const n = py.gc.collect();
console.log(
  "full collect over",
  py.memory().tracked,
  "tracked:",
  (performance.now() - t).toFixed(0),
  "ms, found",
  n,
);
t = performance.now();
f.dispose();
console.log("free 1M", (performance.now() - t).toFixed(0), "ms");
