import { defineConfig } from "tsup";

/**
 * Two entries: the main entry (runs anywhere) and `./testing` (deterministic weak provider and
 * manual clock). `./testing` imports the main entry by the package's own name, which stays external,
 * so every class exists once per format.
 */
export default defineConfig({
  entry: { index: "src/index.ts", testing: "src/testing.ts" },
  format: ["esm", "cjs"],
  dts: true,
  target: "node20",
  platform: "neutral",
  clean: true,
  sourcemap: false,
  splitting: false,
  external: ["@heapwise/cache"],
});
