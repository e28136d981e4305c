import { defineConfig } from "tsup";

/**
 * Three entries: the main entry (runs anywhere), `./node` (worker-thread parallel kernels) and the
 * worker script it starts. `./node` imports the main entry by the package's own name, which stays
 * external, so every class exists once per format. The worker bundles the internal kernels it needs.
 */
export default defineConfig({
  entry: { index: "src/index.ts", node: "src/node.ts", worker: "src/worker.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", node: "src/node.ts" } },
  target: "node20",
  platform: "neutral",
  shims: true,
  clean: true,
  sourcemap: false,
  splitting: false,
  external: ["@heapwise/buffer", /^node:/],
});
