import type { PymallocEvent } from "./internal/pymalloc.ts";
import type { RuntimeEvent } from "./internal/runtime.ts";

/**
 * What happens in a heap, for pictures and logs. Objects are named by their table id (see
 * `PyObject.id`; `heap.objectById(id)` gives a handle while the object lives).
 *
 * - `alloc` / `free`: an object's body was allocated or freed; `freelist: true` when it came from
 *   or went to a free list (no allocator call); `cause` says why it was freed.
 * - `gc-start` / `gc-stop`: a collection, with `gc.get_count()` before/after and its result.
 * - `finalizer`: a `__del__` runs. `weakref-callback`: a weakref callback runs.
 * - `arena-alloc` / `arena-free`: an arena was mapped / unmapped.
 * - `pool-init` (a pool starts serving a size class), `pool-full`, `pool-used` (a full pool got a
 *   free block back, or an empty pool was reused), `pool-empty` (back on its arena's free list).
 */
export type HeapEvent = RuntimeEvent | PymallocEvent;

/** Receives heap events (synchronously, while the heap operation runs). */
export type HeapListener = (event: HeapEvent) => void;
