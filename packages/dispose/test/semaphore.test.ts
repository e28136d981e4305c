/**
 * Semaphore and Mutex: leases, FIFO, abort without leaked waiters or listeners.
 */
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { Mutex, Semaphore } from "../src/index.ts";

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("Semaphore", () => {
  it("grants up to `permits` leases, then queues FIFO", async () => {
    const sem = new Semaphore(2);
    const a = await sem.acquire();
    const b = await sem.acquire();
    expect(sem.available).toBe(0);
    const order: string[] = [];
    const c = sem.acquire().then((l) => {
      order.push("c");
      return l;
    });
    const d = sem.acquire().then((l) => {
      order.push("d");
      return l;
    });
    expect(sem.waiting).toBe(2);
    b.release();
    a.release();
    const [lc, ld] = await Promise.all([c, d]);
    expect(order).toEqual(["c", "d"]);
    expect(sem.waiting).toBe(0);
    lc.release();
    ld.release();
    expect(sem.available).toBe(2);
  });

  it("works with `using`, and a lease releases once", async () => {
    const sem = new Semaphore(1);
    {
      using lease = await sem.acquire();
      expect(sem.available).toBe(0);
      lease.release();
      lease.release();
      expect(sem.available).toBe(1);
      expect(lease.released).toBe(true);
    }
    expect(sem.available).toBe(1);
  });

  it("tryAcquire never jumps the queue", async () => {
    const sem = new Semaphore(1);
    const held = sem.tryAcquire()!;
    expect(sem.tryAcquire()).toBeUndefined();
    const waiter = sem.acquire();
    held.release(); // handed straight to the waiter
    expect(sem.available).toBe(0);
    expect(sem.tryAcquire()).toBeUndefined();
    (await waiter).release();
    expect(sem.tryAcquire()).toBeDefined();
  });

  it("an aborted waiter leaves the queue and its abort listener is removed", async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    const controller = new AbortController();
    const aborted = sem.acquire({ signal: controller.signal });
    const next = sem.acquire();
    expect(sem.waiting).toBe(2);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort(new Error("gave up"));
    await expect(aborted).rejects.toThrow("gave up");
    expect(sem.waiting).toBe(1);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    held.release();
    (await next).release();
    expect(sem.available).toBe(1);
  });

  it("a served waiter's abort listener is removed too; an aborted signal rejects at once", async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    const controller = new AbortController();
    const p = sem.acquire({ signal: controller.signal });
    held.release();
    const lease = await p;
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    controller.abort(); // too late: nothing happens
    lease.release();
    await expect(sem.acquire({ signal: AbortSignal.abort("no") })).rejects.toBe("no");
    expect(sem.available).toBe(1);
  });

  it("10,000 aborted waiters leave nothing behind", async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    const controller = new AbortController();
    const waiters = Array.from({ length: 10_000 }, () =>
      sem.acquire({ signal: controller.signal }).catch(() => "aborted"),
    );
    expect(sem.waiting).toBe(10_000);
    controller.abort();
    expect(await Promise.all(waiters)).toEqual(Array(10_000).fill("aborted"));
    expect(sem.waiting).toBe(0);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    held.release();
    expect(sem.available).toBe(1);
  });

  it("validates its input", async () => {
    expect(() => new Semaphore(-3)).toThrow(
      "Semaphore: permits must be a positive integer, got -3",
    );
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
    expect(() => new Semaphore(0)).toThrow(RangeError);
    const sem = new Semaphore(1);
    await expect(sem.acquire({ signal: "x" as never })).rejects.toThrow(/AbortSignal, got "x"/);
    await expect(sem.acquire(null as never)).rejects.toThrow(TypeError);
    expect(sem.available).toBe(1);
  });
});

describe("Mutex", () => {
  it("serialises critical sections in arrival order", async () => {
    const lock = new Mutex();
    const log: string[] = [];
    const critical = async (name: string) => {
      using _held = await lock.acquire();
      log.push(`${name} in`);
      await flush();
      log.push(`${name} out`);
    };
    await Promise.all([critical("a"), critical("b"), critical("c")]);
    expect(log).toEqual(["a in", "a out", "b in", "b out", "c in", "c out"]);
    expect(lock.locked).toBe(false);
    expect(lock.capacity).toBe(1);
  });
});
