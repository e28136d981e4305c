/**
 * Cross-process: the same 10,000,000-float64 kernels in C (`gcc -O3 -march=native`, compiled now
 * from bench/external/kernels.c into a temporary folder: the memory-bandwidth limit), NumPy, and
 * Node (this package, and the plain loop) each in its own process. Every process times its kernel
 * in-process (median of 7 after a warm-up); the harness runs each process 5 times back to back.
 * Ratios are to C. Run on a quiet machine: cross-process figures cannot be interleaved.
 * A second C build with gcc's vectorizers off shows what scalar code (all V8 emits) reaches here.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { external } from "@heapwise/bench";

const N = 10_000_000;
const REPS = "7";
const here = import.meta.dirname;
const python = process.env.HEAPWISE_NUMPY_PYTHON || "/usr/bin/python3";
const tmp = mkdtempSync(join(tmpdir(), "heapwise-bench-c-"));
/** Compiles kernels.c; returns the executable, or why it could not. */
function compile(name: string, flags: string[]): { exe: string; skip?: string } {
  const exe = join(tmp, name);
  const cc = spawnSync("gcc", [...flags, "-o", exe, join(here, "external", "kernels.c")], {
    encoding: "utf8",
  });
  const skip = cc.error
    ? `gcc not available: ${cc.error.message}`
    : cc.status !== 0
      ? `gcc failed: ${cc.stderr}`
      : undefined;
  return { exe, skip };
}
const vector = compile("kernels", ["-O3", "-march=native"]);
// The same source with gcc's vectorizers off: scalar code, like everything V8 emits for JS loops.
const scalar = compile("kernels-scalar", [
  "-O3",
  "-march=native",
  "-fno-tree-vectorize",
  "-fno-tree-slp-vectorize",
]);
const np = spawnSync(python, ["-c", "import numpy; print(numpy.__version__)"], {
  encoding: "utf8",
});
const npSkip =
  np.status === 0
    ? undefined
    : `numpy not importable by ${python}: apt-get install -y python3-numpy`;
const npName = `NumPy ${np.status === 0 ? np.stdout.trim() : ""}`.trim();

try {
  for (const kernel of ["sum", "dot", "axpy", "add-new", "add-out", "strided-sum"]) {
    await external({
      suite: `${kernel} of 1e7 float64 vs C and NumPy`,
      floor: "C, gcc -O3 -march=native",
      ops: kernel === "strided-sum" ? N / 2 : N,
      repeats: 5,
      contestants: {
        "C, gcc -O3 -march=native": {
          cmd: [vector.exe, kernel, String(N), REPS],
          skip: () => vector.skip,
        },
        "C, same flags, vectorization off (scalar)": {
          cmd: [scalar.exe, kernel, String(N), REPS],
          skip: () => scalar.skip,
        },
        [npName]: {
          cmd: [python, join(here, "external", "numpy-kernels.py"), kernel, String(N), REPS],
          skip: () => npSkip,
        },
        "@heapwise/buffer (Node)": {
          cmd: [
            process.execPath,
            join(here, "external", "node-kernels.mjs"),
            "heapwise",
            kernel,
            String(N),
            REPS,
          ],
        },
        "@heapwise/buffer, arrays in a WasmHeap (Node)": {
          cmd: [
            process.execPath,
            join(here, "external", "node-kernels.mjs"),
            "wasm",
            kernel,
            String(N),
            REPS,
          ],
        },
        "plain for loop (Node)": {
          cmd: [
            process.execPath,
            join(here, "external", "node-kernels.mjs"),
            "loop",
            kernel,
            String(N),
            REPS,
          ],
        },
      },
    });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
