/**
 * Leak warnings: Python's ResourceWarning ("unclosed file …"), which JavaScript lacks.
 *
 * Resources made by this package's helpers (and any object passed to {@link trackResource}) are
 * reported, with the stack that created them, when they are garbage-collected without having been
 * disposed. Off by default; while no tracker is active, the hooks in the helpers are one
 * array-length check.
 */
import { describe, isObject } from "./internal/describe.js";
import { GuardedRegistry } from "./internal/guarded-registry.js";
import { disposeSymbol } from "./internal/symbols.js";

/** The part of a FinalizationRegistry the tracker uses (the shape `@heapwise/cache` declares). */
export interface FinalizationRegistryLike<H> {
  register(target: object, heldValue: H, unregisterToken?: object): void;
  unregister(unregisterToken: object): boolean;
}

/** Makes finalization registries; `@heapwise/cache`'s `WeakProvider` (and heap-sim's) fits. */
export interface FinalizationProvider {
  finalizationRegistry<H>(cleanup: (heldValue: H) => void): FinalizationRegistryLike<H>;
}

/** One leaked resource. */
export interface LeakReport {
  /** What the resource is, e.g. `"timeout"`, `"listener"`, `"tempDir"`, or your own kind. */
  readonly kind: string;
  /** The stack where it was created (when stacks are captured). */
  readonly stack: string | undefined;
  /** A one-line description, Python style: `unclosed timeout`. */
  readonly message: string;
}

/** Options of {@link trackLeaks}. */
export interface LeakTrackerOptions {
  /**
   * Called for each resource collected without being disposed. Default: `process.emitWarning`
   * with type `ResourceWarning` on Node, `console.warn` elsewhere. It runs from a finalization
   * callback: keep it cheap, and never throw from it.
   */
  onLeak?: (report: LeakReport) => void;
  /**
   * Capture the creation stack of every tracked resource. Default `true`. Cost: one `new Error()`
   * (a few microseconds) per resource while tracking; `false` makes tracking nearly free.
   */
  captureStacks?: boolean;
  /**
   * Where finalization registries come from. Default: the runtime's `FinalizationRegistry`. Inject
   * one (e.g. heap-sim's `WeakProvider`, or a test double) to decide when "collection" happens.
   */
  weakProvider?: FinalizationProvider;
}

/** An active leak tracker. Disposing it (or `stop()`) stops tracking. */
export interface LeakTracker extends Disposable {
  /** Resources tracked by this tracker that are neither disposed nor collected yet. */
  readonly tracking: number;
  /** Leaks reported so far. */
  readonly leaked: number;
  /** Whether the tracker still tracks new resources. */
  readonly active: boolean;
  /** Stops tracking; already-tracked resources are no longer reported. Idempotent. */
  stop(): void;
}

/**
 * Internal: what a helper can tell about a resource without the tracker holding the resource
 * itself. A timeout that has fired is closed although nobody disposed it.
 */
export interface ResourceState {
  readonly open: boolean;
}

/** Internal: something that wants to hear about tracked resources (trackers, `expectNoLeaks`). */
export interface ResourceObserver {
  readonly wantsStacks: boolean;
  track(resource: object, kind: string, stack: string | undefined, state?: ResourceState): void;
  untrack(resource: object): void;
}

const observers: ResourceObserver[] = [];

function captureStack(): string | undefined {
  const stack = new Error("created here").stack;
  if (stack === undefined) return undefined;
  // Drop the "Error: created here" line and the tracker's own frames.
  const lines = stack.split("\n");
  return lines
    .slice(1)
    .filter((l) => !/\b(captureStack|noteCreated|trackResource)\b/.test(l))
    .join("\n");
}

/** Internal hook for the package's helpers: a resource was created. */
export function noteCreated(resource: object, kind: string, state?: ResourceState): void {
  if (observers.length === 0) return;
  let stack: string | undefined;
  let captured = false;
  for (const observer of observers.slice()) {
    if (observer.wantsStacks && !captured) {
      stack = captureStack();
      captured = true;
    }
    observer.track(resource, kind, observer.wantsStacks ? stack : undefined, state);
  }
}

/** Internal hook for the package's helpers: a resource was disposed. */
export function noteDisposed(resource: object): void {
  if (observers.length === 0) return;
  for (const observer of observers.slice()) observer.untrack(resource);
}

/**
 * Marks `resource` as one that must be disposed: while a tracker is active, collecting it before
 * {@link untrackResource} is called reports a leak. The package's own helpers do this for you.
 *
 * Cost: with no active tracker, the argument checks and one array-length check.
 *
 * @param resource - the object whose collection means a leak
 * @param kind - a short name for reports, e.g. `"db connection"`
 * @example
 * ```ts
 * import { trackResource, untrackResource } from "@heapwise/dispose";
 *
 * class Connection {
 *   constructor() { trackResource(this, "db connection"); }
 *   [Symbol.dispose]() { untrackResource(this); this.socket.end(); }
 * }
 * ```
 */
export function trackResource(resource: object, kind: string): void {
  if (!isObject(resource)) {
    throw new TypeError(`trackResource: resource must be an object, got ${describe(resource)}`);
  }
  if (typeof kind !== "string" || kind.length === 0) {
    throw new TypeError(`trackResource: kind must be a non-empty string, got ${describe(kind)}`);
  }
  noteCreated(resource, kind);
}

/**
 * Marks `resource` as disposed: it is no longer reported when collected. Idempotent.
 *
 * @example
 * ```ts
 * [Symbol.dispose]() { untrackResource(this); this.close(); }
 * ```
 */
export function untrackResource(resource: object): void {
  if (!isObject(resource)) {
    throw new TypeError(`untrackResource: resource must be an object, got ${describe(resource)}`);
  }
  noteDisposed(resource);
}

/** Internal: adds an observer; returns a function that removes it. */
export function observeResources(observer: ResourceObserver): () => void {
  observers.push(observer);
  return () => {
    const i = observers.indexOf(observer);
    if (i >= 0) observers.splice(i, 1);
  };
}

function defaultOnLeak(report: LeakReport): void {
  const proc = (globalThis as { process?: { emitWarning?: (...args: unknown[]) => void } }).process;
  const text = report.stack ? `${report.message}, created at:\n${report.stack}` : report.message;
  if (typeof proc?.emitWarning === "function") {
    proc.emitWarning(text, { type: "ResourceWarning", code: "HEAPWISE_UNDISPOSED" });
  } else {
    console.warn(`ResourceWarning: ${text}`);
  }
}

const nativeProvider: FinalizationProvider = {
  finalizationRegistry<H>(cleanup: (heldValue: H) => void): FinalizationRegistryLike<H> {
    if (typeof FinalizationRegistry !== "function") {
      throw new TypeError("trackLeaks: this runtime has no FinalizationRegistry");
    }
    // Guarded: a registry collected with cleanups pending stops every registry in V8 (see the file).
    return new GuardedRegistry<H>(cleanup);
  },
};

interface Held {
  kind: string;
  stack: string | undefined;
  state: ResourceState | undefined;
}

class Tracker implements LeakTracker, ResourceObserver {
  readonly wantsStacks: boolean;
  #registry: FinalizationRegistryLike<Held>;
  #onLeak: (report: LeakReport) => void;
  #tracking = 0;
  #leaked = 0;
  #remove: (() => void) | undefined;

  constructor(options: LeakTrackerOptions) {
    this.wantsStacks = options.captureStacks ?? true;
    this.#onLeak = options.onLeak ?? defaultOnLeak;
    this.#registry = (options.weakProvider ?? nativeProvider).finalizationRegistry<Held>((held) =>
      this.#collected(held),
    );
    this.#remove = observeResources(this);
  }

  #collected(held: Held): void {
    if (this.#remove === undefined) return;
    this.#tracking--;
    if (held.state !== undefined && !held.state.open) return;
    this.#leaked++;
    this.#onLeak(
      Object.freeze({ kind: held.kind, stack: held.stack, message: `unclosed ${held.kind}` }),
    );
  }

  track(resource: object, kind: string, stack: string | undefined, state?: ResourceState): void {
    this.#registry.register(resource, { kind, stack, state }, resource);
    this.#tracking++;
  }

  untrack(resource: object): void {
    if (this.#registry.unregister(resource)) this.#tracking--;
  }

  get tracking(): number {
    return this.#tracking;
  }

  get leaked(): number {
    return this.#leaked;
  }

  get active(): boolean {
    return this.#remove !== undefined;
  }

  stop(): void {
    this.#remove?.();
    this.#remove = undefined;
  }

  [disposeSymbol](): void {
    this.stop();
  }
}

/**
 * Starts reporting resources that are garbage-collected without being disposed (Python's
 * `ResourceWarning`, e.g. `python -W error::ResourceWarning`). Several trackers may be active at
 * once; each reports what was created while it was active.
 *
 * @param options - {@link LeakTrackerOptions}
 * @returns the tracker; dispose it to stop
 * @example
 * ```ts
 * import { timeout, trackLeaks } from "@heapwise/dispose";
 *
 * using tracker = trackLeaks({ onLeak: (leak) => log.warn(leak.message, leak.stack) });
 * timeout(1000, () => {}); // never disposed: reported once it is collected
 * ```
 */
export function trackLeaks(options: LeakTrackerOptions = {}): LeakTracker {
  if (!isObject(options)) {
    throw new TypeError(`trackLeaks: options must be an object, got ${describe(options)}`);
  }
  if (options.onLeak !== undefined && typeof options.onLeak !== "function") {
    throw new TypeError(`trackLeaks: onLeak must be a function, got ${describe(options.onLeak)}`);
  }
  if (options.captureStacks !== undefined && typeof options.captureStacks !== "boolean") {
    throw new TypeError(
      `trackLeaks: captureStacks must be a boolean, got ${describe(options.captureStacks)}`,
    );
  }
  if (
    options.weakProvider !== undefined &&
    (!isObject(options.weakProvider) ||
      typeof options.weakProvider.finalizationRegistry !== "function")
  ) {
    throw new TypeError(
      `trackLeaks: weakProvider must have a finalizationRegistry(cleanup) method, got ${describe(options.weakProvider)}`,
    );
  }
  return new Tracker(options);
}
