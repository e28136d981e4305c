/**
 * A small program that uses @heapwise/cache the way a service would: a user cache with a loader,
 * a registry of live sessions, a shared memory budget, and a cleanup with finalize. It imports the
 * package by name (main entry and ./testing), uses `using`, checks what it expects and exits 0.
 */
import assert from "node:assert/strict";
import {
  finalize,
  MemoryBudget,
  nativeWeakProvider,
  type RemovalReason,
  systemClock,
  WeakCache,
  WeakValueMap,
} from "@heapwise/cache";
import { ManualClock, TestWeakProvider } from "@heapwise/cache/testing";

interface User {
  id: string;
  name: string;
}

interface Session {
  id: string;
  user: string;
}

async function main(): Promise<void> {
  // 1. A bounded user cache with TTL, a loader shared by concurrent callers, and removal reasons.
  const clock = new ManualClock();
  const removed: [string, RemovalReason][] = [];
  let loads = 0;
  const loadUser = async (id: string): Promise<User> => {
    loads++;
    return { id, name: id.toUpperCase() };
  };
  {
    using users = new WeakCache<string, User>({
      max: 2,
      ttl: 60_000,
      clock,
      onRemove: (key, _value, reason) => removed.push([key, reason]),
    });
    const [a1, a2] = await Promise.all([
      users.getOrLoad("a", loadUser),
      users.getOrLoad("a", loadUser),
    ]);
    assert.equal(a1, a2);
    assert.equal(loads, 1);
    users.set("b", { id: "b", name: "B" });
    users.set("c", { id: "c", name: "C" }); // "a" leaves the strong tier (the weak tier keeps it: a1 holds it)
    assert.equal(users.get("a"), a1);
    assert.equal(users.stats().weakHits, 1);
    clock.advance(60_000);
    assert.equal(users.peek("c"), undefined); // expired
    assert.ok(removed.some(([key, reason]) => key === "c" && reason === "expire"));
  }
  assert.equal(clock.pendingTimers, 0); // disposed by `using`: no timer left

  // 2. A registry of live sessions: entries vanish once nothing else holds the session.
  const gc = new TestWeakProvider();
  const sessions = new WeakValueMap<string, Session>(null, { weakProvider: gc });
  const s1: Session = { id: "s1", user: "a" };
  sessions.set(s1.id, s1);
  assert.equal(sessions.get("s1"), s1);
  gc.collect(s1);
  assert.equal(sessions.get("s1"), undefined);
  gc.runFinalizers();
  assert.equal(sessions.size, 0);

  // 3. Two caches sharing one byte budget, evicting by global recency.
  const budget = new MemoryBudget({ maxBytes: 8 });
  const sizeOf = (v: string) => v.length;
  const left = new WeakCache<string, string>({ budget, sizeOf });
  const right = new WeakCache<string, string>({ budget, sizeOf, max: 10 });
  left.set("x", "1234");
  right.set("y", "1234");
  left.get("x");
  right.set("z", "12"); // over budget: "y" is the least recently used of both caches
  assert.equal(right.has("y"), false);
  assert.equal(left.has("x"), true);
  assert.equal(budget.bytes, 6);

  // 4. finalize: deterministic cleanup with `using`, at most once.
  let closed = 0;
  {
    using _closer = finalize(
      { handle: 3 },
      (fd: number) => {
        closed += fd;
      },
      3,
    );
  }
  assert.equal(closed, 3);

  assert.equal(typeof nativeWeakProvider.weakRef, "function");
  assert.equal(typeof systemClock.now(), "number");
  console.log("@heapwise/cache consumer: ok");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
