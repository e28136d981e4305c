/**
 * `@heapwise/dispose/polyfill`: installs explicit resource management where the runtime lacks it.
 * Import it once, first, for its side effect:
 *
 * ```ts
 * import "@heapwise/dispose/polyfill";
 * ```
 *
 * - `Symbol.dispose` / `Symbol.asyncDispose`, only where missing, as `Symbol.for("Symbol.dispose")` /
 *   `Symbol.for("Symbol.asyncDispose")` (the keys esbuild, Babel and core-js fall back to), read-only
 *   like the built-ins. Where they exist (Node ≥ 18.18) they are never touched.
 * - `globalThis.DisposableStack`, `AsyncDisposableStack`, `SuppressedError`, only where missing: the
 *   same classes as `@heapwise/dispose` exports, so `instanceof` agrees everywhere.
 * - `Iterator.prototype[Symbol.dispose]` and `%AsyncIteratorPrototype%[Symbol.asyncDispose]`, only
 *   where missing, so that `using it = generator()` closes the generator.
 *
 * It never overwrites a native (or previously installed) value.
 */
import { AsyncDisposableStack, DisposableStack } from "./disposable-stack.js";
import { install, type PolyfillReport } from "./internal/install.js";
import { asyncDisposeSymbol, disposeSymbol } from "./internal/symbols.js";
import { SuppressedError } from "./suppressed-error.js";

export type { PolyfillReport } from "./internal/install.js";

/**
 * What this import installed (`true`) and what the runtime already had (`false`).
 *
 * @example
 * ```ts
 * import { polyfilled } from "@heapwise/dispose/polyfill";
 * if (polyfilled.DisposableStack) console.log("DisposableStack came from @heapwise/dispose");
 * ```
 */
export const polyfilled: PolyfillReport = install(globalThis, {
  disposeSymbol,
  asyncDisposeSymbol,
  DisposableStack,
  AsyncDisposableStack,
  SuppressedError,
  IteratorPrototype: Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object,
  AsyncIteratorPrototype: Object.getPrototypeOf(
    Object.getPrototypeOf(async function* () {}.prototype),
  ) as object,
});
