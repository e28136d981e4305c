import { fileURLToPath } from "node:url";
import { mergeConfig } from "vitest/config";
import { packageTestConfig } from "../../vitest.shared.ts";

// The ./node entry imports the main entry by the package's own name (so that each class exists
// once per built format); in tests that name points at the sources, not at dist/.
export default mergeConfig(packageTestConfig(import.meta.dirname, { testTimeout: 60_000 }), {
  resolve: {
    alias: [
      {
        find: /^@heapwise\/stream$/,
        replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)),
      },
    ],
  },
});
