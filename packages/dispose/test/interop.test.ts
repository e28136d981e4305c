/**
 * Interop: our stacks under `using` / `await using` as tsc lowers it (tslib helpers), as esbuild
 * lowers it (inline helpers), and native (Node 24, where vitest keeps `using` as written); mixing
 * our stacks with the host's; and the error the user sees has the same shape in all of them.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { transform } from "esbuild";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import {
  AsyncDisposableStack,
  DisposableStack,
  flattenSuppressed,
  isSuppressedError,
  SuppressedError,
} from "../src/index.ts";
import { AsyncDisposableStackPonyfill } from "../src/ponyfill/async-disposable-stack.ts";
import { DisposableStackPonyfill } from "../src/ponyfill/disposable-stack.ts";

const packageDir = resolve(import.meta.dirname, "..");
// Inside the package (not node_modules, which vitest would not transform), removed afterwards.
const work = join(packageDir, "test", `.interop-${process.pid}`);
mkdirSync(work, { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The program every lowering compiles: a body error plus two failing disposals, sync and async. */
const source = (stacks: string) => `
import { DisposableStackPonyfill as DisposableStack } from ${JSON.stringify(join(packageDir, "src/ponyfill/disposable-stack.ts"))};
import { AsyncDisposableStackPonyfill as AsyncDisposableStack } from ${JSON.stringify(join(packageDir, "src/ponyfill/async-disposable-stack.ts"))};
${stacks}
export function syncCase(log: string[]) {
  using stack = new DisposableStack();
  stack.defer(() => { log.push("stack"); throw new Error("dispose stack"); });
  using r = { [Symbol.dispose]() { log.push("resource"); throw new Error("dispose resource"); } };
  log.push("body");
  throw new Error("body");
}
export async function asyncCase(log: string[]) {
  await using stack = new AsyncDisposableStack();
  stack.defer(async () => { log.push("stack"); throw new Error("dispose stack"); });
  await using r = { async [Symbol.asyncDispose]() { log.push("resource"); throw new Error("dispose resource"); } };
  log.push("body");
  throw new Error("body");
}
export function okCase(log: string[]) {
  {
    using stack = new DisposableStack();
    stack.defer(() => log.push("disposed"));
    log.push("body");
  }
  return log;
}
`;

type Cases = {
  syncCase(log: string[]): void;
  asyncCase(log: string[]): Promise<void>;
  okCase(log: string[]): string[];
};

async function load(name: string, code: string): Promise<Cases> {
  const file = join(work, `${name}.mjs`);
  writeFileSync(file, code);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Cases;
}

const expectedMessages = ["body", "dispose resource", "dispose stack"];

async function checkShape(cases: Cases) {
  const log: string[] = [];
  let error: unknown;
  try {
    cases.syncCase(log);
  } catch (e) {
    error = e;
  }
  expect(log).toEqual(["body", "resource", "stack"]);
  expect(isSuppressedError(error)).toBe(true);
  expect((error as Error).name).toBe("SuppressedError");
  expect(flattenSuppressed(error).map((e) => (e as Error).message)).toEqual(expectedMessages);

  const alog: string[] = [];
  const aerror = await cases.asyncCase(alog).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(alog).toEqual(["body", "resource", "stack"]);
  expect(isSuppressedError(aerror)).toBe(true);
  expect(flattenSuppressed(aerror).map((e) => (e as Error).message)).toEqual(expectedMessages);

  expect(cases.okCase([])).toEqual(["body", "disposed"]);
  return { error, aerror };
}

describe("using, lowered by tsc with tslib helpers", () => {
  it("disposes our stacks in order and throws the chained error", async () => {
    const out = ts.transpileModule(source(""), {
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        importHelpers: true,
        lib: ["lib.es2022.d.ts", "lib.esnext.disposable.d.ts"],
      },
    }).outputText;
    expect(out).toMatch(/from "tslib"/);
    expect(out).toMatch(/__addDisposableResource/);
    const { error } = await checkShape(await load("tsc", out));
    // tslib uses the global SuppressedError when there is one, else an Error of the same shape.
    if (typeof (globalThis as { SuppressedError?: unknown }).SuppressedError === "function") {
      expect(error).toBeInstanceOf(
        (globalThis as unknown as { SuppressedError: typeof Error }).SuppressedError,
      );
    }
  });
});

describe("using, lowered by esbuild", () => {
  it("disposes our stacks in order and throws the chained error", async () => {
    const { code } = await transform(source(""), {
      loader: "ts",
      format: "esm",
      target: "es2022",
    });
    expect(code).toMatch(/__using|__callDispose/);
    await checkShape(await load("esbuild", code));
  });
});

describe("using as this runtime runs it (native on Node 24)", () => {
  it("disposes our stacks in order and throws the chained error", () => {
    const log: string[] = [];
    let error: unknown;
    try {
      using stack = new DisposableStackPonyfill();
      stack.defer(() => {
        log.push("stack");
        throw new Error("dispose stack");
      });
      using _r = {
        [Symbol.dispose]() {
          log.push("resource");
          throw new Error("dispose resource");
        },
      };
      log.push("body");
      throw new Error("body");
    } catch (e) {
      error = e;
    }
    expect(log).toEqual(["body", "resource", "stack"]);
    expect(isSuppressedError(error)).toBe(true);
    expect(flattenSuppressed(error).map((e) => (e as Error).message)).toEqual(expectedMessages);
  });

  it("await using with our AsyncDisposableStack", async () => {
    const log: string[] = [];
    {
      await using stack = new AsyncDisposableStackPonyfill();
      stack.defer(async () => void log.push("deferred"));
      log.push("body");
    }
    expect(log).toEqual(["body", "deferred"]);
  });
});

describe("mixing our stacks with the host's (Node 24)", () => {
  const host = globalThis as {
    DisposableStack?: DisposableStackConstructor;
    AsyncDisposableStack?: AsyncDisposableStackConstructor;
  };
  it.skipIf(typeof host.DisposableStack !== "function")(
    "native stacks use ours and ours use native ones, errors chain across both",
    async () => {
      const log: string[] = [];
      const native = new host.DisposableStack!();
      const ours = new DisposableStackPonyfill();
      ours.defer(() => {
        log.push("ours");
        throw new Error("ours failed");
      });
      native.use(ours);
      const inner = new host.DisposableStack!();
      inner.defer(() => {
        log.push("native inner");
        throw new Error("native failed");
      });
      const outer = new DisposableStackPonyfill();
      outer.use(native);
      outer.use(inner);
      let error: unknown;
      try {
        outer.dispose();
      } catch (e) {
        error = e;
      }
      expect(log).toEqual(["native inner", "ours"]);
      expect(flattenSuppressed(error).map((e) => (e as Error).message)).toEqual([
        "native failed",
        "ours failed",
      ]);
      const asyncLog: string[] = [];
      const nativeAsync = new host.AsyncDisposableStack!();
      nativeAsync.use(new AsyncDisposableStackPonyfill()).defer(() => void asyncLog.push("a"));
      const oursAsync = new AsyncDisposableStackPonyfill();
      oursAsync.use(nativeAsync);
      await oursAsync.disposeAsync();
      expect(asyncLog).toEqual(["a"]);
    },
  );

  it("what the package exports works under every using", () => {
    const log: string[] = [];
    {
      using s = new DisposableStack();
      s.defer(() => log.push("exported"));
    }
    expect(log).toEqual(["exported"]);
    expect(new SuppressedError(1, 2)).toBeInstanceOf(Error);
    expect(new AsyncDisposableStack().disposed).toBe(false);
  });
});
