/**
 * Oracle g (`g_stream_vs_load.py`) on a simulated heap: the same CSV rows become the same objects
 * (`csv.reader` yields a list of 5 strs per row, built with `PyList_New(0)` and appends; empty and
 * one-character latin-1 fields are the shared singletons), kept all at once (`list(reader)`), in
 * batches of 1000 (`list(islice(reader, 1000))`), or one at a time. The I/O machinery is modelled
 * as the buffers CPython's io and csv modules hold while reading: the BufferedReader's 8 KiB raw
 * buffer, the TextIOWrapper's decoded chunk (a str) and its snapshot (bytes), and the csv
 * reader's UCS4 field buffer (grown to 4096 characters).
 */
import { Heap, type PyObject } from "../../src/index.ts";

export interface CsvResult {
  load: {
    peak: number;
    current: number;
    rowsList: number;
    oneRow: number;
    result: [number, number];
  };
  batches: { peak: number; result: [number, number] };
  rowwise: { peak: number; result: [number, number] };
}

function fields(i: number): string[] {
  return [
    String(i),
    `name${String(i).padStart(6, "0")}`,
    String((i * 7919) % 100003),
    i % 2 === 0 ? "even" : "odd",
    "x".repeat(i % 17),
  ];
}

export function simulateCsv(m: number, batch: number): CsvResult {
  const py = new Heap();
  py.gc.disable();
  const alloc = py.allocator({ domain: "mem" });

  const withReader = <R>(body: (next: () => PyObject | undefined) => R): R => {
    // open(): BufferedReader buffer; TextIOWrapper: decoded chunk and snapshot; csv field buffer
    const buffers = [alloc.allocate(8192), alloc.allocate(16384)];
    const chunk = py.str("x".repeat(8192));
    const snapshot = py.bytes(8192);
    let i = -1; // the header row is read first and dropped
    const next = (): PyObject | undefined => {
      if (i >= m) return undefined;
      const row = py.list();
      for (const field of i < 0 ? ["id", "name", "value", "parity", "note"] : fields(i)) {
        row.append(py.str(field));
      }
      i++;
      return row;
    };
    next()!.dispose(); // next(rd)
    try {
      return body(next);
    } finally {
      chunk.dispose();
      snapshot.dispose();
      for (const b of buffers) alloc.release(b);
    }
  };

  const process = (rows: Iterable<PyObject>, acc: [number, number]) => {
    for (const r of rows) {
      using v = py.int(Number(r.getItem(2).value));
      acc[0] += Number(v.value);
      if (r.getItem(3).value === "even") acc[1]++;
    }
  };

  const measure = <R>(fn: () => R): [R, number, number] => {
    py.gc.collect();
    py.tracemalloc.start();
    const r = fn();
    const [cur, peak] = py.tracemalloc.getTracedMemory();
    py.tracemalloc.stop();
    return [r, cur, peak];
  };

  // load_all
  const [rows, loadCur, loadPeak] = measure(() => {
    const acc: [number, number] = [0, 0];
    const all = withReader((next) =>
      py.listFromIterable({
        *[Symbol.iterator]() {
          for (let r = next(); r; r = next()) yield r;
        },
      }),
    );
    process(all, acc);
    return { all, acc };
  });
  const rowsList = py.getsizeof(rows.all);
  const row = rows.all.getItem(12345);
  const oneRow = py.getsizeof(row) + row.toArray().reduce((s, x) => s + py.getsizeof(x), 0);
  rows.all.dispose();

  // stream in batches
  const [batchAcc, , batchPeak] = measure(() => {
    const acc: [number, number] = [0, 0];
    withReader((next) => {
      using f = py.frame("batches");
      for (;;) {
        let left = batch;
        f.set(
          "batch",
          py.listFromIterable({
            *[Symbol.iterator]() {
              for (
                let r = left-- > 0 ? next() : undefined;
                r;
                r = left-- > 0 ? next() : undefined
              ) {
                yield r;
              }
            },
          }),
        );
        if (f.get("batch").len() === 0) break;
        process(f.get("batch"), acc);
      }
    });
    return acc;
  });

  // row by row
  const [rowAcc, , rowPeak] = measure(() => {
    const acc: [number, number] = [0, 0];
    withReader((next) => {
      using f = py.frame("rowwise");
      for (let r = next(); r; r = next()) {
        f.set("r", r);
        process([f.get("r")], acc);
      }
    });
    return acc;
  });

  return {
    load: { peak: loadPeak, current: loadCur, rowsList, oneRow, result: rows.acc },
    batches: { peak: batchPeak, result: batchAcc },
    rowwise: { peak: rowPeak, result: rowAcc },
  };
}
