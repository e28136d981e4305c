export { abortable, type BufferOptions, buffer } from "./buffer.ts";
export { concat, zip } from "./combine.ts";
export {
  type MapConcurrentContext,
  type MapConcurrentOptions,
  mapConcurrent,
} from "./concurrent.ts";
export {
  type AsyncCsvStream,
  type CsvColumns,
  CsvError,
  type CsvIssue,
  type CsvOptions,
  type CsvReport,
  type CsvStream,
  type CsvType,
  parseCsv,
} from "./csv.ts";
export { chunks, groupBy, pairwise, windows } from "./group.ts";
export { type SplitLinesOptions, splitLines } from "./lines.ts";
export { type MergeOptions, merge } from "./merge.ts";
export { pipe, type Result } from "./pipe.ts";
export { drop, dropWhile, take, takeWhile } from "./slice.ts";
export { type TeeOptions, tee } from "./tee.ts";
export { count, every, find, first, forEach, reduce, some, toArray } from "./terminal.ts";
export { enumerate, filter, flatMap, map, scan } from "./transform.ts";
export type {
  AsyncOperator,
  AsyncStream,
  ElementOf,
  Fork,
  Operator,
  Source,
  Stage,
  StageKind,
  Stream,
  Terminal,
} from "./types.ts";
export { fromWeb, type ToWebOptions, toWeb } from "./web.ts";
