#!/usr/bin/env node
// Lists the workspace packages that have a `test:browser` script; with --any, exits 0 if there is at
// least one and 1 if there is none (used by .ci/run to decide whether Chromium is needed).
import { workspacePackages } from "./workspace.mjs";

const found = workspacePackages()
  .filter((p) => p.pkg.scripts?.["test:browser"])
  .map((p) => p.pkg.name);
if (process.argv.includes("--any")) process.exit(found.length > 0 ? 0 : 1);
for (const name of found) console.log(name);
