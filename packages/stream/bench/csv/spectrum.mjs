// node spectrum.mjs <parser>
// Runs every csv-spectrum case through the parser (header row → objects of strings) and prints
// {"parser","passed":[…],"failed":[{name, got|error}]} as JSON. location_coordinates' JSON masks
// the phone number of its one record (and is a lone object, not an array): that field is compared
// against the CSV's own digits, every other field against the JSON.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";

const require = createRequire(import.meta.url);
const root = dirname(require.resolve("csv-spectrum/package.json"));

export function spectrumCases() {
  return readdirSync(join(root, "csvs"))
    .filter((f) => f.endsWith(".csv"))
    .sort()
    .map((f) => {
      const name = f.slice(0, -4);
      let expected = JSON.parse(readFileSync(join(root, "json", `${name}.json`), "utf8"));
      if (!Array.isArray(expected)) expected = [expected];
      if (name === "location_coordinates") expected[0]["Contact Phone Number"] = "2095257564";
      return { name, csv: readFileSync(join(root, "csvs", f)), expected };
    });
}

const parsers = {
  async "csv-parse"(buf) {
    const { parse } = await import("csv-parse/sync");
    return parse(buf, { columns: true });
  },
  async "csv-parse (relax_quotes)"(buf) {
    const { parse } = await import("csv-parse/sync");
    return parse(buf, { columns: true, relax_quotes: true });
  },
  async papaparse(buf) {
    const Papa = (await import("papaparse")).default;
    const r = Papa.parse(buf.toString("utf8"), { header: true, skipEmptyLines: true });
    if (r.errors.length) throw new Error(JSON.stringify(r.errors));
    return r.data;
  },
  async udsv(buf) {
    const { inferSchema, initParser } = await import("udsv");
    const s = buf.toString("utf8");
    const p = initParser(inferSchema(s));
    return p.stringObjs(s);
  },
  async "csv-parser"(buf) {
    const csv = (await import("csv-parser")).default;
    const out = [];
    for await (const r of Readable.from([buf]).pipe(csv())) out.push({ ...r });
    return out;
  },
  async "fast-csv"(buf) {
    const { parseString } = await import("@fast-csv/parse");
    const out = [];
    for await (const r of parseString(buf.toString("utf8"), { headers: true })) out.push(r);
    return out;
  },
  async heapwise(buf) {
    const { parseCsv } = await import("@heapwise/stream");
    const out = [];
    for await (const r of parseCsv([buf], { header: true, output: "objects" })) out.push(r);
    return out;
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(parsers);
  for (const name of names) {
    const passed = [];
    const failed = [];
    for (const c of spectrumCases()) {
      try {
        const got = await parsers[name](c.csv);
        if (JSON.stringify(got) === JSON.stringify(c.expected)) passed.push(c.name);
        else failed.push({ name: c.name, got: JSON.stringify(got).slice(0, 160) });
      } catch (e) {
        failed.push({ name: c.name, error: String(e.message ?? e).slice(0, 160) });
      }
    }
    console.log(JSON.stringify({ parser: name, passed: passed.length, failed }));
  }
}
