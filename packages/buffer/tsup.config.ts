import { defineConfig } from "tsup";

/**
 * Three entries: the main entry (runs anywhere), `./node` (worker-thread parallel kernels) and the
 * worker script that `./node` starts (`dist/worker.js`). Code splitting (ESM and CJS) puts the
 * shared modules in one chunk per format, so each class exists once across the entries.
 */
export default defineConfig({
  entry: { index: "src/index.ts", node: "src/node.ts", worker: "src/worker.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", node: "src/node.ts" } },
  splitting: true,
  target: "node20",
  shims: true,
  sourcemap: true,
  clean: true,
});
