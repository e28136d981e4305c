import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    polyfill: "src/polyfill.ts",
    node: "src/node.ts",
    testing: "src/testing.ts",
    // The script isolate() runs in its child process or worker thread (plain JS, loaded by URL,
    // never imported, so it has no types).
    "isolate-bootstrap": "src/node/isolate-bootstrap.js",
  },
  format: ["esm", "cjs"],
  dts: {
    entry: {
      index: "src/index.ts",
      polyfill: "src/polyfill.ts",
      node: "src/node.ts",
      testing: "src/testing.ts",
    },
  },
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
