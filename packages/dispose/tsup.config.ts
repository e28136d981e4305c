import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    polyfill: "src/polyfill.ts",
    node: "src/node.ts",
    testing: "src/testing.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  splitting: true,
  target: "node20",
  sourcemap: true,
  clean: true,
  // The ponyfill's classes and functions must keep their exact names (`DisposableStack.name`):
  // esbuild would otherwise rename clashing identifiers (DisposableStack2).
  keepNames: true,
});
