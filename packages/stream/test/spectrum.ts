/** The csv-spectrum cases (npm csv-spectrum), with their expected records. */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const root = dirname(createRequire(import.meta.url).resolve("csv-spectrum/package.json"));

export interface SpectrumCase {
  name: string;
  csv: Buffer;
  expected: Record<string, string>[];
}

/**
 * Every case. location_coordinates' JSON is a lone object (not an array) whose phone number is
 * masked ("1234567890" for the CSV's "2095257564"), so no parser can equal it as shipped: that one
 * field is compared with the CSV's own digits, every other field with the JSON.
 */
export function spectrumCases(): SpectrumCase[] {
  return readdirSync(join(root, "csvs"))
    .filter((f) => f.endsWith(".csv"))
    .sort()
    .map((f) => {
      const name = f.slice(0, -4);
      let expected = JSON.parse(readFileSync(join(root, "json", `${name}.json`), "utf8")) as
        | Record<string, string>
        | Record<string, string>[];
      if (!Array.isArray(expected)) expected = [expected];
      if (name === "location_coordinates") expected[0]!["Contact Phone Number"] = "2095257564";
      return { name, csv: readFileSync(join(root, "csvs", f)), expected };
    });
}
