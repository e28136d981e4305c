#!/usr/bin/env node
// The two commands of the README, for a fresh machine that has only Node 20 and npm:
//   npm test      set up whatever is missing, then run every check
//   npm run demo  set up whatever is missing, then run the demo
// Setting up means: pnpm (through `npx --yes pnpm@<pinned>` the first time; afterwards the pinned copy
// that the install itself puts in node_modules/.bin) and `pnpm install --frozen-lockfile`. Both steps
// are skipped when node_modules already matches the lockfile, so a second run starts at once.
// Plain Node, no dependencies: this file runs before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PNPM_VERSION = JSON.parse(
  readFileSync(join(root, "package.json"), "utf8"),
).packageManager.split("@")[1];
const bin = join(root, "node_modules", ".bin");

const env = {
  ...process.env,
  PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
  // npm scripts export npm_config_* variables that pnpm would warn about; keep pnpm's view clean.
  npm_config_yes: "true",
};

function run(cmd, args, options = {}) {
  const shown = [cmd, ...args].join(" ");
  console.log(`\n▶ ${shown}`);
  const result = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit", ...options });
  if (result.error) {
    console.error(`✖ could not start ${shown}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

function isInstalled() {
  const lock = join(root, "pnpm-lock.yaml");
  const installedLock = join(root, "node_modules", ".pnpm", "lock.yaml");
  if (!existsSync(join(bin, "pnpm")) || !existsSync(installedLock)) return false;
  return readFileSync(lock, "utf8") === readFileSync(installedLock, "utf8");
}

function setup() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 11)) {
    console.error(`heapwise needs Node >= 20.11, this is ${process.version}`);
    process.exit(1);
  }
  if (isInstalled()) return;
  const local = join(bin, "pnpm");
  const status = existsSync(local)
    ? run(local, ["install", "--frozen-lockfile"])
    : run("npx", ["--yes", `pnpm@${PNPM_VERSION}`, "install", "--frozen-lockfile"]);
  if (status !== 0) {
    console.error("✖ set-up failed: pnpm install --frozen-lockfile did not succeed");
    process.exit(status);
  }
}

function test() {
  const steps = [
    ["biome (lint + format)", "biome", ["ci", "."]],
    [
      "build, type-check, unit tests",
      "turbo",
      ["run", "build", "typecheck", "test", "--output-logs=new-only"],
    ],
    ["package checks (publint, attw, fresh consumer)", "node", ["scripts/check-packages.mjs"]],
  ];
  const failed = [];
  for (const [name, cmd, args] of steps) {
    if (run(cmd, args) !== 0) failed.push(name);
  }
  if (failed.length > 0) {
    console.error(`\n✖ npm test: failed: ${failed.join("; ")}`);
    process.exit(1);
  }
  console.log("\n✔ npm test: every check passed");
}

function demo() {
  const demoPkg = join(root, "apps", "demo", "package.json");
  if (!existsSync(demoPkg)) {
    console.log(
      "\nSet-up is complete, but the demo app (apps/demo) has not landed yet: it comes with its own issue.",
    );
    return;
  }
  const name = JSON.parse(readFileSync(demoPkg, "utf8")).name;
  let status = run("turbo", ["run", "build", `--filter=${name}^...`, "--output-logs=errors-only"]);
  if (status === 0)
    status = run("pnpm", ["--filter", name, "run", "demo", ...process.argv.slice(3)]);
  process.exit(status);
}

const command = process.argv[2];
setup();
if (command === "test") test();
else if (command === "demo") demo();
else if (command !== "setup") {
  console.error(`usage: node scripts/run.mjs <setup|test|demo>, got ${JSON.stringify(command)}`);
  process.exit(2);
}
