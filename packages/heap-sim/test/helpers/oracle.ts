/**
 * Oracle fixtures (copied from `shared/cpython/oracle/`, CPython 3.11.7 outputs) and a way to run
 * the oracle scripts live with other parameters.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const ORACLE_DIR = join(import.meta.dirname, "..", "oracle");

/** The recorded JSON of an oracle (3.11.7, or another version from `other_versions/`). */
export function oracle<T = Record<string, unknown>>(name: string, version?: string): T {
  const file =
    version === undefined
      ? join(ORACLE_DIR, `${name}.json`)
      : join(ORACLE_DIR, "other_versions", `${name}.${version}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

const cache = new Map<string, string | undefined>();

/**
 * An interpreter for `major.minor`: `$HEAPWISE_PYTHON` for 3.11, then `python<v>` on PATH, then a
 * pyenv install. Undefined when none runs.
 */
export function pythonFor(version: "3.10" | "3.11" | "3.12" | "3.13"): string | undefined {
  if (cache.has(version)) return cache.get(version);
  const candidates: string[] = [];
  if (version === "3.11" && process.env.HEAPWISE_PYTHON)
    candidates.push(process.env.HEAPWISE_PYTHON);
  candidates.push(`python${version}`);
  if (version === "3.11") candidates.push("python3");
  const pyenv = join(process.env.PYENV_ROOT ?? join(homedir(), ".pyenv"), "versions");
  if (existsSync(pyenv)) {
    for (const d of readdirSync(pyenv)) {
      if (d.startsWith(`${version}.`)) candidates.push(join(pyenv, d, "bin", "python3"));
    }
  }
  let found: string | undefined;
  for (const c of candidates) {
    const r = spawnSync(c, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
      encoding: "utf8",
    });
    if (r.status === 0 && r.stdout.trim() === version) {
      found = c;
      break;
    }
  }
  cache.set(version, found);
  return found;
}

/**
 * Runs Python code (given as a string) and parses its last stdout line as JSON. With `hashSeed`
 * the interpreter runs with `PYTHONHASHSEED` (so not in isolated mode, which would ignore it).
 */
export function runPython<T>(
  python: string,
  code: string,
  args: string[] = [],
  options: { hashSeed?: number } = {},
): T {
  const flags = options.hashSeed === undefined ? ["-I"] : ["-s"];
  const env = {
    ...process.env,
    PYTHONHASHSEED: String(options.hashSeed ?? 0),
    PYTHONDONTWRITEBYTECODE: "1", // no __pycache__ in the oracle folder
  };
  const out = execFileSync(python, [...flags, "-c", code, ...args], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    cwd: ORACLE_DIR,
    env,
  });
  const lines = out.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/** Runs an oracle script file with arguments and parses its stdout as JSON. */
export function runOracleScript<T>(python: string, script: string, args: string[] = []): T {
  const out = execFileSync(python, [join(ORACLE_DIR, script), ...args], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
  });
  return JSON.parse(out) as T;
}
