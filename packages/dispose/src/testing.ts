/**
 * `@heapwise/dispose/testing`: runner-agnostic assertions about resources and garbage. They throw
 * an {@link ResourceAssertionError} (any test runner reports a thrown error as a failure).
 *
 * `expectCollectable` and `expectNoLeaks` need the garbage collector exposed (`node --expose-gc`;
 * vitest `execArgv: ["--expose-gc"]`) and say so when it is not.
 */
import { describe, isObject } from "./internal/describe.js";
import { observeResources, type ResourceObserver, type ResourceState } from "./leak-tracker.js";

/** What the assertions of `@heapwise/dispose/testing` throw. */
export class ResourceAssertionError extends Error {
  override readonly name = "ResourceAssertionError";
}

function requireGc(who: string): () => void {
  const gc = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== "function") {
    throw new Error(
      `${who} needs the garbage collector: run Node with --expose-gc (node --expose-gc, NODE_OPTIONS=--expose-gc, or vitest's execArgv: ["--expose-gc"])`,
    );
  }
  return gc as () => void;
}

/** Lets pending jobs and timers run, then collects; `rounds` times. */
async function collect(gc: () => void, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    gc();
  }
}

function checkRounds(who: string, rounds: unknown): number {
  if (!Number.isSafeInteger(rounds) || (rounds as number) < 1) {
    throw new RangeError(`${who}: rounds must be a positive integer, got ${describe(rounds)}`);
  }
  return rounds as number;
}

/** Options of {@link expectCollectable}. */
export interface CollectableOptions {
  /** Collection rounds (an event-loop turn and a `gc()` each) before giving up. Default 5. */
  rounds?: number;
}

/**
 * Asserts that the object `factory` returns can be garbage-collected once the caller lets go of
 * it: it keeps only a `WeakRef`, then runs `gc()` after event-loop turns until the object is gone.
 * A test of "nothing else holds on to it" (a listener, a cache, a closure, a timer).
 *
 * @example
 * ```ts
 * import { expectCollectable } from "@heapwise/dispose/testing";
 *
 * await expectCollectable(() => {
 *   const conn = pool.connect();
 *   conn[Symbol.dispose]();
 *   return conn; // must not be kept by the pool after dispose
 * });
 * ```
 */
export async function expectCollectable(
  factory: () => object | Promise<object>,
  options: CollectableOptions = {},
): Promise<void> {
  const gc = requireGc("expectCollectable");
  if (typeof factory !== "function") {
    throw new TypeError(`expectCollectable: factory must be a function, got ${describe(factory)}`);
  }
  const rounds = checkRounds("expectCollectable", options.rounds ?? 5);
  const ref = await (async () => {
    const value = await factory();
    if (!isObject(value)) {
      throw new TypeError(
        `expectCollectable: factory must return an object, got ${describe(value)}`,
      );
    }
    return new WeakRef(value);
  })();
  for (let i = 0; i < rounds; i++) {
    await collect(gc, 1);
    if (ref.deref() === undefined) return;
  }
  throw new ResourceAssertionError(
    `expectCollectable: ${describe(ref.deref())} is still reachable after ${rounds} garbage collections`,
  );
}

function isDisposedNow(resource: object): boolean | undefined {
  const r = resource as { disposed?: unknown; released?: unknown; fd?: unknown };
  if (typeof r.disposed === "boolean") return r.disposed;
  if (typeof r.released === "boolean") return r.released;
  // A Node FileHandle: fd is -1 once closed.
  if (typeof r.fd === "number" && typeof (resource as { close?: unknown }).close === "function") {
    return r.fd === -1;
  }
  return undefined;
}

/**
 * Asserts that every resource given has been disposed. It reads a `disposed` (or `released`)
 * boolean, which `DisposableStack`, `AsyncDisposableStack` and every handle of this package have,
 * or a closed `FileHandle`'s `fd === -1`. A resource with none of these is a TypeError.
 *
 * @example
 * ```ts
 * import { expectDisposed } from "@heapwise/dispose/testing";
 *
 * const stack = new DisposableStack();
 * const t = stack.use(timeout(1000, tick));
 * stack.dispose();
 * expectDisposed(stack, t);
 * ```
 */
export function expectDisposed(...resources: object[]): void {
  if (resources.length === 0) {
    throw new TypeError("expectDisposed: give at least one resource");
  }
  const open: string[] = [];
  resources.forEach((resource, i) => {
    if (!isObject(resource)) {
      throw new TypeError(
        `expectDisposed: argument ${i} must be an object, got ${describe(resource)}`,
      );
    }
    const disposed = isDisposedNow(resource);
    if (disposed === undefined) {
      throw new TypeError(
        `expectDisposed: cannot tell whether argument ${i} (${describe(resource)}) was disposed: it has no boolean "disposed" or "released" property`,
      );
    }
    if (!disposed) open.push(`argument ${i} (${describe(resource)})`);
  });
  if (open.length > 0) {
    throw new ResourceAssertionError(`expectDisposed: not disposed: ${open.join(", ")}`);
  }
}

/** Options of {@link expectNoLeaks}. */
export interface NoLeaksOptions {
  /**
   * What to do with resources that were disposed but are still reachable after collection (kept
   * in a cache, a closure, an array): `"fail"` (default) or `"ignore"`.
   */
  retained?: "fail" | "ignore";
  /** Collection rounds after `fn` settles. Default 5. */
  rounds?: number;
}

interface Created {
  ref: WeakRef<object>;
  kind: string;
  stack: string | undefined;
  state: ResourceState | undefined;
  disposed: boolean;
}

/**
 * Runs `fn` (sync or async) and asserts that every resource made by this package's helpers (or
 * passed to `trackResource`) while it ran was disposed (or, for timers and listeners, has finished)
 * by the time it settled, and that none of them is still reachable after garbage collection. A
 * failure lists each leak with the stack that created it: Python's `-W error::ResourceWarning`.
 *
 * Caveat: resources created by other code running at the same time (concurrent tests in the same
 * process) are seen too.
 *
 * @example
 * ```ts
 * import { expectNoLeaks } from "@heapwise/dispose/testing";
 *
 * await expectNoLeaks(async () => {
 *   await handleRequest(fakeRequest); // uses timeout(), listen(), mutex leases…
 * });
 * ```
 */
export async function expectNoLeaks(
  fn: () => unknown,
  options: NoLeaksOptions = {},
): Promise<void> {
  const gc = requireGc("expectNoLeaks");
  if (typeof fn !== "function") {
    throw new TypeError(`expectNoLeaks: fn must be a function, got ${describe(fn)}`);
  }
  if (!isObject(options)) {
    throw new TypeError(`expectNoLeaks: options must be an object, got ${describe(options)}`);
  }
  const retained = options.retained ?? "fail";
  if (retained !== "fail" && retained !== "ignore") {
    throw new TypeError(
      `expectNoLeaks: retained must be "fail" or "ignore", got ${describe(retained)}`,
    );
  }
  const rounds = checkRounds("expectNoLeaks", options.rounds ?? 5);
  const created: Created[] = [];
  const byResource = new WeakMap<object, Created>();
  const observer: ResourceObserver = {
    wantsStacks: true,
    track(resource, kind, stack, state) {
      const record = { ref: new WeakRef(resource), kind, stack, state, disposed: false };
      created.push(record);
      byResource.set(resource, record);
    },
    untrack(resource) {
      const record = byResource.get(resource);
      if (record) record.disposed = true;
    },
  };
  const stop = observeResources(observer);
  try {
    await fn();
    await collect(gc, rounds);
  } finally {
    stop();
  }
  const problems: string[] = [];
  for (const c of created) {
    const closed = c.disposed || (c.state !== undefined && !c.state.open);
    const alive = c.ref.deref() !== undefined;
    if (!closed) {
      problems.push(
        `${c.kind} not disposed${alive ? "" : " (and garbage-collected)"}${c.stack ? `, created at:\n${c.stack}` : ""}`,
      );
    } else if (alive && retained === "fail") {
      problems.push(
        `${c.kind} disposed but still reachable after ${rounds} collections${c.stack ? `, created at:\n${c.stack}` : ""}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ResourceAssertionError(
      `expectNoLeaks: ${problems.length} leak${problems.length === 1 ? "" : "s"}:\n${problems.join("\n")}`,
    );
  }
}
