import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  splitting: true,
  target: "node20",
  sourcemap: true,
  clean: true,
});
