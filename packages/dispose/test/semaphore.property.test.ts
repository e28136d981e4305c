/**
 * Property test: a Semaphore against a model (a counter and a FIFO array of waiters).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Lease, Semaphore } from "../src/index.ts";

type Op =
  | { kind: "acquire" }
  | { kind: "tryAcquire" }
  | { kind: "release"; pick: number }
  | { kind: "abort"; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ kind: "acquire" as const }),
  fc.constant({ kind: "tryAcquire" as const }),
  fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("abort" as const), pick: fc.nat() }),
);

describe("Semaphore model", () => {
  it("grants in FIFO order, never exceeds capacity, and leaves no waiter behind", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(opArb, { maxLength: 60 }),
        async (permits, ops) => {
          const sem = new Semaphore(permits);
          // model
          let available = permits;
          const queue: number[] = []; // waiter ids in order
          const grantedOrder: number[] = [];
          const expectedGrants: number[] = [];
          // real
          const held: Lease[] = [];
          const waiters = new Map<number, AbortController>();
          let nextId = 0;
          const settle = () => new Promise((r) => setTimeout(r, 0));
          for (const op of ops) {
            if (op.kind === "acquire") {
              const id = nextId++;
              const controller = new AbortController();
              waiters.set(id, controller);
              void sem.acquire({ signal: controller.signal }).then(
                (lease) => {
                  grantedOrder.push(id);
                  held.push(lease);
                  waiters.delete(id);
                },
                () => waiters.delete(id),
              );
              if (available > 0 && queue.length === 0) {
                available--;
                expectedGrants.push(id);
              } else queue.push(id);
            } else if (op.kind === "tryAcquire") {
              const lease = sem.tryAcquire();
              const modelOk = available > 0 && queue.length === 0;
              expect(lease !== undefined).toBe(modelOk);
              if (lease) {
                available--;
                held.push(lease);
              }
            } else if (op.kind === "release") {
              await settle();
              if (held.length === 0) continue;
              const lease = held.splice(op.pick % held.length, 1)[0]!;
              lease.release();
              if (queue.length > 0) expectedGrants.push(queue.shift()!);
              else available++;
            } else {
              if (queue.length === 0) continue;
              const id = queue.splice(op.pick % queue.length, 1)[0]!;
              waiters.get(id)!.abort();
            }
            expect(sem.available).toBe(available);
            expect(sem.waiting).toBe(queue.length);
          }
          await settle();
          expect(grantedOrder).toEqual(expectedGrants);
          expect(sem.available + held.length).toBe(permits);
          // drain: release everything; every waiter gets served, in order
          while (held.length > 0 || queue.length > 0) {
            const lease = held.shift();
            if (lease) {
              lease.release();
              if (queue.length > 0) expectedGrants.push(queue.shift()!);
            }
            await settle();
          }
          expect(grantedOrder).toEqual(expectedGrants);
          expect(sem.available).toBe(permits);
          expect(sem.waiting).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});
