/**
 * A slab of int32 cells for the variable-size parts of simulated objects (list and tuple items and
 * function closures in one slab, instance slots and attribute values in another), so that no JS
 * object exists per simulated container. Segment sizes are exact up to 8 cells, then four sizes per power of two
 * (at most 25 % slack). Freed segments go on a free list per size; a segment at the top of the
 * slab grows and shrinks in place, and freed segments that reach the top are given back, so a
 * growing list does not leave a trail of dead segments behind.
 */
export class Cells {
  data: Int32Array;
  /** Cells in live segments. */
  live = 0;
  private top = 1; // offset 0 means "no segment"
  private readonly free = new Map<number, number[]>();
  /** End offset → size, for free segments (to merge them back into the top). */
  private readonly freeEnds = new Map<number, number>();
  /** Free segments ("off,size") merged into the top while still listed by size (skipped). */
  private readonly merged = new Set<string>();

  /** Dead cells tolerated before `fragmented()` says so (a floor, in cells). */
  private readonly floor: number;

  constructor(initial = 1 << 16, floor = 65536) {
    this.data = new Int32Array(initial);
    this.floor = floor;
  }

  /** Size of the segment that holds `n` cells. */
  static classOf(n: number): number {
    if (n <= 8) return Math.max(n, 1);
    const step = 2 ** (30 - Math.clz32(n - 1)) / 4;
    return Math.ceil(n / step) * step;
  }

  /** A segment of at least `n` cells (contents undefined). Returns its offset (> 0). */
  alloc(n: number): number {
    const size = Cells.classOf(n);
    this.live += size;
    const list = this.free.get(size);
    while (list !== undefined && list.length > 0) {
      const off = list.pop()!;
      if (this.merged.size > 0 && this.merged.delete(`${off},${size}`)) continue;
      this.freeEnds.delete(off + size);
      return off;
    }
    return this.bump(size);
  }

  private bump(size: number): number {
    if (this.top + size > this.data.length) this.grow(this.top + size);
    const off = this.top;
    this.top += size;
    return off;
  }

  /** Returns a segment obtained from `alloc(n)` (same `n` class). */
  release(off: number, n: number): void {
    if (off === 0) return;
    const size = Cells.classOf(n);
    this.live -= size;
    if (off + size === this.top) {
      this.top = off;
      this.mergeTop();
      return;
    }
    let list = this.free.get(size);
    if (list === undefined) {
      list = [];
      this.free.set(size, list);
    }
    list.push(off);
    this.freeEnds.set(off + size, size);
  }

  /** Gives free segments that now end at the top back to the top. */
  private mergeTop(): void {
    for (;;) {
      const size = this.freeEnds.get(this.top);
      if (size === undefined) return;
      this.freeEnds.delete(this.top);
      this.top -= size;
      this.merged.add(`${this.top},${size}`);
    }
  }

  /**
   * Moves a segment of class `oldN` to one of class `newN`, keeping the first `keep` cells.
   * Returns the (possibly unchanged) offset.
   */
  resize(off: number, oldN: number, newN: number, keep: number): number {
    // First: a 1-cell segment and an empty one share class 1, but an empty one has no segment.
    if (newN === 0) {
      this.release(off, oldN);
      return 0;
    }
    if (off !== 0 && Cells.classOf(oldN) === Cells.classOf(newN)) return off;
    if (off !== 0 && off + Cells.classOf(oldN) === this.top) {
      // The segment is the last one: grow or shrink it where it is.
      const size = Cells.classOf(newN);
      if (off + size > this.data.length) this.grow(off + size);
      this.live += size - Cells.classOf(oldN);
      this.top = off + size;
      return off;
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
    while (n < min) n = n < 1 << 20 ? n * 2 : Math.ceil(n * 1.125); // ≤ 12.5 % slack when large
    const next = new Int32Array(n);
    next.set(this.data.subarray(0, this.top));
    this.data = next;
  }

  /** Cells handed out or held on free lists (for memory checks). */
  get used(): number {
    return this.top;
  }

  /** Whether dead segments take more room than live ones (worth a compaction). */
  fragmented(): boolean {
    return this.top > 1.25 * this.live + this.floor;
  }

  /**
   * Slides the live segments (given as offsets and sizes in cells, any order) down to the bottom
   * of the slab and returns the new offset of each (same order). Free lists are emptied.
   */
  compact(segments: readonly (readonly [number, number])[]): number[] {
    const order = segments.map((_, i) => i).sort((a, b) => segments[a]![0] - segments[b]![0]);
    const out = new Array<number>(segments.length);
    let next = 1;
    for (const i of order) {
      const [off, n] = segments[i]!;
      const size = Cells.classOf(n);
      if (off !== next) this.data.copyWithin(next, off, off + size);
      out[i] = next;
      next += size;
    }
    this.top = next;
    this.live = next - 1;
    this.free.clear();
    this.freeEnds.clear();
    this.merged.clear();
    if (this.data.length > 65536 && this.data.length > 1.5 * next) {
      const shrunk = new Int32Array(Math.max(65536, Math.ceil(next * 1.25)));
      shrunk.set(this.data.subarray(0, next));
      this.data = shrunk;
    }
    return out;
  }
}
