/**
 * Node resources as disposables: temporary directories, file handles, child processes.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { type FileHandle, mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { describe, isObject } from "../internal/describe.js";
import { asyncDisposeSymbol, disposeSymbol } from "../internal/symbols.js";
import { noteCreated, noteDisposed } from "../leak-tracker.js";

/** Options of {@link tempDir}. */
export interface TempDirOptions {
  /** The start of the directory's name. Default `"heapwise-"`. */
  prefix?: string;
  /** Where to create it. Default `os.tmpdir()`. */
  parent?: string;
}

/** A temporary directory, removed recursively when disposed. */
export interface TempDir extends AsyncDisposable, Disposable {
  /** Its absolute path. */
  readonly path: string;
  /** Whether it has been removed (or its removal started). */
  readonly disposed: boolean;
}

class TempDirHandle implements TempDir {
  readonly path: string;
  #disposed = false;

  constructor(path: string) {
    this.path = path;
    noteCreated(this, "tempDir");
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  async [asyncDisposeSymbol](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    noteDisposed(this);
    await rm(this.path, { recursive: true, force: true, maxRetries: 3 });
  }

  [disposeSymbol](): void {
    if (this.#disposed) return;
    this.#disposed = true;
    noteDisposed(this);
    rmSync(this.path, { recursive: true, force: true, maxRetries: 3 });
  }
}

function checkTempDirOptions(options: unknown): { prefix: string; parent: string } {
  if (!isObject(options)) {
    throw new TypeError(`tempDir: options must be an object, got ${describe(options)}`);
  }
  const { prefix = "heapwise-", parent = tmpdir() } = options as TempDirOptions;
  if (typeof prefix !== "string" || /[/\\]/.test(prefix)) {
    throw new TypeError(
      `tempDir: prefix must be a string without path separators, got ${describe(prefix)}`,
    );
  }
  if (typeof parent !== "string" || !isAbsolute(parent)) {
    throw new TypeError(`tempDir: parent must be an absolute path, got ${describe(parent)}`);
  }
  return { prefix, parent };
}

/**
 * Creates a fresh directory (`mkdtemp`) that is removed recursively when disposed: asynchronously
 * with `await using`, synchronously with `using`. Python: `tempfile.TemporaryDirectory`.
 *
 * @example
 * ```ts
 * import { tempDir } from "@heapwise/dispose/node";
 *
 * await using dir = await tempDir({ prefix: "report-" });
 * await writeFile(join(dir.path, "out.csv"), csv);
 * ```
 */
export async function tempDir(options: TempDirOptions = {}): Promise<TempDir> {
  const { prefix, parent } = checkTempDirOptions(options);
  return new TempDirHandle(await mkdtemp(join(parent, prefix)));
}

/** {@link tempDir}, synchronously (`mkdtempSync`). */
export function tempDirSync(options: TempDirOptions = {}): TempDir {
  const { prefix, parent } = checkTempDirOptions(options);
  return new TempDirHandle(mkdtempSync(join(parent, prefix)));
}

/**
 * Opens a file (`fs.promises.open`) and returns its `FileHandle`, which `await using` closes (Node
 * ≥ 20.4 gives FileHandle `[Symbol.asyncDispose]`; on an older runtime it is added). The handle is
 * known to the leak tracker until it is closed, by disposal or by `close()`.
 *
 * @param path - the file
 * @param flags - as for `fs.open`; default `"r"`
 * @param mode - permissions for a new file; default `0o666`
 * @example
 * ```ts
 * import { openFile } from "@heapwise/dispose/node";
 *
 * await using file = await openFile("out.log", "a");
 * await file.appendFile("started\n");
 * ```
 */
export async function openFile(
  path: string | URL,
  flags: string | number = "r",
  mode?: number,
): Promise<FileHandle & AsyncDisposable> {
  if (!(typeof path === "string" && path.length > 0) && !(path instanceof URL)) {
    throw new TypeError(
      `openFile: path must be a non-empty string or a URL, got ${describe(path)}`,
    );
  }
  if (typeof flags !== "string" && typeof flags !== "number") {
    throw new TypeError(`openFile: flags must be a string or a number, got ${describe(flags)}`);
  }
  const handle = (await open(path, flags, mode)) as FileHandle & AsyncDisposable;
  if (typeof handle[asyncDisposeSymbol] !== "function") {
    Object.defineProperty(handle, asyncDisposeSymbol, {
      value: () => handle.close(),
      configurable: true,
    });
  }
  noteCreated(handle, "file");
  (handle as unknown as NodeJS.EventEmitter).once?.("close", () => noteDisposed(handle));
  return handle;
}

/** Options of {@link childProcess}: `spawn`'s, plus how to stop it. */
export interface ChildProcessOptions extends SpawnOptions {
  /** The first signal sent on dispose. Default `"SIGTERM"`. */
  killSignal?: NodeJS.Signals;
  /**
   * How long async disposal waits for the process to exit after `killSignal` before sending
   * `SIGKILL`. Default 5000 ms.
   */
  killTimeout?: number;
}

/** How a child process ended. */
export interface ChildExit {
  /** The exit code, or `null` if a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, or `null`. */
  readonly signal: NodeJS.Signals | null;
}

/** A running child process that is stopped when disposed. */
export interface ManagedChildProcess extends AsyncDisposable, Disposable {
  /** Node's ChildProcess (stdio, pid, `kill`, events). */
  readonly process: ChildProcess;
  /** Settles when the process has exited (rejects if it could not be spawned). */
  readonly exited: Promise<ChildExit>;
  /** Whether disposal has started. */
  readonly disposed: boolean;
}

class ChildHandle implements ManagedChildProcess {
  readonly process: ChildProcess;
  readonly exited: Promise<ChildExit>;
  #disposed = false;
  /** Held by the process's listeners instead of the handle, so a dropped handle can be collected. */
  readonly #state = { open: true };
  readonly #killSignal: NodeJS.Signals;
  readonly #killTimeout: number;

  constructor(child: ChildProcess, killSignal: NodeJS.Signals, killTimeout: number) {
    this.process = child;
    this.#killSignal = killSignal;
    this.#killTimeout = killTimeout;
    const state = this.#state;
    this.exited = new Promise<ChildExit>((resolve, reject) => {
      child.once("exit", (code, signal) => {
        state.open = false;
        resolve({ code, signal });
      });
      child.once("error", (error) => {
        if (child.pid === undefined) {
          state.open = false;
          reject(error);
        }
      });
    });
    // A failed spawn rejects `exited`; nobody may be listening yet.
    this.exited.catch(() => {});
    noteCreated(this, "childProcess", state);
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Sends the kill signal and returns without waiting. */
  [disposeSymbol](): void {
    if (this.#disposed) return;
    this.#disposed = true;
    noteDisposed(this);
    if (this.#state.open) this.process.kill(this.#killSignal);
  }

  /** Sends the kill signal, waits for the exit, and escalates to SIGKILL after `killTimeout`. */
  async [asyncDisposeSymbol](): Promise<void> {
    if (this.#disposed) {
      await this.exited.catch(() => {});
      return;
    }
    this[disposeSymbol]();
    if (!this.#state.open) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const escalate = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (this.#state.open) this.process.kill("SIGKILL");
        resolve();
      }, this.#killTimeout);
    });
    try {
      await Promise.race([this.exited.catch(() => {}), escalate]);
      await this.exited.catch(() => {});
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Spawns a child process (`child_process.spawn`) that is stopped when disposed: `using` sends
 * `killSignal`; `await using` also waits for it to exit, escalating to `SIGKILL` after
 * `killTimeout`. Python: `with subprocess.Popen(…) as p:` (which waits; this one also kills).
 *
 * @example
 * ```ts
 * import { childProcess } from "@heapwise/dispose/node";
 *
 * await using server = childProcess("node", ["server.js"], { stdio: "inherit" });
 * await runTests(); // the server is stopped, and awaited, when the block exits
 * ```
 */
export function childProcess(
  command: string,
  args: readonly string[] = [],
  options: ChildProcessOptions = {},
): ManagedChildProcess {
  if (typeof command !== "string" || command.length === 0) {
    throw new TypeError(
      `childProcess: command must be a non-empty string, got ${describe(command)}`,
    );
  }
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) {
    throw new TypeError(`childProcess: args must be an array of strings, got ${describe(args)}`);
  }
  if (!isObject(options)) {
    throw new TypeError(`childProcess: options must be an object, got ${describe(options)}`);
  }
  const { killSignal = "SIGTERM", killTimeout = 5000, ...spawnOptions } = options;
  if (typeof killSignal !== "string") {
    throw new TypeError(
      `childProcess: killSignal must be a signal name, got ${describe(killSignal)}`,
    );
  }
  if (typeof killTimeout !== "number" || !Number.isFinite(killTimeout) || killTimeout < 0) {
    throw new RangeError(
      `childProcess: killTimeout must be a finite number of ms >= 0, got ${describe(killTimeout)}`,
    );
  }
  return new ChildHandle(spawn(command, args, spawnOptions), killSignal, killTimeout);
}
