/**
 * The push protocol that `pipe` fuses stages with. A fusible stage is a factory of sinks; `pipe`
 * composes them into one chain and drives it with a single loop (a terminal) or a single iterator
 * (otherwise), so a pipeline of n stages costs one iterator and n direct calls per item, not n
 * iterator objects and n `next()` round trips.
 *
 * `push` returns `true` while more input is wanted and `false` once the chain is satisfied (take,
 * find, …); after `false` the driver pulls nothing more, closes the source and calls `end()`. In an
 * async pipeline `push` and `end` may return promises, which the driver awaits before the next pull:
 * values are processed one at a time and in order.
 */
export type Step = boolean | Promise<boolean>;

export interface Sink<T> {
  /** Called once before the first pull; `false` means no input is wanted at all (take(0)). */
  start(): boolean;
  push(value: T): Step;
  /** The input ended (or the chain was satisfied): flush what is held, then end downstream. */
  end(): void | Promise<void>;
}

export interface TerminalSink<T, R> extends Sink<T> {
  result(): R;
}

export const toFalse = (): false => false;

/** `step` then `false`, waiting for `step` when it is a promise. */
export function thenStop(step: Step): Step {
  return step === true || step === false ? false : step.then(toFalse);
}

/**
 * Passes `step` on, calling `onStop` once it turns out to be `false` (at once, or when the promise
 * settles). Stages that flush at the end use it so that they never push after a stop.
 */
export function track(step: Step, onStop: () => void): Step {
  if (step === true) return true;
  if (step === false) {
    onStop();
    return false;
  }
  return step.then((more) => {
    if (!more) onStop();
    return more;
  });
}

/** Runs `next` after `first` (which may be a promise). */
export function after(
  first: void | Promise<void>,
  next: () => void | Promise<void>,
): void | Promise<void> {
  return first === undefined ? next() : first.then(next);
}

/** Base of the stages that pass `end()` and `start()` straight on. */
export abstract class PassSink<I, O> implements Sink<I> {
  constructor(protected readonly down: Sink<O>) {}
  start(): boolean {
    return this.down.start();
  }
  abstract push(value: I): Step;
  end(): void | Promise<void> {
    return this.down.end();
  }
}
