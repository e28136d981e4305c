/** An object in an {@link EntryHeap}: its expiry and its position (-1 when not in a heap). */
export interface HeapItem {
  expires: number;
  index: number;
}

/**
 * A binary min-heap of objects by `expires`, each object knowing its position, so removal is
 * O(log n). WeakCache keeps its weak-tier entries here when `ttl` is set, so they expire on time.
 */
export class EntryHeap<T extends HeapItem> {
  readonly #items: T[] = [];

  get length(): number {
    return this.#items.length;
  }

  /** The item that expires first, or undefined. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Expiry of the item that expires first, or Infinity. */
  peekTime(): number {
    const top = this.#items[0];
    return top === undefined ? Number.POSITIVE_INFINITY : top.expires;
  }

  push(item: T): void {
    item.index = this.#items.length;
    this.#items.push(item);
    this.#up(item.index);
  }

  /** Removes `item` if it is in the heap. */
  delete(item: T): void {
    const i = item.index;
    if (i < 0) return;
    item.index = -1;
    const items = this.#items;
    const last = items.pop()!;
    if (last === item) return;
    items[i] = last;
    last.index = i;
    this.#up(i);
    this.#down(last.index);
  }

  clear(): void {
    for (const item of this.#items) item.index = -1;
    this.#items.length = 0;
  }

  #up(i: number): void {
    const items = this.#items;
    const item = items[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (p.expires <= item.expires) break;
      items[i] = p;
      p.index = i;
      i = parent;
    }
    items[i] = item;
    item.index = i;
  }

  #down(i: number): void {
    const items = this.#items;
    const n = items.length;
    const item = items[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && items[right]!.expires < items[child]!.expires) child = right;
      const c = items[child]!;
      if (c.expires >= item.expires) break;
      items[i] = c;
      c.index = i;
      i = child;
    }
    items[i] = item;
    item.index = i;
  }
}
