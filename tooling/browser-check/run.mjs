#!/usr/bin/env node
// Browser test of every publishable package's main entry (DESIGN.md: "the main entry runs in a
// browser"). For each package under packages/:
//   1. its built ESM main entry is bundled by vite for the browser, with every Node built-in import
//      turned into a build error (so a `node:` import in the main entry fails loudly);
//   2. the page, served on 127.0.0.1, is loaded in headless Chromium (Debian's, via playwright-core);
//   3. there, the entry must expose the same export names as in Node, and every check exported by the
//      package's optional test/browser/smoke.ts (`export const checks = { name: () => … }`) must pass.
// Console errors and uncaught page errors fail the run. Results go to reports/browser.json in vitest's
// counters for .ci/run. Chromium: $CHROMIUM_PATH, default /usr/bin/chromium (apt install chromium).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, extname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { build } from "vite";
import { root, workspacePackages } from "../../scripts/workspace.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const packages = workspacePackages({ publishable: true }).map((p) => {
  const entry = p.pkg.exports?.["."]?.import?.default;
  if (!entry) throw new Error(`${p.pkg.name}: exports["."].import.default is missing`);
  const smoke = join(p.dir, "test", "browser", "smoke.ts");
  return { ...p, entry: join(p.dir, entry), smoke: existsSync(smoke) ? smoke : undefined };
});

for (const p of packages) {
  if (!existsSync(p.entry)) {
    console.error(`✖ ${relative(root, p.entry)} does not exist: build first (turbo run build)`);
    process.exit(1);
  }
  p.names = Object.keys(await import(pathToFileURL(p.entry).href)).sort();
}

// The page: one module that imports every entry (and smoke file) and exposes a runner.
const work = mkdtempSync(join(tmpdir(), "heapwise-browser-"));
const src = join(work, "src");
mkdirSync(src);
const imports = packages
  .map(
    (p, i) =>
      `import * as m${i} from ${JSON.stringify(p.pkg.name)};\n` +
      (p.smoke ? `import * as s${i} from ${JSON.stringify(p.smoke)};\n` : `const s${i} = {};\n`),
  )
  .join("");
const table = packages
  .map(
    (p, i) =>
      `  { name: ${JSON.stringify(p.pkg.name)}, module: m${i}, smoke: s${i}, names: ${JSON.stringify(p.names)} },`,
  )
  .join("\n");
writeFileSync(
  join(src, "main.js"),
  `${imports}
const packages = [
${table}
];
async function check(title, fn) {
  const t0 = performance.now();
  try {
    await fn();
    return { title, status: "passed", ms: performance.now() - t0 };
  } catch (error) {
    return { title, status: "failed", ms: performance.now() - t0, message: String(error && error.stack || error) };
  }
}
window.__runChecks = async () => {
  const results = [];
  for (const p of packages) {
    results.push(await check(p.name + ": main entry loads with the same exports as in Node", () => {
      const got = Object.keys(p.module).sort();
      if (JSON.stringify(got) !== JSON.stringify(p.names)) {
        throw new Error("browser exports [" + got + "] differ from Node's [" + p.names + "]");
      }
    }));
    for (const [name, fn] of Object.entries(p.smoke.checks ?? {})) {
      results.push(await check(p.name + ": " + name, fn));
    }
  }
  return results;
};
`,
);
writeFileSync(
  join(src, "index.html"),
  '<!doctype html><html><head><meta charset="utf-8"><title>heapwise browser check</title><link rel="icon" href="data:,"></head>' +
    '<body><script type="module" src="./main.js"></script></body></html>\n',
);

const builtins = new Set(builtinModules);
const outDir = join(work, "dist");
const bundled = build({
  root: src,
  logLevel: "warn",
  configFile: false,
  resolve: {
    alias: packages.map((p) => ({ find: new RegExp(`^${p.pkg.name}$`), replacement: p.entry })),
  },
  plugins: [
    {
      name: "heapwise:no-node-builtins",
      enforce: "pre",
      resolveId(id, importer) {
        if (id.startsWith("node:") || builtins.has(id)) {
          this.error(
            `${importer ? relative(root, importer) : "?"} imports the Node built-in "${id}": ` +
              "a main entry must run in a browser (move it behind the ./node subpath)",
          );
        }
        return null;
      },
    },
  ],
  build: { outDir, emptyOutDir: true, target: "esnext", minify: false },
});
try {
  await bundled;
} catch (error) {
  rmSync(work, { recursive: true, force: true });
  const message = String(error?.message ?? error);
  finish([{ title: "bundle every main entry for the browser", status: "failed", message }]);
}

const types = { ".html": "text/html", ".js": "text/javascript", ".map": "application/json" };
const server = createServer((req, res) => {
  const path = join(outDir, decodeURIComponent(new URL(req.url, "http://x").pathname));
  const file = path.endsWith("/") ? join(path, "index.html") : path;
  if (!file.startsWith(outDir) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const profile = mkdtempSync(join(tmpdir(), "heapwise-chromium-"));
let results = [];
const pageErrors = [];
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: CHROMIUM_FLAGS,
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => pageErrors.push(`page error: ${e.stack || e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(`console error: ${m.text()}`);
  });
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => typeof window.__runChecks === "function", null, {
    timeout: 30_000,
  });
  results = await page.evaluate(() => window.__runChecks());
  const version = context.browser()?.version() ?? "chromium";
  console.log(`Chromium ${version} at ${url}`);
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
results.push({
  title: "no uncaught page error or console error",
  status: pageErrors.length === 0 ? "passed" : "failed",
  message: pageErrors.join("\n"),
});

function finish(results) {
  for (const r of results) {
    const why =
      r.message && r.status !== "passed" ? `\n      ${r.message.split("\n").join("\n      ")}` : "";
    console.log(`  ${r.status === "passed" ? "✔" : "✖"} ${r.title}${why}`);
  }
  const failed = results.filter((r) => r.status !== "passed").length;
  mkdirSync(join(here, "reports"), { recursive: true });
  const assertionResults = results.map((r) => ({
    title: r.title,
    status: r.status,
    failureMessages: r.message ? [r.message] : [],
  }));
  const report = {
    runner: "browser-check (chromium)",
    numTotalTests: results.length,
    numPassedTests: results.length - failed,
    numFailedTests: failed,
    numPendingTests: 0,
    testResults: [
      { name: "browser-check", status: failed ? "failed" : "passed", assertionResults },
    ],
  };
  writeFileSync(join(here, "reports", "browser.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `browser checks: ${results.length - failed} passed, ${failed} failed (${packages.length} packages)`,
  );
  process.exit(failed === 0 ? 0 : 1);
}

finish(results);
