#!/usr/bin/env node
// pnpm bench:readme — rewrites the benchmark tables in every README from the JSON that `pnpm bench`
// wrote under bench-results/, so README numbers are always the measured ones, never typed by hand.
//
// In a README, a table is a block between two markers:
//   <!-- bench:<package>/<suite-slug>.node20 -->
//   (generated table; anything here is replaced)
//   <!-- /bench -->
// where <package> is the folder under bench-results/ (the package name without its scope) and
// <suite-slug>.node20 is the JSON file name without `.json`. A marker whose JSON is missing is left
// as it is and reported, and the command exits 1, so a stale table cannot go unnoticed.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { root, workspacePackages } from "./workspace.mjs";

const results = join(root, "bench-results");
const block = /<!-- bench:([\w./-]+) -->\n[\s\S]*?<!-- \/bench -->/g;

const fmt = (x, digits = 2) =>
  x >= 1000 ? x.toFixed(0) : x >= 100 ? x.toFixed(1) : x >= 10 ? x.toFixed(1) : x.toFixed(digits);
const fmtBytes = (b) =>
  Math.abs(b) >= 1 << 20
    ? `${(b / (1 << 20)).toFixed(2)} MiB`
    : Math.abs(b) >= 1024
      ? `${(b / 1024).toFixed(1)} KiB`
      : `${Math.round(b)} B`;

export function renderTable(r) {
  const lines = [];
  if (r.kind === "memory") {
    lines.push("| contestant | retained | × floor |", "|---|---:|---:|");
    for (const c of r.contestants) {
      const name = `${c.name}${c.name === r.floor ? " (floor)" : ""}`;
      if (c.samples === 0) lines.push(`| ${name} | — ${c.note ?? "skipped"} | |`);
      else
        lines.push(
          `| ${name} | ${fmtBytes(c.bytes)} | ${c.ratio ? `${fmt(c.ratio.median)}×` : ""} |`,
        );
    }
  } else {
    lines.push("| contestant | median | ns/op | × floor | p25–p75 |", "|---|---:|---:|---:|---:|");
    for (const c of r.contestants) {
      const name = `${c.name}${c.name === r.floor ? " (floor)" : ""}${c.note && c.samples ? ` (${c.note})` : ""}`;
      if (c.samples === 0) {
        lines.push(`| ${name} | — ${c.note ?? "skipped"} | | | |`);
        continue;
      }
      lines.push(
        `| ${name} | ${fmt(c.medianMs, 2)} ms | ${c.nsPerOp === undefined ? "" : fmt(c.nsPerOp)} | ` +
          `${c.ratio ? `${fmt(c.ratio.median)}×` : ""} | ` +
          `${c.ratio ? `${fmt(c.ratio.p25)}–${fmt(c.ratio.p75)}` : ""} |`,
      );
    }
  }
  const when = r.date.slice(0, 10);
  lines.push(
    "",
    `<sub>${r.suite}${r.ops ? `, ${r.ops.toLocaleString("en-US")} ops per sample` : ""}; ` +
      `Node ${r.node}, ${r.rounds} ${r.kind === "time" ? "interleaved rounds" : "runs"}, ${when}. ` +
      `${r.kind === "time" ? "Ratios are medians of within-round ratios to the floor." : "Ratios are of medians (not paired within a round)."}</sub>`,
  );
  return lines.join("\n");
}

function readmes() {
  const packageReadmes = workspacePackages({ groups: ["packages", "apps"] }).map((p) =>
    join(p.dir, "README.md"),
  );
  return [join(root, "README.md"), ...packageReadmes].filter(existsSync);
}

let missing = 0;
for (const file of readmes()) {
  const text = readFileSync(file, "utf8");
  const next = text.replace(block, (whole, key) => {
    const json = join(results, `${key}.json`);
    if (!existsSync(json)) {
      console.error(
        `${relative(root, file)}: no results for ${key} (expected ${relative(root, json)})`,
      );
      missing++;
      return whole;
    }
    const table = renderTable(JSON.parse(readFileSync(json, "utf8")));
    return `<!-- bench:${key} -->\n${table}\n<!-- /bench -->`;
  });
  if (next !== text) {
    writeFileSync(file, next);
    console.log(`updated ${relative(root, file)}`);
  }
}
process.exit(missing === 0 ? 0 : 1);
