import { systemClock } from "../../src/clock.ts";
import { LruCore } from "../../src/internal/core.ts";
import { nativeWeakProvider } from "../../src/weak-provider.ts";

const cfg = (max: number) => ({
  max,
  maxBytes: Infinity,
  ttl: 0,
  sizeOf: undefined,
  weak: false,
  onRemove: undefined,
  clock: systemClock,
  provider: nativeWeakProvider,
  budget: undefined,
});
const CORE = Symbol("core");
export class SymWrap<K, V> {
  readonly [CORE]: LruCore<K, V>;
  constructor(max: number) {
    this[CORE] = new LruCore<K, V>(cfg(max));
  }
  get(key: K): V | undefined {
    return this[CORE].get(key);
  }
  set(key: K, value: V): this {
    const core = this[CORE];
    if (value === undefined || core.guard) throw new Error("x");
    core.set(key, value);
    return this;
  }
}
export class Direct<K, V> extends LruCore<K, V> {
  constructor(max: number) {
    super(cfg(max));
  }
}
