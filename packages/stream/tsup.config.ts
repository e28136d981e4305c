import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", node: "src/node/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  target: "node20",
  platform: "neutral",
  removeNodeProtocol: false,
  clean: true,
  sourcemap: false,
  splitting: false,
  treeshake: true,
  // The ./node entry imports the main entry by the package's own name: one copy per format.
  external: ["@heapwise/stream", /^node:/],
});
