#!/usr/bin/env node
// Sums the JSON reports of every test runner used in this run and prints one line:
//   N passed, M failed, K skipped
// Reports: vitest's JSON reporter (packages/*/reports/vitest-node<major>.json, one per Node version),
// the browser tests (…/reports/browser.json) and the package checks (reports/package-checks.json);
// all use vitest's counters. A test file that failed to load counts as one failure.
// Exits 1 if anything failed or no report was found.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { root, workspacePackages } from "./workspace.mjs";

const dirs = [join(root, "reports"), ...workspacePackages().map((p) => join(p.dir, "reports"))];
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
for (const dir of dirs) {
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const r = JSON.parse(readFileSync(join(dir, file), "utf8"));
    if (typeof r.numPassedTests !== "number") continue;
    // Suites that failed without a failing test (an import error) count once each.
    const brokenSuites = (r.testResults ?? []).filter(
      (s) =>
        s.status === "failed" && !(s.assertionResults ?? []).some((a) => a.status === "failed"),
    ).length;
    const f = r.numFailedTests + brokenSuites;
    const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    passed += r.numPassedTests;
    failed += f;
    skipped += s;
    lines.push(
      `${relative(root, join(dir, file)).padEnd(52)} ${String(r.numPassedTests).padStart(5)} passed` +
        `${f ? `, ${f} failed` : ""}${s ? `, ${s} skipped` : ""}`,
    );
  }
}
console.log(lines.join("\n"));
if (lines.length === 0) console.log("no test report found");
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 && lines.length > 0 ? 0 : 1);
