import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, describe, expect, it } from "vitest";
import { CsvError, count, filter, fromWeb, map, pipe, take, toArray, toWeb } from "../src/index.ts";
import { fromReadable, readCsv, readLines, toReadable, writeLines } from "../src/node/index.ts";
import { asyncSource, collect, settle } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "heapwise-stream-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Open file descriptors of this process that point into `dir`. */
function openFiles(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      const link = readlinkSync(`/proc/self/fd/${fd}`);
      if (link.startsWith(dir)) out.push(link);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/**
 * Files we opened are closed by the time the stream's return() (or a for-await loop's exit, or the
 * promise of a terminal) resolves: no waiting needed.
 */
async function noOpenFiles(): Promise<string[]> {
  return openFiles();
}

const linesFile = join(dir, "lines.txt");
writeFileSync(linesFile, Array.from({ length: 50_000 }, (_, i) => `line ${i}`).join("\r\n"));
const csvFile = join(dir, "data.csv");
writeFileSync(
  csvFile,
  `a,b\n${Array.from({ length: 30_000 }, (_, i) => `${i},${i * 2}`).join("\n")}\n`,
);

describe("readLines", () => {
  it("reads every line (CRLF, last line without a newline) and closes the file", async () => {
    expect(await pipe(readLines(linesFile, { highWaterMark: 1000 }), count())).toBe(50_000);
    expect(
      await pipe(
        readLines(linesFile),
        filter((l) => l === "line 49999"),
        toArray(),
      ),
    ).toEqual(["line 49999"]);
    expect(await noOpenFiles()).toEqual([]);
  });

  it("closes the file on break, take, a throw in the loop, return() and await using", async () => {
    for await (const _ of readLines(linesFile)) break;
    expect(await noOpenFiles()).toEqual([]);
    expect(await pipe(readLines(linesFile), take(3), toArray())).toEqual([
      "line 0",
      "line 1",
      "line 2",
    ]);
    expect(await noOpenFiles()).toEqual([]);
    await expect(
      (async () => {
        for await (const _ of readLines(linesFile)) throw new Error("consumer");
      })(),
    ).rejects.toThrow("consumer");
    expect(await noOpenFiles()).toEqual([]);
    {
      await using s = readLines(linesFile);
      await s.next();
      expect(openFiles()).toHaveLength(1);
    }
    expect(await noOpenFiles()).toEqual([]);
    // never read: never opened
    const unread = readLines(linesFile);
    await settle();
    expect(openFiles()).toEqual([]);
    await unread.return();
  });

  it("an abort signal stops reading and closes the file", async () => {
    const c = new AbortController();
    const s = readLines(linesFile, { signal: c.signal, highWaterMark: 64 });
    await s.next();
    c.abort(new Error("enough"));
    await expect(collect(s)).rejects.toThrow("enough");
    expect(await noOpenFiles()).toEqual([]);
  });

  it("rejects bad input with a clear error", () => {
    expect(() => readLines(42 as never)).toThrow(
      /input must be a path, a file URL or a Readable, got 42/,
    );
    expect(() => readLines("")).toThrow(/path is empty/);
    expect(() => readLines(linesFile, { highWaterMark: 0 })).toThrow(RangeError);
  });

  it("a missing file rejects on the first next()", async () => {
    await expect(readLines(join(dir, "missing.txt")).next()).rejects.toThrow(/ENOENT/);
  });
});

describe("readCsv", () => {
  it("records, columns, and the file closed at the end, on a bad record and on early exit", async () => {
    let sum = 0;
    for await (const batch of readCsv(csvFile, {
      output: "columns",
      types: { b: "number" },
      select: ["b"],
      batchSize: 7000,
    })) {
      for (const x of batch.columns.b as Float64Array) sum += x;
    }
    expect(sum).toBe(30_000 * 29_999);
    expect(await noOpenFiles()).toEqual([]);
    expect(await pipe(readCsv(csvFile, { types: "integer" }), take(2), toArray())).toEqual([
      { a: 0, b: 0 },
      { a: 1, b: 2 },
    ]);
    expect(await noOpenFiles()).toEqual([]);
    const badFile = join(dir, "bad.csv");
    writeFileSync(badFile, "a,b\n1,2\n3,x\n5,6\n");
    const got: unknown[] = [];
    await expect(
      (async () => {
        for await (const r of readCsv(badFile, { types: "number" })) got.push(r);
      })(),
    ).rejects.toThrow(CsvError);
    expect(got).toEqual([{ a: 1, b: 2 }]);
    expect(await noOpenFiles()).toEqual([]);
  });

  it("bad options throw at once and open nothing", async () => {
    expect(() => readCsv(csvFile, { output: "nope" as never })).toThrow(TypeError);
    expect(await noOpenFiles()).toEqual([]);
  });
});

describe("Node and web stream adapters", () => {
  it("fromReadable yields the chunks and destroys the Readable on early exit", async () => {
    const r = Readable.from(["a", "b", "c"], { objectMode: true });
    for await (const _ of fromReadable<string>(r)) break;
    expect(r.destroyed).toBe(true);
    const r2 = new PassThrough();
    const s = fromReadable(r2);
    await s.return();
    expect(r2.destroyed).toBe(true);
  });

  it("toReadable pulls on demand, works with pipeline, and closes the source when destroyed", async () => {
    const chunks: string[] = [];
    await pipeline(
      toReadable(
        pipe(
          asyncSource(["x", "y", "z"]),
          map((s) => s.toUpperCase()),
        ),
      ),
      new Writable({
        objectMode: true,
        write(chunk: string, _enc, cb) {
          chunks.push(chunk);
          cb();
        },
      }),
    );
    expect(chunks).toEqual(["X", "Y", "Z"]);
    const src = asyncSource([1, 2, 3, 4]);
    const readable = toReadable(src, { highWaterMark: 1 });
    for await (const _ of readable) break;
    await settle();
    expect(src.log.returns).toBe(1);
  });

  it("fromWeb / toWeb round trip; cancelling the web stream closes the source", async () => {
    const src = asyncSource([1, 2, 3]);
    expect(await collect(fromWeb(toWeb(src)))).toEqual([1, 2, 3]);
    const src2 = asyncSource([1, 2, 3]);
    const web = toWeb(src2);
    const reader = web.getReader();
    await reader.read();
    await reader.cancel();
    expect(src2.log.returns).toBe(1);
    const web2 = toWeb(asyncSource([1, 2, 3]));
    for await (const _ of fromWeb(web2)) break;
    expect(web2.locked).toBe(false);
  });
});

describe("writeLines", () => {
  it("writes every line, reports lines and bytes, and closes the file", async () => {
    const out = join(dir, "out.txt");
    const r = await writeLines(
      out,
      pipe(
        readLines(linesFile),
        map((l) => l.toUpperCase()),
      ),
    );
    expect(r.lines).toBe(50_000);
    expect(readFileSync(out, "utf8").split("\n")[49_999]).toBe("LINE 49999");
    expect(r.bytes).toBe(readFileSync(out).length);
    expect(await noOpenFiles()).toEqual([]);
  });

  it("a failing source or a bad line closes the file and the source, and rejects", async () => {
    const out = join(dir, "fail.txt");
    await expect(writeLines(out, asyncSource(["a", "b"], undefined, 1))).rejects.toThrow(
      "source failed at 1",
    );
    expect(await noOpenFiles()).toEqual([]);
    const src = asyncSource(["a", 2 as never, "c"]);
    await expect(writeLines(out, src)).rejects.toThrow(
      "writeLines: line 2 must be a string, got 2",
    );
    expect(src.log.returns).toBe(1);
    expect(await noOpenFiles()).toEqual([]);
  });
});
