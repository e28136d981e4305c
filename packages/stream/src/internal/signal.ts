/** A listener on an AbortSignal that is always removed again. */
export class SignalLink {
  #signal: AbortSignal | undefined;
  #listener: (() => void) | undefined;

  /** Listens for `abort` (calls `onAbort` at once if the signal is already aborted). */
  constructor(signal: AbortSignal | undefined, onAbort: (reason: unknown) => void) {
    if (signal === undefined) return;
    if (signal.aborted) {
      onAbort(signal.reason);
      return;
    }
    this.#signal = signal;
    this.#listener = () => {
      this.dispose();
      onAbort(signal.reason);
    };
    signal.addEventListener("abort", this.#listener, { once: true });
  }

  dispose(): void {
    if (this.#signal !== undefined && this.#listener !== undefined) {
      this.#signal.removeEventListener("abort", this.#listener);
    }
    this.#signal = undefined;
    this.#listener = undefined;
  }
}

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}
