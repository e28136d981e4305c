/**
 * Property tests: scope() against a model of Python's ExitStack semantics (exits in reverse order,
 * each sees the current outcome; a suppression clears it; a throw replaces it, chained).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  asyncScope,
  contextManager,
  type ExitHandler,
  flattenSuppressed,
  scope,
} from "../src/index.ts";

type Exit =
  | { kind: "defer"; throws: boolean }
  | { kind: "handler"; suppresses: boolean; throws: boolean }
  | { kind: "generator"; swallows: boolean };

const exitArb: fc.Arbitrary<Exit> = fc.oneof(
  fc.record({ kind: fc.constant("defer" as const), throws: fc.boolean() }),
  fc.record({
    kind: fc.constant("handler" as const),
    suppresses: fc.boolean(),
    throws: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("generator" as const), swallows: fc.boolean() }),
);

/** The model: a plain loop over a list, outcome as a list of errors (oldest first) or success. */
function model(exits: Exit[], bodyThrows: boolean) {
  const log: string[] = [];
  let errors: string[] | null = bodyThrows ? ["body"] : null;
  for (let i = exits.length - 1; i >= 0; i--) {
    const e = exits[i]!;
    log.push(`exit ${i} ${errors === null ? "ok" : "failed"}`);
    if (e.kind === "defer") {
      if (e.throws) errors = [...(errors ?? []), `exit ${i}`];
    } else if (e.kind === "handler") {
      if (e.throws) errors = [...(errors ?? []), `exit ${i}`];
      else if (e.suppresses) errors = null;
    } else if (errors !== null && e.swallows) errors = null;
  }
  return { log, errors };
}

function register(exits: Exit[], log: string[]) {
  return (s: {
    defer(f: () => void): void;
    onExit(h: ExitHandler): void;
    enter(m: object): unknown;
  }) => {
    exits.forEach((e, i) => {
      const note = (failed: boolean) => log.push(`exit ${i} ${failed ? "failed" : "ok"}`);
      if (e.kind === "defer") {
        // A defer cannot see the outcome: note it through the handler that precedes it in time.
        s.onExit((o) => {
          note(o.failed);
          if (e.throws) throw `exit ${i}`;
        });
      } else if (e.kind === "handler") {
        s.onExit((o) => {
          note(o.failed);
          if (e.throws) throw `exit ${i}`;
          return e.suppresses;
        });
      } else {
        const manager = contextManager(function* () {
          try {
            yield i;
            note(false);
          } catch (err) {
            note(true);
            if (!e.swallows) throw err;
          }
        });
        s.enter(manager());
      }
    });
  };
}

describe("scope model", () => {
  it("sync scope matches the model", () => {
    fc.assert(
      fc.property(fc.array(exitArb, { maxLength: 12 }), fc.boolean(), (exits, bodyThrows) => {
        const log: string[] = [];
        const expected = model(exits, bodyThrows);
        let thrown: unknown = null;
        let result: unknown;
        try {
          result = scope((s) => {
            register(exits, log)(s as never);
            if (bodyThrows) throw "body";
            return "result";
          });
        } catch (e) {
          thrown = e;
        }
        expect(log).toEqual(expected.log);
        if (expected.errors === null) {
          expect(thrown).toBeNull();
          expect(result).toBe(bodyThrows ? undefined : "result");
        } else {
          expect(flattenSuppressed(thrown)).toEqual(expected.errors);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("async scope matches the same model", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(exitArb, { maxLength: 10 }),
        fc.boolean(),
        async (exits, bodyThrows) => {
          const log: string[] = [];
          const expected = model(exits, bodyThrows);
          let thrown: unknown = null;
          try {
            await asyncScope(async (s) => {
              register(exits, log)(s as never);
              await Promise.resolve();
              if (bodyThrows) throw "body";
            });
          } catch (e) {
            thrown = e;
          }
          expect(log).toEqual(expected.log);
          if (expected.errors === null) expect(thrown).toBeNull();
          else expect(flattenSuppressed(thrown)).toEqual(expected.errors);
        },
      ),
      { numRuns: 150 },
    );
  });
});
