/**
 * The one vitest configuration every workspace package uses, so that all of them run the same way:
 * `--expose-gc` in the default `forks` pool, JSON reports that `.ci/run` sums, and on Node ≥ 24 no
 * lowering of `using` (oxc target esnext) so the native explicit-resource-management path is tested.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, type ViteUserConfig } from "vitest/config";

export const nodeMajor = Number(process.versions.node.split(".")[0]);

/** Options a package may add to the shared test configuration. */
export interface PackageTestOptions {
  /** Per-test timeout in ms. Default 20 000: the machines are 2 shared cores and GC tests allocate. */
  testTimeout?: number;
  /** Extra include globs, relative to the package. Default `test/**\/*.test.ts`. */
  include?: string[];
  /** Environment: `node` (default). Browser tests run through `test:browser`, not here. */
  environment?: "node";
}

/** The vitest config of the package in `dir` (pass `import.meta.dirname`). */
export function packageTestConfig(dir: string, options: PackageTestOptions = {}): ViteUserConfig {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string };
  return defineConfig({
    ...(nodeMajor >= 24 ? { oxc: { target: "esnext" } } : {}),
    test: {
      name: pkg.name,
      root: dir,
      include: options.include ?? ["test/**/*.test.ts"],
      environment: options.environment ?? "node",
      execArgv: ["--expose-gc"],
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: 30_000,
      reporters: ["default", "json"],
      outputFile: { json: join(dir, "reports", `vitest-node${nodeMajor}.json`) },
    },
  });
}
