/**
 * The contestants' classes, loaded once: ours (exported, and the ponyfill forced), the host's, and
 * the peers a user would otherwise pick. On Node 24 the peers' *ponyfills* are loaded explicitly,
 * since @whatwg-node/disposablestack re-exports the native classes there.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { AsyncDisposableStack, DisposableStack, SuppressedError } from "../src/index.ts";
import { AsyncDisposableStackPonyfill } from "../src/ponyfill/async-disposable-stack.ts";
import { DisposableStackPonyfill } from "../src/ponyfill/disposable-stack.ts";

const require = createRequire(import.meta.url);

export interface Classes {
  sync: DisposableStackConstructor;
  async: AsyncDisposableStackConstructor;
}

const host = globalThis as {
  DisposableStack?: DisposableStackConstructor;
  AsyncDisposableStack?: AsyncDisposableStackConstructor;
};

export const nativeAvailable = typeof host.DisposableStack === "function";

export const heapwise: Classes = { sync: DisposableStack, async: AsyncDisposableStack };
export const heapwisePonyfill: Classes = {
  sync: DisposableStackPonyfill,
  async: AsyncDisposableStackPonyfill,
};
export const native: Classes | undefined = nativeAvailable
  ? { sync: host.DisposableStack!, async: host.AsyncDisposableStack! }
  : undefined;

export const esShims: Classes = {
  sync: require("disposablestack/DisposableStack/implementation") as DisposableStackConstructor,
  async:
    require("disposablestack/AsyncDisposableStack/implementation") as AsyncDisposableStackConstructor,
};

const whatwgDir = dirname(require.resolve("@whatwg-node/disposablestack/package.json"));
const whatwgSync = (await import(
  pathToFileURL(join(whatwgDir, "esm/DisposableStack.js")).href
)) as {
  PonyfillDisposableStack: DisposableStackConstructor;
};
const whatwgAsync = (await import(
  pathToFileURL(join(whatwgDir, "esm/AsyncDisposableStack.js")).href
)) as { PonyfillAsyncDisposableStack: AsyncDisposableStackConstructor };
export const whatwg: Classes = {
  sync: whatwgSync.PonyfillDisposableStack,
  async: whatwgAsync.PonyfillAsyncDisposableStack,
};

/** The error the hand-written floor aggregates with (the host's, else ours). */
export const Suppressed: SuppressedErrorConstructor = SuppressedError;
