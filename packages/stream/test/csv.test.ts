import { describe, expect, it } from "vitest";
import { type CsvColumns, CsvError, parseCsv } from "../src/index.ts";
import { asyncSource, collect, syncSource } from "./helpers.ts";
import { spectrumCases } from "./spectrum.ts";

describe("csv-spectrum: every case passes", () => {
  const cases = spectrumCases();
  it("has the 12 cases of csv-spectrum 2.0.0", () => {
    expect(cases.map((c) => c.name)).toHaveLength(12);
  });
  for (const c of cases) {
    it(`${c.name}: whole, split at every position (text and bytes), sync and async`, async () => {
      const text = c.csv.toString("utf8");
      expect([...parseCsv([text])]).toEqual(c.expected);
      expect(await collect(parseCsv(asyncSource([c.csv])))).toEqual(c.expected);
      for (let cut = 0; cut <= c.csv.length; cut++) {
        expect([...parseCsv([c.csv.subarray(0, cut), c.csv.subarray(cut)])]).toEqual(c.expected);
        if (cut <= text.length)
          expect([...parseCsv([text.slice(0, cut), text.slice(cut)])]).toEqual(c.expected);
      }
      // one byte at a time
      expect([...parseCsv(Array.from(c.csv, (b) => Uint8Array.of(b)))]).toEqual(c.expected);
    });
  }
});

describe("malformed records", () => {
  const bad = 'id,price\n1,2.5\n2,3\n3,"4\n5",x\n4,7\n';
  it("throw a CsvError naming line, column and raw text, after every earlier record was delivered", async () => {
    for (const s of [
      parseCsv([bad], { types: { price: "number" } }),
      parseCsv(asyncSource([bad]), { types: { price: "number" } }),
    ]) {
      const got: unknown[] = [];
      let error: unknown;
      try {
        for await (const r of s) got.push(r);
      } catch (e) {
        error = e;
      }
      expect(got).toEqual([
        { id: "1", price: 2.5 },
        { id: "2", price: 3 },
      ]);
      expect(error).toBeInstanceOf(CsvError);
      const e = error as CsvError;
      expect([e.line, e.column, e.columnName, e.raw]).toEqual([4, 3, undefined, '3,"4\n5",x']);
      expect(e.message).toBe(
        'CSV line 4, column 3: expected 2 fields, got 3; record: "3,\\"4\\n5\\",x"',
      );
    }
  });

  it("onInvalid: 'report' skips them, lists them in stream.report, and goes on", () => {
    const input = 'a,b\n1,2\n3\n"x"y,4\n5,z\n6,7\n8,"open\n';
    const s = parseCsv([input], { onInvalid: "report", types: { b: "number" } });
    expect([...s]).toEqual([
      { a: "1", b: 2 },
      { a: "6", b: 7 },
    ]);
    expect(s.report.records).toBe(2);
    expect(s.report.invalid.map((i) => [i.line, i.column, i.columnName, i.raw, i.reason])).toEqual([
      [3, 2, "b", "3", "expected 2 fields, got 1"],
      [4, 1, "a", '"x"y,4', 'unexpected "y" after a closing quote'],
      [5, 2, "b", "5,z", 'expected a number, got "z"'],
      [7, 2, "b", '8,"open\n', "a quoted field is not closed before the end of the input"],
    ]);
  });

  it("maxInvalid bounds the report", () => {
    const s = parseCsv(["a\n1\n2,3\n4,5\n6,7\n"], { onInvalid: "report", maxInvalid: 2 });
    expect(() => [...s]).toThrow(
      /more than maxInvalid \(2\) malformed records; the last at line 5/,
    );
  });

  it("a quote inside an unquoted field is literal text (as csv-spectrum requires)", () => {
    expect([...parseCsv(['a,b\n12"x,3\n'])]).toEqual([{ a: '12"x', b: "3" }]);
  });

  it("the source is closed when a malformed record stops the stream", () => {
    const src = syncSource(["a,b\n1,2\n", "3\n", "4,5\n"]);
    expect(() => [...parseCsv(src)]).toThrow(CsvError);
    expect(src.log.returns).toBe(1);
  });
});

describe("options", () => {
  it("types, arrays, header names, select, delimiter, quote, CRLF, BOM, empty lines", () => {
    expect([
      ...parseCsv(["\uFEFFn,ok,i\r\n1.5,TRUE,7\r\n\r\n,false,-2\r\n"], {
        types: { n: "number", ok: "boolean", i: "integer" },
      }),
    ]).toEqual([
      { n: 1.5, ok: true, i: 7 },
      { n: Number.NaN, ok: false, i: -2 },
    ]);
    expect([
      ...parseCsv(["1;'a;b'\n"], {
        header: ["x", "y"],
        delimiter: ";",
        quote: "'",
        output: "arrays",
      }),
    ]).toEqual([["1", "a;b"]]);
    expect([
      ...parseCsv(["x,y,z\n1,2,3\n"], { select: ["z", 0], types: { z: (t: string) => `<${t}>` } }),
    ]).toEqual([{ z: "<3>", x: "1" }]);
    expect([...parseCsv(["1,2\n3,4\n"], { header: false })]).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
    expect([...parseCsv(["__proto__,b\n1,2\n"])][0]).toEqual(
      Object.defineProperty({ b: "2" }, "__proto__", { value: "1", enumerable: true }),
    );
  });

  it("columns: numeric columns as Float64Array batches of batchSize", () => {
    const rows = Array.from({ length: 25 }, (_, i) => `${i},${i * 0.5},name${i}`).join("\n");
    const batches = [
      ...parseCsv([`a,b,c\n${rows}\n`], {
        output: "columns",
        batchSize: 10,
        types: { a: "integer", b: "number" },
      }),
    ] as CsvColumns[];
    expect(batches.map((b) => [b.length, b.firstLine])).toEqual([
      [10, 2],
      [10, 12],
      [5, 22],
    ]);
    expect(batches[2]!.columns.a).toEqual(Float64Array.from([20, 21, 22, 23, 24]));
    expect(batches[0]!.columns.b).toBeInstanceOf(Float64Array);
    expect(batches[1]!.columns.c).toEqual(Array.from({ length: 10 }, (_, i) => `name${i + 10}`));
  });

  it("rejects bad options with errors that name the value", () => {
    expect(() => parseCsv([""], { delimiter: ",," })).toThrow(
      /delimiter must be one character .* got ",,"/,
    );
    expect(() => parseCsv([""], { output: "rows" as never })).toThrow(
      /output must be .* got "rows"/,
    );
    expect(() => parseCsv([""], { columns: {} } as never)).toThrow(/unknown option "columns"/);
    expect(() => parseCsv([""], { types: { a: "float" as never } })).toThrow(
      /types\["a"\] must be .* got "float"/,
    );
    expect(() => parseCsv([""], { batchSize: 0 })).toThrow(RangeError);
    expect(() => [...parseCsv(["a,b\n1,2\n"], { select: ["c"] })]).toThrow(
      /select names no column of this input: "c"/,
    );
    expect(() => [...parseCsv([42 as never])]).toThrow(
      /chunks must be strings or Uint8Arrays, got number/,
    );
  });
});
