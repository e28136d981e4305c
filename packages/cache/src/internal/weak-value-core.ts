/**
 * The engine of WeakValueMap. Plain fields (not `#private`: slower in V8 11 on hot paths);
 * WeakValueMap keeps it behind one private field.
 *
 * The map holds, per key, either the value's weak reference or — for a value set in the current job
 * with the native provider — a {@link Pending} holder whose `deref()` returns the value. At the
 * job's microtask checkpoint each holder still current becomes a `WeakRef` and a registration.
 * Registrations hold the key; the cleanup removes the key only if its current reference is dead
 * (Python's `_remove_dead_weakref`), so a late cleanup never removes a key set again.
 */
import {
  type FinalizationRegistryLike,
  nativeWeakProvider,
  type WeakProvider,
  type WeakRefLike,
} from "../weak-provider.ts";
import { GuardedRegistry } from "./guarded-registry.ts";

/** A value set in the current job, held strongly until the job's microtask checkpoint. */
export class Pending<K, V extends object> implements WeakRefLike<V> {
  key: K;
  value: V | undefined;
  constructor(key: K, value: V) {
    this.key = key;
    this.value = value;
  }
  deref(): V | undefined {
    return this.value;
  }
}

/** A registration's held value: the key, boxed when the key is the value itself. */
class Boxed<K> {
  constructor(readonly key: K) {}
}

export class WeakValueCore<K, V extends object> {
  readonly map = new Map<K, WeakRefLike<V>>();
  readonly provider: WeakProvider;
  readonly registry: FinalizationRegistryLike<unknown>;
  /** Native provider: make weak references at the end of the job (see WeakValueMap). */
  readonly deferred: boolean;
  readonly pending: Pending<K, V>[] = [];
  scheduled = false;

  constructor(provider: WeakProvider) {
    this.provider = provider;
    this.deferred = provider === nativeWeakProvider;
    if (this.deferred) {
      // Held weakly by its cleanup, kept alive by the guard until its last registration is done.
      const owner = new WeakRef(this);
      this.registry = new GuardedRegistry<unknown>((held) => owner.deref()?.collected(held));
    } else {
      this.registry = provider.finalizationRegistry<unknown>((held) => this.collected(held));
    }
  }

  /** Registry cleanup: the held value is the key (boxed when the key is the value itself). */
  collected(held: unknown): void {
    this.finalized(held instanceof Boxed ? (held.key as K) : (held as K));
  }

  get(key: K): V | undefined {
    const ref = this.map.get(key);
    if (ref === undefined) return undefined;
    const value = ref.deref();
    // Collected, its cleanup not run yet: drop the entry now (the cleanup then finds nothing).
    if (value === undefined) this.map.delete(key);
    return value;
  }

  set(key: K, value: V): void {
    if (this.deferred) {
      const holder = new Pending(key, value);
      this.map.set(key, holder);
      this.pending.push(holder);
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(this.endOfJob);
      }
    } else {
      const ref = this.provider.weakRef(value);
      this.registry.register(value, (key as unknown) === value ? new Boxed(key) : key);
      this.map.set(key, ref);
    }
  }

  delete(key: K): boolean {
    const ref = this.map.get(key);
    if (ref === undefined) return false;
    const alive = ref.deref() !== undefined;
    this.map.delete(key);
    if (ref instanceof Pending) ref.value = undefined;
    return alive;
  }

  clear(): void {
    for (const ref of this.map.values()) if (ref instanceof Pending) ref.value = undefined;
    this.map.clear();
  }

  /** Runs in the job's microtask checkpoint, where the engine releases its kept objects too. */
  readonly endOfJob = (): void => {
    this.scheduled = false;
    const { pending, map, registry } = this;
    for (let i = 0; i < pending.length; i++) {
      const holder = pending[i]!;
      const value = holder.value;
      if (value === undefined) continue;
      holder.value = undefined;
      const key = holder.key;
      if (map.get(key) !== holder) continue; // set again or deleted within the job
      map.set(key, new WeakRef(value));
      registry.register(value, (key as unknown) === value ? new Boxed(key) : key);
    }
    pending.length = 0;
  };

  /** Registry cleanup for `key`: remove it only if its current reference is dead. */
  finalized(key: K): void {
    const ref = this.map.get(key);
    if (ref !== undefined && ref.deref() === undefined) this.map.delete(key);
  }
}
