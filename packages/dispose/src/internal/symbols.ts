/**
 * The two well-known symbols of explicit resource management, and the fallback keys used in the wild
 * by code that ran where `Symbol.dispose` did not exist yet.
 *
 * Where the runtime has `Symbol.dispose` (Node ≥ 18.18, every current browser engine with `using`),
 * that symbol is used. Where it has none, the key is `Symbol.for("Symbol.dispose")`: the one that
 * esbuild's and Babel's `using` helpers and core-js's polyfill fall back to, so lowered `using` code and
 * our classes agree on the key.
 */

type SymbolStatics = { dispose?: symbol; asyncDispose?: symbol };

/** `Symbol.dispose`, or `Symbol.for("Symbol.dispose")` where the runtime has none. */
export const disposeSymbol: typeof Symbol.dispose = ((Symbol as SymbolStatics).dispose ??
  Symbol.for("Symbol.dispose")) as typeof Symbol.dispose;

/** `Symbol.asyncDispose`, or `Symbol.for("Symbol.asyncDispose")` where the runtime has none. */
export const asyncDisposeSymbol: typeof Symbol.asyncDispose = ((Symbol as SymbolStatics)
  .asyncDispose ?? Symbol.for("Symbol.asyncDispose")) as typeof Symbol.asyncDispose;

const unique = (keys: symbol[]): readonly symbol[] => Object.freeze([...new Set(keys)]);

/**
 * Keys under which a synchronous dispose method is found in the wild, most standard first:
 * - the runtime's `Symbol.dispose`;
 * - `Symbol.for("Symbol.dispose")`: esbuild's `__knownSymbol`, Babel's and Bun's `using` helpers,
 *   core-js (`Symbol.for("Symbol." + name)` for missing well-known symbols);
 * - `Symbol.for("nodejs.dispose")`: the value of `Symbol.dispose` on Node 18.18–23 (objects made there
 *   and passed to a realm whose `Symbol.dispose` is V8's own);
 * - `Symbol.for("dispose")`: `@whatwg-node/disposablestack`'s fallback (`patchSymbols`);
 * - `Symbol.for("@esfx/disposable:Disposable.dispose")`: `@esfx/disposable`'s fallback.
 */
export const SYNC_DISPOSE_KEYS: readonly symbol[] = unique([
  disposeSymbol,
  Symbol.for("Symbol.dispose"),
  Symbol.for("nodejs.dispose"),
  Symbol.for("dispose"),
  Symbol.for("@esfx/disposable:Disposable.dispose"),
]);

/** The asynchronous counterparts of {@link SYNC_DISPOSE_KEYS}, in the same order. */
export const ASYNC_DISPOSE_KEYS: readonly symbol[] = unique([
  asyncDisposeSymbol,
  Symbol.for("Symbol.asyncDispose"),
  Symbol.for("nodejs.asyncDispose"),
  Symbol.for("asyncDispose"),
  Symbol.for("@esfx/disposable:AsyncDisposable.asyncDispose"),
]);
