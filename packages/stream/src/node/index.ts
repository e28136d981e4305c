/**
 * `@heapwise/stream/node`: files and Node streams as sources and sinks of `@heapwise/stream`
 * pipelines. Every file opened here is closed when its stream ends, fails or is stopped early.
 */

export {
  type Input,
  type ReadCsvOptions,
  type ReadLinesOptions,
  readCsv,
  readLines,
} from "./read.ts";
export { fromReadable, type ReadOptions, type ToReadableOptions, toReadable } from "./readable.ts";
export { type WriteLinesOptions, type WriteLinesResult, writeLines } from "./write.ts";
