/**
 * The worker-thread side of `@heapwise/buffer/node`: runs one kernel over a range of shared memory
 * and replies with the partial result. Started by ParallelPool; not a public entry point.
 */
import { parentPort } from "node:worker_threads";
import { runTask, type Task } from "./internal/tasks.ts";

if (parentPort) {
  const port = parentPort;
  port.on("message", (t: Task) => {
    try {
      port.postMessage({ id: t.id, value: runTask(t) });
    } catch (e) {
      port.postMessage({
        id: t.id,
        error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      });
    }
  });
}
