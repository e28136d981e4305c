/** writeLines: a stream of lines into a file or a Writable, with backpressure. */

import { createWriteStream } from "node:fs";
import { Writable } from "node:stream";
import type { Source } from "@heapwise/stream";
import { SignalLink } from "../internal/signal.ts";
import { assertOptions, assertSignal, assertSource, describe } from "../internal/util.ts";

/** Options of {@link writeLines}. */
export interface WriteLinesOptions {
  /** Appended to each line. Default `"\n"`. */
  newline?: string;
  /** Encoding of the text. Default `"utf8"`. */
  encoding?: BufferEncoding;
  /** Open a file for appending instead of truncating it. Default `false`. */
  append?: boolean;
  /** End a given Writable when done (default `true`); a file is always closed. */
  end?: boolean;
  /** Stops writing when aborted: the source is closed, the file closed, the promise rejects. */
  signal?: AbortSignal;
}

/** What {@link writeLines} wrote. */
export interface WriteLinesResult {
  lines: number;
  bytes: number;
}

const BATCH = 64 * 1024;

/**
 * Writes each string of `lines` followed by `newline`, in batches of about 64 KiB, waiting for the
 * Writable to drain (Python `file.writelines`). Resolves once everything is flushed and the file
 * is closed. On an error (from the source, the file or a non-string line) or an abort, the source
 * is closed, the file is closed (what was written stays) and the promise rejects.
 *
 * @example
 * ```ts
 * await writeLines("out.csv", pipe(rows, map((r) => r.join(","))));
 * ```
 */
export async function writeLines(
  target: string | URL | Writable,
  lines: Source<string>,
  options: WriteLinesOptions = {},
): Promise<WriteLinesResult> {
  assertSource(lines, "writeLines", "lines");
  assertOptions(options, "writeLines");
  const signal = assertSignal(options.signal, "writeLines");
  const newline = options.newline ?? "\n";
  if (typeof newline !== "string")
    throw new TypeError(`writeLines: newline must be a string, got ${describe(newline)}`);
  const encoding = options.encoding ?? "utf8";
  if (!Buffer.isEncoding(encoding))
    throw new TypeError(`writeLines: encoding is not one Node knows: ${describe(encoding)}`);
  const owned = typeof target === "string" || target instanceof URL;
  if (!owned && !(target instanceof Writable)) {
    throw new TypeError(
      `writeLines: target must be a path, a file URL or a Writable, got ${describe(target)}`,
    );
  }
  signal?.throwIfAborted();
  const out = owned
    ? createWriteStream(target, { flags: options.append ? "a" : "w", encoding })
    : target;
  let failure: { error: unknown } | undefined;
  const onError = (error: unknown) => {
    failure ??= { error };
  };
  out.on("error", onError);
  const link = new SignalLink(signal, (reason) => {
    failure ??= { error: reason };
    out.destroy();
  });
  const check = () => {
    if (failure) throw failure.error;
  };
  const waitDrain = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        out.off("drain", done);
        out.off("error", done);
        out.off("close", done);
        resolve();
      };
      out.on("drain", done);
      out.on("error", done);
      out.on("close", done);
    });
  let count = 0;
  let bytes = 0;
  let batch = "";
  const flush = async () => {
    if (batch.length === 0) return;
    const chunk = batch;
    batch = "";
    bytes += Buffer.byteLength(chunk, encoding);
    if (!out.write(chunk, encoding)) await waitDrain();
    check();
  };
  try {
    for await (const line of lines) {
      check();
      if (typeof line !== "string") {
        throw new TypeError(
          `writeLines: line ${count + 1} must be a string, got ${describe(line)}`,
        );
      }
      batch += line + newline;
      count++;
      if (batch.length >= BATCH) await flush();
    }
    check();
    await flush();
    if (owned || (options.end ?? true)) {
      await new Promise<void>((resolve, reject) => {
        out.end((error?: Error | null) => (error ? reject(error) : resolve()));
      });
      if (owned && !out.closed)
        await new Promise<void>((resolve) => out.once("close", () => resolve()));
    }
    check();
    return { lines: count, bytes };
  } catch (error) {
    if (owned || !out.destroyed) out.destroy();
    if (owned && !out.closed)
      await new Promise<void>((resolve) => out.once("close", () => resolve()));
    throw failure && error !== failure.error ? failure.error : error;
  } finally {
    link.dispose();
    if (owned) out.off("error", onError);
    else setImmediate(() => out.off("error", onError));
  }
}
