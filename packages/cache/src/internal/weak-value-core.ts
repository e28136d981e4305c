/**
 * The engine of WeakValueMap. Plain fields (not `#private`: slower in V8 11 on hot paths);
 * WeakValueMap keeps it behind one private field.
 *
 * With a custom provider the map holds, per key, the value's weak reference. With the native
 * provider it holds either a `WeakRef` (values set in an earlier job) or — for a value set in the
 * current job — the value itself, and the key goes on a list; at the job's microtask checkpoint
 * each such value still in the map becomes a `WeakRef` and a registration. A value that is itself
 * a `WeakRef` is registered at once (so that everything in the map that is a `WeakRef` is one of
 * ours). Registrations hold the key; the cleanup removes the key only if its current entry is a dead
 * reference (Python's `_remove_dead_weakref`), so a late cleanup never removes a key set again.
 *
 * Stale registrations: a registration outlives its entry when the key is set to another value or
 * deleted while the old value lives on (it ends when that value is collected). Python drops the
 * entry's `KeyedRef` and its callback with it; here a registration can only be cancelled if it was
 * made with an unregister token, which costs V8 about 250 ns more per registration (measured on
 * Node 20). So the map counts its registrations (made, minus cleaned up or cancelled) and registers
 * without tokens while that count stays within the map's size plus max(size, {@link STALE_LIMIT});
 * past it, for good, with tokens (the entry's own weak reference), cancelling each on overwrite,
 * delete and clear. Values that die soon after being replaced (the common case) are cleaned up and
 * never count; long-lived values set again and again under other keys switch the map to tokens.
 * Setting a key to the value it already holds is a no-op.
 */
import {
  type FinalizationRegistryLike,
  nativeWeakProvider,
  type WeakProvider,
  type WeakRefLike,
} from "../weak-provider.ts";
import { GuardedRegistry } from "./guarded-registry.ts";

/** A registration's held value: the key, boxed when the key is the value itself. */
/**
 * Stale registrations (beyond the map's size) a map tolerates before it registers with unregister
 * tokens: registrations pending may exceed the entries by max(entries, STALE_LIMIT).
 */
export const STALE_LIMIT = 4096;

/** Whether `registered` registrations for `entries` entries mean too many stale ones. */
export function tooManyStale(registered: number, entries: number): boolean {
  return registered - entries > Math.max(entries, STALE_LIMIT);
}

class Boxed<K> {
  constructor(readonly key: K) {}
}

export class WeakValueCore<K, V extends object> {
  /** Native provider: a `WeakRef`, or a value set in this job; custom provider: a `WeakRefLike`. */
  readonly map = new Map<K, WeakRefLike<V> | V>();
  readonly provider: WeakProvider;
  readonly registry: FinalizationRegistryLike<unknown>;
  /** Native provider: make weak references at the end of the job (see WeakValueMap). */
  readonly deferred: boolean;
  /** Keys set in the current job (native provider), possibly repeated. */
  readonly pending: K[] = [];
  scheduled = false;
  /** Registrations made and not yet cleaned up nor cancelled (see STALE_LIMIT). */
  registered = 0;
  /** Register with unregister tokens (each entry's weak reference) and cancel on removal. */
  tokens = false;

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
    this.registered--;
    this.finalized(held instanceof Boxed ? (held.key as K) : (held as K));
  }

  /** The value an entry of the map stands for (undefined once collected). */
  valueOf(entry: WeakRefLike<V> | V): V | undefined {
    if (this.deferred)
      return entry instanceof WeakRef ? (entry.deref() as V | undefined) : (entry as V);
    return (entry as WeakRefLike<V>).deref();
  }

  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    if (this.deferred && !(entry instanceof WeakRef)) return entry as V; // set in this job
    const value = (entry as WeakRefLike<V>).deref();
    // Collected, its cleanup not run yet: drop the entry now (the cleanup then finds nothing).
    if (value === undefined) this.map.delete(key);
    return value;
  }

  /** Whether `entry` is a weak reference with a registration (not a value set in this job). */
  isRegistered(entry: WeakRefLike<V> | V): entry is WeakRefLike<V> {
    return !this.deferred || entry instanceof WeakRef;
  }

  /** Registered `entry`, whose value may be alive, leaves the map: cancel or count its registration. */
  retire(entry: WeakRefLike<V>): void {
    if (this.tokens) {
      if (this.registry.unregister(entry)) this.registered--;
    } else if (tooManyStale(this.registered, this.map.size)) this.tokens = true;
  }

  set(key: K, value: V): void {
    const old = this.map.get(key);
    if (old !== undefined) {
      if (old === value) return; // set again in this job
      if (this.isRegistered(old)) {
        const current = old.deref();
        if (current === value) return; // the same value: keep its reference and registration
        if (current !== undefined) this.retire(old);
      }
    }
    if (this.deferred && !(value instanceof WeakRef)) {
      this.map.set(key, value);
      this.pending.push(key);
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(this.endOfJob);
      }
    } else {
      const ref = this.provider.weakRef(value);
      const held = (key as unknown) === value ? new Boxed(key) : key;
      this.registry.register(value, held, this.tokens ? ref : undefined);
      this.registered++;
      this.map.set(key, ref);
    }
  }

  delete(key: K): boolean {
    const entry = this.map.get(key);
    if (entry === undefined) return false;
    const alive = this.valueOf(entry) !== undefined;
    this.map.delete(key);
    if (alive && this.isRegistered(entry)) this.retire(entry);
    return alive;
  }

  clear(): void {
    for (const entry of this.map.values()) {
      if (this.isRegistered(entry) && entry.deref() !== undefined) this.retire(entry);
    }
    this.map.clear();
  }

  /** Runs in the job's microtask checkpoint, where the engine releases its kept objects too. */
  readonly endOfJob = (): void => {
    this.scheduled = false;
    const { pending, map, registry } = this;
    for (let i = 0; i < pending.length; i++) {
      const key = pending[i]!;
      const value = map.get(key);
      // Deleted, or already made weak (the key was set more than once in the job).
      if (value === undefined || value instanceof WeakRef) continue;
      const ref = new WeakRef(value as V);
      map.set(key, ref);
      const held = (key as unknown) === value ? new Boxed(key) : key;
      registry.register(value as V, held, this.tokens ? ref : undefined);
      this.registered++;
    }
    pending.length = 0;
  };

  /** Registry cleanup for `key`: remove it only if its current entry is a dead reference. */
  finalized(key: K): void {
    const entry = this.map.get(key);
    if (entry === undefined) return;
    if (this.deferred && !(entry instanceof WeakRef)) return; // set again in this job: alive
    if ((entry as WeakRefLike<V>).deref() === undefined) this.map.delete(key);
  }
}
