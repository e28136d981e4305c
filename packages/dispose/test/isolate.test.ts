/**
 * isolate(): a function of another module in a child process (default) or a worker thread, with
 * the same contract in both modes: results and errors cloned, aborts, limits, and nothing left
 * running or listening afterwards.
 */
import { fork } from "node:child_process";
import { getEventListeners } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { flattenSuppressed, SuppressedError } from "../src/index.ts";
import { type IsolateMode, isolate, tempDir } from "../src/node.ts";

const batch = new URL("./fixtures/batch.mjs", import.meta.url);
const bootstrap = fileURLToPath(new URL("../src/node/isolate-bootstrap.js", import.meta.url));

/**
 * The event loop's handles that isolate() could leave behind (processes, pipes, workers, message
 * ports), as a sorted list to compare before and after; timers and fs requests of the test runner
 * come and go on their own.
 */
const resources = () =>
  process
    .getActiveResourcesInfo()
    .filter((r) => !/^(Timeout|Immediate|FSReq\w*)$/.test(r))
    .sort();

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
};

/** Polls `condition` every 10 ms (at most 10 s): for a file another process writes. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(["process", "worker"] as const)("isolate, mode %s", (mode: IsolateMode) => {
  it("calls the export and returns its result; arguments and result are cloned both ways", async () => {
    expect(await isolate(batch, { mode, args: ["world"] })).toBe("hello world");
    expect(await isolate(batch.href, { mode, export: "sumSquares", args: [10] })).toBe(285);
    const args = [new Map([["a", 1n]]), new Date(0), new Uint8Array([1, 2, 3]), { nested: [null] }];
    expect(await isolate(batch, { mode, export: "identity", args })).toEqual(args);
    const where = await isolate<{ pid: number; isMainThread: boolean }>(fileURLToPath(batch), {
      mode,
      export: "whereAmI",
    });
    if (mode === "process") expect(where).toEqual({ pid: expect.any(Number), isMainThread: true });
    else expect(where).toEqual({ pid: process.pid, isMainThread: false });
    if (mode === "process") expect(where.pid).not.toBe(process.pid);
  });

  it("re-throws errors with their class, message, stack, cause and own properties", async () => {
    const range = await isolate(batch, { mode, export: "fail", args: ["bad batch"] }).catch(
      (e: unknown) => e,
    );
    expect(range).toBeInstanceOf(RangeError);
    expect(range).toMatchObject({ name: "RangeError", message: "bad batch" });
    expect((range as Error).stack).toMatch(/RangeError: bad batch\n\s+at fail .*batch\.mjs/);

    const custom = (await isolate(batch, { mode, export: "throwCustom" }).catch((e) => e)) as Error;
    expect(custom).toBeInstanceOf(Error);
    expect(custom).toMatchObject({ name: "QuotaError", message: "over quota", code: "E_QUOTA" });
    expect((custom as Error & { limit: number }).limit).toBe(10);
    expect(custom.stack).toMatch(/^QuotaError: over quota/);
    expect(custom.cause).toBeInstanceOf(TypeError);
    expect((custom.cause as Error).message).toBe("inner");
    expect(Object.keys(custom)).toEqual(["code", "limit"]);

    const aggregate = await isolate(batch, { mode, export: "throwAggregate" }).catch((e) => e);
    expect(aggregate).toBeInstanceOf(AggregateError);
    expect((aggregate as AggregateError).errors.map((e: Error) => [e.name, e.message])).toEqual([
      ["RangeError", "a"],
      ["Error", "b"],
    ]);

    const suppressed = await isolate(batch, { mode, export: "throwSuppressed" }).catch((e) => e);
    expect(suppressed).toBeInstanceOf(SuppressedError);
    expect(flattenSuppressed(suppressed).map((e) => (e as Error).message)).toEqual([
      "body",
      "close b",
      "close a",
    ]);

    await expect(isolate(batch, { mode, export: "throwValue", args: ["plain"] })).rejects.toBe(
      "plain",
    );
    await expect(
      isolate(batch, { mode, export: "throwValue", args: [{ code: 7 }] }),
    ).rejects.toEqual({ code: 7 });
    await expect(isolate(batch, { mode, export: "throwFunction" })).rejects.toMatch(/secret/);
    const unclonable = await isolate(batch, { mode, export: "returnFunction" }).catch((e) => e);
    expect(unclonable).toBeInstanceOf(TypeError);
    expect((unclonable as Error).message).toMatch(
      /^isolate: the result cannot be structured-cloned: .*could not be cloned/,
    );
  });

  it("rejects when the module or the export is missing", async () => {
    await expect(
      isolate(new URL("./fixtures/missing.mjs", import.meta.url), { mode }),
    ).rejects.toMatchObject({ code: "ERR_MODULE_NOT_FOUND" });
    await expect(isolate("no-such-package-heapwise", { mode })).rejects.toMatchObject({
      code: "ERR_MODULE_NOT_FOUND",
    });
    await expect(isolate(batch, { mode, export: "nope" })).rejects.toThrow(
      new TypeError(`isolate: ${batch.href} has no function export "nope" (got undefined)`),
    );
  });

  it("applies resourceLimits; over the limit it rejects, and the caller lives on", async () => {
    type Runtime = { heapLimitMb: number };
    const unlimited = await isolate<Runtime>(batch, { mode, export: "runtime" });
    const limited = await isolate<Runtime>(batch, {
      mode,
      export: "runtime",
      resourceLimits: { maxOldGenerationSizeMb: 48 },
    });
    // heap_size_limit is the old generation plus the young one (whose size differs by version).
    expect(limited.heapLimitMb).toBeGreaterThan(48);
    expect(limited.heapLimitMb).toBeLessThan(Math.min(512, unlimited.heapLimitMb / 2));
    await expect(
      isolate(batch, { mode, export: "exhaust", resourceLimits: { maxOldGenerationSizeMb: 16 } }),
    ).rejects.toMatchObject({
      code: "ERR_ISOLATE_OUT_OF_MEMORY",
      message: expect.stringMatching(/ran out of memory \(maxOldGenerationSizeMb 16\)/),
    });
  });

  it("rejects when the code exits without answering", async () => {
    await expect(isolate(batch, { mode, export: "exitWith", args: [3] })).rejects.toMatchObject({
      code: "ERR_ISOLATE_EXITED",
      message: expect.stringMatching(/exited with code 3 before answering/),
    });
    // A promise that never settles, with nothing keeping the event loop alive.
    await expect(isolate(batch, { mode, export: "neverAnswers" })).rejects.toMatchObject({
      code: "ERR_ISOLATE_EXITED",
      exitCode: 0,
    });
  });

  it("an abort stops it and rejects with the reason; an aborted signal starts nothing", async () => {
    await using dir = await tempDir();
    const pidFile = join(dir.path, "pid");
    const before = resources();
    const controller = new AbortController();
    const running = isolate(batch, {
      mode,
      export: "hang",
      args: [pidFile],
      signal: controller.signal,
    });
    await until(() => existsSync(pidFile) && readFileSync(pidFile, "utf8") !== "", "the pid file");
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    if (mode === "process") expect(isAlive(Number(readFileSync(pidFile, "utf8")))).toBe(false);
    expect(getEventListeners(controller.signal, "abort")).toEqual([]);
    expect(resources()).toEqual(before);

    await expect(isolate(batch, { mode, signal: AbortSignal.abort("no") })).rejects.toBe("no");
  });

  it("stops what the function left running, and leaves no handle or listener behind", async () => {
    const before = resources();
    const controller = new AbortController();
    const pid = await isolate<number>(batch, {
      mode,
      export: "leaveRunning",
      signal: controller.signal,
    });
    if (mode === "process") expect(isAlive(pid)).toBe(false);
    await isolate(batch, { mode, export: "fail", args: ["x"], signal: controller.signal }).catch(
      () => {},
    );
    await isolate(batch, { mode, export: "exitWith", args: [1] }).catch(() => {});
    expect(getEventListeners(controller.signal, "abort")).toEqual([]);
    expect(resources()).toEqual(before);
  });
});

describe("isolate, mode process", () => {
  it("is the default", async () => {
    const where = await isolate<{ pid: number }>(batch, { export: "whereAmI" });
    expect(where.pid).not.toBe(process.pid);
  });

  it("maps resourceLimits and execArgv to the child's flags; inherits the caller's options", async () => {
    const inherited = await isolate<{ execArgv: string[] }>(batch, { export: "runtime" });
    expect(inherited.execArgv).toContain("--expose-gc");
    const own = await isolate<{ heapLimitMb: number; execArgv: string[] }>(batch, {
      export: "runtime",
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 6, stackSizeMb: 2 },
    });
    expect(own.execArgv).toEqual([
      "--max-old-space-size=64",
      "--max-semi-space-size=2",
      "--stack-size=1856",
    ]);
    await expect(isolate(batch, { resourceLimits: { codeRangeSizeMb: 16 } })).rejects.toThrow(
      /codeRangeSizeMb has no Node flag for a child process; use mode "worker"/,
    );
  });

  it("the child exits when its caller goes away", async () => {
    await using dir = await tempDir();
    const pidFile = join(dir.path, "pid");
    // The protocol isolate() speaks, driven by hand so that the caller can be killed mid-call.
    const child = fork(bootstrap, [], { serialization: "advanced", execArgv: [], stdio: "ignore" });
    const exited = new Promise((r) => child.once("exit", (code) => r(code)));
    child.send({ specifier: batch.href, exportName: "hang", args: [pidFile] });
    await until(() => existsSync(pidFile) && readFileSync(pidFile, "utf8") !== "", "the pid file");
    child.disconnect(); // what the child sees when its caller dies
    expect(await exited).toBe(1);
  });
});

describe("isolate: bad input", () => {
  it("is rejected with a typed error naming the value, and starts nothing", async () => {
    const before = resources();
    await expect(isolate(42 as never)).rejects.toThrow(
      new TypeError("isolate: module must be a URL or a non-empty string, got 42"),
    );
    await expect(isolate("")).rejects.toThrow(/non-empty string, got ""/);
    await expect(isolate(batch, null as never)).rejects.toThrow(
      /options must be an object, got null/,
    );
    await expect(isolate(batch, { export: 1 as never })).rejects.toThrow(
      /export must be a string, got 1/,
    );
    await expect(isolate(batch, { args: "x" as never })).rejects.toThrow(
      /args must be an array, got "x"/,
    );
    await expect(isolate(batch, { mode: "thread" as never })).rejects.toThrow(
      new TypeError('isolate: mode must be "process" or "worker", got "thread"'),
    );
    await expect(
      isolate(batch, { resourceLimits: { maxOldSpaceSizeMb: 1 } as never }),
    ).rejects.toThrow(/resourceLimits.maxOldSpaceSizeMb is not a limit/);
    await expect(
      isolate(batch, { resourceLimits: { maxOldGenerationSizeMb: -1 } }),
    ).rejects.toThrow(
      new RangeError(
        "isolate: resourceLimits.maxOldGenerationSizeMb must be a positive number of MiB, got -1",
      ),
    );
    await expect(isolate(batch, { execArgv: [1] as never })).rejects.toThrow(
      /execArgv must be an array of strings, got an array/,
    );
    await expect(isolate(batch, { signal: {} as never })).rejects.toThrow(
      /signal must be an AbortSignal, got an object/,
    );
    expect(resources()).toEqual(before);
  });

  it.each(["process", "worker"] as const)(
    "arguments that cannot be cloned reject with a TypeError (mode %s), and nothing is left running",
    async (mode) => {
      const before = resources();
      await expect(isolate(batch, { mode, args: [() => 1] })).rejects.toThrow(
        /isolate: args cannot be structured-cloned: .*could not be cloned/,
      );
      expect(resources()).toEqual(before);
    },
  );
});
