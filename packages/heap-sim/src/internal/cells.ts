/**
 * A slab of int32 cells for the variable-size parts of simulated objects (list and tuple items,
 * instance slots and attribute values, function closures). Segments are powers of two; freed
 * segments go on a free list per size, so no JS object exists per simulated container.
 */
export class Cells {
  data: Int32Array;
  private top = 1; // offset 0 means "no segment"
  private readonly free: number[][] = [];

  constructor(initial = 1 << 16) {
    this.data = new Int32Array(initial);
  }

  /** Capacity class of a segment able to hold `n` cells. */
  static classOf(n: number): number {
    return n <= 1 ? 0 : 32 - Math.clz32(n - 1);
  }

  /** A segment of at least `n` cells (contents undefined). Returns its offset (> 0). */
  alloc(n: number): number {
    const k = Cells.classOf(n);
    const list = this.free[k];
    if (list !== undefined && list.length > 0) return list.pop()!;
    const size = 1 << k;
    if (this.top + size > this.data.length) this.grow(this.top + size);
    const off = this.top;
    this.top += size;
    return off;
  }

  /** Returns a segment obtained from `alloc(n)` (same `n` class). */
  release(off: number, n: number): void {
    if (off === 0) return;
    const k = Cells.classOf(n);
    let list = this.free[k];
    if (list === undefined) {
      list = [];
      this.free[k] = list;
    }
    list.push(off);
  }

  /**
   * Moves a segment of class `oldN` to one of class `newN`, keeping the first `keep` cells.
   * Returns the (possibly unchanged) offset.
   */
  resize(off: number, oldN: number, newN: number, keep: number): number {
    if (off !== 0 && Cells.classOf(oldN) === Cells.classOf(newN)) return off;
    if (newN === 0) {
      this.release(off, oldN);
      return 0;
    }
    const fresh = this.alloc(newN);
    if (off !== 0) {
      if (keep > 0) this.data.copyWithin(fresh, off, off + keep);
      this.release(off, oldN);
    }
    return fresh;
  }

  private grow(min: number): void {
    let n = this.data.length;
    while (n < min) n = n < 1 << 22 ? n * 2 : Math.ceil(n * 1.5);
    const next = new Int32Array(n);
    next.set(this.data.subarray(0, this.top));
    this.data = next;
  }

  /** Cells handed out (for memory checks). */
  get used(): number {
    return this.top;
  }
}
