/**
 * Reading the errors of a disposal: a nested SuppressedError as an ordered list.
 */
import { isObject } from "./internal/describe.js";
import { SuppressedError } from "./suppressed-error.js";

const hostSuppressedError = (globalThis as { SuppressedError?: unknown }).SuppressedError;

/**
 * Whether `error` is a SuppressedError: an instance of the exported class or of the host's, or an
 * error shaped like the fallback that lowered `using` code throws where there is no
 * `SuppressedError` (tslib and esbuild make an `Error` named "SuppressedError" with own `error` and
 * `suppressed` properties).
 *
 * @example
 * ```ts
 * import { isSuppressedError } from "@heapwise/dispose";
 *
 * try { stack.dispose(); } catch (e) { if (isSuppressedError(e)) report(e.error, e.suppressed); }
 * ```
 */
export function isSuppressedError(error: unknown): error is SuppressedError {
  if (!isObject(error)) return false;
  if (error instanceof SuppressedError) return true;
  if (typeof hostSuppressedError === "function" && error instanceof hostSuppressedError)
    return true;
  return (
    error instanceof Error &&
    error.name === "SuppressedError" &&
    Object.hasOwn(error, "error") &&
    Object.hasOwn(error, "suppressed")
  );
}

/**
 * Flattens a (nested) SuppressedError into the list of the errors it holds, in the order they were
 * thrown: first the body's error (if any), then each disposal error in turn. A SuppressedError in
 * `error` position (a disposer that itself threw a chain) is flattened in place. Anything else is a
 * list of one. Iterative, so a chain of any depth (20,000 failed disposals) is fine; cycles are cut.
 *
 * @param error - what a `using` block, `dispose()` or `disposeAsync()` threw
 * @returns the errors, oldest first
 * @example
 * ```ts
 * import { DisposableStack, flattenSuppressed } from "@heapwise/dispose";
 *
 * try {
 *   using stack = new DisposableStack();
 *   stack.defer(() => { throw new Error("close a") });
 *   stack.defer(() => { throw new Error("close b") });
 *   throw new Error("body");
 * } catch (e) {
 *   flattenSuppressed(e).map((x) => (x as Error).message); // ["body", "close b", "close a"]
 * }
 * ```
 */
export function flattenSuppressed(error: unknown): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<unknown>();
  // Depth-first with an explicit stack: for SuppressedError(error, suppressed), `suppressed`
  // happened before `error`, so it comes out first.
  const work: unknown[] = [error];
  while (work.length > 0) {
    const e = work.pop();
    if (isSuppressedError(e) && !seen.has(e)) {
      seen.add(e);
      work.push(e.error, e.suppressed);
    } else {
      out.push(e);
    }
  }
  return out;
}
