/**
 * The cell slab against a model: random allocations, releases and resizes of tagged segments,
 * with compactions; segments never overlap and keep their contents (up to what a resize keeps).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Cells } from "../src/internal/cells.ts";

type Op =
  | { t: "alloc"; n: number }
  | { t: "release"; pick: number }
  | { t: "resize"; pick: number; n: number }
  | { t: "compact" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant("alloc" as const), n: fc.integer({ min: 1, max: 300 }) }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("release" as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("resize" as const),
      pick: fc.nat(),
      n: fc.integer({ min: 0, max: 400 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: "compact" as const }) },
);

describe("cells (property)", () => {
  it("segments never overlap and keep their contents", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const cells = new Cells(64, 16);
        // model: segment → [offset, n, tag]
        const segs: { off: number; n: number; tag: number }[] = [];
        let tag = 1;
        const fill = (s: { off: number; n: number; tag: number }) => {
          for (let i = 0; i < s.n; i++) cells.data[s.off + i] = s.tag * 1000 + i;
        };
        const verify = () => {
          const sorted = [...segs].filter((s) => s.n > 0).sort((a, b) => a.off - b.off);
          for (let i = 0; i + 1 < sorted.length; i++) {
            expect(sorted[i]!.off + Cells.classOf(sorted[i]!.n)).toBeLessThanOrEqual(
              sorted[i + 1]!.off,
            );
          }
          for (const s of segs)
            for (let i = 0; i < s.n; i++) expect(cells.data[s.off + i]).toBe(s.tag * 1000 + i);
          const live = segs.filter((s) => s.n > 0).reduce((n, s) => n + Cells.classOf(s.n), 0);
          expect(cells.live).toBe(live);
        };
        for (const op of ops) {
          if (op.t === "alloc") {
            const s = { off: cells.alloc(op.n), n: op.n, tag: tag++ };
            segs.push(s);
            fill(s);
          } else if (op.t === "compact") {
            const live = segs.filter((s) => s.n > 0);
            const moved = cells.compact(live.map((s) => [s.off, s.n] as const));
            live.forEach((s, i) => {
              s.off = moved[i]!;
            });
          } else if (segs.length > 0) {
            const i = op.pick % segs.length;
            const s = segs[i]!;
            if (op.t === "release") {
              cells.release(s.off, s.n);
              segs.splice(i, 1);
            } else {
              const keep = Math.min(s.n, op.n);
              s.off = cells.resize(s.off, s.n, op.n, keep);
              for (let k = 0; k < keep; k++) expect(cells.data[s.off + k]).toBe(s.tag * 1000 + k);
              s.n = op.n;
              s.tag = tag++;
              if (op.n === 0) segs.splice(i, 1);
              else fill(s);
            }
          }
          verify();
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("cells", () => {
  it("a resize to 0 cells releases even a 1-cell segment (same size class as 0)", () => {
    const cells = new Cells(64, 16);
    const off = cells.alloc(1);
    expect(cells.resize(off, 1, 0, 0)).toBe(0);
    expect(cells.live).toBe(0);
    expect(cells.used).toBe(1); // given back to the top
  });
});
