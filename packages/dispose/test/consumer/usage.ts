// A small program that uses @heapwise/dispose the way a service would: run by the fresh-consumer
// check against the packed tarball (tsc, module node16), then executed with Node.
import "@heapwise/dispose/polyfill";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  AsyncDisposableStack,
  contextManager,
  DisposableStack,
  flattenSuppressed,
  Mutex,
  SuppressedError,
  scope,
  suppress,
  timeout,
} from "@heapwise/dispose";
import { isolate, openFile, tempDir } from "@heapwise/dispose/node";
import { polyfilled } from "@heapwise/dispose/polyfill";
import { expectDisposed, expectNoLeaks } from "@heapwise/dispose/testing";

const log: string[] = [];

const connection = contextManager(function* (name: string) {
  log.push(`open ${name}`);
  try {
    yield { name, query: (sql: string) => `${name}: ${sql}` };
  } finally {
    log.push(`close ${name}`);
  }
});

async function main(): Promise<void> {
  assert.equal(typeof polyfilled.DisposableStack, "boolean");

  {
    using stack = new DisposableStack();
    const db = stack.use(connection("db"));
    assert.equal(db.value.query("select 1"), "db: select 1");
    using watchdog = timeout(60_000, () => log.push("too slow"));
    assert.equal(watchdog.active, true);
  }
  assert.deepEqual(log, ["open db", "close db"]);

  // A failing body and two failing disposals: one chained error, oldest first when flattened.
  let error: unknown;
  try {
    using stack = new DisposableStack();
    stack.defer(() => {
      throw new Error("close a");
    });
    stack.defer(() => {
      throw new Error("close b");
    });
    throw new Error("body");
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof SuppressedError);
  assert.deepEqual(
    flattenSuppressed(error).map((e) => (e as Error).message),
    ["body", "close b", "close a"],
  );

  // Outcome-aware scope: suppress a NotFound.
  class NotFound extends Error {}
  const result = scope((s) => {
    s.enter(suppress(NotFound));
    throw new NotFound("missing");
  });
  assert.equal(result, undefined);

  // Async resources, a mutex and a temporary directory.
  const lock = new Mutex();
  const work = async () => {
    await using dir = await tempDir({ prefix: "usage-" });
    await using stack = new AsyncDisposableStack();
    using _held = await lock.acquire();
    const file = stack.use(await openFile(join(dir.path, "out.txt"), "w"));
    await file.writeFile("hello");
    stack.defer(async () => {
      log.push("flushed");
    });
  };
  if (typeof (globalThis as { gc?: unknown }).gc === "function") {
    await expectNoLeaks(work);
  } else {
    // Without --expose-gc the leak check says exactly what is missing.
    await assert.rejects(expectNoLeaks(work), /--expose-gc/);
    await work();
  }
  assert.equal(log.at(-1), "flushed");

  const done = new DisposableStack();
  done.dispose();
  expectDisposed(done);

  // isolate(): a function of another module, in a child process (default) or a worker thread.
  await using dir = await tempDir();
  const modulePath = join(dir.path, "work.mjs");
  await writeFile(modulePath, "export function square(x) { return x * x; }\n");
  assert.equal(await isolate(modulePath, { export: "square", args: [7] }), 49);
  assert.equal(
    await isolate<number>(modulePath, { export: "square", args: [8], mode: "worker" }),
    64,
  );
  console.log("usage: ok");
}

await main();
