/**
 * Stale finalization registrations: a map's registration outlives its entry when the key is set to
 * another value or deleted while the old value lives on (it ends when that value is collected).
 * Python drops the entry's `KeyedRef` and its callback with it; a JS registration can only be
 * cancelled if it was made with an unregister token, which costs V8 about 250 ns more per
 * `register` and 130 ns per `unregister` (measured on Node 20). So a map registers without tokens
 * and watches the weak references of the entries it let go ("suspects"): those whose values are
 * still alive after a full garbage collection are stale registrations for real. Once
 * {@link STALE_LIMIT} of them are found, the map registers with tokens from then on and cancels
 * on overwrite, delete and clear.
 *
 * Why after a full collection: V8 clears weak references and runs finalization only in full
 * (mark-compact) collections, so a value dropped a moment ago still looks alive until then. A
 * sentinel object held only by a `WeakRef` tells when one has happened. With a custom weak
 * provider (tests, heap-sim) the provider is the truth at once and no sentinel is needed.
 *
 * With the engine's weak references only one let-go reference in 16 is looked up and watched, and
 * 256 of those found alive (an estimated 4,096) switch the map to tokens. Looking up the replaced
 * entry on every `set` made WeakValueMap's request-sized benchmark 7-15 % slower on Node 20
 * (a Map lookup, and `#private` fields here at first); sampled, it runs level with no watch at
 * all (A/B in one process, 10 interleaved rounds).
 */
import type { FinalizationRegistryLike, WeakRefLike } from "../weak-provider.ts";

/** Stale registrations (values alive after a full collection) a map tolerates before tokens. */
export const STALE_LIMIT = 4096;

/** One let-go reference in SAMPLE is watched: watching all of them costs V8 time and memory. */
const SAMPLE = 16;

/** Plain fields (not `#private`: slower in V8 11 on hot paths, measured here). */
export class StaleTracker {
  /** Register with unregister tokens and cancel on removal (set for good once too many stale). */
  tokens = false;
  /** Weak references of entries let go (without token mode), oldest first. */
  suspects: WeakRefLike<object>[] = [];
  /** Suspects before this index were let go before the sentinel was made. */
  judgeable = 0;
  sentinel: WeakRef<object> | undefined;
  reviewAt: number;
  /** Let-go references until the next one is watched. */
  skip = 0;
  readonly native: boolean;
  /** Watched references found alive that switch to tokens (STALE_LIMIT, sampled when native). */
  readonly limit: number;

  /** @param native whether weak references are the engine's (else a provider decides at once). */
  constructor(native: boolean) {
    this.native = native;
    this.limit = native ? STALE_LIMIT / SAMPLE : STALE_LIMIT;
    this.reviewAt = this.limit;
  }

  /**
   * Whether the next entry to leave the map is to be looked at: always in token mode (its
   * registration is cancelled) and with a custom provider, else one in SAMPLE.
   */
  due(): boolean {
    if (this.tokens || !this.native) return true;
    if (this.skip !== 0) {
      this.skip--;
      return false;
    }
    this.skip = SAMPLE - 1;
    return true;
  }

  /**
   * A registered entry left its map (the caller asked `due()` first): in token mode its
   * registration is cancelled (`token` is what it was registered with), else `ref` is watched.
   */
  letGo(
    registry: Pick<FinalizationRegistryLike<unknown>, "unregister">,
    token: object,
    ref: WeakRefLike<object>,
  ): void {
    if (this.tokens) registry.unregister(token);
    else this.watch(ref);
  }

  /** Watches `ref`, the weak reference of an entry let go. */
  watch(ref: WeakRefLike<object>): void {
    const suspects = this.suspects;
    suspects.push(ref);
    if (suspects.length >= this.reviewAt) this.review();
  }

  /** Suspects being watched (for tests). */
  get watching(): number {
    return this.suspects.length;
  }

  review(): void {
    const suspects = this.suspects;
    let judge = suspects.length;
    if (this.native) {
      if (this.sentinel === undefined || this.sentinel.deref() !== undefined) {
        // No full collection since the sentinel was made: nothing can be judged yet.
        if (this.sentinel === undefined) {
          this.sentinel = new WeakRef({});
          this.judgeable = suspects.length;
        }
        this.reviewAt = suspects.length + this.limit;
        return;
      }
      judge = this.judgeable;
    }
    const kept: WeakRefLike<object>[] = [];
    for (let i = 0; i < judge; i++) {
      if (suspects[i]!.deref() !== undefined) kept.push(suspects[i]!);
    }
    if (kept.length >= this.limit) {
      this.tokens = true;
      this.suspects = [];
      this.sentinel = undefined;
      return;
    }
    for (let i = judge; i < suspects.length; i++) kept.push(suspects[i]!);
    this.suspects = kept;
    this.sentinel = this.native ? new WeakRef({}) : undefined;
    this.judgeable = kept.length;
    this.reviewAt = kept.length + this.limit;
  }
}
