/**
 * The slower duties of a WeakCache core, kept out of its hot paths: the purge timer and expiry
 * purge, size validation, and delivery of onRemove notifications.
 */
import type { RemovalReason } from "../weak-cache.ts";
import type { LruCore } from "./core.ts";
import { describe } from "./validate.ts";

/** Arms the core's one purge timer for `at`; the timer holds the core weakly. */
export function armTimer<K, V>(core: LruCore<K, V>, at: number): void {
  const clock = core.clock;
  if (core.timer !== undefined) clock.clearTimeout(core.timer);
  core.timerAt = at;
  // A dropped cache is not kept alive by its pending purge timer.
  const self = new WeakRef(core);
  core.timer = clock.setTimeout(
    () => {
      const alive = self.deref();
      if (alive === undefined) return;
      alive.timer = undefined;
      alive.timerAt = Number.POSITIVE_INFINITY;
      purgeExpired(alive);
    },
    Math.max(0, at - clock.now()),
  );
}

export function disarmTimer<K, V>(core: LruCore<K, V>): void {
  if (core.timer !== undefined) core.clock.clearTimeout(core.timer);
  core.timer = undefined;
  core.timerAt = Number.POSITIVE_INFINITY;
}

/** Removes every entry expired now (both tiers), re-arms the timer; returns how many left. */
export function purgeExpired<K, V>(core: LruCore<K, V>): number {
  const heap = core.heap;
  if (heap === undefined) return 0;
  const now = core.clock.now();
  let removed = 0;
  while (heap.length !== 0 && heap.peekTime() <= now) {
    const s = heap.peek();
    const key = core.keys[s] as K;
    const value = core.vals[s];
    core.removeSlot(s);
    core.expirations++;
    core.note(key, value, "expire");
    removed++;
  }
  if (core.tier !== undefined) removed += core.tier.purge(now);
  const next = Math.min(heap.peekTime(), core.tier?.nextExpiry() ?? Number.POSITIVE_INFINITY);
  if (next !== Number.POSITIVE_INFINITY && next < core.timerAt) armTimer(core, next);
  core.flush();
  return removed;
}

/** `sizeOf(value, key)`, validated: a safe integer >= 0 that fits the byte bounds. */
export function measureSize<K, V>(core: LruCore<K, V>, key: K, value: V): number {
  const size = core.sizeOf!(value, key);
  if (typeof size !== "number") {
    throw new TypeError(
      `sizeOf must return a number of bytes, got ${describe(size)} for key ${describe(key)}`,
    );
  }
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(
      `sizeOf must return an integer >= 0, got ${describe(size)} for key ${describe(key)}`,
    );
  }
  if (size > core.entryLimit) {
    const which = core.maxBytes <= core.entryLimit ? "maxBytes" : "the budget's maxBytes";
    throw new RangeError(
      `size ${size} of key ${describe(key)} exceeds ${which} ${core.entryLimit}`,
    );
  }
  return size;
}

/**
 * Calls onRemove for the queued removals (a fresh queue takes reentrant ones); rethrows their
 * errors once all have run, several as an AggregateError.
 */
export function flushNotes<K, V>(core: LruCore<K, V>): void {
  const notes = core.notes;
  core.notes = [];
  const onRemove = core.onRemove!;
  let errors: unknown[] | undefined;
  for (let i = 0; i < notes.length; i += 3) {
    try {
      onRemove(notes[i] as K, notes[i + 1] as V | undefined, notes[i + 2] as RemovalReason);
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
