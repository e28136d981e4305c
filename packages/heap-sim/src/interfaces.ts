/**
 * The structural interfaces other heapwise packages declare (see DESIGN.md), declared here again so
 * that this package imports none of them: `WeakProvider` (from @heapwise/cache) and `Allocator`
 * (from @heapwise/buffer). TypeScript matches them structurally: the shapes are identical, except
 * that @heapwise/buffer's `allocate` may also return a `Uint8Array` range of a larger buffer (an
 * arena); this package always hands out whole `ArrayBuffer`s, which that contract accepts.
 */

/** `WeakRef`'s shape: `deref()` returns the target while it is alive. */
export interface WeakRefLike<T extends object> {
  deref(): T | undefined;
}

/** `FinalizationRegistry`'s shape. */
export interface FinalizationRegistryLike<H> {
  register(target: object, heldValue: H, unregisterToken?: object): void;
  unregister(unregisterToken: object): boolean;
}

/** Makes weak references and finalization registries (the real ones, or simulated ones). */
export interface WeakProvider {
  weakRef<T extends object>(target: T): WeakRefLike<T>;
  finalizationRegistry<H>(cleanup: (heldValue: H) => void): FinalizationRegistryLike<H>;
}

/** Hands out zero-filled `ArrayBuffer`s and takes them back. */
export interface Allocator {
  /** Returns a new zero-filled ArrayBuffer of exactly byteLength bytes. */
  allocate(byteLength: number): ArrayBuffer;
  /** Called once when the buffer is no longer used by the library (e.g. a pool shrinks, an array is disposed). */
  release(buffer: ArrayBuffer): void;
}
