/**
 * isolate(): what a call costs beyond the work itself — starting a worker thread or a child
 * process, importing the module, one message each way, and stopping it. Each sample makes CALLS
 * calls in a row of a function that returns at once; contestants are interleaved in one process.
 * The floor is the least a worker thread round trip can do (new Worker, postMessage, terminate);
 * the hand-written child process (fork with IPC, serialization "advanced") is the least a process
 * can do. isolate() runs with `execArgv: []` like the hand-written ones (by default it inherits
 * the caller's options, which under the benchmark runner would add tsx's start-up to every call).
 *
 * Run: `pnpm bench dispose --files isolate` (and `--node24`) from the repository root.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { compare } from "@heapwise/bench";
import { isolate } from "../src/node.ts";

const CALLS = 4;
const batch = new URL("../test/fixtures/batch.mjs", import.meta.url);
const workerScript = new URL("./fixtures/hand-written-worker.mjs", import.meta.url);
const childScript = fileURLToPath(new URL("./fixtures/hand-written-child.mjs", import.meta.url));

function handWrittenWorker(name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript, { workerData: name, execArgv: [] });
    worker.once("error", reject);
    worker.once("message", (answer: string) => {
      worker.terminate().then(() => resolve(answer), reject);
    });
  });
}

function handWrittenChild(name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = fork(childScript, [], { serialization: "advanced", execArgv: [] });
    let answer: string | undefined;
    child.once("error", reject);
    child.once("message", (message: string) => {
      answer = message;
    });
    child.once("close", () =>
      answer === undefined ? reject(new Error("no answer")) : resolve(answer),
    );
    child.send(name);
  });
}

const calls = (one: (name: string) => Promise<unknown>) => async () => {
  const out: unknown[] = [];
  for (let i = 0; i < CALLS; i++) out.push(await one(`call ${i}`));
  return out;
};

await compare({
  suite: "isolate() start-up: a call that returns at once",
  floor: "hand-written worker thread",
  ops: CALLS,
  rounds: 10,
  minRounds: 5,
  budgetMs: 60_000,
  expect: (r) =>
    (Array.isArray(r) && r.every((x, i) => x === `hello call ${i}`)) || JSON.stringify(r),
  contestants: {
    "hand-written worker thread": () => calls(handWrittenWorker),
    "hand-written child process": () => calls(handWrittenChild),
    'isolate(…, { mode: "worker" })': () =>
      calls((name) => isolate(batch, { mode: "worker", args: [name], execArgv: [] })),
    'isolate(…, { mode: "process" }) (default)': () =>
      calls((name) => isolate(batch, { mode: "process", args: [name], execArgv: [] })),
  },
});
