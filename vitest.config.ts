/**
 * Root vitest config: `pnpm vitest` here runs every workspace project at once (each project's own
 * `vitest.config.ts` built from `vitest.shared.ts`). CI runs the same projects one package at a time
 * through turbo (`turbo run test`), which caches per package.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "apps/*/vitest.config.ts",
      "tooling/*/vitest.config.ts",
    ],
  },
});
