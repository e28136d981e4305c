import { defineConfig } from "tsup";

/**
 * Two entries: the main entry (runs anywhere) and `./testing` (deterministic weak provider and
 * manual clock). Shared code is split into chunks, never duplicated, so every class exists once
 * per format.
 */
export default defineConfig({
  entry: { index: "src/index.ts", testing: "src/testing.ts" },
  format: ["esm", "cjs"],
  dts: true,
  splitting: true,
  target: "node20",
  sourcemap: true,
  clean: true,
});
