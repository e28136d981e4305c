/**
 * Deterministic stand-ins for the garbage collector and the clock, for tests of code that uses
 * `@heapwise/cache` (and for the package's own tests): a test decides when a value is "collected",
 * when finalizers run and when time passes. Nothing here sleeps or needs `--expose-gc`.
 */
import type { Clock } from "./clock.ts";
import type { FinalizationRegistryLike, WeakProvider, WeakRefLike } from "./weak-provider.ts";

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  return String(value);
}

function weakable(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

interface Registration {
  readonly cleanup: (held: unknown) => void;
  readonly held: unknown;
  readonly token: object | undefined;
  active: boolean;
}

/**
 * A {@link WeakProvider} in which nothing is collected until the test says so. `collect(target)`
 * makes every weak reference to `target` return `undefined` and queues the cleanups registered for
 * it; `runFinalizers()` runs them (or pass `{ autoFinalize: true }` to run them inside `collect`,
 * like CPython's reference counting or heap-sim). Targets are held strongly until collected: this is
 * a test double, not a memory saver. It does not model ECMA-262's "kept until the end of the job".
 *
 * @example
 * ```ts
 * import { WeakValueMap } from "@heapwise/cache";
 * import { TestWeakProvider } from "@heapwise/cache/testing";
 *
 * const gc = new TestWeakProvider();
 * const map = new WeakValueMap<string, object>(null, { weakProvider: gc });
 * const value = {};
 * map.set("a", value);
 * gc.collect(value);   // map.get("a") === undefined from now on
 * gc.runFinalizers();  // map.size === 0
 * ```
 */
export class TestWeakProvider implements WeakProvider {
  readonly #collected = new WeakSet<object>();
  readonly #byTarget = new Map<object, Registration[]>();
  readonly #byToken = new Map<object, Registration[]>();
  readonly #queue: Registration[] = [];
  readonly #autoFinalize: boolean;

  /** @param options `autoFinalize`: run cleanups inside `collect()` (default `false`). */
  constructor(options: { autoFinalize?: boolean } = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`TestWeakProvider options must be an object, got ${describe(options)}`);
    }
    if (options.autoFinalize !== undefined && typeof options.autoFinalize !== "boolean") {
      throw new TypeError(`autoFinalize must be a boolean, got ${describe(options.autoFinalize)}`);
    }
    this.#autoFinalize = options.autoFinalize ?? false;
  }

  weakRef<T extends object>(target: T): WeakRefLike<T> {
    if (!weakable(target)) {
      throw new TypeError(`weakRef target must be an object or function, got ${describe(target)}`);
    }
    const collected = this.#collected;
    let held: T | undefined = target;
    return {
      deref(): T | undefined {
        if (held !== undefined && collected.has(held)) held = undefined;
        return held;
      },
    };
  }

  finalizationRegistry<H>(cleanup: (heldValue: H) => void): FinalizationRegistryLike<H> {
    if (typeof cleanup !== "function") {
      throw new TypeError(`cleanup must be a function, got ${describe(cleanup)}`);
    }
    const byTarget = this.#byTarget;
    const byToken = this.#byToken;
    const collected = this.#collected;
    return {
      register(target: object, heldValue: H, unregisterToken?: object): void {
        if (!weakable(target)) {
          throw new TypeError(`register target must be an object, got ${describe(target)}`);
        }
        if ((heldValue as unknown) === target) {
          throw new TypeError("register: the held value must not be the target");
        }
        if (unregisterToken !== undefined && !weakable(unregisterToken)) {
          throw new TypeError(
            `unregisterToken must be an object, got ${describe(unregisterToken)}`,
          );
        }
        if (collected.has(target)) return; // already gone: its cleanups were queued before
        const r: Registration = {
          cleanup: cleanup as (held: unknown) => void,
          held: heldValue,
          token: unregisterToken,
          active: true,
        };
        const list = byTarget.get(target);
        if (list === undefined) byTarget.set(target, [r]);
        else list.push(r);
        if (unregisterToken !== undefined) {
          const tokens = byToken.get(unregisterToken);
          if (tokens === undefined) byToken.set(unregisterToken, [r]);
          else tokens.push(r);
        }
      },
      unregister(unregisterToken: object): boolean {
        if (!weakable(unregisterToken)) {
          throw new TypeError(
            `unregisterToken must be an object, got ${describe(unregisterToken)}`,
          );
        }
        const list = byToken.get(unregisterToken);
        if (list === undefined) return false;
        byToken.delete(unregisterToken);
        let any = false;
        for (const r of list) {
          if (r.active) any = true;
          r.active = false;
        }
        return any;
      },
    };
  }

  /**
   * Collects `targets`: their weak references return `undefined` from now on and their registered
   * cleanups are queued (run by {@link TestWeakProvider.runFinalizers}, or at once with
   * `autoFinalize`). Collecting a target twice does nothing.
   */
  collect(...targets: object[]): void {
    for (const target of targets) {
      if (!weakable(target)) {
        throw new TypeError(
          `collect target must be an object or function, got ${describe(target)}`,
        );
      }
      if (this.#collected.has(target)) continue;
      this.#collected.add(target);
      const list = this.#byTarget.get(target);
      this.#byTarget.delete(target);
      if (list !== undefined) for (const r of list) if (r.active) this.#queue.push(r);
    }
    if (this.#autoFinalize) this.runFinalizers();
  }

  /** Whether `target` was collected. */
  isCollected(target: object): boolean {
    return this.#collected.has(target);
  }

  /**
   * Runs the queued cleanups in collection order, including any queued while running; returns how
   * many ran. An unregistered cleanup does not run.
   */
  runFinalizers(): number {
    let ran = 0;
    while (this.#queue.length > 0) {
      const r = this.#queue.shift()!;
      if (!r.active) continue;
      r.active = false;
      if (r.token !== undefined) {
        const tokens = this.#byToken.get(r.token);
        if (tokens !== undefined) {
          const rest = tokens.filter((x) => x !== r);
          if (rest.length === 0) this.#byToken.delete(r.token);
          else this.#byToken.set(r.token, rest);
        }
      }
      ran++;
      r.cleanup(r.held);
    }
    return ran;
  }

  /** Cleanups queued and not yet run. */
  get pendingFinalizers(): number {
    let n = 0;
    for (const r of this.#queue) if (r.active) n++;
    return n;
  }

  /** Registrations whose targets are not collected yet and that were not unregistered. */
  get liveRegistrations(): number {
    let n = 0;
    for (const list of this.#byTarget.values()) for (const r of list) if (r.active) n++;
    return n;
  }
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * A {@link Clock} that moves only when told to. `advance(ms)` runs the timers that come due, in
 * time order, with `now()` set to each one's time, then settles at the target time.
 *
 * @example
 * ```ts
 * import { WeakCache } from "@heapwise/cache";
 * import { ManualClock } from "@heapwise/cache/testing";
 *
 * const clock = new ManualClock();
 * const cache = new WeakCache<string, number>({ ttl: 1000, clock });
 * cache.set("a", 1);
 * clock.advance(1000); // the purge timer ran: "a" expired
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, Timer>();

  /** @param start the initial `now()` (default 0). */
  constructor(start = 0) {
    if (typeof start !== "number" || !Number.isFinite(start)) {
      throw new RangeError(`start must be a finite number, got ${describe(start)}`);
    }
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    if (typeof callback !== "function") {
      throw new TypeError(`setTimeout callback must be a function, got ${describe(callback)}`);
    }
    if (typeof ms !== "number" || Number.isNaN(ms)) {
      throw new TypeError(`setTimeout delay must be a number, got ${describe(ms)}`);
    }
    const seq = ++this.#seq;
    this.#timers.set(seq, { at: this.#now + Math.max(0, ms), seq, callback });
    return seq;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers scheduled and not yet run or cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * Moves time forward by `ms`, running every timer that comes due (also those scheduled by the
   * timers themselves). Returns the number of timers run.
   */
  advance(ms: number): number {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`advance needs a finite number of ms >= 0, got ${describe(ms)}`);
    }
    const target = this.#now + ms;
    let ran = 0;
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.#timers.values()) {
        if (t.at <= target && (next === undefined || t.at < next.at)) next = t;
      }
      if (next === undefined) break;
      this.#timers.delete(next.seq);
      this.#now = Math.max(this.#now, next.at);
      ran++;
      next.callback();
    }
    this.#now = target;
    return ran;
  }
}
