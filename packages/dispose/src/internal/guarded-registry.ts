/**
 * A FinalizationRegistry that is never garbage-collected while it has registrations pending.
 *
 * Why: in V8 (seen on Node 20.20 and 24.21), when a registry whose targets were collected is itself
 * collected before its cleanup task runs, the task finds no dirty registry and returns without
 * clearing the "cleanup task posted" flag, so no FinalizationRegistry in the isolate ever gets a
 * cleanup callback again. A registry kept reachable until its last registration is cleaned up (or
 * unregistered) cannot trigger that. The cleanup callback given here must hold its owner weakly, so
 * the owner (a leak tracker) is still collectable while the registry waits for its last targets.
 */
import type { FinalizationRegistryLike } from "../leak-tracker.ts";

/** Registries with registrations pending: strongly held so that none is collected while dirty. */
const pending = new Set<GuardedRegistry<never>>();

export class GuardedRegistry<H> implements FinalizationRegistryLike<H> {
  readonly #registry: FinalizationRegistry<H>;
  #count = 0;

  constructor(cleanup: (heldValue: H) => void) {
    this.#registry = new FinalizationRegistry<H>((held) => {
      this.#release(1);
      cleanup(held);
    });
  }

  /** Registrations not yet cleaned up nor unregistered. */
  get count(): number {
    return this.#count;
  }

  register(target: object, heldValue: H, unregisterToken?: object): void {
    this.#registry.register(target, heldValue, unregisterToken);
    if (this.#count++ === 0) pending.add(this as GuardedRegistry<never>);
  }

  /** Unregisters the one registration made with `unregisterToken` (one per token here). */
  unregister(unregisterToken: object): boolean {
    const removed = this.#registry.unregister(unregisterToken);
    if (removed) this.#release(1);
    return removed;
  }

  #release(n: number): void {
    this.#count -= n;
    if (this.#count <= 0) {
      this.#count = 0;
      pending.delete(this as GuardedRegistry<never>);
    }
  }
}

/** Registries currently held alive (for tests). */
export function pendingRegistries(): number {
  return pending.size;
}
