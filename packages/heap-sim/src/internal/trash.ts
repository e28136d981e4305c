/**
 * The trashcan (CPython 3.11 `Objects/object.c: _PyTrash_begin/_PyTrash_end`): container deallocs
 * nest at most `_PyTrash_UNWIND_LEVEL` (50) deep; deeper ones are deposited on a LIFO list and
 * destroyed when the outermost dealloc returns. This changes the free order of long chains, and it
 * keeps the JS stack shallow for a million-node linked list too.
 */
import { TRASH_UNWIND_LEVEL } from "./constants.ts";
import type { Runtime } from "./runtime.ts";

/** `Py_TRASHCAN_BEGIN`: false when the object was deposited (skip the dealloc body). */
export function trashBegin(rt: Runtime, id: number): boolean {
  if (rt.trashNesting >= TRASH_UNWIND_LEVEL) {
    rt.trashLater.push(id);
    return false;
  }
  rt.trashNesting++;
  return true;
}

/** `Py_TRASHCAN_END`. */
export function trashEnd(rt: Runtime): void {
  rt.trashNesting--;
  if (rt.trashLater.length > 0 && rt.trashNesting <= 0) {
    // _PyTrash_thread_destroy_chain
    rt.trashNesting++;
    while (rt.trashLater.length > 0) {
      const op = rt.trashLater.pop()!;
      rt.deallocHook!(op);
    }
    rt.trashNesting--;
  }
}
