/**
 * @heapwise/dispose/node: tempDir, openFile, childProcess (isolate: isolate.test.ts).
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { childProcess, openFile, tempDir, tempDirSync } from "../src/node.ts";

describe("tempDir", () => {
  it("creates a directory and removes it recursively with await using", async () => {
    let path = "";
    {
      await using dir = await tempDir({ prefix: "hw-test-" });
      path = dir.path;
      expect(existsSync(path)).toBe(true);
      writeFileSync(join(path, "a.txt"), "x");
    }
    expect(existsSync(path)).toBe(false);
  });

  it("has a sync twin, and validates options", async () => {
    let path = "";
    {
      using dir = tempDirSync();
      path = dir.path;
      expect(existsSync(path)).toBe(true);
    }
    expect(existsSync(path)).toBe(false);
    await expect(tempDir({ prefix: "a/b" })).rejects.toThrow(/path separators, got "a\/b"/);
    await expect(tempDir({ parent: "relative" })).rejects.toThrow(/absolute path/);
  });
});

describe("openFile", () => {
  it("closes the file handle on await using", async () => {
    await using dir = await tempDir();
    let fd = 0;
    let handle: { fd: number } | undefined;
    {
      await using file = await openFile(join(dir.path, "f.txt"), "w");
      handle = file;
      fd = file.fd;
      await file.writeFile("hello");
      expect(fd).toBeGreaterThan(0);
    }
    expect(handle!.fd).toBe(-1);
    await expect(openFile("" as never)).rejects.toThrow(/non-empty string/);
  });
});

describe("childProcess", () => {
  it("await using kills the process and waits for its exit", async () => {
    let exited: Promise<unknown> | undefined;
    {
      await using child = childProcess(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
      expect(child.process.pid).toBeGreaterThan(0);
      exited = child.exited;
    }
    expect(await exited).toEqual({ code: null, signal: "SIGTERM" });
  });

  it("escalates to SIGKILL when the process ignores the first signal", async () => {
    const child = childProcess(
      process.execPath,
      ["-e", "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"],
      { killTimeout: 100, stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise((r) => child.process.stdout!.once("data", r));
    await child[Symbol.asyncDispose]();
    expect(await child.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(child.disposed).toBe(true);
  });

  it("a process that already exited is fine to dispose; input is validated", async () => {
    const child = childProcess(process.execPath, ["-e", "0"]);
    expect(await child.exited).toEqual({ code: 0, signal: null });
    await child[Symbol.asyncDispose]();
    expect(() => childProcess("")).toThrow(/non-empty string/);
    expect(() => childProcess("node", [1 as never])).toThrow(/array of strings/);
    expect(() => childProcess("node", [], { killTimeout: -1 })).toThrow(RangeError);
    const missing = childProcess("/nonexistent/command-for-heapwise-test");
    await expect(missing.exited).rejects.toThrow(/ENOENT/);
  });
});
