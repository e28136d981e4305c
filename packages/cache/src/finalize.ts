import {
  options as checkOptions,
  describe,
  isWeakable,
  weakProvider,
} from "./internal/validate.ts";
import {
  type FinalizationRegistryLike,
  nativeWeakProvider,
  type WeakProvider,
  type WeakRefLike,
} from "./weak-provider.ts";

/**
 * What {@link Finalizer.peek} and {@link Finalizer.detach} return: Python's `(obj, func, args)`.
 *
 * @example
 * ```ts
 * const info = f.detach();
 * if (info) info.callback(...info.args); // run it yourself, later
 * ```
 */
export interface FinalizerInfo<A extends unknown[], R> {
  readonly target: object;
  readonly callback: (...args: A) => R;
  readonly args: A;
}

/**
 * Options of the {@link Finalizer} constructor.
 *
 * @example
 * ```ts
 * new Finalizer(wrapper, closeFd, { args: [fd], weakProvider: new TestWeakProvider() });
 * ```
 */
export interface FinalizerOptions<A extends unknown[]> {
  /** Arguments for the callback. Default `[]`. They must not reference the target. */
  args?: A;
  /** Where the weak reference and the registry come from. Default {@link nativeWeakProvider}. */
  weakProvider?: WeakProvider;
}

/** The state shared by a Finalizer and its registration; it must not reference the target. */
interface State {
  callback: (...args: unknown[]) => unknown;
  args: unknown[];
  ref: WeakRefLike<object>;
  alive: boolean;
}

/** One registry per provider, made on first use (no work at import time). */
const registries = new WeakMap<WeakProvider, FinalizationRegistryLike<State>>();

function registryFor(provider: WeakProvider): FinalizationRegistryLike<State> {
  let registry = registries.get(provider);
  if (registry === undefined) {
    registry = provider.finalizationRegistry<State>((state) => {
      if (!state.alive) return;
      state.alive = false;
      state.callback(...state.args);
    });
    registries.set(provider, registry);
  }
  return registry;
}

const KNOWN = ["args", "weakProvider"] as const;

/**
 * Python's `weakref.finalize`: calls `callback(...args)` once, after `target` is garbage-collected,
 * unless it was called or detached before. Unlike a bare `FinalizationRegistry`, it can be run early
 * ({@link Finalizer.call}, or `using`), cancelled ({@link Finalizer.detach}) and inspected
 * ({@link Finalizer.alive}, {@link Finalizer.peek}), and it runs at most once.
 *
 * Caveats: the callback and its arguments must not reference the target, or it is never collected
 * (passing the target itself as the callback or an argument is refused). Collection is up to the
 * engine: the callback may run late or, if the program exits first, never; Python's `atexit`
 * behaviour (running the remaining finalizers at exit) is not provided, because a browser has no
 * reliable exit hook and Node's `exit` event allows no asynchronous work: dispose the finalizer
 * (`using`) where cleanup must happen. An exception thrown by the callback when the engine runs it
 * is reported like any uncaught exception.
 *
 * @example
 * ```ts
 * import { Finalizer } from "@heapwise/cache";
 *
 * const handle = openNativeHandle();
 * const wrapper = { handle };
 * const f = new Finalizer(wrapper, (h: number) => closeNativeHandle(h), { args: [handle] });
 * f.alive; // true
 * ```
 */
export class Finalizer<A extends unknown[] = [], R = unknown> implements Disposable {
  readonly #state: State;
  readonly #registry: FinalizationRegistryLike<State>;

  /**
   * @throws {TypeError} when `target` is not an object or function, `callback` is not a function,
   *   `args` is not an array, or the callback or an argument is the target itself.
   */
  constructor(target: object, callback: (...args: A) => R, options?: FinalizerOptions<A>) {
    if (!isWeakable(target)) {
      throw new TypeError(
        `finalize target must be an object or function (held weakly), got ${describe(target)}`,
      );
    }
    if (typeof callback !== "function") {
      throw new TypeError(`finalize callback must be a function, got ${describe(callback)}`);
    }
    const o = checkOptions("Finalizer", options, KNOWN);
    const args = (o.args ?? []) as unknown[];
    if (!Array.isArray(args)) {
      throw new TypeError(`finalize args must be an array, got ${describe(args)}`);
    }
    if ((callback as unknown) === target || args.includes(target)) {
      throw new TypeError(
        "finalize callback and args must not reference the target: it would never be collected",
      );
    }
    const provider =
      o.weakProvider === undefined
        ? nativeWeakProvider
        : weakProvider<WeakProvider>("weakProvider", o.weakProvider);
    this.#state = {
      callback: callback as (...args: unknown[]) => unknown,
      args: [...args],
      ref: provider.weakRef(target),
      alive: true,
    };
    this.#registry = registryFor(provider);
    this.#registry.register(target, this.#state, this.#state);
  }

  /** `true` until the callback has run (or been called) or the finalizer was detached. */
  get alive(): boolean {
    return this.#state.alive;
  }

  /**
   * Runs the callback now if the finalizer is alive, and returns its result; afterwards it is dead
   * and the collection of the target runs nothing. Returns `undefined` when it was already dead.
   * Python: calling the finalizer object.
   */
  call(): R | undefined {
    const state = this.#state;
    if (!state.alive) return undefined;
    state.alive = false;
    this.#registry.unregister(state);
    return state.callback(...state.args) as R;
  }

  /**
   * Cancels the finalizer and returns what it held, if it is alive and its target still exists;
   * otherwise returns `undefined` and changes nothing (a callback for a collected target still
   * runs). Like `deref()`, it keeps the target alive until the end of the current job.
   */
  detach(): FinalizerInfo<A, R> | undefined {
    const info = this.peek();
    if (info === undefined) return undefined;
    this.#state.alive = false;
    this.#registry.unregister(this.#state);
    return info;
  }

  /** What the finalizer holds, if it is alive and its target still exists; else `undefined`. */
  peek(): FinalizerInfo<A, R> | undefined {
    const state = this.#state;
    if (!state.alive) return undefined;
    const target = state.ref.deref();
    if (target === undefined) return undefined;
    return {
      target,
      callback: state.callback as (...args: A) => R,
      args: [...state.args] as A,
    };
  }

  /** Runs the callback now if alive (same as {@link Finalizer.call}); for `using`. */
  [Symbol.dispose](): void {
    this.call();
  }

  get [Symbol.toStringTag](): string {
    return "Finalizer";
  }
}

/**
 * Python's `weakref.finalize(obj, func, *args)`: a {@link Finalizer} that calls
 * `callback(...args)` once after `target` is garbage-collected, with the native provider.
 *
 * @example
 * ```ts
 * import { finalize } from "@heapwise/cache";
 *
 * const tmp = createTempDir();
 * const job = { dir: tmp };
 * const f = finalize(job, (dir: string) => removeTempDir(dir), tmp);
 * // … later, deterministic cleanup instead of waiting for the collector:
 * f.call();
 * ```
 */
export function finalize<A extends unknown[], R>(
  target: object,
  callback: (...args: A) => R,
  ...args: A
): Finalizer<A, R> {
  return new Finalizer(target, callback, { args });
}
