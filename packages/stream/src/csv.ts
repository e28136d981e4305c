/**
 * parseCsv: RFC 4180 CSV from text chunks, as records (objects or arrays) or as column batches.
 * Our own parser, chosen by measurement over csv-parse, papaparse, udsv, csv-parser and fast-csv
 * (see the README): a state machine with a scanning fast path for unquoted fields, which slices
 * only the selected columns and reports every malformed record by line, column and raw text.
 */
import {
  AsyncChunkedStream,
  ChunkedStream,
  type ChunkTransformer,
  TextChunks,
} from "./internal/chunked.ts";
import {
  assertCount,
  assertOptions,
  assertSource,
  describe,
  isAsyncIterable,
} from "./internal/util.ts";
import type { AsyncStream, Source, Stream } from "./types.ts";

/** How a column's text becomes a value. A function gets the raw text and may throw to reject it. */
export type CsvType = "string" | "number" | "integer" | "boolean" | ((text: string) => unknown);

/** Options of {@link parseCsv} (and `readCsv` in `@heapwise/stream/node`). */
export interface CsvOptions {
  /** Field separator, one character. Default `","`. */
  delimiter?: string;
  /** Quote character, one character. Default `'"'`; a quote is escaped by doubling it. */
  quote?: string;
  /**
   * `true` (default): the first record names the columns. `false`: no header; columns are named by
   * their 0-based index. An array: these names, and the first record is data.
   */
  header?: boolean | readonly string[];
  /**
   * `"objects"` (default with a header): one `{ name: value }` per record. `"arrays"` (default
   * without): one array per record. `"columns"`: batches of `batchSize` records as columns,
   * `Float64Array` for `"number"`/`"integer"` columns; the cheapest for numeric work.
   */
  output?: "objects" | "arrays" | "columns";
  /**
   * Casting per column name (or 0-based index), or one type for every column. Default `"string"`.
   * `"number"`: `Number(text)`, empty text is `NaN`, other non-numeric text is a bad record.
   * `"integer"`: a safe integer or a bad record. `"boolean"`: `true/false/1/0` (any case).
   */
  types?: CsvType | Readonly<Record<string, CsvType>>;
  /**
   * Keep only these columns (names or 0-based indices), in this order. Cost: the other fields are
   * scanned but never sliced or cast, so selecting saves time and memory.
   */
  select?: readonly (string | number)[];
  /** Records per batch for `output: "columns"`. Default 10 000. */
  batchSize?: number;
  /**
   * What a malformed record does: `"throw"` (default) rejects with a {@link CsvError} after every
   * record before it was delivered; `"report"` skips it, records a {@link CsvIssue} in the stream's
   * `report` and goes on.
   */
  onInvalid?: "throw" | "report";
  /** With `onInvalid: "report"`, the most issues kept; one more throws. Default 10 000. */
  maxInvalid?: number;
  /** Skip lines that are completely empty (default `true`). */
  skipEmptyLines?: boolean;
  /** Encoding of byte chunks (a `TextDecoder` label). Default `"utf-8"`. A leading BOM is dropped. */
  encoding?: string;
}

/** One malformed record. */
export interface CsvIssue {
  /** Line (1-based) where the record starts. */
  readonly line: number;
  /** Column (1-based) where the problem is. */
  readonly column: number;
  /** That column's name, when it has one. */
  readonly columnName: string | undefined;
  /** The record's text as it is in the input (without its line break). */
  readonly raw: string;
  /** What is wrong, e.g. `expected a number, got "12x"`. */
  readonly reason: string;
}

/** Thrown (or rejected) for a malformed record; carries the {@link CsvIssue} fields. */
export class CsvError extends Error implements CsvIssue {
  readonly line: number;
  readonly column: number;
  readonly columnName: string | undefined;
  readonly raw: string;
  readonly reason: string;
  constructor(issue: CsvIssue, message?: string) {
    const where = `line ${issue.line}, column ${issue.column}${issue.columnName === undefined ? "" : ` (${JSON.stringify(issue.columnName)})`}`;
    const raw = issue.raw.length > 200 ? `${issue.raw.slice(0, 200)}…` : issue.raw;
    super(message ?? `CSV ${where}: ${issue.reason}; record: ${JSON.stringify(raw)}`);
    this.name = "CsvError";
    this.line = issue.line;
    this.column = issue.column;
    this.columnName = issue.columnName;
    this.raw = issue.raw;
    this.reason = issue.reason;
  }
}

/** What a CSV stream has seen so far. */
export interface CsvReport {
  /** Records delivered (data records, not the header). */
  records: number;
  /** Malformed records skipped with `onInvalid: "report"`. */
  readonly invalid: CsvIssue[];
}

/** A batch of records as columns (`output: "columns"`). */
export interface CsvColumns {
  /** One array per selected column, by name: `Float64Array` for numbers, arrays otherwise. */
  readonly columns: Record<string, Float64Array | unknown[]>;
  /** Records in this batch. */
  readonly length: number;
  /** Line (1-based) of the batch's first record. */
  readonly firstLine: number;
}

/** A CSV stream: the records (or batches), plus a live {@link CsvReport}. */
export type CsvStream<R> = Stream<R> & { readonly report: CsvReport };
/** An async CSV stream: the records (or batches), plus a live {@link CsvReport}. */
export type AsyncCsvStream<R> = AsyncStream<R> & { readonly report: CsvReport };

const KNOWN_OPTIONS = new Set([
  "delimiter",
  "quote",
  "header",
  "output",
  "types",
  "select",
  "batchSize",
  "onInvalid",
  "maxInvalid",
  "skipEmptyLines",
  "encoding",
]);

type Caster = ((text: string) => unknown) | undefined;
const INCOMPLETE = -1;
const LF = 10;
const CR = 13;

function castNumber(text: string): number {
  if (text.length === 0) return Number.NaN;
  const n = +text;
  if (Number.isNaN(n) && text.trim() !== "NaN")
    throw new Error(`expected a number, got ${JSON.stringify(text)}`);
  return n;
}
function castInteger(text: string): number {
  const n = +text;
  if (text.trim().length === 0 || !Number.isSafeInteger(n))
    throw new Error(`expected an integer, got ${JSON.stringify(text)}`);
  return n;
}
function castBoolean(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === "true" || t === "1") return true;
  if (t === "false" || t === "0") return false;
  throw new Error(`expected a boolean, got ${JSON.stringify(text)}`);
}
function caster(type: CsvType, where: string): Caster {
  if (type === "string") return undefined;
  if (type === "number") return castNumber;
  if (type === "integer") return castInteger;
  if (type === "boolean") return castBoolean;
  if (typeof type === "function") return type;
  throw new TypeError(
    `parseCsv: ${where} must be "string", "number", "integer", "boolean" or a function, got ${describe(type)}`,
  );
}
function oneChar(value: unknown, what: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value.length !== 1 || value === "\n" || value === "\r") {
    throw new TypeError(
      `parseCsv: ${what} must be one character other than a line break, got ${describe(value)}`,
    );
  }
  return value;
}

/** The parser: text in, records out, through a transformer the chunked streams drive. */
class CsvParser implements ChunkTransformer<string | Uint8Array, unknown> {
  readonly report: CsvReport = { records: 0, invalid: [] };
  readonly #text: TextChunks;
  readonly #delim: number;
  readonly #quote: number;
  readonly #quoteChar: string;
  readonly #skipEmpty: boolean;
  readonly #onInvalid: "throw" | "report";
  readonly #maxInvalid: number;
  readonly #output: "objects" | "arrays" | "columns";
  readonly #batchSize: number;
  readonly #types: CsvOptions["types"];
  readonly #selectSpec: readonly (string | number)[] | undefined;
  #headerPending: boolean;
  #names: string[] | undefined;
  #width = -1; // fields per record, once known
  #buf = "";
  #nextDelim = -1;
  #nextLf = -1;
  readonly #delimChar: string;
  #line = 1;
  #fields: string[] = [];
  // set up once the header (or first record) is known
  #keep: Int32Array | undefined; // field index → output slot, or -1
  #slots: number[] = []; // output slot → field index
  #slotNames: string[] = [];
  #casters: Caster[] = [];
  // columns output
  #batch: (Float64Array | unknown[])[] | undefined;
  #batchLength = 0;
  #batchLine = 0;

  constructor(options: CsvOptions, extra: readonly string[] = []) {
    for (const key of Object.keys(options)) {
      if (!KNOWN_OPTIONS.has(key) && !extra.includes(key)) {
        throw new TypeError(
          `parseCsv: unknown option ${JSON.stringify(key)} (known: ${[...KNOWN_OPTIONS].join(", ")})`,
        );
      }
    }
    this.#delimChar = oneChar(options.delimiter, "delimiter", ",");
    this.#delim = this.#delimChar.charCodeAt(0);
    this.#quoteChar = oneChar(options.quote, "quote", '"');
    this.#quote = this.#quoteChar.charCodeAt(0);
    if (this.#delim === this.#quote)
      throw new TypeError("parseCsv: delimiter and quote must differ");
    const header = options.header ?? true;
    if (Array.isArray(header)) {
      header.forEach((h, i) => {
        if (typeof h !== "string")
          throw new TypeError(`parseCsv: header[${i}] must be a string, got ${describe(h)}`);
      });
      this.#names = [...header];
      this.#headerPending = false;
    } else if (typeof header === "boolean") {
      this.#headerPending = header;
    } else {
      throw new TypeError(
        `parseCsv: header must be a boolean or an array of names, got ${describe(header)}`,
      );
    }
    const output = options.output ?? (header === false ? "arrays" : "objects");
    if (output !== "objects" && output !== "arrays" && output !== "columns") {
      throw new TypeError(
        `parseCsv: output must be "objects", "arrays" or "columns", got ${describe(output)}`,
      );
    }
    this.#output = output;
    this.#batchSize = assertCount(options.batchSize ?? 10_000, "parseCsv", "batchSize", 1);
    const onInvalid = options.onInvalid ?? "throw";
    if (onInvalid !== "throw" && onInvalid !== "report") {
      throw new TypeError(
        `parseCsv: onInvalid must be "throw" or "report", got ${describe(onInvalid)}`,
      );
    }
    this.#onInvalid = onInvalid;
    this.#maxInvalid = assertCount(options.maxInvalid ?? 10_000, "parseCsv", "maxInvalid", 0, true);
    this.#skipEmpty = options.skipEmptyLines ?? true;
    if (options.select !== undefined && !Array.isArray(options.select)) {
      throw new TypeError(
        `parseCsv: select must be an array of column names or indices, got ${describe(options.select)}`,
      );
    }
    this.#selectSpec = options.select;
    const types = options.types;
    if (types !== undefined && typeof types === "object") {
      for (const [k, t] of Object.entries(types)) caster(t, `types[${JSON.stringify(k)}]`);
    } else if (types !== undefined) caster(types, "types");
    this.#types = types;
    const encoding = options.encoding ?? "utf-8";
    if (typeof encoding !== "string")
      throw new TypeError(`parseCsv: encoding must be a string, got ${describe(encoding)}`);
    this.#text = new TextChunks(encoding);
    if (this.#names !== undefined) this.#setup(this.#names.length);
  }

  /** Column layout, once the number of fields is known. */
  #setup(width: number): void {
    this.#width = width;
    const names = this.#names ?? Array.from({ length: width }, (_, i) => String(i));
    this.#names = names;
    const index = (c: string | number): number => {
      const i = typeof c === "number" ? c : names.indexOf(c);
      if (typeof c === "number" ? !Number.isInteger(c) || c < 0 || c >= width : i < 0) {
        throw new RangeError(
          `parseCsv: select names no column of this input: ${describe(c)} (columns: ${names.slice(0, 20).join(", ")})`,
        );
      }
      return i;
    };
    this.#slots = this.#selectSpec ? this.#selectSpec.map(index) : names.map((_, i) => i);
    this.#slotNames = this.#slots.map((i) => names[i]!);
    this.#keep = new Int32Array(width).fill(-1);
    this.#slots.forEach((f, s) => {
      this.#keep![f] = s;
    });
    const types = this.#types;
    this.#casters = this.#slots.map((f) => {
      if (types === undefined) return undefined;
      if (typeof types !== "object") return caster(types, "types");
      const t = types[names[f]!] ?? types[String(f)];
      return t === undefined ? undefined : caster(t, `types[${JSON.stringify(names[f])}]`);
    });
  }

  write(chunk: string | Uint8Array, out: unknown[]): void {
    const text = this.#text.decode(chunk, "parseCsv");
    this.#buf = this.#buf.length === 0 ? text : this.#buf + text;
    this.#parse(false, out);
  }

  end(out: unknown[]): void {
    const tail = this.#text.flush();
    if (tail.length > 0) this.#buf += tail;
    this.#parse(true, out);
    this.#flushBatch(out);
  }

  /** Parses every complete record of the buffer; keeps the incomplete rest. */
  #parse(final: boolean, out: unknown[]): void {
    const buf = this.#buf;
    let pos = 0;
    this.#nextDelim = -1;
    this.#nextLf = -1;
    try {
      while (pos < buf.length) {
        const next = this.#record(buf, pos, final, out);
        if (next === INCOMPLETE) break;
        pos = next;
      }
    } finally {
      this.#buf = pos === 0 ? buf : buf.slice(pos);
    }
  }

  /** Parses one record at `start`; returns where the next starts, or INCOMPLETE. */
  #record(buf: string, start: number, final: boolean, out: unknown[]): number {
    const n = buf.length;
    const delim = this.#delim;
    const quote = this.#quote;
    const keep = this.#headerPending || this.#width < 0 ? undefined : this.#keep;
    const fields = this.#fields;
    let field = 0;
    let i = start;
    let lines = 0; // line breaks inside quoted fields
    let end: number; // end of the record's text (before its line break)
    let next: number; // start of the next record
    for (;;) {
      const slot = keep === undefined ? field : field < keep.length ? keep[field]! : -1;
      if (i < n && buf.charCodeAt(i) === quote) {
        // quoted field: up to the closing quote, "" is one quote
        let value = "";
        let seg = i + 1;
        let j = seg;
        for (;;) {
          const q = buf.indexOf(this.#quoteChar, j);
          if (q < 0 || (q + 1 === n && !final)) {
            if (!final) return INCOMPLETE;
            this.#bad(
              buf,
              start,
              n,
              field,
              "a quoted field is not closed before the end of the input",
              out,
            );
            return n;
          }
          if (q + 1 < n && buf.charCodeAt(q + 1) === quote) {
            if (slot >= 0) value += buf.slice(seg, q + 1);
            j = seg = q + 2;
            continue;
          }
          if (slot >= 0) value += buf.slice(seg, q);
          for (let k = buf.indexOf("\n", i + 1); k >= 0 && k < q; k = buf.indexOf("\n", k + 1))
            lines++;
          i = q + 1;
          break;
        }
        if (slot >= 0) fields[slot] = value;
        field++;
        const c = i < n ? buf.charCodeAt(i) : -1;
        if (c === delim) {
          i++;
          continue;
        }
        if (c === LF || c === CR || c === -1) {
          if (c === -1 && !final) return INCOMPLETE;
          end = i;
          break;
        }
        // text after a closing quote: malformed
        let k = i;
        while (k < n && buf.charCodeAt(k) !== LF) k++;
        if (k === n && !final) return INCOMPLETE;
        const recEnd = k > start && buf.charCodeAt(k - 1) === CR ? k - 1 : k;
        this.#bad(
          buf,
          start,
          recEnd,
          field - 1,
          `unexpected ${JSON.stringify(buf[i])} after a closing quote`,
          out,
          lines + (k < n ? 1 : 0),
        );
        return k < n ? k + 1 : n;
      }
      // unquoted field: up to the delimiter or the line break (a quote inside is literal). The
      // next delimiter and the next \n are found with indexOf and remembered, so each character is
      // scanned once by V8's vectorised search rather than by a charCodeAt loop.
      let d = this.#nextDelim;
      if (d < i) {
        d = buf.indexOf(this.#delimChar, i);
        if (d < 0) d = n;
        this.#nextDelim = d;
      }
      let e = this.#nextLf;
      if (e < i) {
        e = buf.indexOf("\n", i);
        if (e < 0) e = n;
        this.#nextLf = e;
      }
      if (d < e) {
        if (slot >= 0) fields[slot] = buf.slice(i, d);
        field++;
        i = d + 1;
        continue;
      }
      if (e === n && !final) return INCOMPLETE;
      const j = e > i && buf.charCodeAt(e - 1) === CR ? e - 1 : e;
      if (slot >= 0) fields[slot] = buf.slice(i, j);
      field++;
      end = j;
      i = j;
      break;
    }
    // the line break: \n, \r\n or \r
    if (i < n) {
      if (buf.charCodeAt(i) === CR) {
        if (i + 1 === n && !final) return INCOMPLETE;
        next = i + 1 < n && buf.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
      } else next = i + 1;
    } else next = n;
    const line = this.#line;
    this.#line += lines + (next > end ? 1 : 0);
    if (field === 1 && end === start && this.#skipEmpty) return next; // an empty line
    this.#emit(buf, start, end, line, field, out);
    return next;
  }

  #emit(
    buf: string,
    start: number,
    end: number,
    line: number,
    count: number,
    out: unknown[],
  ): void {
    if (this.#headerPending) {
      this.#headerPending = false;
      this.#names = this.#fields.slice(0, count);
      this.#fields.length = 0;
      this.#setup(count);
      return;
    }
    const fields = this.#fields;
    if (this.#width < 0) {
      // First record without a header: its fields were stored by position, not by output slot.
      this.#setup(count);
      const all = fields.slice(0, count);
      this.#slots.forEach((f, s) => {
        fields[s] = all[f]!;
      });
    }
    if (count !== this.#width) {
      const column = Math.min(count, this.#width) + 1;
      this.#issue(
        buf,
        start,
        end,
        line,
        column - 1,
        `expected ${this.#width} fields, got ${count}`,
        out,
      );
      return;
    }
    const slots = this.#slots.length;
    const casters = this.#casters;
    if (this.#output === "columns") {
      // Written straight into the batch; a rejected value leaves the row uncommitted.
      if (this.#batch === undefined) this.#newBatch(line);
      const batch = this.#batch!;
      const row = this.#batchLength;
      for (let s = 0; s < slots; s++) {
        const cast = casters[s];
        let v: unknown = fields[s];
        if (cast !== undefined) {
          try {
            v = cast(v as string);
          } catch (error) {
            this.#issue(
              buf,
              start,
              end,
              line,
              this.#slots[s]!,
              error instanceof Error ? error.message : String(error),
              out,
            );
            return;
          }
        }
        (batch[s] as unknown[])[row] = v;
      }
      if (++this.#batchLength === this.#batchSize) this.#flushBatch(out);
      return;
    }
    const values = new Array<unknown>(slots);
    for (let s = 0; s < slots; s++) {
      const cast = casters[s];
      let v: unknown = fields[s];
      if (cast !== undefined) {
        try {
          v = cast(v as string);
        } catch (error) {
          this.#issue(
            buf,
            start,
            end,
            line,
            this.#slots[s]!,
            error instanceof Error ? error.message : String(error),
            out,
          );
          return;
        }
      }
      values[s] = v;
    }
    if (this.#output === "objects") {
      const object: Record<string, unknown> = {};
      const names = this.#slotNames;
      for (let s = 0; s < slots; s++) {
        const name = names[s]!;
        if (name === "__proto__")
          Object.defineProperty(object, name, {
            value: values[s],
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else object[name] = values[s];
      }
      out.push(object);
    } else out.push(values);
    this.report.records++;
  }

  #newBatch(line: number): void {
    const size = this.#batchSize;
    this.#batch = this.#casters.map((c) =>
      c === castNumber || c === castInteger ? new Float64Array(size) : new Array<unknown>(size),
    );
    this.#batchLength = 0;
    this.#batchLine = line;
  }

  #flushBatch(out: unknown[]): void {
    const batch = this.#batch;
    if (batch === undefined || this.#batchLength === 0) return;
    const length = this.#batchLength;
    const columns: Record<string, Float64Array | unknown[]> = {};
    batch.forEach((col, s) => {
      columns[this.#slotNames[s]!] =
        length === this.#batchSize
          ? col
          : col instanceof Float64Array
            ? col.slice(0, length)
            : col.slice(0, length);
    });
    this.#batch = undefined;
    this.#batchLength = 0;
    this.report.records += length;
    out.push({ columns, length, firstLine: this.#batchLine } satisfies CsvColumns);
  }

  /** A structural error: the record's extent is known up to `recEnd`; the parser skips to `skipTo`. */
  #bad(
    buf: string,
    start: number,
    recEnd: number,
    field: number,
    reason: string,
    out: unknown[],
    lines = 0,
  ): void {
    const line = this.#line;
    this.#line += lines;
    this.#issue(buf, start, recEnd, line, field, reason, out);
  }

  #issue(
    buf: string,
    start: number,
    end: number,
    line: number,
    field: number,
    reason: string,
    out: unknown[],
  ): void {
    const names = this.#headerPending ? undefined : this.#names;
    const issue: CsvIssue = {
      line,
      column: field + 1,
      columnName: names?.[field],
      raw: buf.slice(start, end),
      reason,
    };
    if (this.#onInvalid === "throw") {
      this.#flushBatch(out); // the records before it are delivered first
      throw new CsvError(issue);
    }
    if (this.report.invalid.length >= this.#maxInvalid) {
      this.#flushBatch(out);
      throw new CsvError(
        issue,
        `CSV: more than maxInvalid (${this.#maxInvalid}) malformed records; the last at line ${line}: ${reason}`,
      );
    }
    this.report.invalid.push(issue);
  }
}

/**
 * Parses CSV from a stream of text chunks (strings or bytes) into records or column batches,
 * holding one chunk and one partial record at a time (Python `csv.reader` / `csv.DictReader`;
 * `pandas.read_csv(chunksize=…)` for `output: "columns"`). Sync source in, sync stream out; async
 * in, async out. Every csv-spectrum case passes; a quote inside an unquoted field is literal text.
 *
 * A malformed record (an unclosed quote, text after a closing quote, a wrong number of fields, a
 * value its type rejects) throws a {@link CsvError} naming the line, column and raw text, after
 * every record before it was delivered; with `onInvalid: "report"` it is skipped and listed in
 * `stream.report.invalid` instead.
 *
 * @example
 * ```ts
 * const rows = parseCsv(["name,age\nada,36\n"], { types: { age: "number" } });
 * [...rows]; // [{ name: "ada", age: 36 }]
 * ```
 */
export function parseCsv(
  source: Iterable<string | Uint8Array>,
  options: CsvOptions & { output: "columns" },
): CsvStream<CsvColumns>;
export function parseCsv(
  source: Iterable<string | Uint8Array>,
  options: CsvOptions & { output: "arrays" },
): CsvStream<unknown[]>;
export function parseCsv(
  source: Iterable<string | Uint8Array>,
  options: CsvOptions & { header: false },
): CsvStream<unknown[]>;
export function parseCsv(
  source: Iterable<string | Uint8Array>,
  options?: CsvOptions,
): CsvStream<Record<string, unknown>>;
export function parseCsv(
  source: Source<string | Uint8Array>,
  options: CsvOptions & { output: "columns" },
): AsyncCsvStream<CsvColumns>;
export function parseCsv(
  source: Source<string | Uint8Array>,
  options: CsvOptions & { output: "arrays" },
): AsyncCsvStream<unknown[]>;
export function parseCsv(
  source: Source<string | Uint8Array>,
  options: CsvOptions & { header: false },
): AsyncCsvStream<unknown[]>;
export function parseCsv(
  source: Source<string | Uint8Array>,
  options?: CsvOptions,
): AsyncCsvStream<Record<string, unknown>>;
export function parseCsv(
  source: Source<string | Uint8Array>,
  options: CsvOptions = {},
): CsvStream<unknown> | AsyncCsvStream<unknown> {
  assertSource(source, "parseCsv");
  assertOptions(options, "parseCsv");
  const parser = new CsvParser(options);
  const stream = isAsyncIterable(source)
    ? new AsyncChunkedStream<string | Uint8Array, unknown>(source, parser)
    : new ChunkedStream<string | Uint8Array, unknown>(
        source as Iterable<string | Uint8Array>,
        parser,
      );
  Object.defineProperty(stream, "report", { value: parser.report, enumerable: true });
  return stream as unknown as CsvStream<unknown> | AsyncCsvStream<unknown>;
}
