/**
 * No `eval` and no `new Function` anywhere (scijs/ndarray generates its loops with `new Function`
 * and so fails under a Content-Security-Policy without 'unsafe-eval', its issue #48). Checked on
 * the shipped code: a fresh build of the package's tsup configuration into a temporary folder, and
 * `dist/` as well when it exists.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "tsup";
import { describe, expect, it } from "vitest";

const FORBIDDEN =
  /\beval\s*\(|\bnew\s+Function\s*\(|\bFunction\s*\(\s*["'`]|setTimeout\s*\(\s*["'`]/;

function offenders(dir: string): string[] {
  const bad: string[] = [];
  for (const f of readdirSync(dir)) {
    if (!/\.(c|m)?js$/.test(f)) continue;
    const text = readFileSync(join(dir, f), "utf8");
    text.split("\n").forEach((line, i) => {
      if (FORBIDDEN.test(line)) bad.push(`${f}:${i + 1}: ${line.trim()}`);
    });
  }
  return bad;
}

describe("no code evaluation in the shipped JavaScript", () => {
  it("a fresh build has no eval / new Function", async () => {
    const out = mkdtempSync(join(tmpdir(), "heapwise-buffer-dist-"));
    try {
      await build({
        config: false,
        entry: { index: "src/index.ts", node: "src/node.ts", worker: "src/worker.ts" },
        format: ["esm", "cjs"],
        outDir: out,
        target: "node20",
        platform: "neutral",
        shims: true,
        dts: false,
        silent: true,
        external: ["@heapwise/buffer", /^node:/],
      });
      const files = readdirSync(out);
      expect(files).toEqual(
        expect.arrayContaining(["index.js", "index.cjs", "node.js", "worker.js"]),
      );
      expect(offenders(out)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("dist/ (when built) has no eval / new Function", () => {
    const dist = join(import.meta.dirname, "..", "dist");
    if (!existsSync(dist)) return;
    expect(offenders(dist)).toEqual([]);
  });

  it("the check itself catches both forms", () => {
    expect(FORBIDDEN.test("var p = new Function(code)")).toBe(true);
    expect(FORBIDDEN.test("return eval (x)")).toBe(true);
    expect(FORBIDDEN.test("evaluate(x); newFunctionality()")).toBe(false);
  });
});
