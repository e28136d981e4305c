import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    polyfill: "src/polyfill.ts",
    node: "src/node.ts",
    testing: "src/testing.ts",
    // The bootstrap isolate() starts in a worker thread (plain JS, loaded by URL, not imported).
    "isolate-worker": "src/node/isolate-worker.js",
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
  // isolate() reads import.meta.url; the CommonJS build has no import.meta, so there it is
  // `undefined` and isolate() falls back to __dirname.
  esbuildOptions(options, context) {
    if (context.format === "cjs") {
      options.define = { ...options.define, "import.meta.url": "undefined" };
    }
  },
});
