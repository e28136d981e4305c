/**
 * `isolate()`: run a module's function in a worker thread with its own V8 heap, and give that whole
 * heap back to the operating system when it ends — Python's "run the batch in a subprocess to
 * force memory release", without a new process.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import { describe, isObject } from "../internal/describe.js";
import { asyncDisposeSymbol } from "../internal/symbols.js";
import { isAbortSignal } from "../timers.js";

/** Options of {@link isolate}. */
export interface IsolateOptions {
  /** The export to call. Default `"default"`. */
  export?: string;
  /** Arguments, passed by structured clone. Default none. */
  args?: readonly unknown[];
  /**
   * V8 limits of the worker's heap (`maxOldGenerationSizeMb`, `maxYoungGenerationSizeMb`,
   * `codeRangeSizeMb`, `stackSizeMb`). A worker that exceeds them is stopped and `isolate` rejects
   * with `ERR_WORKER_OUT_OF_MEMORY`, while the main thread lives on. Default: V8's defaults.
   */
  resourceLimits?: ResourceLimits;
  /** Terminates the worker and rejects with `signal.reason` when it aborts. */
  signal?: AbortSignal;
}

/**
 * The worker bootstrap sits next to this module: dist/isolate-worker.js in the build, found through
 * `import.meta.url` in the ES module build and through `__dirname` in the CommonJS one (where
 * esbuild leaves `import.meta` empty); src/node/isolate-worker.js in the sources. Computed on use.
 */
function workerUrl(): URL {
  const moduleUrl: string | undefined = import.meta.url;
  return moduleUrl
    ? new URL("./isolate-worker.js", moduleUrl)
    : pathToFileURL(join(__dirname, "isolate-worker.js"));
}

/**
 * Imports `module` in a new worker thread, calls its export (`options.export`, default `default`)
 * with `options.args`, and resolves with the result (structured clone). The worker is terminated
 * however the call ends — result, throw, out-of-memory, abort — so its heap, and the memory the
 * process had to map for it, is released. Use it for a batch whose peak would otherwise leave the
 * main process's heap (and RSS) high for the rest of its life.
 *
 * Cost: starting a worker (~10–30 ms) and cloning arguments and result. Caveat: the function
 * runs in another isolate: it shares no objects with the caller, and `module` must be importable
 * from the worker (an absolute path, a `file:` URL, or a package name).
 *
 * @param module - what to import in the worker: a `URL`, a `file:` URL string, an absolute path, or a package name
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
    specifier = module.startsWith("/") ? new URL(`file://${module}`).href : module;
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
  if (options.resourceLimits !== undefined && !isObject(options.resourceLimits)) {
    throw new TypeError(
      `isolate: resourceLimits must be an object, got ${describe(options.resourceLimits)}`,
    );
  }
  const { signal } = options;
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new TypeError(`isolate: signal must be an AbortSignal, got ${describe(signal)}`);
  }
  signal?.throwIfAborted();

  const worker = new Worker(workerUrl(), {
    workerData: { specifier, exportName, args: [...args] },
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
  });
  // Whatever happens below, the worker is terminated before this function settles.
  await using _terminate = { [asyncDisposeSymbol]: () => worker.terminate().then(() => {}) };
  return await new Promise<R>((resolve, reject) => {
    const onAbort = () => reject(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);
    worker.once("message", (message: { ok: boolean; result?: R; error?: unknown }) => {
      done();
      if (message.ok) resolve(message.result as R);
      else reject(message.error);
    });
    worker.once("error", (error) => {
      done();
      reject(error);
    });
    worker.once("exit", (code) => {
      done();
      reject(new Error(`isolate: the worker exited with code ${code} before answering`));
    });
  });
}
