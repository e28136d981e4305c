import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  abortable,
  buffer,
  concat,
  flatMap,
  map,
  mapConcurrent,
  merge,
  pipe,
  type Stage,
  type StageKind,
  tee,
  zip,
} from "../src/index.ts";
import { asyncSource, newLog, settle, syncSource } from "./helpers.ts";
import { step } from "./model.ts";

type AnyStage = Stage<never, unknown, StageKind>;
const run = pipe as unknown as (source: unknown, ...stages: AnyStage[]) => unknown;
const values = Array.from({ length: 30 }, (_, i) => i);

/** How the consumer stops: break after k items, throw in the loop body, or call return(). */
const stopArb = fc.record({
  after: fc.nat({ max: 12 }),
  how: fc.constantFrom("break", "throw", "return"),
});
const stepsArb = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 60 })), { maxLength: 3 });

function consumeSync(
  stream: Iterable<unknown> & Iterator<unknown>,
  after: number,
  how: string,
): void {
  if (how === "return") {
    for (let k = 0; k < after; k++) if (stream.next().done) break;
    stream.return?.();
    return;
  }
  let k = 0;
  try {
    for (const _ of stream) {
      if (k++ >= after) {
        if (how === "throw") throw new Error("consumer");
        break;
      }
    }
  } catch (error) {
    if ((error as Error).message !== "consumer") throw error;
  }
}

async function consumeAsync(
  stream: AsyncIterable<unknown> & AsyncIterator<unknown>,
  after: number,
  how: string,
): Promise<void> {
  if (how === "return") {
    for (let k = 0; k < after; k++) if ((await stream.next()).done) break;
    await stream.return?.();
    return;
  }
  let k = 0;
  try {
    for await (const _ of stream) {
      if (k++ >= after) {
        if (how === "throw") throw new Error("consumer");
        break;
      }
    }
  } catch (error) {
    if ((error as Error).message !== "consumer") throw error;
  }
}

describe("cleanup contract: when the consumer stops, return() reaches the source and nothing more is pulled", () => {
  it("sync fused pipelines (with flatMap boundaries)", () => {
    fc.assert(
      fc.property(stepsArb, stopArb, fc.boolean(), (steps, { after, how }, withFlat) => {
        const src = syncSource(values);
        const stages = steps.flatMap(([k, p]) => step(k, p).stages(false));
        if (withFlat) stages.push(flatMap((x: unknown) => [x, x]) as unknown as AnyStage);
        consumeSync(run(src, ...stages) as Iterable<unknown> & Iterator<unknown>, after, how);
        expect(src.log.exhausted || src.log.returns === 1).toBe(true);
        const pulls = src.log.pulls;
        expect(src.log.pullsAfterReturn).toBe(0);
        expect(src.log.pulls).toBe(pulls);
      }),
    );
  });

  it("async pipelines with async-only stages", async () => {
    const wraps = [
      () => mapConcurrent(async (x: unknown) => x, { concurrency: 3, highWaterMark: 5 }),
      () => mapConcurrent(async (x: unknown) => x, { concurrency: 2, ordered: false }),
      () => buffer(4),
      () => abortable(new AbortController().signal),
      () => flatMap((x: unknown) => [x, x]),
    ];
    await fc.assert(
      fc.asyncProperty(
        stepsArb,
        stopArb,
        fc.array(fc.nat({ max: wraps.length - 1 }), { maxLength: 2 }),
        fc.boolean(),
        async (steps, { after, how }, ws, syncSrc) => {
          const log = newLog();
          const src = syncSrc ? syncSource(values, log) : asyncSource(values, log);
          const stages: AnyStage[] = steps.flatMap(([k, p]) => step(k, p).stages(true));
          for (const w of ws)
            stages.splice(Math.min(1, stages.length), 0, wraps[w]!() as unknown as AnyStage);
          stages.push(map((x: unknown) => x) as unknown as AnyStage);
          // A sync source stays sync until an async-only stage: start with one so that the async
          // callbacks of the catalog run in an async pipeline.
          if (syncSrc) stages.unshift(buffer(2) as unknown as AnyStage);
          const stream = run(src, ...stages) as AsyncIterable<unknown> & AsyncIterator<unknown>;
          await consumeAsync(stream, after, how);
          await settle();
          expect(log.exhausted || log.returns === 1).toBe(true);
          expect(log.pullsAfterReturn).toBe(0);
          const pulls = log.pulls;
          await settle();
          expect(log.pulls).toBe(pulls);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("merge, zip, concat and tee close every source", async () => {
    await fc.assert(
      fc.asyncProperty(
        stopArb,
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom("merge", "zip", "concat", "zipSync", "concatSync", "tee", "teeAsync"),
        async ({ after, how }, n, kind) => {
          const logs = Array.from({ length: n }, () => newLog());
          if (kind === "zipSync" || kind === "concatSync" || kind === "tee") {
            const srcs = logs.map((l) => syncSource(values, l));
            if (kind === "tee") {
              const branches = pipe(srcs[0]!, tee(n, { bufferSize: 100 }));
              for (const b of branches) consumeSync(b, after, how);
              for (const l of logs.slice(1)) expect(l.pulls).toBe(0);
              expect(logs[0]!.exhausted || logs[0]!.returns === 1).toBe(true);
            } else {
              consumeSync(
                (kind === "zipSync" ? zip(...srcs) : concat(...srcs)) as never,
                after,
                how,
              );
              for (const l of logs) expect(l.exhausted || l.returns <= 1).toBe(true);
              // every source that was opened and not exhausted was closed
              for (const l of logs) if (l.pulls > 0 && !l.exhausted) expect(l.returns).toBe(1);
            }
          } else {
            const srcs = logs.map((l) => asyncSource(values, l));
            if (kind === "teeAsync") {
              const branches = pipe(srcs[0]!, tee(n, { bufferSize: 100 }));
              for (const b of branches) await consumeAsync(b, after, how);
            } else {
              const stream =
                kind === "merge" ? merge(...srcs) : kind === "zip" ? zip(...srcs) : concat(...srcs);
              await consumeAsync(stream as never, after, how);
            }
            await settle();
            for (const l of logs) {
              expect(l.pullsAfterReturn).toBe(0);
              if (l.pulls > 0 && !l.exhausted) expect(l.returns).toBe(1);
            }
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
