/**
 * Conformance: the official test262 tests for DisposableStack, AsyncDisposableStack and
 * SuppressedError (219 files at test262 be13516f), run by the shared runner
 * `../shared/tools/test262-erm.mjs` against a fresh esm build of this package's main entry.
 *
 * test262 is third-party code and is not in the repository: point TEST262_DIR at a checkout (see the
 * runner's README). Without it this test is skipped and says so.
 *
 * The build is made here (tsup, the package's options for the main entry) into a folder of its own,
 * so the test never races with `turbo run build` rewriting dist/. On Node 24 the runner gets
 * `--hide-native`, so what is measured is the ponyfill and not V8's classes.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const packageDir = resolve(import.meta.dirname, "..");
const testsDir = process.env.TEST262_DIR;

function findRunner(): string | undefined {
  let dir = packageDir;
  for (;;) {
    const candidate = join(dir, "shared", "tools", "test262-erm.mjs");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const EXPECTED_FILES = 219;

if (!testsDir) {
  console.warn(
    "test262 conformance test skipped: TEST262_DIR is not set (point it at a tc39/test262 checkout; see ../shared/tools/test262-erm.README.md)",
  );
}

describe.skipIf(!testsDir)("test262 (TEST262_DIR)", () => {
  it(`passes all ${EXPECTED_FILES} DisposableStack/AsyncDisposableStack/SuppressedError files`, {
    timeout: 180_000,
  }, () => {
    const runner = findRunner();
    expect(runner, "shared/tools/test262-erm.mjs beside the repository").toBeDefined();
    const outDir = join(packageDir, "node_modules", ".cache", `test262-build-${process.pid}`);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    try {
      const tsup = join(packageDir, "node_modules", ".bin", "tsup");
      const build = spawnSync(
        tsup,
        [
          "src/index.ts",
          "--no-config",
          "--format",
          "esm",
          "--target",
          "node20",
          "--keep-names",
          "--out-dir",
          outDir,
          "--silent",
        ],
        { cwd: packageDir, encoding: "utf8" },
      );
      expect(build.status, `tsup failed: ${build.stderr}`).toBe(0);
      const entry = join(outDir, "index.js");
      const run = spawnSync(
        process.execPath,
        [runner!, "--impl", entry, "--tests", testsDir!, "--jobs", "2", "--hide-native"],
        { cwd: packageDir, encoding: "utf8", maxBuffer: 16 << 20 },
      );
      const output = `${run.stdout}${run.stderr}`;
      const summary = /test262-erm: (\d+) passed, (\d+) failed, (\d+) skipped/.exec(output);
      expect(summary, output).not.toBeNull();
      // The realm must have got the ponyfill's three classes.
      expect(output).toMatch(/realm has DisposableStack, AsyncDisposableStack, SuppressedError/);
      expect(
        { passed: Number(summary![1]), failed: Number(summary![2]), skipped: Number(summary![3]) },
        output,
      ).toEqual({ passed: EXPECTED_FILES, failed: 0, skipped: 0 });
      expect(run.status).toBe(0);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
