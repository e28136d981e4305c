/**
 * One in-flight `getOrLoad`: the loader runs once, every caller waits on it. A caller with a
 * signal may stop waiting; the loader's own signal aborts only when no caller waits any more.
 */
export class Load<V> {
  /** A set/delete/clear of the key happened meanwhile: the result must not be stored. */
  superseded = false;
  readonly #controller = new AbortController();
  readonly #promise: Promise<V>;
  #resolve!: (value: V) => void;
  #reject!: (error: unknown) => void;
  #settled = false;
  /** Callers that wait with a signal and have not aborted. */
  #waiters = 0;
  /** A caller waits without a signal: the load is never aborted by the others. */
  #pinned = false;

  constructor() {
    this.#promise = new Promise<V>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Callers get their own promises; this one must not be reported as unhandled when none waits.
    this.#promise.catch(() => {});
  }

  /** The signal passed to the loader. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  resolve(value: V): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve(value);
  }

  reject(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(error);
  }

  /** Aborts the loader and rejects every waiting caller with `reason`. */
  cancel(reason: unknown): void {
    this.#controller.abort(reason);
    this.reject(reason);
  }

  /**
   * A promise for this load's result that also rejects when `signal` aborts. When the last
   * signalled caller aborts and no unsignalled one waits, `detach()` runs and the loader's signal
   * aborts. The abort listener is removed once the load settles.
   */
  wait(signal: AbortSignal | undefined, detach: () => void): Promise<V> {
    if (signal === undefined) {
      this.#pinned = true;
      return this.#promise;
    }
    this.#waiters++;
    return new Promise<V>((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason);
        if (--this.#waiters === 0 && !this.#pinned && !this.#settled) {
          detach();
          this.#controller.abort(signal.reason);
        }
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#promise.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }
}
