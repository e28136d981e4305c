import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../src/index.ts";

/** The model: a simple RFC 4180 encoder. Parsing what it wrote, in any chunking, gives it back. */
function encode(rows: string[][], newline: string): string {
  return (
    rows
      .map((r) =>
        r.map((f) => (/[",\r\n]/.test(f) || f === "" ? `"${f.replace(/"/g, '""')}"` : f)).join(","),
      )
      .join(newline) + newline
  );
}

const field = fc.string({
  unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r\n", "é", "😀", "1"),
  maxLength: 6,
});

describe("CSV round trip", () => {
  it("parse(encode(rows)) = rows, for any split of the text into chunks", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((w) =>
          fc.array(fc.array(field, { minLength: w, maxLength: w }), {
            minLength: 1,
            maxLength: 8,
          }),
        ),
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        (rows, newline, cuts, bytes) => {
          const text = encode(rows, newline);
          const data: string | Uint8Array = bytes ? new TextEncoder().encode(text) : text;
          const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
          const chunks: (string | Uint8Array)[] = [];
          let at = 0;
          for (const p of points) {
            chunks.push(data.slice(at, p));
            at = p;
          }
          chunks.push(data.slice(at));
          expect([...parseCsv(chunks, { header: false })]).toEqual(rows);
        },
      ),
      { numRuns: 300 },
    );
  });
});
