import { registerRealmIntrinsic } from "./ponyfill/realm.js";
import { SuppressedErrorPonyfill } from "./ponyfill/suppressed-error.js";

const host = globalThis as { SuppressedError?: SuppressedErrorConstructor };

/** Whether `SuppressedError` comes from the host (true on Node 24) rather than from the ponyfill. */
export const nativeSuppressedError: boolean = typeof host.SuppressedError === "function";

/**
 * `SuppressedError` (ECMA-262 20.5.8): the error a disposal throws when a later dispose callback
 * fails after an earlier failure. `error` is the newer error, `suppressed` the one it hides; nested
 * instances form a chain, newest first (see `flattenSuppressed`).
 *
 * This is the host's own `globalThis.SuppressedError` when there is one (Node 24, or after any
 * polyfill installed it), else this package's spec-exact ponyfill, so `instanceof` agrees with the
 * errors that native `using` and lowered `using` (tslib, esbuild, Babel) throw.
 *
 * @example
 * ```ts
 * import { DisposableStack, SuppressedError } from "@heapwise/dispose";
 *
 * const stack = new DisposableStack();
 * stack.defer(() => { throw new Error("first") });
 * stack.defer(() => { throw new Error("second") });
 * try { stack.dispose(); } catch (e) {
 *   // disposal runs in reverse: "second" fails first, then "first" is raised over it
 *   if (e instanceof SuppressedError) console.log(e.error.message, e.suppressed.message); // first second
 * }
 * ```
 */
export const SuppressedError: SuppressedErrorConstructor = nativeSuppressedError
  ? host.SuppressedError!
  : SuppressedErrorPonyfill;

/** An instance of {@link SuppressedError}. */
export type SuppressedError = globalThis.SuppressedError;

if (!nativeSuppressedError) registerRealmIntrinsic("SuppressedError", SuppressedError.prototype);

/** The message of the SuppressedError objects that disposal creates (the same text as V8's). */
export const SUPPRESSED_MESSAGE = "An error was suppressed during disposal";
