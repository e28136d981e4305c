/**
 * Event listeners that are removed when disposed, for DOM-style EventTargets and Node-style
 * EventEmitters alike.
 */
import { describe, isObject } from "./internal/describe.js";
import { disposeSymbol } from "./internal/symbols.js";
import { noteCreated, noteDisposed } from "./leak-tracker.js";
import { isAbortSignal } from "./timers.js";

/** The EventTarget shape (`addEventListener` / `removeEventListener`): DOM, Node's EventTarget, AbortSignal. */
export interface EventTargetLike {
  addEventListener(type: string, listener: EventListenerLike, options?: unknown): void;
  removeEventListener(type: string, listener: EventListenerLike, options?: unknown): void;
}

/** A DOM listener: a function or an object with `handleEvent`. */
export type EventListenerLike = ((event: never) => void) | { handleEvent(event: never): void };

/** The EventEmitter shape: `on`/`off` (or `addListener`/`removeListener`), optionally `once`. */
export interface EventEmitterLike {
  on?(type: string | symbol, listener: (...args: unknown[]) => void): unknown;
  addListener?(type: string | symbol, listener: (...args: unknown[]) => void): unknown;
  off?(type: string | symbol, listener: (...args: unknown[]) => void): unknown;
  removeListener?(type: string | symbol, listener: (...args: unknown[]) => void): unknown;
  once?(type: string | symbol, listener: (...args: unknown[]) => void): unknown;
}

/** Options of {@link listen}. */
export interface ListenOptions {
  /** EventTarget only: listen in the capture phase (removal uses the same flag). Default `false`. */
  capture?: boolean;
  /** EventTarget only: the listener will not call `preventDefault()`. */
  passive?: boolean;
  /** Remove the listener after its first call. Default `false`. */
  once?: boolean;
  /** Remove the listener when this signal aborts (at once if it already has). */
  signal?: AbortSignal;
}

/** A registered listener; disposing it removes the listener. */
export interface Listener extends Disposable {
  /** True until the listener is removed (disposed, aborted, or after its first call with `once`). */
  readonly active: boolean;
  /** Whether `[Symbol.dispose]()` was called. */
  readonly disposed: boolean;
}

interface ListenerState {
  open: boolean;
  readonly remove: () => void;
  signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

function closeListener(state: ListenerState): void {
  if (!state.open) return;
  state.open = false;
  state.remove();
  state.signal?.removeEventListener("abort", state.onAbort);
  state.signal = undefined;
}

class ListenerHandle implements Listener {
  readonly #state: ListenerState;
  #disposed = false;

  constructor(state: ListenerState) {
    this.#state = state;
  }

  get active(): boolean {
    return this.#state.open;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  [disposeSymbol](): void {
    if (this.#disposed) return;
    this.#disposed = true;
    noteDisposed(this);
    closeListener(this.#state);
  }
}

const isFunction = (v: unknown): v is (...args: unknown[]) => unknown => typeof v === "function";

/**
 * Adds `handler` for `type` on `target` and returns a {@link Listener} that removes it when
 * disposed. `target` may be an EventTarget (`addEventListener`) or an EventEmitter (`on`/`off`,
 * `addListener`/`removeListener`). The handler is registered as given (with `once`, inside a small
 * wrapper that removes itself), and the target never holds the returned handle: a handle dropped
 * without being disposed can be collected, and reported by a leak tracker.
 *
 * @param target - an EventTarget or EventEmitter
 * @param type - the event name
 * @param handler - the listener
 * @example
 * ```ts
 * import { listen } from "@heapwise/dispose";
 *
 * using _close = listen(socket, "close", onClose);     // EventEmitter
 * using _click = listen(button, "click", onClick);     // EventTarget
 * ```
 */
export function listen<E = unknown>(
  target: EventTargetLike | EventEmitterLike,
  type: string | symbol,
  handler: (event: E, ...rest: unknown[]) => void,
  options: ListenOptions = {},
): Listener {
  if (!isObject(target)) {
    throw new TypeError(
      `listen: target must be an EventTarget or EventEmitter, got ${describe(target)}`,
    );
  }
  if (typeof type !== "string" && typeof type !== "symbol") {
    throw new TypeError(`listen: type must be a string or symbol, got ${describe(type)}`);
  }
  if (!isFunction(handler)) {
    throw new TypeError(`listen: handler must be a function, got ${describe(handler)}`);
  }
  if (!isObject(options)) {
    throw new TypeError(`listen: options must be an object, got ${describe(options)}`);
  }
  if (options.signal !== undefined && !isAbortSignal(options.signal)) {
    throw new TypeError(`listen: signal must be an AbortSignal, got ${describe(options.signal)}`);
  }
  const t = target as Record<string, unknown>;
  let addListener: (listener: (...args: never[]) => void) => void;
  let removeListener: (listener: (...args: never[]) => void) => void;
  if (isFunction(t.addEventListener) && isFunction(t.removeEventListener)) {
    if (typeof type !== "string") {
      throw new TypeError(
        `listen: an EventTarget's event type must be a string, got ${describe(type)}`,
      );
    }
    const capture = options.capture === true;
    const addOptions =
      options.passive === undefined ? { capture } : { capture, passive: options.passive };
    const addEL = t.addEventListener;
    const removeEL = t.removeEventListener;
    addListener = (listener) => void addEL.call(target, type, listener, addOptions);
    removeListener = (listener) => void removeEL.call(target, type, listener, { capture });
  } else {
    const on = isFunction(t.on) ? t.on : t.addListener;
    const off = isFunction(t.off) ? t.off : t.removeListener;
    if (!isFunction(on) || !isFunction(off)) {
      throw new TypeError(
        `listen: target must be an EventTarget (addEventListener/removeEventListener) or an EventEmitter (on/off), got ${describe(target)}`,
      );
    }
    addListener = (listener) => void on.call(target, type, listener);
    removeListener = (listener) => void off.call(target, type, listener);
  }
  // With `once`, a small wrapper removes itself on the first call (so `active` stays true to
  // fact); otherwise the handler itself is registered.
  let registered = handler as (...args: never[]) => void;
  const state: ListenerState = {
    open: true,
    remove: () => removeListener(registered),
    signal: undefined,
    onAbort: () => closeListener(state),
  };
  if (options.once) {
    registered = (...args: never[]) => {
      closeListener(state);
      (handler as (...a: unknown[]) => void)(...args);
    };
  }
  const handle = new ListenerHandle(state);
  noteCreated(handle, "listener", state);
  if (options.signal?.aborted) {
    state.open = false;
    return handle;
  }
  addListener(registered);
  if (options.signal) {
    state.signal = options.signal;
    options.signal.addEventListener("abort", state.onAbort, { once: true });
  }
  return handle;
}
