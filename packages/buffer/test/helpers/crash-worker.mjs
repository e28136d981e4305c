// A worker that dies on its first task (uncaught exception), for the crash-recovery test.
import { parentPort } from "node:worker_threads";

parentPort.on("message", () => {
  throw new Error("boom");
});
