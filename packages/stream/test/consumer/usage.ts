// A small program a user of @heapwise/stream would write: stream a CSV file in column batches,
// keep a running total, and stop early with the file closed. Compiled by the fresh-consumer check
// (module node16) against the packed tarball, then run with Node.
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chunks, filter, map, mapConcurrent, pipe, reduce, take, toArray } from "@heapwise/stream";
import { readCsv, readLines, writeLines } from "@heapwise/stream/node";

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "heapwise-stream-consumer-"));
  try {
    const file = join(dir, "prices.csv");
    const rows = Array.from({ length: 2500 }, (_, i) => `item${i},${(i % 100) / 4}`);
    await writeLines(file, ["name,price", ...rows]);

    // Column batches: numbers arrive as Float64Array, 1000 rows at a time.
    let total = 0;
    let batches = 0;
    {
      await using stream = readCsv(file, {
        output: "columns",
        select: ["price"],
        types: { price: "number" },
        batchSize: 1000,
      });
      for await (const batch of stream) {
        for (const p of batch.columns.price as Float64Array) total += p;
        batches++;
      }
    }
    assert.equal(batches, 3);
    assert.equal(
      total,
      rows.reduce((s, r) => s + Number(r.split(",")[1]), 0),
    );

    // A sync pipeline is fused into one loop; take() stops pulling at once.
    const evens = pipe(
      Array.from({ length: 100 }, (_, i) => i),
      filter((x) => x % 2 === 0),
      map((x) => x * x),
      take(3),
      toArray(),
    );
    assert.deepEqual(evens, [0, 4, 16]);

    // Async, bounded concurrency, then batches; the file is closed after take(2).
    const lengths = await pipe(
      readLines(file),
      mapConcurrent(async (line) => line.length, { concurrency: 4, highWaterMark: 8 }),
      chunks(10),
      take(2),
      reduce((n, c) => n + c.length, 0),
    );
    assert.equal(lengths, 20);
    console.log("usage ok");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
