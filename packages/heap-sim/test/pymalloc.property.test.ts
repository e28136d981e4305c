/**
 * pymalloc against a simple model: random malloc/free/realloc sequences. Invariants: every live
 * allocation has its own block of the right class; blocks in use equal the model's count;
 * per class, pools × NUMBLOCKS = blocks in use + available blocks; arena bytes add up exactly
 * as `_debugmallocstats` totals them; only wholly empty arenas are released, and not the last
 * usable one; freeing a block then allocating the same class returns that block (LIFO).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ARENA_SIZE,
  blocksPerPool,
  POOL_OVERHEAD,
  POOL_SIZE,
  Pymalloc,
} from "../src/internal/pymalloc.ts";

type Op =
  | { t: "malloc"; size: number }
  | { t: "free"; pick: number }
  | { t: "realloc"; pick: number; size: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("malloc" as const),
      size: fc.integer({ min: 1, max: 700 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("free" as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("realloc" as const),
      pick: fc.nat(),
      size: fc.integer({ min: 0, max: 700 }),
    }),
  },
);

function checkStats(pm: Pymalloc, live: Map<number, number>): void {
  const s = pm.stats();
  let blocks = 0;
  for (const c of s.sizeClasses) {
    expect(c.pools * blocksPerPool(c.sizeClass)).toBe(c.blocksInUse + c.availableBlocks);
    blocks += c.blocksInUse;
  }
  const small = [...live.entries()].filter(([addr]) => addr > 0).length;
  expect(blocks).toBe(small);
  expect(pm.blocksInUse).toBe(small);
  const usedPools = s.sizeClasses.reduce((n, c) => n + c.pools, 0);
  const total =
    s.bytesInAllocatedBlocks +
    s.bytesInAvailableBlocks +
    s.unusedPools * POOL_SIZE +
    usedPools * POOL_OVERHEAD +
    s.bytesLostToQuantization +
    s.bytesLostToArenaAlignment;
  expect(total).toBe(s.arenasAllocatedCurrent * ARENA_SIZE);
  expect(s.bytesLostToPoolHeaders).toBe(usedPools * POOL_OVERHEAD);
  const rawBytes = [...live.entries()].filter(([a]) => a < 0).reduce((n, [, sz]) => n + sz, 0);
  expect(pm.rawBytes).toBe(rawBytes);
  expect(pm.check()).toEqual([]);
  // Every mapped arena but the last usable one holds at least one used pool.
  const snap = pm.snapshot();
  const empty = snap.arenas.filter((a) => a.pools.every((p) => p.blocksInUse === 0));
  expect(empty.length).toBeLessThanOrEqual(1);
}

describe("pymalloc (property)", () => {
  it("random malloc/free/realloc keeps the allocator consistent with a model", () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 600 }),
        fc.constantFrom<"aligned" | "misaligned">("aligned", "misaligned"),
        (ops, alignment) => {
          const pm = new Pymalloc(alignment);
          const live = new Map<number, number>(); // address → requested size
          for (const op of ops) {
            if (op.t === "malloc") {
              const addr = pm.malloc(op.size);
              expect(live.has(addr)).toBe(false);
              live.set(addr, op.size);
              if (op.size <= 512) {
                expect(addr).toBeGreaterThan(0);
                expect(pm.blockSize(addr)).toBe(Math.ceil(op.size / 16) * 16);
              } else expect(addr).toBeLessThan(0);
            } else if (live.size > 0) {
              const keys = [...live.keys()];
              const addr = keys[op.pick % keys.length]!;
              if (op.t === "free") {
                pm.free(addr);
                live.delete(addr);
              } else {
                const fresh = pm.realloc(addr, op.size);
                live.delete(addr);
                expect(live.has(fresh)).toBe(false);
                live.set(fresh, op.size);
              }
            }
          }
          checkStats(pm, live);
          for (const [addr, size] of live) expect(pm.requestedSize(addr)).toBe(size);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a freed block is the next one handed out for its class (LIFO)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 2, max: 2000 }),
        (size, n) => {
          const pm = new Pymalloc();
          const addrs = Array.from({ length: n }, () => pm.malloc(size));
          const victim = addrs[Math.floor(n / 2)]!;
          pm.free(victim);
          expect(pm.malloc(size)).toBe(victim);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("an arena whose pools all empty is released unless it is the last usable one", () => {
    const pm = new Pymalloc("misaligned");
    const perArena = 63 * blocksPerPool(1);
    // three full arenas and a fourth in use (so it is on usable_arenas)
    const addrs = Array.from({ length: perArena * 3 + 10 }, () => pm.malloc(32));
    expect(pm.stats().arenasAllocatedCurrent).toBe(4);
    for (const a of addrs.slice(perArena, 2 * perArena)) pm.free(a);
    expect(pm.stats().arenasAllocatedCurrent).toBe(3);
    expect(pm.stats().arenasReclaimed).toBe(1);
    for (const a of [...addrs.slice(0, perArena), ...addrs.slice(2 * perArena)]) pm.free(a);
    // one wholly empty arena survives (bpo-37257)
    expect(pm.stats().arenasAllocatedCurrent).toBe(1);
    expect(pm.stats().unusedPools).toBe(63);
  });

  it("an in-place realloc keeps the request, even one below the block's size class", () => {
    const pm = new Pymalloc("aligned");
    pm.startTracing();
    const a = pm.malloc(113); // the 128-byte class
    for (const n of [97, 128, 100, 113]) {
      // pymalloc_realloc keeps the block when n > 3/4 of it: 97 stays in the 128-byte block.
      expect(pm.realloc(a, n)).toBe(a);
      expect(pm.requestedSize(a)).toBe(n);
      expect(pm.requestedBytes).toBe(n);
      expect(pm.tracedCurrent).toBe(n);
    }
    const b = pm.malloc(512);
    expect(pm.realloc(b, 385)).toBe(b); // the widest shortfall: 127 bytes
    expect(pm.requestedSize(b)).toBe(385);
    pm.free(a);
    pm.free(b);
    expect([pm.requestedBytes, pm.tracedCurrent, pm.blocksInUse]).toEqual([0, 0, 0]);
  });
});
