#!/usr/bin/env node
// Lists the workspace packages that have a `test:browser` script; with --any, exits 0 if there is at
// least one and 1 if there is none (used by .ci/run to decide whether Chromium is needed).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const found = [];
for (const group of ["packages", "apps", "tooling"]) {
  const base = join(root, group);
  if (!existsSync(base)) continue;
  for (const name of readdirSync(base)) {
    const file = join(base, name, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    if (pkg.scripts?.["test:browser"]) found.push(pkg.name);
  }
}
if (process.argv.includes("--any")) process.exit(found.length > 0 ? 0 : 1);
for (const name of found) console.log(name);
