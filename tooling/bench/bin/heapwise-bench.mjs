#!/usr/bin/env node
// heapwise-bench [--node <path>] [filter...]
// Runs every bench/*.bench.ts of the package in the working directory (or those whose file name
// contains one of the filters), one file after another, each in a fresh `node --expose-gc` process
// with tsx as the TypeScript loader. tsx targets the running Node, so `using` stays native on Node 24.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
let node = process.env.HEAPWISE_BENCH_NODE || process.execPath;
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--node") node = args[++i];
  else filters.push(args[i]);
}
const dir = join(process.cwd(), "bench");
if (!existsSync(dir)) {
  console.log(`heapwise-bench: ${process.cwd()} has no bench/ folder`);
  process.exit(0);
}
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;
let failed = 0;
for (const file of files) {
  console.log(`\n━━ ${file} (node ${node === process.execPath ? process.version : node})`);
  const r = spawnSync(node, ["--expose-gc", "--import", tsx, join(dir, file)], {
    stdio: "inherit",
  });
  if (r.status !== 0) {
    failed++;
    console.error(`✖ ${file} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
