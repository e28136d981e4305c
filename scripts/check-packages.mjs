#!/usr/bin/env node
// Package checks, run by `npm test` for every publishable package in packages/ (needs a build):
//   publint      strict: any message fails
//   attw         @arethetypeswrong/cli on the packed tarball (profile node16: all but legacy node10)
//   esm import   every subpath of the exports map imported from an ES module in a fresh npm project
//   cjs require  the same subpaths required from CommonJS, with the same export names as ESM
//   types        tsc (module/moduleResolution node16) on generated .mts and .cts files that must name
//                exactly the runtime exports of each subpath, plus the package's test/consumer/usage.ts
//   usage run    the compiled usage.ts (a realistic program with a `using` declaration) runs and exits 0
// "Fresh project" means: `pnpm pack` of the package and of its workspace dependencies, installed with
// plain npm into a new folder under the system temp directory, outside the workspace.
//
//   node scripts/check-packages.mjs [--keep] [package-folder ...]
// Writes reports/package-checks.json (summed by .ci/run) and exits 1 if any check failed.
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, workspacePackages } from "./workspace.mjs";

const bin = join(root, "node_modules", ".bin");
const args = process.argv.slice(2);
const keep = args.includes("--keep");
const only = args.filter((a) => !a.startsWith("--"));
const TYPES_NODE = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies[
  "@types/node"
];

function sh(cmd, cmdArgs, options = {}) {
  const r = spawnSync(cmd, cmdArgs, {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    ...options,
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", ...options.env },
  });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  return { ok: r.status === 0 && !r.error, status: r.status, output: r.error?.message ?? output };
}

const packages = workspacePackages({ publishable: true });
const byName = new Map(packages.map((p) => [p.pkg.name, p]));
const selected = packages.filter((p) => only.length === 0 || only.includes(p.folder));

const work = mkdtempSync(join(tmpdir(), "heapwise-consumer-"));
const tarballs = join(work, "tarballs");
mkdirSync(tarballs);

/** @type {{ package: string, check: string, ok: boolean, detail?: string }[]} */
const results = [];
function record(pkgName, check, ok, detail) {
  results.push({ package: pkgName, check, ok, ...(ok ? {} : { detail }) });
  console.log(`  ${ok ? "✔" : "✖"} ${check}${ok ? "" : `\n${indent(detail ?? "")}`}`);
}
const indent = (text) =>
  text
    .split("\n")
    .slice(0, 60)
    .map((l) => `      ${l}`)
    .join("\n");

// 1. Pack every publishable package once (pnpm rewrites workspace:* to real versions).
const packed = new Map();
for (const p of packages) {
  if (!existsSync(join(p.dir, "dist"))) {
    console.error(`✖ ${p.pkg.name} has no dist/: build first (turbo run build)`);
    process.exit(1);
  }
  const r = sh(join(bin, "pnpm"), ["pack", "--pack-destination", tarballs], { cwd: p.dir });
  const file = readdirSync(tarballs).find(
    (f) => f === `${p.pkg.name.replace("@", "").replace("/", "-")}-${p.pkg.version}.tgz`,
  );
  if (!r.ok || !file) {
    console.error(`✖ pnpm pack failed for ${p.pkg.name}:\n${r.output}`);
    process.exit(1);
  }
  packed.set(p.pkg.name, join(tarballs, file));
}

/** The package and its workspace dependencies, transitively (their tarballs get installed too). */
function closure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const p = byName.get(name);
  for (const dep of Object.keys({ ...p.pkg.dependencies, ...p.pkg.peerDependencies })) {
    if (byName.has(dep)) closure(dep, seen);
  }
  return seen;
}

const { publint } = await import(join(root, "node_modules", "publint", "src", "index-node.js"));
const { formatMessage } = await import(join(root, "node_modules", "publint", "src", "utils.js"));

for (const p of selected) {
  const name = p.pkg.name;
  const tarball = packed.get(name);
  console.log(`\n▶ ${name} (${tarball.split("/").pop()})`);

  // publint on the exact tarball that would be published.
  {
    const data = readFileSync(tarball);
    const { messages, pkg } = await publint({
      strict: true,
      level: "suggestion",
      pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
    });
    const text = messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false })}`);
    record(name, "publint", messages.length === 0, text.join("\n"));
  }

  // arethetypeswrong on the tarball. Profile node16: every resolution mode except TypeScript's legacy
  // `node10`, which cannot see `exports` subpaths and is removed from TypeScript 6+.
  {
    const attwArgs = [tarball, "--profile", "node16", "--no-definitely-typed", "--format", "ascii"];
    const r = sh(join(bin, "attw"), [...attwArgs, "--no-emoji"], {
      cwd: work,
    });
    record(name, "attw", r.ok, r.output);
  }

  // A fresh consumer project outside the workspace.
  const dir = join(work, `consumer-${p.folder}`);
  mkdirSync(dir);
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: `consumer-of-${p.folder}`, private: true, type: "module" }, null, 2)}\n`,
  );
  const deps = [...closure(name)].map((n) => packed.get(n));
  const install = sh(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--no-package-lock",
      "--prefer-offline",
      "--loglevel=error",
      ...deps,
      `@types/node@${TYPES_NODE}`,
    ],
    { cwd: dir },
  );
  record(name, "npm install from tarball", install.ok, install.output);
  if (!install.ok) continue;

  const subpaths = Object.keys(p.pkg.exports ?? { ".": null }).filter(
    (s) => s !== "./package.json" && !s.includes("*"),
  );
  const specifiers = subpaths.map((s) => (s === "." ? name : `${name}/${s.slice(2)}`));

  writeFileSync(
    join(dir, "esm-check.mjs"),
    `const out = {};\nfor (const s of ${JSON.stringify(specifiers)}) out[s] = Object.keys(await import(s)).sort();\n` +
      "console.log(JSON.stringify(out));\n",
  );
  writeFileSync(
    join(dir, "cjs-check.cjs"),
    `const out = {};\nfor (const s of ${JSON.stringify(specifiers)}) out[s] = Object.keys(require(s)).sort();\n` +
      "console.log(JSON.stringify(out));\n",
  );
  const esm = sh(process.execPath, ["esm-check.mjs"], { cwd: dir });
  let esmNames;
  if (esm.ok) {
    esmNames = JSON.parse(esm.output.split("\n").at(-1));
    const empty = specifiers.filter((s) => esmNames[s].length === 0);
    record(name, "esm import", empty.length === 0, `exports nothing: ${empty.join(", ")}`);
  } else record(name, "esm import", false, esm.output);

  const cjs = sh(process.execPath, ["cjs-check.cjs"], { cwd: dir });
  if (cjs.ok && esmNames) {
    const cjsNames = JSON.parse(cjs.output.split("\n").at(-1));
    const diff = specifiers
      .filter((s) => JSON.stringify(cjsNames[s]) !== JSON.stringify(esmNames[s]))
      .map((s) => `${s}: esm [${esmNames[s]}] vs cjs [${cjsNames[s]}]`);
    record(
      name,
      "cjs require",
      diff.length === 0,
      `ESM and CJS export different names:\n${diff.join("\n")}`,
    );
  } else record(name, "cjs require", false, cjs.output);

  // Types: every runtime export must be typed, and nothing typed may be missing at runtime
  // (Record<keyof typeof m, true> with an exact object literal checks both directions).
  const usageSrc = join(p.dir, "test", "consumer", "usage.ts");
  const files = [];
  if (esmNames) {
    specifiers.forEach((s, i) => {
      const literal = `{ ${esmNames[s].map((k) => `${JSON.stringify(k)}: true`).join(", ")} }`;
      const body = `import * as m from ${JSON.stringify(s)};\nexport const names: Record<keyof typeof m, true> = ${literal};\n`;
      writeFileSync(join(dir, `types-${i}.mts`), body);
      writeFileSync(join(dir, `types-${i}.cts`), body);
      files.push(`types-${i}.mts`, `types-${i}.cts`);
    });
  }
  if (existsSync(usageSrc)) {
    copyFileSync(usageSrc, join(dir, "usage.ts"));
    files.push("usage.ts");
  }
  writeFileSync(
    join(dir, "tsconfig.json"),
    `${JSON.stringify(
      {
        compilerOptions: {
          module: "node16",
          moduleResolution: "node16",
          target: "es2022",
          lib: ["es2022", "esnext.disposable"],
          types: ["node"],
          strict: true,
          skipLibCheck: false,
          noEmitOnError: true,
          outDir: "out",
        },
        files,
      },
      null,
      2,
    )}\n`,
  );
  const tsc = sh(
    process.execPath,
    [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "."],
    {
      cwd: dir,
    },
  );
  record(name, "types (tsc, node16: .mts, .cts, usage.ts)", tsc.ok && files.length > 0, tsc.output);

  if (!existsSync(usageSrc)) {
    record(name, "usage run", false, `missing ${usageSrc}: every package ships a consumer program`);
  } else if (tsc.ok) {
    const usage = sh(process.execPath, [join("out", "usage.js")], { cwd: dir });
    const usesUsing = /\b(await\s+)?using\s+[A-Za-z_$]/.test(readFileSync(usageSrc, "utf8"));
    record(
      name,
      "usage run (with a using declaration)",
      usage.ok && usesUsing,
      usesUsing ? usage.output : "test/consumer/usage.ts has no using declaration",
    );
  } else {
    record(name, "usage run (with a using declaration)", false, "not run: the type-check failed");
  }
}

const failed = results.filter((r) => !r.ok);
mkdirSync(join(root, "reports"), { recursive: true });
writeFileSync(
  join(root, "reports", "package-checks.json"),
  `${JSON.stringify(
    {
      runner: "package-checks",
      numTotalTests: results.length,
      numPassedTests: results.length - failed.length,
      numFailedTests: failed.length,
      numPendingTests: 0,
      results,
    },
    null,
    2,
  )}\n`,
);
if (keep) console.log(`\nconsumer projects kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
console.log(
  `\npackage checks: ${results.length - failed.length} passed, ${failed.length} failed` +
    ` (${selected.length} package${selected.length === 1 ? "" : "s"})`,
);
if (selected.length === 0) console.log("no publishable package under packages/ yet");
process.exit(failed.length === 0 ? 0 : 1);
