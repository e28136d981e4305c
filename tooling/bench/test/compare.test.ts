import { describe, expect, it } from "vitest";
import { compare, memory } from "../src/index.ts";

describe("compare", () => {
  it("times every available contestant, reports ratios to the floor, lists the skipped", async () => {
    const n = 20_000;
    const data = Array.from({ length: n }, (_, i) => i);
    const expected = (n * (n - 1)) / 2;
    const result = await compare({
      suite: "harness self-test",
      floor: "loop",
      ops: n,
      rounds: 3,
      minRounds: 3,
      print: false,
      write: false,
      expect: (r) => r === expected,
      contestants: {
        loop: () => () => {
          let s = 0;
          for (let i = 0; i < data.length; i++) s += data[i]!;
          return s;
        },
        reduce: () => () => data.reduce((a, b) => a + b, 0),
        async: () => async () => data.reduce((a, b) => a + b, 0),
        absent: () => "not on this runtime",
      },
    });
    expect(result.rounds).toBe(3);
    const byName = Object.fromEntries(result.contestants.map((c) => [c.name, c]));
    expect(byName.loop!.ratio!.median).toBe(1);
    expect(byName.reduce!.samples).toBe(3);
    expect(byName.async!.medianMs).toBeGreaterThan(0);
    expect(byName.absent).toEqual({ name: "absent", samples: 0, note: "not on this runtime" });
  });

  it("fails loudly when a contestant computes a wrong result", async () => {
    await expect(
      compare({
        suite: "wrong",
        floor: "right",
        rounds: 1,
        warmup: 0,
        print: false,
        write: false,
        expect: (r) => r === 42 || `got ${r}`,
        contestants: { right: () => () => 42, lazy: () => () => 0 },
      }),
    ).rejects.toThrow("contestant lazy gave a wrong result: got 0");
  });

  it("refuses a floor that is not a contestant", async () => {
    await expect(
      compare({ suite: "x", floor: "nope", contestants: { a: () => () => 1 } }),
    ).rejects.toThrow('floor "nope" is not one of the contestants');
  });
});

describe("memory", () => {
  it("sees a larger structure as larger", async () => {
    const result = await memory({
      suite: "harness memory self-test",
      floor: "small",
      rounds: 3,
      print: false,
      write: false,
      contestants: {
        small: () => new Float64Array(1 << 10),
        large: () => new Float64Array(1 << 20),
      },
    });
    const [small, large] = result.contestants;
    expect(large!.bytes!).toBeGreaterThan(8_000_000);
    expect(large!.bytes!).toBeGreaterThan(small!.bytes! * 100);
  });
});
