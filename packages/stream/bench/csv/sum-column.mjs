// node sum-column.mjs <parser> <file>
// Sums column "b" (the third) of a numeric CSV with the named parser, streaming from the file, and
// prints {"ms","sum","rows","maxRssMiB","mbPerS"} as its last line. Peak RSS is read by the process
// itself (process.resourceUsage().maxRSS) at the end, so it covers the whole run.
// Generate the file with `tsx bench/csv/generate.ts <file> 200`.
// Parsers: csv-parse, papaparse, udsv, udsv-strings, csv-parser, fast-csv, handrolled, heapwise
import { createReadStream, statSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";

const [name, file] = process.argv.slice(2);
const bytes = statSync(file).size;

const parsers = {
  async "csv-parse"() {
    const { parse } = await import("csv-parse");
    let sum = 0;
    let rows = 0;
    for await (const rec of createReadStream(file).pipe(parse({ from_line: 2 }))) {
      sum += Number(rec[2]);
      rows++;
    }
    return { sum, rows };
  },
  async papaparse() {
    const Papa = (await import("papaparse")).default;
    return new Promise((resolve, reject) => {
      let sum = 0;
      let rows = 0;
      let first = true;
      Papa.parse(createReadStream(file), {
        chunk(results) {
          const data = results.data;
          for (let i = first ? 1 : 0; i < data.length; i++) {
            const r = data[i];
            if (r.length < 3) continue; // trailing empty line
            sum += Number(r[2]);
            rows++;
          }
          first = false;
        },
        complete: () => resolve({ sum, rows }),
        error: reject,
      });
    });
  },
  async udsv() {
    const { inferSchema, initParser } = await import("udsv");
    let parser = null;
    let sum = 0;
    let rows = 0;
    const onRow = (row) => {
      sum += row[2];
      rows++;
    };
    const dec = new StringDecoder("utf8");
    for await (const buf of createReadStream(file)) {
      const s = dec.write(buf);
      parser ??= initParser(inferSchema(s));
      parser.chunk(s, parser.typedArrs, onRow);
    }
    parser.end();
    return { sum, rows };
  },
  // udsv's fastest path measured here: string rows (then Number) and 1 MiB reads.
  async "udsv-strings"() {
    const { inferSchema, initParser } = await import("udsv");
    let parser = null;
    let sum = 0;
    let rows = 0;
    const onRow = (row) => {
      sum += Number(row[2]);
      rows++;
    };
    const dec = new StringDecoder("utf8");
    for await (const buf of createReadStream(file, { highWaterMark: 1 << 20 })) {
      const s = dec.write(buf);
      parser ??= initParser(inferSchema(s));
      parser.chunk(s, parser.stringArrs, onRow);
    }
    parser.end();
    return { sum, rows };
  },
  async "csv-parser"() {
    const csv = (await import("csv-parser")).default;
    let sum = 0;
    let rows = 0;
    for await (const rec of createReadStream(file).pipe(csv())) {
      sum += Number(rec.b);
      rows++;
    }
    return { sum, rows };
  },
  async "fast-csv"() {
    const { parseStream } = await import("@fast-csv/parse");
    let sum = 0;
    let rows = 0;
    for await (const rec of parseStream(createReadStream(file), { headers: false, skipRows: 1 })) {
      sum += Number(rec[2]);
      rows++;
    }
    return { sum, rows };
  },
  // A reference floor: no quote handling at all, so not a CSV parser; only the speed of scanning.
  async handrolled() {
    let sum = 0;
    let rows = -1;
    let rest = "";
    const dec = new StringDecoder("utf8");
    for await (const buf of createReadStream(file)) {
      const s = rest + dec.write(buf);
      let start = 0;
      for (;;) {
        const nl = s.indexOf("\n", start);
        if (nl < 0) break;
        if (rows >= 0) {
          const c1 = s.indexOf(",", start);
          const c2 = s.indexOf(",", c1 + 1);
          const c3 = s.indexOf(",", c2 + 1);
          sum += Number(s.slice(c2 + 1, c3));
        }
        rows++;
        start = nl + 1;
      }
      rest = s.slice(start);
    }
    return { sum, rows };
  },
  async heapwise() {
    const { readCsv } = await import("@heapwise/stream/node");
    let sum = 0;
    let rows = 0;
    for await (const batch of readCsv(file, {
      header: true,
      output: "columns",
      batchSize: 10000,
      types: { b: "number" },
      select: ["b"],
    })) {
      const b = batch.columns.b;
      for (let i = 0; i < b.length; i++) sum += b[i];
      rows += b.length;
    }
    return { sum, rows };
  },
};

const run = parsers[name];
if (!run) throw new Error(`unknown parser ${name}; one of ${Object.keys(parsers).join(", ")}`);
const t0 = performance.now();
const { sum, rows } = await run();
const ms = performance.now() - t0;
const maxRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ ms, sum, rows, maxRssMiB, mbPerS: bytes / 1e6 / (ms / 1000) }));
