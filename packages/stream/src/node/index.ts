/**
 * `@heapwise/stream/node`: files and Node streams as sources and sinks of `@heapwise/stream`
 * pipelines. Every file opened here is closed when its stream ends, fails or is stopped early.
 */
export { fromReadable, type ReadOptions, toReadable, type ToReadableOptions } from "./readable.ts";
export { type ReadCsvOptions, readCsv, type ReadLinesOptions, readLines } from "./read.ts";
export { type WriteLinesOptions, type WriteLinesResult, writeLines } from "./write.ts";
