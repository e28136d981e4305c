/**
 * A binary min-heap of slot numbers ordered by expiry time, with each slot's position tracked so
 * that update and removal are O(log n). Used by WeakCache when `ttl` is set; its arrays grow with
 * the cache's slot arrays.
 */
export class ExpiryHeap {
  /** Expiry time of each slot (ms on the cache's clock); meaningful while the slot is in the heap. */
  time: Float64Array;
  /** Heap order: heap[0] is the slot that expires first. */
  #heap: Int32Array;
  /** Position of each slot in #heap, -1 when absent. */
  #pos: Int32Array;
  #length = 0;

  constructor(capacity: number) {
    this.time = new Float64Array(capacity);
    this.#heap = new Int32Array(capacity);
    this.#pos = new Int32Array(capacity).fill(-1);
  }

  get length(): number {
    return this.#length;
  }

  /** Grows the per-slot arrays to `capacity` slots. */
  grow(capacity: number): void {
    const time = new Float64Array(capacity);
    time.set(this.time);
    this.time = time;
    const heap = new Int32Array(capacity);
    heap.set(this.#heap);
    this.#heap = heap;
    const pos = new Int32Array(capacity).fill(-1);
    pos.set(this.#pos);
    this.#pos = pos;
  }

  /** The slot that expires first, or -1. */
  peek(): number {
    return this.#length === 0 ? -1 : this.#heap[0]!;
  }

  /** Expiry of the slot that expires first, or Infinity. */
  peekTime(): number {
    return this.#length === 0 ? Number.POSITIVE_INFINITY : this.time[this.#heap[0]!]!;
  }

  /** Inserts `slot` or moves it to its new place, expiring at `at`. */
  set(slot: number, at: number): void {
    const old = this.#pos[slot]!;
    this.time[slot] = at;
    if (old < 0) {
      const i = this.#length++;
      this.#heap[i] = slot;
      this.#pos[slot] = i;
      this.#up(i);
    } else {
      this.#up(old);
      this.#down(this.#pos[slot]!);
    }
  }

  /** Removes `slot` if present. */
  delete(slot: number): void {
    const i = this.#pos[slot]!;
    if (i < 0) return;
    this.#pos[slot] = -1;
    const last = --this.#length;
    if (i === last) return;
    const moved = this.#heap[last]!;
    this.#heap[i] = moved;
    this.#pos[moved] = i;
    this.#up(i);
    this.#down(this.#pos[moved]!);
  }

  /** Empties the heap. */
  clear(): void {
    for (let i = 0; i < this.#length; i++) this.#pos[this.#heap[i]!] = -1;
    this.#length = 0;
  }

  #up(i: number): void {
    const heap = this.#heap;
    const pos = this.#pos;
    const time = this.time;
    const slot = heap[i]!;
    const t = time[slot]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (time[p]! <= t) break;
      heap[i] = p;
      pos[p] = i;
      i = parent;
    }
    heap[i] = slot;
    pos[slot] = i;
  }

  #down(i: number): void {
    const heap = this.#heap;
    const pos = this.#pos;
    const time = this.time;
    const n = this.#length;
    const slot = heap[i]!;
    const t = time[slot]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && time[heap[right]!]! < time[heap[child]!]!) child = right;
      const c = heap[child]!;
      if (time[c]! >= t) break;
      heap[i] = c;
      pos[c] = i;
      i = child;
    }
    heap[i] = slot;
    pos[slot] = i;
  }
}
