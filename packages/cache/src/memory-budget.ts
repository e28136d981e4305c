import { attachCore, BudgetCore } from "./internal/budget-core.ts";
import { options as checkOptions, describe, positiveInteger } from "./internal/validate.ts";

/**
 * Options of {@link MemoryBudget}.
 *
 * @example
 * ```ts
 * new MemoryBudget({ maxBytes: 256 * 1024 * 1024 });
 * ```
 */
export interface MemoryBudgetOptions {
  /**
   * Bytes the member caches may hold together (a positive integer), as measured by each cache's
   * `sizeOf`. Required.
   */
  maxBytes: number;
}

/**
 * A byte budget shared by several {@link WeakCache}s: when a set in any member would take the total
 * over `maxBytes`, the least recently used entries across all members are evicted first (global
 * recency, not per cache), so a busy cache can take room from an idle one. Each member needs a
 * `sizeOf`; a member may still have its own `max`/`maxBytes`/`ttl`.
 *
 * Cost: a hit in a member cache writes one recency stamp; an eviction compares the oldest entry of
 * each member, O(members). Members are held weakly: a cache dropped without being disposed is not
 * kept alive by its budget, and its bytes come back when it is collected. Disposing a cache leaves
 * the budget at once. Only strong-tier entries count; values in a cache's weak tier are held by
 * someone else.
 *
 * @example
 * ```ts
 * import { MemoryBudget, WeakCache } from "@heapwise/cache";
 *
 * const budget = new MemoryBudget({ maxBytes: 64 * 1024 * 1024 });
 * const sizeOf = (b: Uint8Array) => b.byteLength;
 * const thumbnails = new WeakCache<string, Uint8Array>({ budget, sizeOf });
 * const tiles = new WeakCache<string, Uint8Array>({ budget, sizeOf, max: 10_000 });
 * // together they never hold more than 64 MiB; the least recently used entry of either goes first
 * ```
 */
export class MemoryBudget {
  readonly #core: BudgetCore;

  /**
   * @throws {TypeError | RangeError} when `maxBytes` is missing or not a positive integer.
   */
  constructor(options: MemoryBudgetOptions) {
    if (options === undefined) {
      throw new TypeError("MemoryBudget needs options with maxBytes, got undefined");
    }
    const opts = checkOptions("MemoryBudget", options, ["maxBytes"]);
    this.#core = new BudgetCore(positiveInteger("maxBytes", opts.maxBytes));
    attachCore(this, this.#core);
  }

  /** The budget's limit in bytes. */
  get maxBytes(): number {
    return this.#core.maxBytes;
  }

  /** Bytes held by the strong tiers of all member caches now. */
  get bytes(): number {
    return this.#core.bytes;
  }

  /** Member caches (disposed and collected ones are gone). */
  get caches(): number {
    return this.#core.members.size;
  }

  /**
   * Evicts least recently used entries across all members until at most `targetBytes` are held,
   * e.g. on a memory-pressure signal. Returns the bytes freed.
   *
   * @throws {RangeError} when `targetBytes` is negative or not an integer.
   * @example
   * ```ts
   * budget.trim(budget.maxBytes / 2); // halve the caches' footprint
   * ```
   */
  trim(targetBytes: number): number {
    if (typeof targetBytes !== "number") {
      throw new TypeError(`targetBytes must be an integer >= 0, got ${describe(targetBytes)}`);
    }
    if (!Number.isSafeInteger(targetBytes) || targetBytes < 0) {
      throw new RangeError(`targetBytes must be an integer >= 0, got ${describe(targetBytes)}`);
    }
    const before = this.#core.bytes;
    this.#core.shrinkTo(targetBytes);
    return before - this.#core.bytes;
  }

  get [Symbol.toStringTag](): string {
    return "MemoryBudget";
  }
}
