import { describe, expect, it } from "vitest";
import { MemoryBudget, type RemovalReason, WeakCache } from "../src/index.ts";
import { collectUntil } from "./helpers.ts";

const sizeOf = (v: string) => v.length;

describe("MemoryBudget", () => {
  it("evicts across caches by global recency", () => {
    const budget = new MemoryBudget({ maxBytes: 10 });
    const log: [string, string, RemovalReason][] = [];
    const onRemove = (k: string, _v: string | undefined, r: RemovalReason) => log.push([k, k, r]);
    const a = new WeakCache<string, string>({ budget, sizeOf, onRemove });
    const b = new WeakCache<string, string>({ budget, sizeOf, onRemove });
    a.set("a1", "xxx"); // 3
    b.set("b1", "xxx"); // 6
    a.set("a2", "xxx"); // 9
    a.get("a1"); // a1 is now the most recent: global order b1 a2 a1
    b.set("b2", "xxxx"); // 13 > 10: evict b1 (global LRU), 10
    expect(log).toEqual([["b1", "b1", "evict"]]);
    expect(budget.bytes).toBe(10);
    a.set("a3", "xx"); // 12 > 10: evict a2 (now the global LRU) → 9
    expect(log.at(-1)).toEqual(["a2", "a2", "evict"]);
    expect(budget.bytes).toBe(9);
    expect([...a.keys()]).toEqual(["a3", "a1"]);
    expect([...b.keys()]).toEqual(["b2"]);
    expect(a.stats().bytes + b.stats().bytes).toBe(budget.bytes);
    expect(budget.caches).toBe(2);
  });

  it("a cache keeps its own bounds inside the budget", () => {
    const budget = new MemoryBudget({ maxBytes: 100 });
    const a = new WeakCache<string, string>({ budget, sizeOf, max: 2 });
    a.set("1", "x").set("2", "x").set("3", "x");
    expect(a.size).toBe(2);
    expect(budget.bytes).toBe(2);
  });

  it("updates and deletes return bytes; trim frees down to a target", () => {
    const budget = new MemoryBudget({ maxBytes: 100 });
    const a = new WeakCache<string, string>({ budget, sizeOf });
    const b = new WeakCache<string, string>({ budget, sizeOf });
    a.set("x", "12345");
    a.set("x", "12");
    b.set("y", "123");
    expect(budget.bytes).toBe(5);
    b.delete("y");
    expect(budget.bytes).toBe(2);
    b.set("y", "1234").set("z", "1");
    expect(budget.trim(3)).toBe(6); // 7 bytes: evicts x (2, the oldest), then y (4)
    expect(budget.bytes).toBe(1);
    expect(budget.trim(0)).toBe(1);
    expect(budget.bytes).toBe(0);
  });

  it("a disposed cache leaves the budget and returns its bytes", () => {
    const budget = new MemoryBudget({ maxBytes: 100 });
    const a = new WeakCache<string, string>({ budget, sizeOf });
    a.set("x", "1234");
    expect(budget.caches).toBe(1);
    a[Symbol.dispose]();
    expect(budget.caches).toBe(0);
    expect(budget.bytes).toBe(0);
  });

  it("a cache dropped without dispose is not kept alive by its budget; its bytes come back", async () => {
    const budget = new MemoryBudget({ maxBytes: 1_000_000 });
    const ref = (() => {
      const a = new WeakCache<string, string>({ budget, sizeOf });
      a.set("x", "1234");
      return new WeakRef(a);
    })();
    expect(budget.bytes).toBe(4);
    expect(await collectUntil(() => ref.deref() === undefined && budget.caches === 0)).toBe(true);
    expect(budget.bytes).toBe(0);
  });

  it("refuses a value larger than the budget; validates its options", () => {
    const budget = new MemoryBudget({ maxBytes: 4 });
    const a = new WeakCache<string, string>({ budget, sizeOf });
    a.set("k", "1234");
    expect(() => a.set("j", "12345")).toThrow(/size 5 of key "j" exceeds the budget's maxBytes 4/);
    expect(a.get("k")).toBe("1234");
    expect(() => new WeakCache({ budget })).toThrow(/budget needs sizeOf/);
    expect(() => new MemoryBudget({ maxBytes: 0 })).toThrow(
      /maxBytes must be a positive integer, got 0/,
    );
    expect(() => new MemoryBudget(undefined as never)).toThrow(TypeError);
    expect(() => new MemoryBudget({ maxBytes: 1, max: 2 } as never)).toThrow(
      /unknown option "max"/,
    );
    expect(() => budget.trim(-1)).toThrow(/targetBytes must be an integer >= 0, got -1/);
    expect(() => budget.trim("1" as never)).toThrow(TypeError);
    expect(budget.maxBytes).toBe(4);
    expect(Object.prototype.toString.call(budget)).toBe("[object MemoryBudget]");
  });
});
