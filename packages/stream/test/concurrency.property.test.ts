import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buffer, mapConcurrent, merge, pipe, take, toArray } from "../src/index.ts";
import { asyncSource, collect, deferred, newLog, settle } from "./helpers.ts";

/** A scheduler the test drives: each call of fn waits until the test releases it. */
function gated() {
  const pending: { index: number; release: () => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let calls = 0;
  const fn = async (x: number, { index }: { index: number }) => {
    calls++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const d = deferred<void>();
    pending.push({ index, release: () => d.resolve() });
    await d.promise;
    inFlight--;
    return x * 10;
  };
  return {
    fn,
    pending,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get calls() {
      return calls;
    },
  };
}

const scenario = fc.record({
  n: fc.integer({ min: 0, max: 25 }),
  concurrency: fc.integer({ min: 1, max: 5 }),
  extra: fc.integer({ min: 0, max: 5 }),
  ordered: fc.boolean(),
  // the order in which the test releases calls and reads results
  moves: fc.array(fc.tuple(fc.constantFrom("release", "read"), fc.nat()), { maxLength: 80 }),
});

describe("mapConcurrent: two bounds, order, and the stop contract", () => {
  it("never more than concurrency in flight, never more than highWaterMark held, results as the model", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ n, concurrency, extra, ordered, moves }) => {
        const hwm = concurrency + extra;
        const g = gated();
        const log = newLog();
        const xs = Array.from({ length: n }, (_, i) => i);
        const stream = pipe(
          asyncSource(xs, log),
          mapConcurrent(g.fn, { concurrency, highWaterMark: hwm, ordered }),
        );
        const got: number[] = [];
        let ended = false;
        let outstanding = 0;
        const read = () => {
          outstanding++;
          void stream.next().then((r) => {
            outstanding--;
            if (r.done) ended = true;
            else got.push(r.value);
          });
        };
        const check = () => {
          expect(g.inFlight).toBeLessThanOrEqual(concurrency);
          // held = in flight + finished and not yet read; pulled - read bounds it from above
          expect((stream as unknown as { held: number }).held).toBeLessThanOrEqual(hwm);
        };
        read();
        for (const [move, k] of moves) {
          await settle(1);
          check();
          if (move === "release" && g.pending.length > 0)
            g.pending.splice(k % g.pending.length, 1)[0]!.release();
          else if (move === "read") read();
        }
        // drain: release everything, read to the end
        for (let guard = 0; !ended; guard++) {
          expect(guard).toBeLessThan(10_000);
          while (g.pending.length > 0) g.pending.shift()!.release();
          await settle(1);
          check();
          if (outstanding === 0 && !ended) read();
        }
        const expected = xs.map((x) => x * 10);
        if (ordered) expect(got).toEqual(expected);
        else expect([...got].sort((a, b) => a - b)).toEqual(expected);
        expect(g.maxInFlight).toBeLessThanOrEqual(concurrency);
        expect(log.pullsAfterReturn).toBe(0);
      }),
      { numRuns: 120 },
    );
  });

  it("after a break nothing is pulled or started; calls in flight see an aborted signal", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        async (concurrency, readBefore, ordered) => {
          const log = newLog();
          const signals: AbortSignal[] = []; // of the calls still running at the stop
          let calls = 0;
          const gate = deferred<void>();
          const stream = pipe(
            asyncSource(
              Array.from({ length: 100 }, (_, i) => i),
              log,
            ),
            mapConcurrent(
              async (x: number, { signal, index }) => {
                calls++;
                if (index > readBefore) {
                  signals.push(signal);
                  await gate.promise;
                }
                return x;
              },
              { concurrency, ordered },
            ),
          );
          let k = 0;
          for await (const _ of stream) if (k++ >= readBefore) break;
          const pulls = log.pulls;
          const callsAtStop = calls;
          gate.resolve();
          await settle(5);
          expect(log.returns).toBe(1);
          expect(log.pulls).toBe(pulls);
          expect(log.pullsAfterReturn).toBe(0);
          expect(calls).toBe(callsAtStop);
          expect(signals.every((s) => s.aborted)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a failing call rejects at its place: earlier results first (ordered), then the source is closed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 1, max: 4 }),
        async (failAt, concurrency) => {
          const log = newLog();
          const stream = pipe(
            asyncSource(
              Array.from({ length: 20 }, (_, i) => i),
              log,
            ),
            mapConcurrent(
              async (x: number) => {
                await settle(1);
                if (x === failAt) throw new Error(`bad ${x}`);
                return x;
              },
              { concurrency },
            ),
          );
          const got: number[] = [];
          await expect(
            (async () => {
              for await (const x of stream) got.push(x);
            })(),
          ).rejects.toThrow(`bad ${failAt}`);
          expect(got).toEqual(Array.from({ length: failAt }, (_, i) => i));
          await settle(3);
          expect(log.returns).toBe(1);
          expect(log.pullsAfterReturn).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("buffer: bounded read-ahead", () => {
  it("holds at most size results, pulls one at a time, preserves order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.nat({ max: 3 }), { maxLength: 30 }),
        async (size, n, pauses) => {
          const log = newLog();
          let outstanding = 0;
          let maxOutstanding = 0;
          const src = asyncSource(
            Array.from({ length: n }, (_, i) => i),
            log,
            -1,
            async () => {
              outstanding++;
              maxOutstanding = Math.max(maxOutstanding, outstanding);
              await settle(1);
              outstanding--;
            },
          );
          const stream = pipe(src, buffer(size));
          const got: number[] = [];
          for (let k = 0; ; k++) {
            await settle(pauses[k % Math.max(1, pauses.length)] ?? 0);
            expect((stream as unknown as { buffered: number }).buffered).toBeLessThanOrEqual(size);
            // pulled and not read: never more than size (+1 in flight)
            expect(log.pulls - got.length).toBeLessThanOrEqual(size + 1);
            const r = await stream.next();
            if (r.done) break;
            got.push(r.value);
          }
          expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
          expect(maxOutstanding).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("merge: demand-driven, one result ahead per source", () => {
  it("an idle consumer does not drain the sources; all elements arrive once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 4 }),
        async (lengths) => {
          const logs = lengths.map(() => newLog());
          const srcs = lengths.map((len, s) =>
            asyncSource(
              Array.from({ length: len }, (_, i) => s * 100 + i),
              logs[s],
            ),
          );
          const stream = merge(...srcs);
          const first = await stream.next();
          await settle(5);
          // while idle: each source pulled at most twice (the one delivered + one ready)
          for (const l of logs) expect(l.pulls).toBeLessThanOrEqual(2);
          const rest = await collect(stream);
          const all = (first.done ? [] : [first.value]).concat(rest).sort((a, b) => a - b);
          const expected = lengths.flatMap((len, s) =>
            Array.from({ length: len }, (_, i) => s * 100 + i),
          );
          expect(all).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("take() on a merge closes every source, even those paused at a yield (it-merge #155)", async () => {
    const closed = new Set<string>();
    const source = (name: string) =>
      (async function* () {
        try {
          for (let i = 0; i < 1000; i++) yield `${name}:${i}`;
        } finally {
          closed.add(name);
        }
      })();
    const names = ["a", "b", "c", "d", "e", "f"];
    const got = await pipe(merge(...names.map(source)), take(3), toArray());
    expect(got).toHaveLength(3);
    await settle(3);
    expect([...closed].sort()).toEqual(names);
  });
});
