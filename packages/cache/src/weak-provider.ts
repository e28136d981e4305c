/**
 * The weak-reference seam of the package. Every weak structure here (WeakValueMap, the weak tier of
 * WeakCache, finalize, MemoryBudget) reaches the garbage collector only through a
 * {@link WeakProvider}, so tests (and `@heapwise/heap-sim`'s simulated CPython heap) can decide when
 * a value is "collected" and when its finalizers run.
 */

/**
 * The part of `WeakRef` this package uses.
 *
 * @example
 * ```ts
 * const ref: WeakRefLike<object> = new WeakRef({});
 * ref.deref(); // the object, or undefined once collected
 * ```
 */
export interface WeakRefLike<T extends object> {
  /** The target while it is alive, `undefined` once it has been collected. */
  deref(): T | undefined;
}

/**
 * The part of `FinalizationRegistry` this package uses.
 *
 * @example
 * ```ts
 * const registry: FinalizationRegistryLike<string> = new FinalizationRegistry((key) => {});
 * registry.register(target, "key", token);
 * registry.unregister(token);
 * ```
 */
export interface FinalizationRegistryLike<H> {
  /** Calls the registry's cleanup with `heldValue` some time after `target` is collected. */
  register(target: object, heldValue: H, unregisterToken?: object): void;
  /** Cancels the registrations made with `unregisterToken`; `true` if there were any. */
  unregister(unregisterToken: object): boolean;
}

/**
 * Creates weak references and finalization registries. {@link nativeWeakProvider} (real `WeakRef`
 * and `FinalizationRegistry`) is the default everywhere; `@heapwise/cache/testing` has a
 * deterministic one, and `@heapwise/heap-sim` one whose targets are simulated CPython objects.
 *
 * Contract: `weakRef(t).deref()` returns `t` until the provider considers `t` collected, then
 * `undefined` forever; after that, every cleanup registered for `t` (and not unregistered) runs once,
 * with its held value, possibly much later. The held value must not reference the target.
 *
 * @example
 * ```ts
 * import { WeakValueMap, nativeWeakProvider } from "@heapwise/cache";
 * const registry = new WeakValueMap<string, object>(null, { weakProvider: nativeWeakProvider });
 * ```
 */
export interface WeakProvider {
  /** A weak reference to `target`. */
  weakRef<T extends object>(target: T): WeakRefLike<T>;
  /** A registry that calls `cleanup(heldValue)` after a registered target is collected. */
  finalizationRegistry<H>(cleanup: (heldValue: H) => void): FinalizationRegistryLike<H>;
}

/**
 * Real `WeakRef` and `FinalizationRegistry`: the default provider.
 *
 * Caveats (ECMA-262): a target created or `deref()`'d in the current job stays alive until the job
 * ends (AddToKeptObjects / ClearKeptObjects), and cleanups run as separate tasks some time after a
 * collection, or never (e.g. at exit). See the README's "kept alive until the end of the job".
 *
 * @example
 * ```ts
 * const ref = nativeWeakProvider.weakRef(value);
 * const registry = nativeWeakProvider.finalizationRegistry<string>((key) => map.delete(key));
 * ```
 */
export const nativeWeakProvider: WeakProvider = Object.freeze({
  weakRef<T extends object>(target: T): WeakRefLike<T> {
    return new WeakRef(target);
  },
  finalizationRegistry<H>(cleanup: (heldValue: H) => void): FinalizationRegistryLike<H> {
    return new FinalizationRegistry<H>(cleanup);
  },
});
