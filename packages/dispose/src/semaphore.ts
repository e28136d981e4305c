/**
 * Semaphore and Mutex whose permits are leases: `using lease = await sem.acquire({ signal })`.
 * Waiters are served first in, first out; an aborted waiter leaves the queue at once and leaves no
 * listener behind.
 */
import { describe, isObject } from "./internal/describe.js";
import { disposeSymbol } from "./internal/symbols.js";
import { noteCreated, noteDisposed } from "./leak-tracker.js";
import { isAbortSignal } from "./timers.js";

/** A held permit. Disposing it (or `release()`) gives the permit back, once. */
export interface Lease extends Disposable {
  /** Gives the permit back; later calls do nothing. */
  release(): void;
  /** Whether the permit was given back. */
  readonly released: boolean;
}

/** Options of `acquire`. */
export interface AcquireOptions {
  /**
   * Gives up waiting when this signal aborts: the promise rejects with `signal.reason` and the
   * waiter leaves the queue. An already-aborted signal rejects at once, even if a permit is free.
   */
  signal?: AbortSignal;
}

interface Waiter {
  resolve: (lease: Lease) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  prev: Waiter | undefined;
  next: Waiter | undefined;
}

class LeaseHandle implements Lease {
  #owner: Semaphore | undefined;

  constructor(owner: Semaphore, kind: string) {
    this.#owner = owner;
    noteCreated(this, kind);
  }

  get released(): boolean {
    return this.#owner === undefined;
  }

  release(): void {
    const owner = this.#owner;
    if (owner === undefined) return;
    this.#owner = undefined;
    noteDisposed(this);
    releasePermit(owner);
  }

  [disposeSymbol](): void {
    this.release();
  }
}

let releasePermit: (semaphore: Semaphore) => void;

/**
 * A counting semaphore: at most `permits` leases are held at once; `acquire()` waits (FIFO) for
 * one. Python: `asyncio.Semaphore` (with `async with sem:` → `using lease = await sem.acquire()`).
 *
 * Cost: `acquire` with a free permit allocates one lease and resolves at once; a waiter is one
 * queue node (O(1) to add, serve or abort).
 *
 * @example
 * ```ts
 * import { Semaphore } from "@heapwise/dispose";
 *
 * const connections = new Semaphore(10);
 * async function query(sql: string, signal?: AbortSignal) {
 *   using _lease = await connections.acquire({ signal });
 *   return db.query(sql);
 * }
 * ```
 */
export class Semaphore {
  #available: number;
  readonly #capacity: number;
  #head: Waiter | undefined;
  #tail: Waiter | undefined;
  #waiting = 0;
  /** The kind name used in leak reports. */
  protected readonly leaseKind: string = "semaphore lease";

  /**
   * @param permits - how many leases may be held at once: a positive integer
   */
  constructor(permits: number) {
    if (!Number.isSafeInteger(permits) || permits < 1) {
      throw new RangeError(
        `Semaphore: permits must be a positive integer, got ${describe(permits)}`,
      );
    }
    this.#available = permits;
    this.#capacity = permits;
  }

  static {
    releasePermit = (semaphore) => semaphore.#release();
  }

  /** Permits free right now. */
  get available(): number {
    return this.#available;
  }

  /** The total number of permits. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Callers waiting in `acquire()`. */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * Waits for a permit and returns its lease. Resolves at once when a permit is free and nobody
   * waits; otherwise joins the end of the queue.
   */
  acquire(options: AcquireOptions = {}): Promise<Lease> {
    if (!isObject(options)) {
      return Promise.reject(
        new TypeError(`acquire: options must be an object, got ${describe(options)}`),
      );
    }
    const { signal } = options;
    if (signal !== undefined && !isAbortSignal(signal)) {
      return Promise.reject(
        new TypeError(`acquire: signal must be an AbortSignal, got ${describe(signal)}`),
      );
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const lease = this.tryAcquire();
    if (lease !== undefined) return Promise.resolve(lease);
    return new Promise<Lease>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: undefined,
        prev: this.#tail,
        next: undefined,
      };
      if (this.#tail) this.#tail.next = waiter;
      else this.#head = waiter;
      this.#tail = waiter;
      this.#waiting++;
      if (signal) {
        waiter.onAbort = () => {
          this.#unlink(waiter);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
    });
  }

  /** A lease if a permit is free and nobody is waiting (FIFO is never jumped), else `undefined`. */
  tryAcquire(): Lease | undefined {
    if (this.#available === 0 || this.#head !== undefined) return undefined;
    this.#available--;
    return new LeaseHandle(this, this.leaseKind);
  }

  #unlink(waiter: Waiter): void {
    if (waiter.prev) waiter.prev.next = waiter.next;
    else this.#head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else this.#tail = waiter.prev;
    waiter.prev = waiter.next = undefined;
    this.#waiting--;
    if (waiter.signal && waiter.onAbort) {
      waiter.signal.removeEventListener("abort", waiter.onAbort);
    }
    waiter.signal = undefined;
    waiter.onAbort = undefined;
  }

  #release(): void {
    const next = this.#head;
    if (next === undefined) {
      this.#available++;
      return;
    }
    // Hand the permit straight to the first waiter: nobody can barge in between.
    this.#unlink(next);
    next.resolve(new LeaseHandle(this, this.leaseKind));
  }
}

/**
 * A mutual-exclusion lock: a {@link Semaphore} with one permit. Python: `asyncio.Lock`.
 *
 * @example
 * ```ts
 * import { Mutex } from "@heapwise/dispose";
 *
 * const lock = new Mutex();
 * async function append(line: string) {
 *   using _held = await lock.acquire();
 *   await file.appendFile(line);
 * }
 * ```
 */
export class Mutex extends Semaphore {
  protected override readonly leaseKind: string = "mutex lease";

  constructor() {
    super(1);
  }

  /** Whether the lock is held. */
  get locked(): boolean {
    return this.available === 0;
  }
}
