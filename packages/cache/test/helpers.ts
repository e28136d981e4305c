/** Shared test helpers: real garbage collection, without sleeping for a fixed time. */

export const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (typeof collect !== "function") throw new Error("tests need --expose-gc");
  collect();
};

/** Resolves after the current job and its microtasks, and after pending I/O callbacks. */
export const nextTask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs gc() and yields to the event loop (where FinalizationRegistry callbacks run) until `done()`
 * holds, at most `rounds` times. Returns whether it held. Bounded, never a fixed sleep.
 */
export async function collectUntil(done: () => boolean, rounds = 200): Promise<boolean> {
  for (let i = 0; i < rounds; i++) {
    if (done()) return true;
    await nextTask();
    gc();
    await nextTask();
  }
  return done();
}

/** A WeakRef to an object made inside a function, so no local variable keeps it alive. */
export function weakRefTo<T extends object>(make: () => T): WeakRef<T> {
  return new WeakRef(make());
}
