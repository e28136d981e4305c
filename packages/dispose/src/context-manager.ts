/**
 * Python's `@contextmanager` and `@asynccontextmanager` for `using` / `await using`.
 */
import { describe } from "./internal/describe.js";
import {
  ASYNC_EXIT,
  type AsyncExit,
  EXIT,
  type Outcome,
  SUCCESS,
  type SyncExit,
} from "./internal/exit.js";
import { asyncDisposeSymbol, disposeSymbol } from "./internal/symbols.js";
import { noteCreated, noteDisposed } from "./leak-tracker.js";

/**
 * A resource entered by a generator: `value` is what the generator yielded; disposing it resumes
 * the generator after its `yield` (so its `finally` runs). Returned by the factories of
 * {@link contextManager}.
 */
export interface ContextManager<T> extends Disposable {
  /** What the generator yielded: the managed resource (Python: the `as` target). */
  readonly value: T;
  /** Whether the manager has been exited (disposed). */
  readonly disposed: boolean;
}

/** The asynchronous twin of {@link ContextManager}, made by {@link asyncContextManager}. */
export interface AsyncContextManager<T> extends AsyncDisposable {
  /** What the async generator yielded. */
  readonly value: T;
  /** Whether the manager has been exited (disposed); true as soon as the exit starts. */
  readonly disposed: boolean;
}

type AnyGenerator<T> = Generator<T, unknown, undefined>;
type AnyAsyncGenerator<T> = AsyncGenerator<T, unknown, undefined>;

const isGenerator = (g: unknown): boolean =>
  typeof g === "object" &&
  g !== null &&
  typeof (g as AnyGenerator<unknown>).next === "function" &&
  typeof (g as AnyGenerator<unknown>).throw === "function" &&
  typeof (g as AnyGenerator<unknown>).return === "function";

/**
 * Resumes a generator that has already yielded once, with the outcome of the body: `next()` after
 * a success, `throw(error)` at the `yield` after a failure (Python's `_GeneratorContextManager`).
 * Returns true when the generator swallowed the error (it is then suppressed).
 */
function resume<T>(generator: AnyGenerator<T>, outcome: Outcome, who: string): boolean {
  if (!outcome.failed) {
    const step = generator.next();
    if (!step.done) {
      generator.return(undefined);
      throw new TypeError(`${who}: the generator yielded more than once`);
    }
    return false;
  }
  let step: IteratorResult<T, unknown>;
  try {
    step = generator.throw(outcome.error);
  } catch (e) {
    // Re-raising the error it was given means "not suppressed"; another error replaces it.
    if (e === outcome.error) return false;
    throw e;
  }
  if (!step.done) {
    generator.return(undefined);
    throw new TypeError(`${who}: the generator yielded again after the error was thrown into it`);
  }
  return true;
}

async function resumeAsync<T>(
  generator: AnyAsyncGenerator<T>,
  outcome: Outcome,
  who: string,
): Promise<boolean> {
  if (!outcome.failed) {
    const step = await generator.next();
    if (!step.done) {
      await generator.return(undefined);
      throw new TypeError(`${who}: the async generator yielded more than once`);
    }
    return false;
  }
  let step: IteratorResult<T, unknown>;
  try {
    step = await generator.throw(outcome.error);
  } catch (e) {
    if (e === outcome.error) return false;
    throw e;
  }
  if (!step.done) {
    await generator.return(undefined);
    throw new TypeError(
      `${who}: the async generator yielded again after the error was thrown into it`,
    );
  }
  return true;
}

class GeneratorContextManager<T> implements ContextManager<T>, SyncExit {
  readonly value: T;
  #generator: AnyGenerator<T> | undefined;
  readonly #who: string;

  constructor(generator: AnyGenerator<T>, value: T, who: string) {
    this.value = value;
    this.#generator = generator;
    this.#who = who;
  }

  get disposed(): boolean {
    return this.#generator === undefined;
  }

  [EXIT](outcome: Outcome): boolean {
    const generator = this.#generator;
    if (generator === undefined) return false;
    this.#generator = undefined;
    noteDisposed(this);
    return resume(generator, outcome, this.#who);
  }

  /** Resumes the generator as after a successful body (the standard protocol carries no outcome). */
  [disposeSymbol](): void {
    this[EXIT](SUCCESS);
  }
}

class AsyncGeneratorContextManager<T> implements AsyncContextManager<T>, AsyncExit {
  readonly value: T;
  #generator: AnyAsyncGenerator<T> | undefined;
  readonly #who: string;

  constructor(generator: AnyAsyncGenerator<T>, value: T, who: string) {
    this.value = value;
    this.#generator = generator;
    this.#who = who;
  }

  get disposed(): boolean {
    return this.#generator === undefined;
  }

  async [ASYNC_EXIT](outcome: Outcome): Promise<boolean> {
    const generator = this.#generator;
    if (generator === undefined) return false;
    this.#generator = undefined;
    noteDisposed(this);
    return resumeAsync(generator, outcome, this.#who);
  }

  async [asyncDisposeSymbol](): Promise<void> {
    await this[ASYNC_EXIT](SUCCESS);
  }
}

/**
 * Python's `@contextlib.contextmanager`: turns a generator function that sets up, yields one value,
 * and tears down into a factory of disposable managers.
 *
 * Calling the factory runs the setup (up to the `yield`) at once and returns a
 * {@link ContextManager} whose `value` is the yielded value. Disposing it resumes the generator
 * after the `yield`. Under `scope()` (or `Scope.enter`), a failure of the body is thrown into the
 * generator at its `yield`, as in Python: catching it there and not rethrowing suppresses it.
 *
 * Caveats: with a plain `using`, the language passes no outcome to `[Symbol.dispose]`, so the
 * generator is resumed as after a success even when the block threw: put teardown in `finally`
 * (or use `scope`). A generator that does not yield throws a TypeError from the factory; one that
 * yields twice throws a TypeError on exit (after being closed).
 *
 * Cost: one generator and one small object per use.
 *
 * @param generatorFunction - a generator function that yields exactly once
 * @returns a factory taking the generator function's arguments
 * @example
 * ```ts
 * import { contextManager } from "@heapwise/dispose";
 *
 * const transaction = contextManager(function* (db: Db) {
 *   db.begin();
 *   try {
 *     yield db;
 *     db.commit();
 *   } catch (error) {
 *     db.rollback(); // only under scope(): the body's error arrives here
 *     throw error;
 *   }
 * });
 *
 * using tx = transaction(db);
 * tx.value.insert(row);
 * ```
 */
export function contextManager<A extends unknown[], T>(
  generatorFunction: (...args: A) => Generator<T, unknown, undefined>,
): (...args: A) => ContextManager<T> {
  if (typeof generatorFunction !== "function") {
    throw new TypeError(
      `contextManager: expected a generator function, got ${describe(generatorFunction)}`,
    );
  }
  const who = `contextManager(${describe(generatorFunction)})`;
  return (...args: A): ContextManager<T> => {
    const generator = generatorFunction(...args);
    if (!isGenerator(generator)) {
      throw new TypeError(
        `${who}: the function must return a generator, got ${describe(generator)}`,
      );
    }
    const step = generator.next();
    if (step.done) throw new TypeError(`${who}: the generator did not yield`);
    const manager = new GeneratorContextManager(generator, step.value, who);
    noteCreated(manager, "contextManager");
    return manager;
  };
}

/**
 * Python's `@contextlib.asynccontextmanager`: {@link contextManager} for async generator functions.
 * The factory returns a promise of the entered manager, for `await using`.
 *
 * @example
 * ```ts
 * import { asyncContextManager } from "@heapwise/dispose";
 *
 * const connection = asyncContextManager(async function* (url: string) {
 *   const conn = await connect(url);
 *   try {
 *     yield conn;
 *   } finally {
 *     await conn.close();
 *   }
 * });
 *
 * await using conn = await connection("postgres://…");
 * await conn.value.query("select 1");
 * ```
 */
export function asyncContextManager<A extends unknown[], T>(
  generatorFunction: (...args: A) => AsyncGenerator<T, unknown, undefined>,
): (...args: A) => Promise<AsyncContextManager<T>> {
  if (typeof generatorFunction !== "function") {
    throw new TypeError(
      `asyncContextManager: expected an async generator function, got ${describe(generatorFunction)}`,
    );
  }
  const who = `asyncContextManager(${describe(generatorFunction)})`;
  return async (...args: A): Promise<AsyncContextManager<T>> => {
    const generator = generatorFunction(...args);
    if (!isGenerator(generator)) {
      throw new TypeError(
        `${who}: the function must return an async generator, got ${describe(generator)}`,
      );
    }
    const step = await generator.next();
    if (step.done) throw new TypeError(`${who}: the async generator did not yield`);
    const manager = new AsyncGeneratorContextManager(generator, step.value, who);
    noteCreated(manager, "asyncContextManager");
    return manager;
  };
}
