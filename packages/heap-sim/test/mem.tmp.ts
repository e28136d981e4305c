import { Heap } from "../src/index.ts";

const gc = (globalThis as { gc?: () => void }).gc!;
function used() {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
const kind = process.argv[2]!;
const before = used();
const py = new Heap();
const f = py.frame();
f.set("l", py.list());
const l = f.get("l");
const C = py.defineClass("C", { slots: ["a"] });
const P = py.defineClass("P");
const N = 1_000_000;
for (let i = 0; i < N; i++)
  l.append(
    kind === "float"
      ? py.float(i)
      : kind === "slots"
        ? py.new(C)
        : kind === "plain"
          ? py.new(P)
          : kind === "int"
            ? py.int(1000 + i)
            : py.list(),
  );
const after = used();
console.log(kind, ((after - before) / N).toFixed(1), "bytes/object", py.memory().objects);
// introspect via private: use the runtime through a frame? Not accessible. Use process heap stats instead
const m = process.memoryUsage();
console.log(
  "heapUsed",
  (m.heapUsed / 1e6).toFixed(1),
  "MB arrayBuffers",
  (m.arrayBuffers / 1e6).toFixed(1),
  "MB",
);
