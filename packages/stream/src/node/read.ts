/** readLines / readCsv: files (or Readables) as line and CSV streams. */

import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import {
  type AsyncCsvStream,
  type AsyncStream,
  type CsvColumns,
  type CsvOptions,
  parseCsv,
  splitLines,
} from "@heapwise/stream";
import { assertCount, assertOptions, assertSignal, describe } from "../internal/util.ts";
import { ReadableSource, type ReadOptions } from "./readable.ts";

/** Where to read from: a file path (string or `file:` URL) or a Readable of text or bytes. */
export type Input = string | URL | Readable;

/** Options of {@link readLines}. */
export interface ReadLinesOptions extends ReadOptions {
  /** Text encoding (a `TextDecoder` label). Default `"utf-8"`; a BOM is dropped. */
  encoding?: string;
  /** Bytes per read from a file. Default 64 KiB. Cost: about two reads held at once. */
  highWaterMark?: number;
}

function open(
  input: Input,
  who: string,
  options: { highWaterMark?: number; signal?: AbortSignal },
): AsyncStream<Buffer | string> {
  const signal = assertSignal(options.signal, who);
  const highWaterMark = assertCount(options.highWaterMark ?? 65_536, who, "highWaterMark", 1);
  if (typeof input === "string" || input instanceof URL) {
    if (typeof input === "string" && input.length === 0)
      throw new TypeError(`${who}: the path is empty`);
    // The file is opened at the first next(), so a stream never read never opens it.
    return new ReadableSource(() => createReadStream(input, { highWaterMark }), signal);
  }
  if (input instanceof Readable) return new ReadableSource(() => input, signal, input);
  throw new TypeError(
    `${who}: input must be a path, a file URL or a Readable, got ${describe(input)}`,
  );
}

/**
 * The lines of a text file (or Readable), without `\n` / `\r\n`, read in 64 KiB pieces (Python
 * `for line in open(path)`; Node `readline`, without its event emitter). The file is opened at the
 * first `next()` and closed at the end, on an error, or as soon as the consumer stops (break,
 * `return()`, `await using`, abort). A Readable passed in is destroyed the same way.
 *
 * @example
 * ```ts
 * const errors = await pipe(readLines("app.log"), filter((l) => l.includes("ERROR")), count());
 * ```
 */
export function readLines(input: Input, options: ReadLinesOptions = {}): AsyncStream<string> {
  assertOptions(options, "readLines");
  return splitLines(open(input, "readLines", options), { encoding: options.encoding ?? "utf-8" });
}

/** Options of {@link readCsv}: the parser's ({@link CsvOptions}) plus the reading ones. */
export interface ReadCsvOptions extends CsvOptions, ReadOptions {
  /** Bytes per read from a file. Default 64 KiB. */
  highWaterMark?: number;
}

/**
 * Streams a CSV file (or Readable) as records or column batches, with `parseCsv`'s options and
 * error reporting (Python `csv.DictReader`; `pandas.read_csv(chunksize=…)`). Memory is bounded by
 * one read, one partial record and one batch, whatever the file's size. The file is closed at the
 * end, on a malformed record (after the records before it were delivered), or as soon as the
 * consumer stops.
 *
 * @example
 * ```ts
 * let total = 0;
 * for await (const batch of readCsv("prices.csv", {
 *   output: "columns", select: ["price"], types: { price: "number" }, batchSize: 10_000,
 * })) for (const p of batch.columns.price as Float64Array) total += p;
 * ```
 */
export function readCsv(
  input: Input,
  options: ReadCsvOptions & { output: "columns" },
): AsyncCsvStream<CsvColumns>;
export function readCsv(
  input: Input,
  options: ReadCsvOptions & { output: "arrays" },
): AsyncCsvStream<unknown[]>;
export function readCsv(
  input: Input,
  options: ReadCsvOptions & { header: false },
): AsyncCsvStream<unknown[]>;
export function readCsv(
  input: Input,
  options?: ReadCsvOptions,
): AsyncCsvStream<Record<string, unknown>>;
export function readCsv(input: Input, options: ReadCsvOptions = {}): AsyncCsvStream<unknown> {
  assertOptions(options, "readCsv");
  const { signal, highWaterMark, ...csv } = options;
  const source = open(input, "readCsv", { signal, highWaterMark });
  try {
    return parseCsv(source, csv) as AsyncCsvStream<unknown>;
  } catch (error) {
    void source.return(); // bad options: nothing stays open
    throw error;
  }
}
