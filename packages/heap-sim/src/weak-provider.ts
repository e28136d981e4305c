import { PythonError } from "./errors.ts";
import type { Heap } from "./heap.ts";
import type { FinalizationRegistryLike, WeakProvider, WeakRefLike } from "./interfaces.ts";
import { checkHandle, describe, handles } from "./internal/bridge.ts";
import { F_WATCHED } from "./internal/constants.ts";
import type { Runtime, Watcher } from "./internal/runtime.ts";
import type { PyObject } from "./object.ts";

/** Options of {@link Heap.weakProvider}. */
export interface WeakProviderOptions {
  /**
   * When finalization-registry cleanups run. `"sync"` (default): inside the decref or collection
   * that clears the object's weak references, as CPython runs weakref callbacks. `"queued"`: they
   * wait in a queue until `flush()` is called, like a JS `FinalizationRegistry` whose callbacks
   * come later.
   */
  readonly cleanup?: "sync" | "queued";
}

/** A {@link WeakProvider} over a simulated heap, plus `flush()` for queued cleanups. */
export interface SimulatedWeakProvider extends WeakProvider {
  /** Runs the cleanups queued so far (with `cleanup: "queued"`). Returns how many ran. */
  flush(): number;
  /** Cleanups waiting in the queue. */
  readonly pending: number;
}

function watch(rt: Runtime, id: number, w: Watcher): void {
  let list = rt.watchers.get(id);
  if (list === undefined) {
    list = [];
    rt.watchers.set(id, list);
  }
  list.push(w);
  rt.flags[id]! |= F_WATCHED;
}

function unwatch(rt: Runtime, id: number, w: Watcher): void {
  const list = rt.watchers.get(id);
  if (list === undefined) return;
  const i = list.indexOf(w);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) {
    rt.watchers.delete(id);
    rt.flags[id]! &= ~F_WATCHED;
  }
}

/** The liveness record every weak reference to one object shares (until the object dies). */
interface RefState extends Watcher {
  dead: boolean;
}

/** Per runtime: object id → its shared liveness record (providers of one heap share them). */
const refStatesByRuntime = new WeakMap<Runtime, Map<number, RefState>>();

function refStatesOf(rt: Runtime): Map<number, RefState> {
  let m = refStatesByRuntime.get(rt);
  if (m === undefined) {
    m = new Map();
    refStatesByRuntime.set(rt, m);
  }
  return m;
}

/** @internal */
export function createWeakProvider(
  heap: Heap,
  rt: Runtime,
  options: WeakProviderOptions,
): SimulatedWeakProvider {
  const mode = options.cleanup ?? "sync";
  if (mode !== "sync" && mode !== "queued") {
    throw new RangeError(`cleanup must be "sync" or "queued", got ${String(mode)}`);
  }
  const queue: (() => void)[] = [];
  const refStates = refStatesOf(rt);

  const targetId = (target: unknown, what: string): number => {
    if (!handles().isHandle(target)) {
      throw new TypeError(
        `${what}: the target must be a PyObject of this heap, got ${String(target)}`,
      );
    }
    const id = checkHandle(heap, rt, target);
    const tp = rt.typeOf(id);
    if (!tp.weakrefable) {
      throw new PythonError(
        "TypeError",
        `cannot create weak reference to '${tp.name}' object (${describe(tp.name, id)})`,
      );
    }
    return id;
  };

  return {
    weakRef<T extends object>(target: T): WeakRefLike<T> {
      const id = targetId(target, "weakRef");
      // One watcher per live object, shared by every weak reference to it (CPython shares one
      // `weakref.ref` without callback too): a long-lived object weakly referenced a million
      // times (a cache re-recording it on every set) holds one record, not a million.
      let state = refStates.get(id);
      if (state === undefined) {
        const fresh: RefState = {
          dead: false,
          cleared: () => {
            fresh.dead = true;
            refStates.delete(id);
          },
        };
        state = fresh;
        refStates.set(id, state);
        watch(rt, id, state);
      }
      const shared = state;
      return {
        deref(): T | undefined {
          if (shared.dead || !(target as unknown as PyObject).alive) return undefined;
          return target;
        },
      };
    },

    finalizationRegistry<H>(cleanup: (heldValue: H) => void): FinalizationRegistryLike<H> {
      if (typeof cleanup !== "function") {
        throw new TypeError(`cleanup must be a function, got ${String(cleanup)}`);
      }
      const byToken = new Map<object, { id: number; watcher: Watcher }[]>();
      return {
        register(target: object, heldValue: H, unregisterToken?: object): void {
          const id = targetId(target, "register");
          if (target === (heldValue as unknown)) {
            throw new TypeError("register: the target and the held value must not be the same");
          }
          if (
            unregisterToken !== undefined &&
            (typeof unregisterToken !== "object" || unregisterToken === null)
          ) {
            throw new TypeError(
              `register: unregisterToken must be an object, got ${String(unregisterToken)}`,
            );
          }
          const watcher: Watcher = {
            cleared: () => {
              if (unregisterToken !== undefined) {
                const list = byToken.get(unregisterToken);
                if (list !== undefined) {
                  const i = list.findIndex((r) => r.watcher === watcher);
                  if (i >= 0) list.splice(i, 1);
                  if (list.length === 0) byToken.delete(unregisterToken);
                }
              }
              if (mode === "sync") cleanup(heldValue);
              else queue.push(() => cleanup(heldValue));
            },
          };
          watch(rt, id, watcher);
          if (unregisterToken !== undefined) {
            let list = byToken.get(unregisterToken);
            if (list === undefined) {
              list = [];
              byToken.set(unregisterToken, list);
            }
            list.push({ id, watcher });
          }
        },
        unregister(unregisterToken: object): boolean {
          if (typeof unregisterToken !== "object" || unregisterToken === null) {
            throw new TypeError(
              `unregister: the token must be an object, got ${String(unregisterToken)}`,
            );
          }
          const list = byToken.get(unregisterToken);
          if (list === undefined) return false;
          byToken.delete(unregisterToken);
          for (const r of list) unwatch(rt, r.id, r.watcher);
          return list.length > 0;
        },
      };
    },

    flush(): number {
      let n = 0;
      while (queue.length > 0) {
        queue.shift()!();
        n++;
      }
      return n;
    },

    get pending(): number {
      return queue.length;
    },
  };
}
