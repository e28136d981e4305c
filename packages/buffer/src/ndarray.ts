import {
  type Allocator,
  allocateChecked,
  checkAllocator,
  defaultAllocator,
  type Memory,
  viewMemory,
} from "./allocator.ts";
import {
  type Casting,
  canCast,
  checkDType,
  checkScalar,
  type DType,
  describe,
  dtypeOf,
  type ScalarOf,
  type TypedArrayOf,
  typedArrayConstructor,
} from "./dtype.ts";
import { ShapeError } from "./errors.ts";
import { copyInto } from "./internal/copy.ts";
import {
  broadcastStrides,
  checkShape,
  cStrides,
  fmtShape,
  isCContiguous,
  normalizeAxis,
  sizeOf,
} from "./internal/shape.ts";
import { parseSlice, resolveSlice } from "./internal/slice.ts";

/** One entry of {@link NDArray.slice}: an index, a `"start:stop:step"` string, a {@link Slice}, or `"..."`. */
export type SliceSpec = number | string | Slice | null;

/** A `start:stop:step` range; omitted parts take NumPy's defaults (negative steps run backwards). */
export interface Slice {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/** Options of the {@link NDArray} constructor. */
export interface NDArrayOptions {
  /** Shape. Default: `[data.length - offset]` (a 1-D array over the rest of `data`). */
  shape?: readonly number[];
  /** Strides in elements (may be negative or 0). Default: C order (row-major) for `shape`. */
  strides?: readonly number[];
  /** Index in `data` of the element at index 0…0. Default 0. */
  offset?: number;
  /** Whether `set`/`fill`/`out=` may write. Default true; broadcast views are read-only. */
  writable?: boolean;
  /**
   * When given, the array owns its memory ({@link NDArrayOptions.memory}): disposing the array
   * gives it back through `allocator.release` (once). The constructors (`zeros`, …) pass their
   * allocator here. Default: the array does not own its memory and disposing it does nothing.
   */
  allocator?: Allocator;
  /**
   * With `allocator`: what `allocator.allocate` returned for `data` (`data.buffer`, or a
   * `Uint8Array` range of it), given back on dispose and counted by {@link NDArray.retainedBytes}.
   * Default `data.buffer`.
   */
  memory?: Memory;
}

/** Options of the constructors that allocate (`zeros`, `compact`, …). */
export interface AllocOptions {
  /**
   * Where the memory comes from. Default {@link defaultAllocator}. Ignored when `shared` is true
   * (a `SharedArrayBuffer` cannot come from an `Allocator`, whose contract is `ArrayBuffer`).
   */
  allocator?: Allocator;
  /**
   * Back the array with a `SharedArrayBuffer`, so that worker threads (see `@heapwise/buffer/node`)
   * can read and write it without copying. Default false. Needs cross-origin isolation in browsers.
   */
  shared?: boolean;
}

interface Root {
  disposed: boolean;
  allocator: Allocator | undefined;
  /** What the allocator handed out (released on dispose), when the array owns its memory. */
  memory: Memory | undefined;
}

/**
 * An N-dimensional view of a typed array: `dtype`, `shape`, `strides` (in elements) and `offset`
 * over `data`, as NumPy's `ndarray`. Slicing, transposing, reshaping a contiguous array,
 * broadcasting, squeezing and expanding are zero-copy: the result is a new `NDArray` over the same
 * memory, whose {@link base} is the array that owns it. {@link retainedBytes} shows what a view
 * pins (a 10-element view of a 10-million-element array retains 80 MB, NumPy #10273);
 * {@link compact} copies it out. Arithmetic, reductions and linear algebra are free functions
 * (`add`, `sum`, `matmul`, …) so that bundlers keep only what is used.
 *
 * Owning arrays made by the constructors are `Disposable`: `using a = zeros([n])` gives the memory
 * back to the allocator at the end of the scope. Views do not own memory; using an array or a view
 * after its owner was disposed throws a `ReferenceError`.
 *
 * @example
 * ```ts
 * const a = arange(12).reshape([3, 4]);
 * const col = a.slice(null, 1);          // a[:, 1], a view
 * col.set(0, 100);                        // writes a[0, 1]
 * a.get(0, 1);                            // 100
 * a.slice("::-1").get(0, 0);              // 8 (rows reversed)
 * ```
 */
export class NDArray<D extends DType = DType> implements Disposable {
  /** Element type. */
  readonly dtype: D;
  /** Length of each dimension. */
  readonly shape: readonly number[];
  /** Distance in elements between neighbours along each dimension (negative or 0 allowed). */
  readonly strides: readonly number[];
  /** Index in {@link data} of the first element. */
  readonly offset: number;
  /** The typed array the view reads (usually over the whole underlying buffer). */
  readonly data: TypedArrayOf<D>;
  /** Number of elements. */
  readonly size: number;
  /** Whether writes are allowed (false for broadcast views). */
  readonly writable: boolean;
  #root: Root;
  #owner: NDArray<D> | null;

  /**
   * Wraps a typed array without copying. Validates that every index of the shape lands inside
   * `data` (a `RangeError` naming shape, strides and offset otherwise).
   *
   * @example
   * ```ts
   * const m = new NDArray(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });
   * ```
   */
  constructor(data: TypedArrayOf<D>, options: NDArrayOptions = {}) {
    const dtype = dtypeOf(data) as D;
    const offset = options.offset ?? 0;
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new RangeError(`offset must be a non-negative integer, got ${String(offset)}`);
    }
    const shape =
      options.shape === undefined
        ? Object.freeze([Math.max(0, data.length - offset)])
        : checkShape(options.shape);
    let strides: readonly number[];
    if (options.strides === undefined) strides = Object.freeze(cStrides(shape));
    else {
      const s = options.strides;
      if (
        !Array.isArray(s) ||
        s.length !== shape.length ||
        !s.every((x) => typeof x === "number" && Number.isSafeInteger(x))
      ) {
        throw new RangeError(
          `strides must be ${shape.length} integers for shape ${fmtShape(shape)}, got ${JSON.stringify(s)}`,
        );
      }
      strides = Object.freeze([...s]);
    }
    const size = sizeOf(shape);
    if (size > 0) {
      let lo = offset;
      let hi = offset;
      for (let i = 0; i < shape.length; i++) {
        const span = strides[i]! * (shape[i]! - 1);
        if (span < 0) lo += span;
        else hi += span;
      }
      if (lo < 0 || hi >= data.length) {
        throw new RangeError(
          `shape ${fmtShape(shape)} with strides ${fmtShape(strides)} and offset ${offset} reaches indices ${lo}..${hi}, outside a ${dtype} buffer of length ${data.length}`,
        );
      }
    }
    this.dtype = dtype;
    this.data = data;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    this.size = size;
    this.writable = options.writable ?? true;
    this.#owner = null;
    const allocator =
      options.allocator === undefined ? undefined : checkAllocator(options.allocator);
    const memory = options.memory ?? (allocator ? data.buffer : undefined);
    if (
      memory !== undefined &&
      !(
        (memory === data.buffer && memory instanceof ArrayBuffer) ||
        (memory instanceof Uint8Array &&
          memory.buffer === data.buffer &&
          memory.byteOffset <= data.byteOffset &&
          data.byteOffset + data.byteLength <= memory.byteOffset + memory.byteLength)
      )
    ) {
      throw new TypeError(
        "memory must be data.buffer (an ArrayBuffer) or a Uint8Array over the bytes of data",
      );
    }
    this.#root = { disposed: false, allocator, memory: allocator ? memory : undefined };
  }

  /** Internal: a view sharing this array's memory and ownership. */
  #view(
    shape: readonly number[],
    strides: readonly number[],
    offset: number,
    writable = this.writable,
  ): NDArray<D> {
    const v = new NDArray(this.data, { shape, strides, offset, writable });
    v.#owner = this.#owner ?? this;
    v.#root = this.#root;
    return v;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Bytes per element. */
  get itemSize(): number {
    return this.data.BYTES_PER_ELEMENT;
  }

  /** Bytes of the elements this array shows: `size * itemSize` (NumPy's `nbytes`). */
  get nbytes(): number {
    return this.size * this.data.BYTES_PER_ELEMENT;
  }

  /**
   * Bytes kept alive by this array: the whole underlying buffer, however small the view (for an
   * array from an arena allocator such as {@link WasmHeap}, the block it was given). A view's
   * `retainedBytes` far above its `nbytes` is the sign to {@link compact} it.
   */
  get retainedBytes(): number {
    return (this.#root.memory ?? this.data.buffer).byteLength;
  }

  /** The array that owns this view's memory, or `null` when this array is not a view. */
  get base(): NDArray<D> | null {
    return this.#owner;
  }

  /** Whether the memory is a `SharedArrayBuffer` (shareable with worker threads without copying). */
  get isShared(): boolean {
    return (
      typeof SharedArrayBuffer !== "undefined" && this.data.buffer instanceof SharedArrayBuffer
    );
  }

  /** Whether the elements are laid out in C order with no gaps (then {@link data} can be read flat). */
  get isContiguous(): boolean {
    return isCContiguous(this.shape, this.strides);
  }

  /** Whether the owner of this memory has been disposed. */
  get disposed(): boolean {
    return this.#root.disposed;
  }

  /** Throws a ReferenceError if the memory was given back; returns this. @internal */
  checkLive(what = "array"): this {
    if (this.#root.disposed) {
      throw new ReferenceError(
        `${what} of shape ${fmtShape(this.shape)} was used after its memory was disposed`,
      );
    }
    return this;
  }

  /** Flat index in {@link data} of a multi-index (negative indices count from the end). */
  index(indices: readonly number[]): number {
    if (indices.length !== this.shape.length) {
      throw new RangeError(
        `expected ${this.shape.length} indices for shape ${fmtShape(this.shape)}, got ${indices.length} (${JSON.stringify(indices)})`,
      );
    }
    let p = this.offset;
    for (let i = 0; i < indices.length; i++) {
      let k = indices[i]!;
      const d = this.shape[i]!;
      if (typeof k !== "number" || !Number.isInteger(k) || k < -d || k >= d) {
        throw new RangeError(`index ${String(k)} is out of bounds for axis ${i} with size ${d}`);
      }
      if (k < 0) k += d;
      p += k * this.strides[i]!;
    }
    return p;
  }

  /** The element at a multi-index. @example `m.get(1, -1)` */
  get(...indices: number[]): ScalarOf<D> {
    this.checkLive();
    return this.data[this.index(indices)] as ScalarOf<D>;
  }

  /**
   * Writes one element. The value must fit the dtype exactly (an integer in range for integer
   * dtypes, a bigint for bigint dtypes); nothing is written otherwise.
   *
   * @example `m.set([1, 2], 7)`, or `v.set(0, 7)` for a 1-D array
   */
  set(indices: number | readonly number[], value: ScalarOf<D>): void {
    this.#checkWritable();
    const p = this.index(typeof indices === "number" ? [indices] : indices);
    (this.data as Float64Array)[p] = checkScalar(value, this.dtype) as number;
  }

  #checkWritable(): void {
    this.checkLive();
    if (!this.writable) {
      throw new TypeError(`array of shape ${fmtShape(this.shape)} is read-only (a broadcast view)`);
    }
  }

  /** Throws unless writable and live. @internal */
  checkWritable(): this {
    this.#checkWritable();
    return this;
  }

  /** Sets every element to `value` (checked like {@link set}). Returns this. */
  fill(value: ScalarOf<D>): this {
    this.#checkWritable();
    const v = checkScalar(value, this.dtype);
    const one = new NDArray(new (typedArrayConstructor(this.dtype))(1) as TypedArrayOf<D>, {
      shape: [],
    });
    (one.data as Float64Array)[0] = v as number;
    copyInto(one, this);
    return this;
  }

  /**
   * Copies `source` (an array broadcast to this shape, or a scalar) into this view, NumPy's
   * `a[...] = source`. Casting defaults to `"same_kind"`; a failed check writes nothing.
   */
  assign(source: NDArray | number | bigint, casting: Casting = "same_kind"): this {
    this.#checkWritable();
    if (!(source instanceof NDArray)) return this.fill(source as ScalarOf<D>);
    source.checkLive("source");
    if (!canCast(source.dtype, this.dtype, casting)) {
      throw new TypeError(
        `cannot assign ${source.dtype} to ${this.dtype} with casting "${casting}"`,
      );
    }
    broadcastStrides(source.shape, source.strides, this.shape);
    copyInto(source, this);
    return this;
  }

  /**
   * A view of a sub-range: one spec per leading axis. A number picks one index (dropping the
   * axis), `"start:stop:step"` or `{ start, stop, step }` take a range (negative values count from
   * the end, a negative step runs backwards), `null` or `":"` takes the whole axis, and `"..."`
   * stands for as many whole axes as needed. Zero-copy.
   *
   * @example
   * ```ts
   * a.slice("1:3", "::-1");  // a[1:3, ::-1]
   * a.slice("...", 0);       // a[..., 0]
   * ```
   */
  slice(...specs: SliceSpec[]): NDArray<D> {
    this.checkLive();
    const ellipsis = specs.filter((s) => s === "...").length;
    if (ellipsis > 1)
      throw new RangeError(`an index can only have a single ellipsis ("..."), got ${ellipsis}`);
    const used = specs.length - ellipsis;
    if (used > this.ndim) {
      throw new RangeError(
        `too many indices for array of shape ${fmtShape(this.shape)}: ${used} were given`,
      );
    }
    const expanded: SliceSpec[] = [];
    for (const s of specs) {
      if (s === "...") for (let i = 0; i < this.ndim - used; i++) expanded.push(null);
      else expanded.push(s);
    }
    while (expanded.length < this.ndim) expanded.push(null);
    const shape: number[] = [];
    const strides: number[] = [];
    let offset = this.offset;
    for (let axis = 0; axis < this.ndim; axis++) {
      const spec = expanded[axis]!;
      const n = this.shape[axis]!;
      const st = this.strides[axis]!;
      if (typeof spec === "number") {
        if (!Number.isInteger(spec) || spec < -n || spec >= n) {
          throw new RangeError(`index ${spec} is out of bounds for axis ${axis} with size ${n}`);
        }
        offset += (spec < 0 ? spec + n : spec) * st;
        continue;
      }
      const { start, length, step } = resolveSlice(parseSlice(spec, axis), n, axis);
      if (length > 0) offset += start * st;
      shape.push(length);
      strides.push(step * st);
    }
    return this.#view(Object.freeze(shape), Object.freeze(strides), offset);
  }

  /** The axes permuted (default: reversed), a view. NumPy's `transpose`. */
  transpose(axes?: readonly number[]): NDArray<D> {
    this.checkLive();
    const nd = this.ndim;
    const perm = axes === undefined ? [...Array(nd).keys()].reverse() : [...axes];
    if (perm.length !== nd) {
      throw new RangeError(`axes ${JSON.stringify(axes)} do not match an array of dimension ${nd}`);
    }
    const seen = new Set<number>();
    const norm = perm.map((a) => {
      const k = normalizeAxis(a, nd);
      if (seen.has(k))
        throw new RangeError(`repeated axis ${a} in transpose ${JSON.stringify(axes)}`);
      seen.add(k);
      return k;
    });
    return this.#view(
      Object.freeze(norm.map((k) => this.shape[k]!)),
      Object.freeze(norm.map((k) => this.strides[k]!)),
      this.offset,
    );
  }

  /** The transpose (reversed axes), a view. */
  get T(): NDArray<D> {
    return this.transpose();
  }

  /**
   * The same elements in a new shape, a view. One dimension may be -1 (inferred). Only a
   * C-contiguous array can be reshaped without copying; otherwise this throws a `ShapeError`
   * (call {@link compact} first, which copies).
   */
  reshape(shape: readonly number[]): NDArray<D> {
    this.checkLive();
    if (!Array.isArray(shape))
      throw new TypeError(`shape must be an array, got ${describe(shape)}`);
    const unknown = shape.filter((d) => d === -1).length;
    if (unknown > 1)
      throw new RangeError(
        `can only specify one unknown dimension (-1), got ${JSON.stringify(shape)}`,
      );
    let target: readonly number[];
    if (unknown === 1) {
      const known = shape.filter((d) => d !== -1);
      checkShape(known);
      const rest = sizeOf(known);
      if (rest === 0 || this.size % rest !== 0) {
        throw new ShapeError(
          `cannot reshape array of size ${this.size} into shape ${fmtShape(shape)}`,
        );
      }
      target = Object.freeze(shape.map((d) => (d === -1 ? this.size / rest : d)));
    } else target = checkShape(shape);
    if (sizeOf(target) !== this.size) {
      throw new ShapeError(
        `cannot reshape array of shape ${fmtShape(this.shape)} (size ${this.size}) into shape ${fmtShape(target)}`,
      );
    }
    if (!this.isContiguous) {
      throw new ShapeError(
        `cannot reshape a non-contiguous view of shape ${fmtShape(this.shape)} without copying; call compact() first`,
      );
    }
    return this.#view(target, Object.freeze(cStrides(target)), this.offset);
  }

  /** A read-only view repeated along new or size-1 dimensions to `shape` (stride 0), NumPy's `broadcast_to`. */
  broadcastTo(shape: readonly number[]): NDArray<D> {
    this.checkLive();
    const target = checkShape(shape);
    const strides = broadcastStrides(this.shape, this.strides, target);
    return this.#view(target, Object.freeze(strides), this.offset, false);
  }

  /** Removes size-1 dimensions (all, or the given axis, which must have size 1). A view. */
  squeeze(axis?: number): NDArray<D> {
    this.checkLive();
    let keep: number[];
    if (axis === undefined) keep = [...this.shape.keys()].filter((i) => this.shape[i] !== 1);
    else {
      const k = normalizeAxis(axis, this.ndim);
      if (this.shape[k] !== 1) {
        throw new ShapeError(
          `cannot squeeze axis ${axis} of shape ${fmtShape(this.shape)}: its size is ${this.shape[k]}, not 1`,
        );
      }
      keep = [...this.shape.keys()].filter((i) => i !== k);
    }
    return this.#view(
      Object.freeze(keep.map((i) => this.shape[i]!)),
      Object.freeze(keep.map((i) => this.strides[i]!)),
      this.offset,
    );
  }

  /** Inserts a size-1 dimension at `axis` (which may be `ndim`, or negative). A view. */
  expandDims(axis: number): NDArray<D> {
    this.checkLive();
    const k = normalizeAxis(axis, this.ndim + 1);
    const shape = [...this.shape];
    const strides = [...this.strides];
    shape.splice(k, 0, 1);
    strides.splice(k, 0, 0);
    return this.#view(Object.freeze(shape), Object.freeze(strides), this.offset);
  }

  /**
   * A C-contiguous copy in fresh memory that owns itself (no {@link base}), so the original buffer
   * can be collected. NumPy's `a.copy()`.
   */
  compact(options: AllocOptions = {}): NDArray<D> {
    this.checkLive();
    const out = allocate(this.dtype, this.shape, options);
    copyInto(this, out);
    return out;
  }

  /**
   * A copy converted to `dtype`. Casting defaults to `"unsafe"` (NumPy's `astype`); pass
   * `"safe"`/`"same_kind"` to refuse lossy conversions with a `TypeError`.
   */
  astype<T extends DType>(
    dtype: T,
    casting: Casting = "unsafe",
    options: AllocOptions = {},
  ): NDArray<T> {
    this.checkLive();
    checkDType(dtype);
    if (!canCast(this.dtype, dtype, casting)) {
      throw new TypeError(`cannot cast ${this.dtype} to ${dtype} with casting "${casting}"`);
    }
    const out = allocate(dtype, this.shape, options);
    copyInto(this, out as unknown as NDArray);
    return out;
  }

  /** Nested JS arrays of the elements (a scalar for a 0-d array). */
  toArray(): unknown {
    this.checkLive();
    const rec = (axis: number, p: number): unknown => {
      if (axis === this.ndim) return this.data[p];
      const out: unknown[] = [];
      for (let i = 0; i < this.shape[axis]!; i++)
        out.push(rec(axis + 1, p + i * this.strides[axis]!));
      return out;
    };
    return rec(0, this.offset);
  }

  /** The elements in C order as a new typed array (a copy). */
  toTypedArray(): TypedArrayOf<D> {
    return this.compact().data;
  }

  /** Gives owned memory back to its allocator (once); no-op for views and non-owning arrays. */
  [Symbol.dispose](): void {
    if (this.#owner !== null) return;
    const root = this.#root;
    if (root.disposed) return;
    root.disposed = true;
    if (root.allocator && root.memory) root.allocator.release(root.memory);
  }

  /** `NDArray<float64>[2,3]`, for debugging. */
  toString(): string {
    return `NDArray<${this.dtype}>${fmtShape(this.shape)}`;
  }
}

/** Allocates a zero-filled C-contiguous owning array. @internal */
export function allocate<T extends DType>(
  dtype: T,
  shape: readonly number[],
  options: AllocOptions = {},
): NDArray<T> {
  const dt = checkDType(dtype);
  const sh = checkShape(shape);
  const size = sizeOf(sh);
  const Ctor = typedArrayConstructor(dt);
  const bytes = size * new Ctor(0).BYTES_PER_ELEMENT;
  if (options.shared) {
    if (typeof SharedArrayBuffer === "undefined") {
      throw new TypeError(
        "shared: true needs SharedArrayBuffer, which this runtime does not offer (cross-origin isolation?)",
      );
    }
    return new NDArray(new Ctor(new SharedArrayBuffer(bytes)) as TypedArrayOf<T>, { shape: sh });
  }
  const allocator =
    options.allocator === undefined ? defaultAllocator : checkAllocator(options.allocator);
  const memory = allocateChecked(allocator, bytes);
  const data = viewMemory(Ctor, memory, Ctor.prototype.BYTES_PER_ELEMENT) as TypedArrayOf<T>;
  return new NDArray(data, { shape: sh, allocator, memory });
}
