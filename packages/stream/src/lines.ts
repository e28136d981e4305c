/** splitLines: text chunks (strings or bytes) to lines. */
import {
  AsyncChunkedStream,
  ChunkedStream,
  type ChunkTransformer,
  TextChunks,
} from "./internal/chunked.ts";
import { assertOptions, assertSource, describe, isAsyncIterable } from "./internal/util.ts";
import type { AsyncStream, Source, Stream } from "./types.ts";

/** Options of {@link splitLines}. */
export interface SplitLinesOptions {
  /** Encoding of byte chunks (any `TextDecoder` label). Default `"utf-8"`. A leading BOM is dropped. */
  encoding?: string;
}

class LineSplitter implements ChunkTransformer<string | Uint8Array, string> {
  #rest = "";
  readonly #text: TextChunks;
  constructor(encoding: string) {
    this.#text = new TextChunks(encoding);
  }
  write(chunk: string | Uint8Array, out: string[]): void {
    this.#split(this.#rest + this.#text.decode(chunk, "splitLines"), out);
  }
  #split(text: string, out: string[]): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      out.push(text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
      start = nl + 1;
    }
    this.#rest = start === 0 ? text : text.slice(start);
  }
  end(out: string[]): void {
    const tail = this.#rest + this.#text.flush();
    this.#rest = "";
    this.#split(tail, out);
    const last = this.#rest;
    this.#rest = "";
    if (last.length > 0) out.push(last.endsWith("\r") ? last.slice(0, -1) : last);
  }
}

/**
 * Splits a stream of text chunks (strings, or bytes decoded as UTF-8) into lines, without their
 * `\n` or `\r\n` (Python `for line in file`, with `rstrip("\r\n")`; Node `readline`). A last line
 * without a newline is yielded too. Holds one chunk plus one partial line. Sync source in, sync
 * stream out; async in, async out.
 *
 * @example
 * ```ts
 * pipe(splitLines(["a\nb", "c\n"]), toArray()); // ["a", "bc"]
 * ```
 */
export function splitLines(
  source: Iterable<string | Uint8Array>,
  options?: SplitLinesOptions,
): Stream<string>;
export function splitLines(
  source: Source<string | Uint8Array>,
  options?: SplitLinesOptions,
): AsyncStream<string>;
export function splitLines(
  source: Source<string | Uint8Array>,
  options: SplitLinesOptions = {},
): Stream<string> | AsyncStream<string> {
  assertSource(source, "splitLines");
  assertOptions(options, "splitLines");
  const encoding = options.encoding ?? "utf-8";
  if (typeof encoding !== "string")
    throw new TypeError(`splitLines: encoding must be a string, got ${describe(encoding)}`);
  const t = new LineSplitter(encoding);
  return isAsyncIterable(source)
    ? new AsyncChunkedStream(source, t)
    : new ChunkedStream(source as Iterable<string | Uint8Array>, t);
}
