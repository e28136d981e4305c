/** Instrumented sources: they record every pull and whether `return()` reached them. */
export interface SourceLog {
  /** `next()` calls. */
  pulls: number;
  /** `return()` calls. */
  returns: number;
  /** `next()` calls made after `return()` (must stay 0). */
  pullsAfterReturn: number;
  /** The source ran to its end by itself. */
  exhausted: boolean;
}

export function newLog(): SourceLog {
  return { pulls: 0, returns: 0, pullsAfterReturn: 0, exhausted: false };
}

/** A sync iterator object over `values` (optionally throwing at pull `failAt`). */
export function syncSource<T>(
  values: readonly T[],
  log = newLog(),
  failAt = -1,
): IterableIterator<T> & { log: SourceLog } {
  let i = 0;
  let closed = false;
  const it = {
    log,
    [Symbol.iterator]() {
      return it;
    },
    next(): IteratorResult<T> {
      log.pulls++;
      if (closed) {
        log.pullsAfterReturn++;
        return { value: undefined, done: true };
      }
      if (i === failAt) {
        closed = true;
        throw new Error(`source failed at ${i}`);
      }
      if (i >= values.length) {
        closed = true;
        log.exhausted = true;
        return { value: undefined, done: true };
      }
      return { value: values[i++]!, done: false };
    },
    return(): IteratorResult<T> {
      log.returns++;
      closed = true;
      return { value: undefined, done: true };
    },
  };
  return it as IterableIterator<T> & { log: SourceLog };
}

/** An async iterator object over `values`; each pull resolves after `delay()` microtask hops. */
export function asyncSource<T>(
  values: readonly T[],
  log = newLog(),
  failAt = -1,
  delay: (i: number) => Promise<void> = () => Promise.resolve(),
): AsyncIterableIterator<T> & { log: SourceLog } {
  let i = 0;
  let closed = false;
  const it = {
    log,
    [Symbol.asyncIterator]() {
      return it;
    },
    async next(): Promise<IteratorResult<T>> {
      log.pulls++;
      if (closed) {
        log.pullsAfterReturn++;
        return { value: undefined, done: true };
      }
      const k = i++;
      await delay(k);
      if (k === failAt) {
        closed = true;
        throw new Error(`source failed at ${k}`);
      }
      if (k >= values.length) {
        closed = true;
        log.exhausted = true;
        return { value: undefined, done: true };
      }
      return { value: values[k]!, done: false };
    },
    async return(): Promise<IteratorResult<T>> {
      log.returns++;
      closed = true;
      return { value: undefined, done: true };
    },
  };
  return it as AsyncIterableIterator<T> & { log: SourceLog };
}

/** Resolves after `n` turns of the macrotask queue (lets every pending promise settle). */
export async function settle(n = 3): Promise<void> {
  for (let k = 0; k < n; k++) await new Promise<void>((r) => setImmediate(r));
}

/** A promise with its resolve/reject exposed. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Collects an async iterable. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
