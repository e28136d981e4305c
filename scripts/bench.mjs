#!/usr/bin/env node
// pnpm bench [--node24] [package ...] [--files <substring> ...]
// Builds the workspace, then runs every package's bench/*.bench.ts through the one harness
// (tooling/bench: heapwise-bench), one package and one file at a time so that nothing else competes
// for the two cores. Results print as tables and land as JSON in bench-results/ (ignored).
//   pnpm bench                       every package
//   pnpm bench cache stream          only packages whose folder name matches
//   pnpm bench buffer --files sum    only bench files whose name contains "sum"
//   pnpm bench --node24 dispose      the same on Node 24 (installed into .cache/ by scripts/node24.mjs)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { node24Path } from "./node24.mjs";
import { root, workspacePackages } from "./workspace.mjs";

const args = process.argv.slice(2).filter((a) => a !== "--");
const packages = [];
const files = [];
let node = process.execPath;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--node24") node = node24Path();
  else if (args[i] === "--files") files.push(args[++i]);
  else packages.push(args[i]);
}
const env = {
  ...process.env,
  PATH: `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH}`,
  TURBO_TELEMETRY_DISABLED: "1",
};
const build = spawnSync("turbo", ["run", "build", "--output-logs=errors-only"], {
  cwd: root,
  env,
  stdio: "inherit",
});
if (build.status !== 0) process.exit(build.status ?? 1);

let failed = 0;
for (const { folder, dir } of workspacePackages({ groups: ["packages", "apps"] })) {
  if (packages.length > 0 && !packages.some((p) => folder.includes(p))) continue;
  if (!existsSync(join(dir, "bench"))) continue;
  const bin = join(root, "tooling", "bench", "bin", "heapwise-bench.mjs");
  const r = spawnSync(process.execPath, [bin, "--node", node, ...files], {
    cwd: dir,
    env,
    stdio: "inherit",
  });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
