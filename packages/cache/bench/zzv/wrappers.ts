import { systemClock } from "../../src/clock.ts";
import { LruCore } from "../../src/internal/core.ts";
import { nativeWeakProvider } from "../../src/weak-provider.ts";
const cfg = (max: number) => ({ max, maxBytes: Infinity, ttl: 0, sizeOf: undefined, weak: false, onRemove: undefined, clock: systemClock, provider: nativeWeakProvider, budget: undefined });
export class Direct<K, V> extends LruCore<K, V> {
  constructor(max: number) { super(cfg(max)); }
}
