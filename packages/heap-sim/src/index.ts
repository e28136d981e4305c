export type { AllocatorOptions, SimulatedAllocator } from "./allocator.ts";
export { PyClass } from "./class.ts";
export {
  ForeignObjectError,
  PythonError,
  type PythonExceptionType,
  RefcountError,
  UseAfterFreeError,
} from "./errors.ts";
export type { HeapEvent, HeapListener } from "./events.ts";
export { Frame } from "./frame.ts";
export { type GcCallback, GcModule, type GenerationStats } from "./gc-module.ts";
export {
  type ClassOptions,
  type DisplayOptions,
  Heap,
  type HeapOptions,
  type MemorySummary,
  type PythonVersion,
} from "./heap.ts";
export type {
  Allocator,
  FinalizationRegistryLike,
  WeakProvider,
  WeakRefLike,
} from "./interfaces.ts";
export type { Value } from "./internal/bridge.ts";
export { PyObject, type ScalarValue } from "./object.ts";
export {
  type ArenaAlignment,
  type ArenaSnapshot,
  type MallocStats,
  type PoolSnapshot,
  type PymallocSnapshot,
  PymallocView,
  type SizeClassStats,
} from "./pymalloc-view.ts";
export { Tracemalloc } from "./tracemalloc.ts";
export type {
  SimulatedWeakProvider,
  WeakProviderOptions,
} from "./weak-provider.ts";
export {
  Finalize,
  PyWeakSet,
  WeakKeyDictionary,
  type WeakrefCallback,
  WeakrefModule,
  WeakValueDictionary,
} from "./weakref-module.ts";
