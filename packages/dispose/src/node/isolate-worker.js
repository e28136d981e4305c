// The bootstrap of `isolate()` (see isolate.ts): a plain ES module so that it runs in a worker
// thread without a TypeScript loader. It imports the module, calls the export with the arguments
// and posts the outcome back. No top-level await: the work runs in an async function.
import { parentPort, workerData } from "node:worker_threads";

async function main() {
  const { specifier, exportName, args } = workerData;
  try {
    const namespace = await import(specifier);
    const fn = namespace[exportName];
    if (typeof fn !== "function") {
      throw new TypeError(
        `isolate: ${specifier} has no function export ${JSON.stringify(exportName)} (got ${typeof fn})`,
      );
    }
    const result = await fn(...args);
    parentPort.postMessage({ ok: true, result });
  } catch (error) {
    parentPort.postMessage({ ok: false, error });
  }
}

main();
