/**
 * The "naive" weak-value map of the issue: a Map of WeakRef plus a FinalizationRegistry that deletes
 * a key when its value is collected, written the obvious way. It is correct (the cleanup deletes a
 * key only if the current reference is dead, so a late cleanup never removes a key set again), just
 * not batched: every set makes a WeakRef and a registration, every get calls deref().
 *
 * The bench keeps every naive map reachable (`retained`): a map whose registry is collected while
 * cleanups are pending would trigger the V8 bug the README describes, after which no
 * FinalizationRegistry in the process gets cleanups, and the later samples of every contestant would
 * run without cleanup work. A retained map still empties as its values die (its cleanups run).
 */
const retained = new Set<object>();

export class NaiveWeakMap<K, V extends object> {
  readonly #map = new Map<K, WeakRef<V>>();
  readonly #registry = new FinalizationRegistry<K>((key) => {
    const ref = this.#map.get(key);
    if (ref !== undefined && ref.deref() === undefined) this.#map.delete(key);
  });

  constructor() {
    retained.add(this);
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key)?.deref();
  }

  set(key: K, value: V): this {
    this.#map.set(key, new WeakRef(value));
    this.#registry.register(value, key);
    return this;
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }
}
