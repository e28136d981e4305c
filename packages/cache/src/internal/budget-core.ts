/**
 * The shared state behind a MemoryBudget. Member caches reach it through {@link budgetCore}; it is
 * not part of the public API.
 */

/** What a budget needs from a member cache. */
export interface BudgetMember {
  /** Global-recency stamp of the member's least recently used strong entry; Infinity if none. */
  oldestStamp(): number;
  /** Evicts the member's least recently used strong entry (reason "evict"), without notifying. */
  evictOldest(): void;
  /** Delivers the member's queued onRemove notifications (may throw). */
  flush(): void;
}

/** One member's account: its bytes and a weak reference to it. */
export interface MemberLink {
  readonly ref: WeakRef<BudgetMember>;
  bytes: number;
}

import { GuardedRegistry } from "./guarded-registry.ts";

export class BudgetCore {
  /** Global recency clock: every touch of an entry in any member cache takes the next stamp. */
  tick = 0;
  bytes = 0;
  readonly maxBytes: number;
  readonly members = new Set<MemberLink>();
  /**
   * Members are held weakly, so a cache that is dropped without being disposed does not stay alive
   * through its budget; when it is collected its bytes are returned. Membership is about the JS
   * reachability of the cache object, so this always uses the real WeakRef/FinalizationRegistry.
   */
  readonly #registry: GuardedRegistry<MemberLink>;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
    const owner = new WeakRef(this);
    this.#registry = new GuardedRegistry<MemberLink>((link) => owner.deref()?.leave(link));
  }

  join(member: BudgetMember): MemberLink {
    const link: MemberLink = { ref: new WeakRef(member), bytes: 0 };
    this.members.add(link);
    this.#registry.register(member, link, link);
    return link;
  }

  leave(link: MemberLink): void {
    if (!this.members.delete(link)) return;
    this.bytes -= link.bytes;
    link.bytes = 0;
    this.#registry.unregister(link);
  }

  /**
   * Evicts least recently used entries across members until `bytes <= target`, then lets every
   * member that evicted deliver its notifications (errors rethrown at the end).
   */
  shrinkTo(target: number): void {
    const touched = new Set<BudgetMember>();
    while (this.bytes > target) {
      let oldest: BudgetMember | undefined;
      let stamp = Number.POSITIVE_INFINITY;
      for (const link of this.members) {
        const member = link.ref.deref();
        if (member === undefined) continue;
        const s = member.oldestStamp();
        if (s < stamp) {
          stamp = s;
          oldest = member;
        }
      }
      if (oldest === undefined) break;
      oldest.evictOldest();
      touched.add(oldest);
    }
    let errors: unknown[] | undefined;
    for (const member of touched) {
      try {
        member.flush();
      } catch (error) {
        if (errors === undefined) errors = [];
        errors.push(error);
      }
    }
    if (errors !== undefined) {
      throw errors.length === 1
        ? errors[0]
        : new AggregateError(errors, `${errors.length} onRemove callbacks threw`);
    }
  }
}

const cores = new WeakMap<object, BudgetCore>();

/** Attaches the core to its public MemoryBudget object. */
export function attachCore(budget: object, core: BudgetCore): void {
  cores.set(budget, core);
}

/** The core of a MemoryBudget, or undefined if `budget` is not one. */
export function budgetCore(budget: unknown): BudgetCore | undefined {
  return typeof budget === "object" && budget !== null ? cores.get(budget) : undefined;
}
