/** Internal helpers: validation with errors that name the bad value, iterator plumbing. */

/** A short, readable description of any value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (typeof value === "symbol") return value.toString();
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}

export function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    value !== null &&
    value !== undefined &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  );
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    value !== null &&
    value !== undefined &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
  );
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** Throws `TypeError` unless `value` is an Iterable or an AsyncIterable. */
export function assertSource(value: unknown, who: string, what = "source"): void {
  if (!isIterable(value) && !isAsyncIterable(value)) {
    throw new TypeError(
      `${who}: ${what} must be an Iterable or an AsyncIterable, got ${describe(value)}`,
    );
  }
}

export function assertFunction(value: unknown, who: string, what = "fn"): void {
  if (typeof value !== "function") {
    throw new TypeError(`${who}: ${what} must be a function, got ${describe(value)}`);
  }
}

/**
 * Throws unless `value` is an integer ≥ `min` (`TypeError` for a non-number, `RangeError` for a
 * number out of range). `Infinity` passes when `allowInfinity`.
 */
export function assertCount(
  value: unknown,
  who: string,
  what: string,
  min: number,
  allowInfinity = false,
): number {
  if (typeof value !== "number") {
    throw new TypeError(`${who}: ${what} must be a number, got ${describe(value)}`);
  }
  if (value === Number.POSITIVE_INFINITY && allowInfinity) return value;
  if (!Number.isSafeInteger(value) || value < min) {
    const kind = min === 0 ? "a non-negative integer" : `an integer ≥ ${min}`;
    throw new RangeError(
      `${who}: ${what} must be ${kind}${allowInfinity ? " or Infinity" : ""}, got ${describe(value)}`,
    );
  }
  return value;
}

export function assertSignal(value: unknown, who: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (
    value === null ||
    typeof value !== "object" ||
    typeof (value as AbortSignal).aborted !== "boolean" ||
    typeof (value as AbortSignal).addEventListener !== "function"
  ) {
    throw new TypeError(`${who}: signal must be an AbortSignal, got ${describe(value)}`);
  }
  return value as AbortSignal;
}

export function assertOptions(value: unknown, who: string): void {
  if (value !== undefined && (value === null || typeof value !== "object")) {
    throw new TypeError(`${who}: options must be an object, got ${describe(value)}`);
  }
}

/** Calls `return()` on an iterator we stop using early (IteratorClose, normal completion). */
export function closeSync(it: Iterator<unknown> | undefined): void {
  if (it !== undefined && typeof it.return === "function") it.return();
}

/** IteratorClose with a throw completion: errors from return() are dropped for the first one. */
export function closeSyncQuietly(it: Iterator<unknown> | undefined): void {
  try {
    closeSync(it);
  } catch {
    // the original error wins (ECMA-262 IteratorClose, step 5)
  }
}

export async function closeAsync(
  it: AsyncIterator<unknown> | Iterator<unknown> | undefined,
): Promise<void> {
  if (it !== undefined && typeof it.return === "function") await it.return();
}

export async function closeAsyncQuietly(
  it: AsyncIterator<unknown> | Iterator<unknown> | undefined,
): Promise<void> {
  try {
    await closeAsync(it);
  } catch {
    // the original error wins
  }
}

/** An async iterator over any source; sync sources are adapted as `for await` does. */
export function getAsyncIterator<T>(source: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> {
  if (isAsyncIterable(source)) return (source as AsyncIterable<T>)[Symbol.asyncIterator]();
  const it = (source as Iterable<T>)[Symbol.iterator]();
  return {
    async next() {
      const r = it.next();
      return r.done ? r : { value: await r.value, done: false };
    },
    async return(value?: unknown) {
      if (typeof it.return === "function") return it.return(value) as IteratorResult<T>;
      return { value: undefined, done: true } as IteratorResult<T>;
    },
  };
}

/** True for an iterator object already obtained (so that closing it before the start matters). */
export function isIteratorObject(value: unknown): value is Iterator<unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as Iterator<unknown>).next === "function"
  );
}

export const noop = (): void => {};
