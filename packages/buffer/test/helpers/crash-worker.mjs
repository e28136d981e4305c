// A stand-in worker for the crash-recovery test: dies (uncaught exception) on a task whose first
// element is 13, otherwise answers "sum" tasks with a plain loop.
import { parentPort } from "node:worker_threads";

parentPort.on("message", (t) => {
  if (t.x[t.lo] === 13) throw new Error("boom");
  let s = 0;
  for (let i = t.lo; i < t.hi; i++) s += t.x[i];
  parentPort.postMessage({ id: t.id, value: s });
});
