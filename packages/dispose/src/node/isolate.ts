/**
 * `isolate()`: run a module's function in a child process (default) or a worker thread, and give
 * the memory it used back to the operating system when it ends — Python's "run the batch in a
 * subprocess to force memory release".
 */
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import { describe, isObject } from "../internal/describe.js";
import { asyncDisposeSymbol } from "../internal/symbols.js";
import { SuppressedError } from "../suppressed-error.js";
import { isAbortSignal } from "../timers.js";

/**
 * Where {@link isolate} runs the function.
 *
 * - `"process"`: a forked Node process (`child_process.fork`, IPC with `serialization: "advanced"`).
 *   When it ends, the kernel takes back all of its memory at once, on every Node version.
 * - `"worker"`: a worker thread with its own V8 heap. Starts faster (no new process, no second
 *   copy of Node's code pages), but its memory is returned only as the allocators decide: on Node 20
 *   most of it at once, except the thread's malloc arena; on Node 24 (V8 13.6) its pages go to a
 *   process-wide pool that another isolate releases ~8 s later.
 */
export type IsolateMode = "process" | "worker";

/** Options of {@link isolate}. */
export interface IsolateOptions {
  /** The export to call. Default `"default"`. */
  export?: string;
  /**
   * Arguments, structured-cloned into the worker or process (so: no functions, no class
   * identities; `Buffer`s and typed arrays are fine). Default none.
   */
  args?: readonly unknown[];
  /**
   * Where to run: `"process"` (default) or `"worker"`; see {@link IsolateMode}. Default
   * `"process"`: it is the mode that returns the memory on every Node version, for ~10–50 ms more
   * start-up than a worker (measured in the package README).
   */
  mode?: IsolateMode;
  /**
   * Limits of the isolated V8 heap, in MiB. Exceeding `maxOldGenerationSizeMb` stops the worker or
   * process (the caller lives on) and `isolate` rejects with an error whose `code` is
   * `"ERR_ISOLATE_OUT_OF_MEMORY"`. In mode `"process"` they become flags of the child:
   * `maxOldGenerationSizeMb` → `--max-old-space-size`, `maxYoungGenerationSizeMb` →
   * `--max-semi-space-size` (a third of it, as V8 splits the young generation), `stackSizeMb` →
   * `--stack-size` (in KiB, less 192 KiB of headroom, as for workers; beyond the OS stack limit,
   * `ulimit -s`, usually 8 MiB, deep recursion crashes the child instead of throwing);
   * `codeRangeSizeMb` has no flag and is rejected there. Default: V8's defaults.
   */
  resourceLimits?: ResourceLimits;
  /**
   * Node options of the worker or process. Default: the caller's `process.execArgv`, without the
   * options that would run something else or clash (`-e`/`-p` and their code, `--inspect*`,
   * `--test`, `--watch`, `--input-type`, `-i`, `-c`), so that a loader (`--import tsx`) carries
   * over. Pass `[]` for the fastest start-up.
   */
  execArgv?: readonly string[];
  /**
   * Stops the worker or process and rejects with `signal.reason` when it aborts. Default none.
   */
  signal?: AbortSignal;
}

/** What the bootstrap (isolate-bootstrap.js) sends back. */
type Outcome = { ok: true; result: unknown } | { ok: false; error: EncodedThrown };

type EncodedThrown =
  | { kind: "value"; value: unknown }
  | {
      kind: "error";
      ctor: string;
      name: string;
      message: string;
      stack?: string;
      props: Record<string, unknown>;
      cause?: EncodedThrown;
      errors?: EncodedThrown[];
      error?: EncodedThrown;
      suppressed?: EncodedThrown;
    };

interface Request {
  specifier: string;
  exportName: string;
  args: unknown[];
}

/**
 * The bootstrap sits next to this module: dist/isolate-bootstrap.js in the build, found through
 * `import.meta.url` in the ES module build and through `__dirname` in the CommonJS one (where
 * esbuild leaves `import.meta` empty); src/node/isolate-bootstrap.js in the sources.
 */
function bootstrapUrl(): URL {
  const moduleUrl: string | undefined = import.meta.url;
  return moduleUrl
    ? new URL("./isolate-bootstrap.js", moduleUrl)
    : pathToFileURL(join(__dirname, "isolate-bootstrap.js"));
}

const LIMIT_KEYS = [
  "maxOldGenerationSizeMb",
  "maxYoungGenerationSizeMb",
  "codeRangeSizeMb",
  "stackSizeMb",
] as const;

function checkLimits(limits: unknown, mode: IsolateMode): ResourceLimits | undefined {
  if (limits === undefined) return undefined;
  if (!isObject(limits)) {
    throw new TypeError(`isolate: resourceLimits must be an object, got ${describe(limits)}`);
  }
  for (const key of Object.keys(limits)) {
    if (!(LIMIT_KEYS as readonly string[]).includes(key)) {
      throw new TypeError(
        `isolate: resourceLimits.${key} is not a limit (expected one of ${LIMIT_KEYS.join(", ")})`,
      );
    }
    const value = (limits as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(
        `isolate: resourceLimits.${key} must be a positive number of MiB, got ${describe(value)}`,
      );
    }
    if (key === "codeRangeSizeMb" && mode === "process") {
      throw new TypeError(
        `isolate: resourceLimits.codeRangeSizeMb has no Node flag for a child process; use mode "worker"`,
      );
    }
  }
  return limits as ResourceLimits;
}

/** `--max-old-space-size` and friends for a child process (later flags win over inherited ones). */
function limitFlags(limits: ResourceLimits | undefined): string[] {
  if (!limits) return [];
  const flags: string[] = [];
  if (limits.maxOldGenerationSizeMb !== undefined) {
    flags.push(`--max-old-space-size=${Math.max(1, Math.floor(limits.maxOldGenerationSizeMb))}`);
  }
  if (limits.maxYoungGenerationSizeMb !== undefined) {
    flags.push(
      `--max-semi-space-size=${Math.max(1, Math.floor(limits.maxYoungGenerationSizeMb / 3))}`,
    );
  }
  if (limits.stackSizeMb !== undefined) {
    flags.push(`--stack-size=${Math.max(64, Math.floor(limits.stackSizeMb * 1024 - 192))}`);
  }
  return flags;
}

/** Options of the caller that must not reach the child: they run other code, or clash. */
const DROPPED = [
  /^(-e|--eval|-p|--print|-pe|-ep|--input-type|-i|--interactive|-c|--check)(=|$)/,
  /^--(inspect|debug|test|watch)[\w-]*(=|$)/,
];

function inheritedExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (DROPPED.some((re) => re.test(arg))) {
      // execArgv holds only options and their values: what follows without a dash is a value.
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith("-")) i++;
    } else out.push(arg);
  }
  return out;
}

const ERROR_CLASSES: Record<string, new (message?: string) => Error> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

/** The caller's copy of what the function threw (see encodeThrown in isolate-bootstrap.js). */
function decodeThrown(encoded: EncodedThrown): unknown {
  if (encoded.kind === "value") return encoded.value;
  let error: Error;
  if (encoded.ctor === "AggregateError") {
    error = new AggregateError((encoded.errors ?? []).map(decodeThrown), encoded.message);
  } else if (encoded.ctor === "SuppressedError" && encoded.error && encoded.suppressed) {
    error = new SuppressedError(
      decodeThrown(encoded.error),
      decodeThrown(encoded.suppressed),
      encoded.message,
    );
  } else {
    error = new (ERROR_CLASSES[encoded.ctor] ?? Error)(encoded.message);
  }
  if (error.name !== encoded.name) {
    Object.defineProperty(error, "name", {
      value: encoded.name,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  Object.defineProperty(error, "stack", {
    value: encoded.stack ?? `${encoded.name}: ${encoded.message}`,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  if (encoded.cause) {
    Object.defineProperty(error, "cause", {
      value: decodeThrown(encoded.cause),
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  Object.assign(error, encoded.props);
  return error;
}

function outOfMemory(where: string, limits: ResourceLimits | undefined, cause?: unknown): Error {
  const limit = limits?.maxOldGenerationSizeMb;
  const error = new Error(
    `isolate: the ${where} ran out of memory${limit ? ` (maxOldGenerationSizeMb ${limit})` : ""}`,
    cause === undefined ? undefined : { cause },
  );
  return Object.assign(error, { code: "ERR_ISOLATE_OUT_OF_MEMORY" });
}

function exitedEarly(where: string, code: number | null, signal: string | null, tail = ""): Error {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const error = new Error(
    `isolate: the ${where} ${how} before answering${tail ? `; its last output:\n${tail}` : ""}`,
  );
  return Object.assign(error, { code: "ERR_ISOLATE_EXITED", exitCode: code, signal });
}

/** A structured-clone failure: a DataCloneError (worker) or the serializer's Error (process). */
function isCloneError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === "DataCloneError" || / could not be cloned\.$/.test(error.message))
  );
}

function cloneError(what: string, cause: unknown): TypeError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new TypeError(`isolate: ${what} cannot be structured-cloned: ${message}`, { cause });
}

type Settle = (result: { outcome: Outcome } | { error: unknown }) => void;

/**
 * Waits for the first of: the answer, an abort, or the end of the worker / process. `wire` adds the
 * listeners and returns what removes them; they, and the abort listener, are removed on the first.
 */
function race(signal: AbortSignal | undefined, wire: (settle: Settle) => () => void) {
  return new Promise<Outcome>((resolve, reject) => {
    let unwire: (() => void) | undefined;
    let settled = false;
    const onAbort = () => settle({ error: signal!.reason });
    const settle: Settle = (result) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      unwire?.();
      if ("outcome" in result) resolve(result.outcome);
      else reject(result.error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const remove = wire(settle);
    if (settled) remove();
    else unwire = remove;
  });
}

async function inWorker(
  request: Request,
  limits: ResourceLimits | undefined,
  execArgv: string[] | undefined,
  signal: AbortSignal | undefined,
): Promise<Outcome> {
  let worker: Worker;
  try {
    worker = new Worker(bootstrapUrl(), {
      workerData: request,
      // Without execArgv a worker shares the caller's options (Worker rejects per-process ones).
      ...(execArgv ? { execArgv } : {}),
      ...(limits ? { resourceLimits: limits } : {}),
    });
  } catch (error) {
    throw isCloneError(error) ? cloneError("args", error) : error;
  }
  // Whatever happens below, the worker is terminated before this function settles.
  await using _terminate = { [asyncDisposeSymbol]: () => worker.terminate().then(() => {}) };
  return await race(signal, (settle) => {
    const onMessage = (outcome: Outcome) => settle({ outcome });
    const onError = (error: Error & { code?: string }) =>
      settle({
        error:
          error?.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? outOfMemory("worker thread", limits, error)
            : error,
      });
    const onExit = (code: number) => settle({ error: exitedEarly("worker thread", code, null) });
    worker.once("message", onMessage);
    worker.once("error", onError);
    worker.once("exit", onExit);
    return () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
  });
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Kills the child (if it still runs) and waits until Node has closed everything it had open:
 * "close" (exit seen, stdio and IPC drained), then two turns of the event loop, because handles
 * closed during one loop iteration's close phase are only released in the next one.
 */
async function killAndWait(child: ChildProcess, closed: Promise<void>): Promise<void> {
  if (child.pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await closed;
  await nextTurn();
  await nextTurn();
}

const OOM = /JavaScript heap out of memory|Reached heap limit/;
const TAIL = 4096;

async function inProcess(
  request: Request,
  limits: ResourceLimits | undefined,
  execArgv: string[] | undefined,
  signal: AbortSignal | undefined,
): Promise<Outcome> {
  const child = fork(fileURLToPath(bootstrapUrl()), [], {
    serialization: "advanced",
    execArgv: [...(execArgv ?? inheritedExecArgv()), ...limitFlags(limits)],
    // stdout is the caller's; stderr is forwarded, keeping its tail to explain a crash.
    stdio: ["ignore", "inherit", "pipe", "ipc"],
  });
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  let tail = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    tail = (tail + chunk.toString("utf8")).slice(-TAIL);
  });
  // Whatever happens below, the child is killed (if still running) and reaped before this settles.
  await using _kill = { [asyncDisposeSymbol]: () => killAndWait(child, closed) };
  return await race(signal, (settle) => {
    const onMessage = (outcome: Outcome) => settle({ outcome });
    const onError = (error: Error) => settle({ error });
    // "close" comes after "exit" and after the IPC channel is drained: an answer sent just before
    // the exit has been delivered by then, so this only runs for a child that never answered.
    const onClose = (code: number | null, sig: NodeJS.Signals | null) =>
      settle({
        error: OOM.test(tail)
          ? outOfMemory("child process", limits)
          : exitedEarly("child process", code, sig, tail.trim().split("\n").slice(-5).join("\n")),
      });
    child.once("message", onMessage);
    child.once("error", onError);
    child.once("close", onClose);
    try {
      child.send(request);
    } catch (error) {
      settle({ error: isCloneError(error) ? cloneError("args", error) : error });
    }
    return () => {
      child.off("message", onMessage);
      child.off("error", onError);
      child.off("close", onClose);
    };
  });
}

/**
 * Imports `module` in a new child process (default) or worker thread, calls its export
 * (`options.export`, default `default`) with `options.args`, and resolves with the result
 * (structured clone). The process is killed, or the worker terminated, however the call ends —
 * result, throw, out-of-memory, abort — so the memory the batch used goes with it. Use it for a
 * batch whose peak would otherwise leave the main process's heap (and RSS) high for the rest of
 * its life.
 *
 * A throw in the function rejects with a copy of what it threw: built-in error classes (`Error`,
 * `TypeError`, …, `AggregateError`, `SuppressedError`) keep their class; any error keeps its
 * `name`, `message`, `stack`, `cause` and cloneable own properties (`code`, …); a custom class
 * arrives as an `Error` with its `name`. A missing module rejects with the import's error
 * (`code` `"ERR_MODULE_NOT_FOUND"`), a missing export with a `TypeError`; out of memory and an
 * exit without an answer reject with `code` `"ERR_ISOLATE_OUT_OF_MEMORY"` / `"ERR_ISOLATE_EXITED"`.
 *
 * Cost: start-up (a worker ~20–30 ms; a process ~30–70 ms, see the README's table) and cloning
 * arguments and result (through a pipe for a process). Caveats: the function shares no objects
 * with the caller; `module` must be importable from there (an absolute path, a `file:` URL, or a
 * package name resolvable from this package); in mode `"process"`, `process.exit()` in the
 * function, or a crash, rejects rather than taking the caller down.
 *
 * @param module - what to import: a `URL`, a `file:` URL string, an absolute path, or a package name
 * @example
 * ```ts
 * import { isolate } from "@heapwise/dispose/node";
 *
 * // batch.js: export async function summarise(path) { … builds a 2 GB index, returns a summary … }
 * const summary = await isolate(new URL("./batch.js", import.meta.url), {
 *   export: "summarise",
 *   args: ["/data/2024.csv"],
 *   resourceLimits: { maxOldGenerationSizeMb: 4096 },
 * });
 * ```
 */
export async function isolate<R = unknown>(
  module: string | URL,
  options: IsolateOptions = {},
): Promise<R> {
  let specifier: string;
  if (module instanceof URL) specifier = module.href;
  else if (typeof module === "string" && module.length > 0) {
    specifier = module.startsWith("/") ? pathToFileURL(module).href : module;
  } else {
    throw new TypeError(
      `isolate: module must be a URL or a non-empty string, got ${describe(module)}`,
    );
  }
  if (!isObject(options)) {
    throw new TypeError(`isolate: options must be an object, got ${describe(options)}`);
  }
  const exportName = options.export ?? "default";
  if (typeof exportName !== "string") {
    throw new TypeError(`isolate: export must be a string, got ${describe(exportName)}`);
  }
  const args = options.args ?? [];
  if (!Array.isArray(args)) {
    throw new TypeError(`isolate: args must be an array, got ${describe(args)}`);
  }
  const mode = options.mode ?? "process";
  if (mode !== "process" && mode !== "worker") {
    throw new TypeError(`isolate: mode must be "process" or "worker", got ${describe(mode)}`);
  }
  const limits = checkLimits(options.resourceLimits, mode);
  const { execArgv } = options;
  if (
    execArgv !== undefined &&
    (!Array.isArray(execArgv) || !execArgv.every((a) => typeof a === "string"))
  ) {
    throw new TypeError(
      `isolate: execArgv must be an array of strings, got ${describe(options.execArgv)}`,
    );
  }
  const { signal } = options;
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new TypeError(`isolate: signal must be an AbortSignal, got ${describe(signal)}`);
  }
  signal?.throwIfAborted();

  const request: Request = { specifier, exportName, args: [...args] };
  const outcome = await (mode === "process" ? inProcess : inWorker)(
    request,
    limits,
    execArgv && [...execArgv],
    signal,
  );
  if (outcome.ok) return outcome.result as R;
  throw decodeThrown(outcome.error);
}
