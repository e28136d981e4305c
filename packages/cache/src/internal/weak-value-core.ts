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
 * Stale registrations (a key set to another value, or deleted, while the old value lives on) are
 * watched by a StaleTracker (stale.ts): past its limit the map registers with unregister tokens
 * (each entry's own weak reference) and cancels them.
 */
import {
  type FinalizationRegistryLike,
  nativeWeakProvider,
  type WeakProvider,
  type WeakRefLike,
} from "../weak-provider.ts";
import { GuardedRegistry } from "./guarded-registry.ts";
import { StaleTracker } from "./stale.ts";

/** A registration's held value: the key, boxed when the key is the value itself. */
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
  /** Watches registrations left behind by entries that left the map (see stale.ts). */
  readonly stale: StaleTracker;

  constructor(provider: WeakProvider) {
    this.provider = provider;
    this.deferred = provider === nativeWeakProvider;
    this.stale = new StaleTracker(this.deferred);
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

  /** `key` is being set to `value` (and `stale.due()`): its registered entry leaves the map. */
  replacing(key: K, value: V): void {
    const old = this.map.get(key);
    // Not deref()'d to compare with `value`: in V8 that is a runtime call, and it keeps the old
    // value alive to the end of the job. The same value set again gets a new registration; the
    // tracker bounds how many such a map can hold.
    if (old !== undefined && old !== value && this.isRegistered(old)) this.letGo(old);
  }

  /** Registered `entry` left the map: its registration is cancelled or watched (stale.ts). */
  letGo(entry: WeakRefLike<V>): void {
    this.stale.letGo(this.registry, entry, entry);
  }

  /** Registers `value` under `key` (its weak reference `ref` is the token in token mode). */
  register(key: K, value: V, ref: WeakRefLike<V>): void {
    const held = (key as unknown) === value ? new Boxed(key) : key;
    this.registry.register(value, held, this.stale.tokens ? ref : undefined);
  }

  set(key: K, value: V): void {
    // The entry replaced: cancelled in token mode, else one in SAMPLE is watched (stale.ts). A
    // lookup per set cost 4 % of a request-sized workload, hence the sampling.
    if (this.stale.due()) this.replacing(key, value);
    if (this.deferred && !(value instanceof WeakRef)) {
      this.map.set(key, value);
      this.pending.push(key);
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(this.endOfJob);
      }
    } else {
      const ref = this.provider.weakRef(value);
      this.register(key, value, ref);
      this.map.set(key, ref);
    }
  }

  delete(key: K): boolean {
    const entry = this.map.get(key);
    if (entry === undefined) return false;
    const alive = this.valueOf(entry) !== undefined;
    this.map.delete(key);
    if (alive && this.isRegistered(entry) && this.stale.due()) this.letGo(entry);
    return alive;
  }

  clear(): void {
    for (const entry of this.map.values()) {
      if (this.isRegistered(entry) && this.stale.due()) this.letGo(entry);
    }
    this.map.clear();
  }

  /** Runs in the job's microtask checkpoint, where the engine releases its kept objects too. */
  readonly endOfJob = (): void => {
    this.scheduled = false;
    const { pending, map } = this;
    for (let i = 0; i < pending.length; i++) {
      const key = pending[i]!;
      const value = map.get(key);
      // Deleted, or already made weak (the key was set more than once in the job).
      if (value === undefined || value instanceof WeakRef) continue;
      const ref = new WeakRef(value as V);
      map.set(key, ref);
      this.register(key, value as V, ref);
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
