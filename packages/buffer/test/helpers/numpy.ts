import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DType, NDArray } from "../../src/index.ts";
import { dtypeOf } from "../../src/index.ts";

/** The interpreter with NumPy: Debian's system python3 (the pyenv one on PATH has no numpy). */
export const PYTHON = process.env.HEAPWISE_NUMPY_PYTHON || "/usr/bin/python3";

function probe(): string | undefined {
  const r = spawnSync(PYTHON, ["-c", "import numpy; print(numpy.__version__)"], {
    encoding: "utf8",
  });
  if (r.status === 0) return r.stdout.trim();
  return undefined;
}

/** NumPy's version, or undefined when it is missing (then the NumPy tests are skipped). */
export const NUMPY_VERSION = probe();

/** Why the NumPy tests are skipped, printed once. */
export const SKIP_REASON = `NumPy is not importable by ${PYTHON}: install it with \`apt-get install -y python3-numpy\` (or point HEAPWISE_NUMPY_PYTHON at an interpreter that has numpy)`;

if (!NUMPY_VERSION)
  console.warn(`[@heapwise/buffer] skipping the NumPy comparison tests. ${SKIP_REASON}`);

/** A JSON-able array for the oracle: bytes of the base (contiguous) plus view operations. */
export interface Wire {
  dtype: string;
  shape: number[];
  b64?: string;
  file?: string;
  view?: unknown[];
}

const NP_DTYPE: Record<DType, string> = {
  int8: "<i1",
  uint8: "<u1",
  int16: "<i2",
  uint16: "<u2",
  int32: "<i4",
  uint32: "<u4",
  float32: "<f4",
  float64: "<f8",
  bigint64: "<i8",
  biguint64: "<u8",
};

/** Encodes a C-contiguous base array (NDArray or typed array) and the view ops to apply to it. */
export function wire(base: NDArray, view: unknown[] = []): Wire {
  if (!base.isContiguous || base.offset !== 0)
    throw new Error("wire() needs a contiguous base array");
  const bytes = new Uint8Array(base.data.buffer, base.data.byteOffset, base.nbytes);
  return {
    dtype: NP_DTYPE[base.dtype],
    shape: [...base.shape],
    b64: Buffer.from(bytes).toString("base64"),
    view,
  };
}

/** A result decoded from the oracle. */
export interface NpResult {
  dtype: string;
  shape: number[];
  values:
    | Float64Array
    | Float32Array
    | Int32Array
    | BigInt64Array
    | Uint8Array
    | Int8Array
    | Int16Array
    | Uint16Array
    | Uint32Array;
}

const CTOR: Record<string, new (b: ArrayBuffer) => NpResult["values"]> = {
  float64: Float64Array,
  float32: Float32Array,
  int64: BigInt64Array,
  int32: Int32Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
};

/** Runs the cases through NumPy in one python process. */
export function numpy(cases: unknown[]): ({ result: NpResult } | { error: string })[] {
  const dir = mkdtempSync(join(tmpdir(), "heapwise-np-"));
  try {
    const input = join(dir, "in.json");
    const output = join(dir, "out.json");
    writeFileSync(input, JSON.stringify(cases));
    const r = spawnSync(PYTHON, [join(import.meta.dirname, "oracle.py"), input, output], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) throw new Error(`oracle.py failed: ${r.stderr}`);
    const raw = JSON.parse(readFileSync(output, "utf8")) as (
      | { result: { dtype: string; shape: number[]; b64: string } }
      | { error: string }
    )[];
    return raw.map((x) => {
      if ("error" in x) return x;
      const buf = Buffer.from(x.result.b64, "base64");
      const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
      const C = CTOR[x.result.dtype];
      if (!C) throw new Error(`unexpected NumPy dtype ${x.result.dtype}`);
      return { result: { dtype: x.result.dtype, shape: x.result.shape, values: new C(ab) } };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a large array to a file for the oracle (returns the wire and a cleanup). */
export function wireFile(base: NDArray, dir: string, name: string): Wire {
  const file = join(dir, name);
  writeFileSync(file, new Uint8Array(base.data.buffer, base.data.byteOffset, base.nbytes));
  return { dtype: NP_DTYPE[base.dtype], shape: [...base.shape], file };
}

export { dtypeOf };
