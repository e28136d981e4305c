/**
 * Property tests: any sequence of use/adopt/defer/move/dispose on a stack behaves like a simple
 * model (a list, disposed in reverse; errors folded into SuppressedError newest-outermost).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as exported from "../src/index.ts";
import { asyncDisposeSymbol, disposeSymbol } from "../src/internal/symbols.ts";
import { AsyncDisposableStackPonyfill } from "../src/ponyfill/async-disposable-stack.ts";
import { DisposableStackPonyfill } from "../src/ponyfill/disposable-stack.ts";

type Op =
  | { kind: "use" | "adopt" | "defer"; fails: boolean }
  | { kind: "useNull" }
  | { kind: "move" }
  | { kind: "dispose" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("use" as const, "adopt" as const, "defer" as const),
    fails: fc.boolean(),
  }),
  fc.constant({ kind: "useNull" as const }),
  fc.constant({ kind: "move" as const }),
  fc.constant({ kind: "dispose" as const }),
);

/** The model: what dispose() must call, and the error it must throw. */
class Model {
  entries: { id: number; fails: boolean }[] = [];
  disposed = false;
  dispose(log: number[]): { threw: boolean; chain: unknown[] } {
    if (this.disposed) return { threw: false, chain: [] };
    this.disposed = true;
    const errors: unknown[] = [];
    for (const e of [...this.entries].reverse()) {
      log.push(e.id);
      if (e.fails) errors.push(e.id);
    }
    this.entries = [];
    // newest error outermost: [last failure, …, first failure]
    return { threw: errors.length > 0, chain: errors.reverse() };
  }
}

/** The errors of a (possibly nested) SuppressedError, newest first, iteratively. */
function chainOf(error: unknown): unknown[] {
  const out: unknown[] = [];
  let e = error;
  while (e instanceof exported.SuppressedError) {
    out.push(e.error);
    e = e.suppressed;
  }
  out.push(e);
  return out;
}

const syncImpls = { ponyfill: DisposableStackPonyfill, exported: exported.DisposableStack };
const asyncImpls = {
  ponyfill: AsyncDisposableStackPonyfill,
  exported: exported.AsyncDisposableStack,
};

describe.each(Object.entries(syncImpls))("DisposableStack model (%s)", (_label, Stack) => {
  it("matches the model for any sequence of operations", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        let stack = new Stack();
        let model = new Model();
        const log: number[] = [];
        let next = 0;
        const check = (s: DisposableStack, m: Model) => {
          let thrown: unknown;
          let threw = false;
          try {
            s.dispose();
          } catch (e) {
            threw = true;
            thrown = e;
          }
          const expected = m.dispose(expectedLog);
          expect(log).toEqual(expectedLog);
          expect(threw).toBe(expected.threw);
          if (threw) expect(chainOf(thrown)).toEqual(expected.chain);
          expect(s.disposed).toBe(true);
        };
        const expectedLog: number[] = [];
        for (const op of ops) {
          if (op.kind === "dispose") {
            check(stack, model);
            stack = new Stack();
            model = new Model();
          } else if (op.kind === "move") {
            const moved = stack.move();
            expect(stack.disposed).toBe(true);
            stack = moved;
          } else if (op.kind === "useNull") {
            stack.use(null);
          } else {
            const id = next++;
            const { fails } = op;
            const run = () => {
              log.push(id);
              if (fails) throw id;
            };
            if (op.kind === "use") stack.use({ [disposeSymbol]: run });
            else if (op.kind === "adopt") stack.adopt(id, run);
            else stack.defer(run);
            model.entries.push({ id, fails });
          }
        }
        check(stack, model);
      }),
      { numRuns: 200 },
    );
  });
});

describe.each(Object.entries(asyncImpls))("AsyncDisposableStack model (%s)", (_label, Stack) => {
  it("matches the model for any sequence of operations", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            kind: fc.constantFrom("async", "sync", "defer", "adopt", "null"),
            fails: fc.boolean(),
            rejects: fc.boolean(),
          }),
          { maxLength: 25 },
        ),
        async (ops) => {
          const stack = new Stack();
          const log: number[] = [];
          const expectedErrors: number[] = [];
          const expectedLog: number[] = [];
          ops.forEach((op, id) => {
            // async disposals either reject or throw synchronously; sync ones can only throw
            const run = () => {
              log.push(id);
              if (op.fails) {
                if (op.rejects && op.kind !== "sync") return Promise.reject(id);
                throw id;
              }
              return op.kind === "sync" ? undefined : Promise.resolve();
            };
            if (op.kind === "null") stack.use(null);
            else if (op.kind === "async")
              stack.use({ [asyncDisposeSymbol]: run as () => Promise<void> });
            else if (op.kind === "sync") stack.use({ [disposeSymbol]: run });
            else if (op.kind === "defer") stack.defer(run);
            else stack.adopt(id, run);
          });
          for (let id = ops.length - 1; id >= 0; id--) {
            if (ops[id]!.kind === "null") continue;
            expectedLog.push(id);
            if (ops[id]!.fails) expectedErrors.push(id);
          }
          const outcome = await stack.disposeAsync().then(
            () => ({ threw: false, error: undefined as unknown }),
            (error: unknown) => ({ threw: true, error }),
          );
          expect(log).toEqual(expectedLog);
          expect(outcome.threw).toBe(expectedErrors.length > 0);
          if (outcome.threw) expect(chainOf(outcome.error)).toEqual(expectedErrors.reverse());
        },
      ),
      { numRuns: 150 },
    );
  });
});
