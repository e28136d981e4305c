export { type Clock, systemClock } from "./clock.ts";
export { Finalizer, type FinalizerInfo, type FinalizerOptions, finalize } from "./finalize.ts";
export { MemoryBudget, type MemoryBudgetOptions } from "./memory-budget.ts";
export {
  type GetOrLoadOptions,
  type RemovalReason,
  WeakCache,
  type WeakCacheOptions,
  type WeakCacheStats,
} from "./weak-cache.ts";
export {
  type FinalizationRegistryLike,
  nativeWeakProvider,
  type WeakProvider,
  type WeakRefLike,
} from "./weak-provider.ts";
export { WeakValueMap, type WeakValueMapOptions } from "./weak-value-map.ts";
