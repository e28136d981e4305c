// The workspace's packages, as every script here sees them (plain Node, no dependencies).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo's root folder. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The folders pnpm-workspace.yaml lists. */
export const GROUPS = ["packages", "apps", "tooling"];

/**
 * Every workspace package under `groups` (default: all of them), sorted by folder, as
 * `{ group, folder, dir, pkg }` where `pkg` is its parsed package.json. `publishable: true` keeps only
 * the packages under packages/ that are not private.
 */
export function workspacePackages({ groups = GROUPS, publishable = false } = {}) {
  const found = [];
  for (const group of publishable ? ["packages"] : groups) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const folder of readdirSync(base).sort()) {
      const file = join(base, folder, "package.json");
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, "utf8"));
      if (publishable && pkg.private === true) continue;
      found.push({ group, folder, dir: join(base, folder), pkg });
    }
  }
  return found;
}
