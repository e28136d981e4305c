/**
 * `@heapwise/buffer/node`: parallel reductions and elementwise kernels over worker threads, on
 * arrays backed by `SharedArrayBuffer` (Python's lesson: CPU-bound work goes to another process
 * because of the GIL; in Node the equivalent is another thread, and shared memory means nothing is
 * copied or serialized, only a range is sent).
 *
 * @module
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
// The main entry's modules, imported relatively: tsup's code splitting puts them in one shared
// chunk, so NDArray is the same class in `@heapwise/buffer` and `@heapwise/buffer/node`.
import { type AnyTypedArray, dtypeInfo, NDArray, type UnaryName, zeros } from "./index.ts";
import { runTask, type Task } from "./internal/tasks.ts";
import { UNARY } from "./internal/unary.ts";

/** Options of {@link ParallelPool}. */
export interface ParallelPoolOptions {
  /**
   * Worker threads. Default `os.availableParallelism()` (2 on the machine the README was measured
   * on). Each costs a V8 isolate (~10 MB) while alive.
   */
  threads?: number;
  /**
   * Arrays smaller than this many elements run on the calling thread: a round trip to a worker
   * costs tens of microseconds, more than summing 64 Ki doubles. Default 65 536.
   */
  minParallel?: number;
  /**
   * Location of the worker script. Default: `worker.js` next to this module in the package's
   * `dist/`. Set it when a bundler moves or renames files (point it at a copy of
   * `@heapwise/buffer/dist/worker.js`), or to start workers through a loader.
   */
  worker?: URL | string;
}

/** Binary operations the pool runs in parallel. */
export type ParallelBinary = "add" | "subtract" | "multiply" | "divide";

interface Pending {
  resolve: (v: number) => void;
  reject: (e: Error) => void;
}

/** An element-aligned split of [0, n) into at most `parts` ranges, boundaries on multiples of 8192. */
function split(n: number, parts: number): [number, number][] {
  const CHUNK = 8192;
  const per = Math.ceil(n / parts / CHUNK) * CHUNK;
  const out: [number, number][] = [];
  for (let lo = 0; lo < n; lo += per) out.push([lo, Math.min(n, lo + per)]);
  return out;
}

/** Pairwise combination of partial sums (the top levels of the pairwise tree). */
function combine(parts: number[]): number {
  if (parts.length === 0) return 0;
  if (parts.length === 1) return parts[0]!;
  const mid = parts.length >> 1;
  return combine(parts.slice(0, mid)) + combine(parts.slice(mid));
}

function sharedContiguous(a: NDArray | AnyTypedArray, what: string): NDArray {
  let x: NDArray;
  if (a instanceof NDArray) x = a.checkLive(what);
  else if (ArrayBuffer.isView(a) && !(a instanceof DataView)) x = new NDArray(a as AnyTypedArray);
  else throw new TypeError(`${what} must be an NDArray or a typed array, got ${String(a)}`);
  if (dtypeInfo(x.dtype).isBigInt)
    throw new TypeError(`${what} is ${x.dtype}: the parallel kernels need number dtypes`);
  if (!x.isShared) {
    throw new TypeError(
      `${what} must live in a SharedArrayBuffer to be shared with worker threads: create it with { shared: true } or copy it with compact({ shared: true })`,
    );
  }
  if (!x.isContiguous) {
    throw new TypeError(
      `${what} (shape [${x.shape.join(",")}]) must be C-contiguous for the parallel kernels; use compact({ shared: true })`,
    );
  }
  return x;
}

function sameShape(a: NDArray, b: NDArray, what: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(
      `${what}: shapes [${a.shape.join(",")}] and [${b.shape.join(",")}] differ (the parallel kernels do not broadcast)`,
    );
  }
}

/**
 * A small pool of worker threads for CPU-bound array kernels on shared memory: `sum`, `mean`,
 * `variance`, `dot`, the four arithmetic operations and the named unary functions. Work is split
 * into one contiguous range per thread (boundaries on multiples of 8192 elements, so each range is
 * summed with the same pairwise tree as on one thread); partial sums are combined pairwise.
 *
 * Idle workers are unref'd, so a forgotten pool does not keep the process alive; still, close it
 * (`await using pool = new ParallelPool()`), which terminates the workers.
 *
 * Operands must be C-contiguous arrays of a number dtype in a `SharedArrayBuffer`
 * (`zeros(shape, { shared: true })`, `a.compact({ shared: true })`); otherwise a `TypeError` says so.
 *
 * @example
 * ```ts
 * await using pool = new ParallelPool();
 * const x = zeros([10_000_000], { shared: true }).fill(1);
 * await pool.sum(x);                           // 10000000, on all cores
 * await pool.unary("exp", x, { out: x });      // in place, in parallel
 * ```
 */
export class ParallelPool implements AsyncDisposable {
  /** Number of worker threads. */
  readonly threads: number;
  readonly #minParallel: number;
  readonly #worker: URL | string;
  #workers: Worker[] = [];
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;
  #alive = 0;
  #dying: Promise<number>[] = [];

  constructor(options: ParallelPoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isSafeInteger(threads) || threads < 1) {
      throw new RangeError(`threads must be a positive integer, got ${String(threads)}`);
    }
    const min = options.minParallel ?? 65_536;
    if (!Number.isSafeInteger(min) || min < 0) {
      throw new RangeError(`minParallel must be a non-negative integer, got ${String(min)}`);
    }
    this.threads = threads;
    this.#minParallel = min;
    const worker = options.worker ?? new URL("./worker.js", import.meta.url);
    if (!(worker instanceof URL) && typeof worker !== "string") {
      throw new TypeError(`worker must be a URL or a path, got ${String(worker)}`);
    }
    this.#worker = worker;
  }

  /** Worker threads started and not yet exited (0 before first use and after close). */
  get liveThreads(): number {
    return this.#alive;
  }

  /** Whether {@link close} has run. */
  get closed(): boolean {
    return this.#closed;
  }

  #start(): Worker[] {
    if (this.#closed) throw new ReferenceError("ParallelPool was used after close()");
    if (this.#workers.length === 0) {
      for (let i = 0; i < this.threads; i++) {
        const w = new Worker(this.#worker);
        w.on("message", (m: { id: number; value?: number; error?: string }) => {
          const p = this.#pending.get(m.id);
          if (!p) return;
          this.#pending.delete(m.id);
          if (this.#pending.size === 0) for (const x of this.#workers) x.unref();
          if (m.error !== undefined) p.reject(new Error(`worker task failed: ${m.error}`));
          else p.resolve(m.value!);
        });
        // A crashed worker takes the whole set down: pending tasks reject, the next call starts
        // fresh workers (a dead worker would otherwise never answer).
        w.on("error", (e) => this.#crash(e));
        this.#alive++;
        w.once("exit", () => {
          this.#alive--;
        });
        w.unref();
        this.#workers.push(w);
      }
    }
    return this.#workers;
  }

  #crash(e: Error): void {
    const workers = this.#workers;
    this.#workers = [];
    this.#fail(e);
    for (const w of workers) this.#dying.push(w.terminate());
  }

  #fail(e: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(e);
  }

  #post(w: Worker, task: Omit<Task, "id">): Promise<number> {
    const id = this.#nextId++;
    return new Promise<number>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ ...task, id });
    });
  }

  async #ranges(n: number, make: (lo: number, hi: number) => Omit<Task, "id">): Promise<number[]> {
    const workers = this.#start();
    const ranges = split(n, workers.length);
    return Promise.all(
      ranges.map(([lo, hi], i) => this.#post(workers[i % workers.length]!, make(lo, hi))),
    );
  }

  /**
   * Sum of every element (pairwise, or Kahan with `algorithm: "kahan"`), accumulated in float64.
   * Not bit-identical to the one-thread `sum` above 8192 elements per thread (the top of the tree
   * differs) but within the same error bound.
   */
  async sum(
    a: NDArray | AnyTypedArray,
    options: { algorithm?: "pairwise" | "kahan" } = {},
  ): Promise<number> {
    const x = sharedContiguous(a, "sum operand");
    const algorithm = options.algorithm ?? "pairwise";
    if (algorithm !== "pairwise" && algorithm !== "kahan") {
      throw new TypeError(
        `algorithm must be "pairwise" or "kahan", got ${JSON.stringify(algorithm)}`,
      );
    }
    const data = x.data as Float64Array;
    const base = x.offset;
    const n = x.size;
    const parts =
      n < this.#minParallel
        ? [runTask({ id: 0, op: "sum", algorithm, x: data, lo: base, hi: base + n })]
        : await this.#ranges(n, (lo, hi) => ({
            op: "sum",
            algorithm,
            x: data,
            lo: base + lo,
            hi: base + hi,
          }));
    const r = 0 + combine(parts);
    return x.dtype === "float32" ? Math.fround(r) : r;
  }

  /** Arithmetic mean (parallel pairwise sum / n). */
  async mean(a: NDArray | AnyTypedArray): Promise<number> {
    const x = sharedContiguous(a, "mean operand");
    const s = await this.sum(x);
    const r = s / x.size;
    return x.dtype === "float32" ? Math.fround(r) : r;
  }

  /** Population variance (`ddof` 0) or with `ddof`, two parallel passes. */
  async variance(a: NDArray | AnyTypedArray, options: { ddof?: number } = {}): Promise<number> {
    const x = sharedContiguous(a, "variance operand");
    const ddof = options.ddof ?? 0;
    if (!Number.isInteger(ddof) || ddof < 0)
      throw new RangeError(`ddof must be a non-negative integer, got ${String(ddof)}`);
    const n = x.size;
    const m = (await this.sum(x)) / n;
    const data = x.data as Float64Array;
    const base = x.offset;
    const parts = await this.#ranges(n, (lo, hi) => ({
      op: "sqdev",
      x: data,
      lo: base + lo,
      hi: base + hi,
      mean: m,
    }));
    return combine(parts) / Math.max(n - ddof, 0);
  }

  /** Dot product of two equally long shared vectors (pairwise). */
  async dot(a: NDArray | AnyTypedArray, b: NDArray | AnyTypedArray): Promise<number> {
    const x = sharedContiguous(a, "first operand");
    const y = sharedContiguous(b, "second operand");
    if (x.size !== y.size) throw new RangeError(`dot: sizes ${x.size} and ${y.size} differ`);
    if (x.offset !== y.offset || x.dtype !== y.dtype) {
      const yy = y.compact({ shared: true });
      const xx = x.compact({ shared: true });
      return this.dot(xx, yy);
    }
    const base = x.offset;
    const X = x.data as Float64Array;
    const Y = y.data as Float64Array;
    return (
      0 +
      combine(
        await this.#ranges(x.size, (lo, hi) => ({
          op: "dot",
          x: X,
          y: Y,
          lo: base + lo,
          hi: base + hi,
        })),
      )
    );
  }

  /**
   * `a op b` elementwise for two float64 arrays of the same shape, into `out` (shared, same shape,
   * float64; may be `a` or `b`) or a new shared array.
   */
  async binary(
    name: ParallelBinary,
    a: NDArray | AnyTypedArray,
    b: NDArray | AnyTypedArray,
    options: { out?: NDArray } = {},
  ): Promise<NDArray> {
    if (!["add", "subtract", "multiply", "divide"].includes(name)) {
      throw new TypeError(
        `unknown binary operation ${JSON.stringify(name)}; expected add, subtract, multiply or divide`,
      );
    }
    const x = sharedContiguous(a, "first operand");
    const y = sharedContiguous(b, "second operand");
    sameShape(x, y, name);
    for (const [v, w] of [
      [x, "first operand"],
      [y, "second operand"],
    ] as const) {
      if (v.dtype !== "float64")
        throw new TypeError(`${w} is ${v.dtype}: the parallel ${name} works on float64 arrays`);
    }
    const out = this.#out(options.out, x, "float64");
    const same = x.offset === y.offset && y.offset === out.offset;
    if (!same)
      throw new RangeError(
        `${name}: operands and out must start at the same offset of their buffers (compact them)`,
      );
    const [X, Y, O] = [x.data, y.data, out.data] as Float64Array[];
    const base = x.offset;
    if (x.size < this.#minParallel) {
      runTask({ id: 0, op: "binary", name, x: X!, y: Y!, out: O!, lo: base, hi: base + x.size });
      return out;
    }
    await this.#ranges(x.size, (lo, hi) => ({
      op: "binary",
      name,
      x: X!,
      y: Y!,
      out: O!,
      lo: base + lo,
      hi: base + hi,
    }));
    return out;
  }

  /** `a + b` in parallel. See {@link binary}. */
  add(
    a: NDArray | AnyTypedArray,
    b: NDArray | AnyTypedArray,
    options?: { out?: NDArray },
  ): Promise<NDArray> {
    return this.binary("add", a, b, options);
  }

  /** Applies a named unary function (`exp`, `sqrt`, `sin`, …) in parallel into `out` or a new shared array. */
  async unary(
    name: UnaryName,
    a: NDArray | AnyTypedArray,
    options: { out?: NDArray } = {},
  ): Promise<NDArray> {
    if (typeof name !== "string" || !Object.hasOwn(UNARY, name)) {
      throw new TypeError(
        `unknown unary function ${JSON.stringify(name)}; expected one of ${Object.keys(UNARY).join(", ")}`,
      );
    }
    const x = sharedContiguous(a, "operand");
    const dtype = UNARY[name].keepsInt || x.dtype === "float32" ? x.dtype : "float64";
    const out = this.#out(options.out, x, dtype);
    if (out.offset !== x.offset)
      throw new RangeError(
        `${name}: operand and out must start at the same offset of their buffers`,
      );
    const X = x.data as Float64Array;
    const O = out.data as Float64Array;
    const base = x.offset;
    await this.#ranges(x.size, (lo, hi) => ({
      op: "unary",
      name,
      x: X,
      out: O,
      lo: base + lo,
      hi: base + hi,
    }));
    return out;
  }

  #out(out: NDArray | undefined, like: NDArray, dtype: NDArray["dtype"]): NDArray {
    if (out === undefined) return zeros(like.shape, { dtype, shared: true });
    const o = sharedContiguous(out, "out");
    o.checkWritable();
    sameShape(like, o, "out");
    if (o.dtype !== dtype) throw new TypeError(`out is ${o.dtype} but the result is ${dtype}`);
    return o;
  }

  /** Terminates the workers; pending tasks reject. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const workers = this.#workers;
    this.#workers = [];
    this.#fail(new Error("ParallelPool was closed"));
    await Promise.all([...workers.map((w) => w.terminate()), ...this.#dying]);
    this.#dying = [];
  }

  /** Same as {@link close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
