/**
 * scope / asyncScope: outcome-aware exits, suppression, ordering, and the small managers.
 */
import { describe, expect, it } from "vitest";
import {
  asyncClosing,
  asyncDefer,
  asyncScope,
  closing,
  defer,
  nullContext,
  type Outcome,
  scope,
  suppress,
} from "../src/index.ts";

class NotFound extends Error {}

describe("scope", () => {
  it("exits in reverse order and returns the body's result", () => {
    const log: string[] = [];
    const result = scope((s) => {
      s.defer(() => log.push("defer"));
      s.adopt("v", (v) => log.push(`adopt ${v}`));
      s.use({ [Symbol.dispose]: () => void log.push("use") });
      s.onExit((o) => void log.push(`handler failed=${o.failed}`));
      return 7;
    });
    expect(result).toBe(7);
    expect(log).toEqual(["handler failed=false", "use", "adopt v", "defer"]);
  });

  it("handlers see the failure; returning exactly true suppresses it", () => {
    const seen: Outcome[] = [];
    const boom = new Error("boom");
    expect(
      scope((s) => {
        s.onExit((o) => {
          seen.push(o);
        });
        s.onExit(() => true);
        s.onExit((o) => {
          seen.push(o);
          return 1 as unknown as boolean; // truthy but not true: does not suppress
        });
        throw boom;
      }),
    ).toBeUndefined();
    expect(seen[0]).toEqual({ failed: true, error: boom });
    // after the suppression, the outer handler sees a success
    expect(seen[1]).toEqual({ failed: false, error: undefined });
  });

  it("suppress(...types) swallows only matching errors", () => {
    expect(
      scope((s) => {
        s.enter(suppress(NotFound, RangeError));
        throw new NotFound("x");
      }),
    ).toBeUndefined();
    expect(() =>
      scope((s) => {
        s.enter(suppress(NotFound));
        throw new TypeError("other");
      }),
    ).toThrow(TypeError);
    expect(() => suppress()).toThrow(/at least one error class/);
    expect(() => suppress(1 as never)).toThrow(/argument 0 must be an error class, got 1/);
  });

  it("an exit that throws is chained over the body's error; later exits still run", () => {
    const log: string[] = [];
    let caught: unknown;
    try {
      scope((s) => {
        s.defer(() => log.push("outer still runs"));
        s.defer(() => {
          throw new Error("exit failed");
        });
        throw new Error("body failed");
      });
    } catch (e) {
      caught = e;
    }
    expect(log).toEqual(["outer still runs"]);
    const se = caught as SuppressedError;
    expect((se.error as Error).message).toBe("exit failed");
    expect((se.suppressed as Error).message).toBe("body failed");
  });

  it("registering after exit is a ReferenceError; bad input a TypeError naming it", () => {
    let saved: Parameters<Parameters<typeof scope>[0]>[0] | undefined;
    scope((s) => {
      saved = s;
      expect(() => s.use(5 as never)).toThrow(/got 5/);
      expect(() => s.defer(null as never)).toThrow(/got null/);
      expect(() => s.use({ [Symbol.asyncDispose]: async () => {} } as never)).toThrow(/asyncScope/);
    });
    expect(() => saved!.defer(() => {})).toThrow(ReferenceError);
    expect(() => scope(3 as never)).toThrow(/body must be a function, got 3/);
  });

  it("rejects an async body, after exiting what it registered", async () => {
    const log: string[] = [];
    expect(() =>
      scope(async (s) => {
        s.defer(() => log.push("exited"));
      }),
    ).toThrow(/use asyncScope/);
    expect(log).toEqual(["exited"]);
  });

  it("closing, nullContext and defer work in scopes and with using", () => {
    const log: string[] = [];
    const file = {
      closed: false,
      close() {
        this.closed = true;
        log.push("closed");
      },
    };
    const value = scope((s) => {
      const f = s.enter(closing(file));
      expect(f).toBe(file);
      expect(s.enter(nullContext(42))).toBe(42);
      return "ok";
    });
    expect(value).toBe("ok");
    expect(file.closed).toBe(true);
    {
      using d = defer(() => log.push("deferred"));
      expect(d.disposed).toBe(false);
    }
    expect(log).toEqual(["closed", "deferred"]);
    expect(() => closing({} as never)).toThrow(/has no close\(\) method/);
    expect(() => closing(file, "nope")).toThrow(/has no nope\(\) method/);
    expect(() => defer(1 as never)).toThrow(/got 1/);
  });
});

describe("asyncScope", () => {
  it("awaits async exits in reverse order", async () => {
    const log: string[] = [];
    const tick = () => new Promise((r) => setTimeout(r, 1));
    const result = await asyncScope(async (s) => {
      s.defer(async () => {
        await tick();
        log.push("first registered");
      });
      s.use({
        [Symbol.asyncDispose]: async () => {
          await tick();
          log.push("async resource");
        },
      });
      s.use({ [Symbol.dispose]: () => void log.push("sync resource") });
      s.onExit(async (o) => {
        await tick();
        log.push(`handler ${o.failed}`);
      });
      return "done";
    });
    expect(result).toBe("done");
    expect(log).toEqual(["handler false", "sync resource", "async resource", "first registered"]);
  });

  it("async handlers can suppress; asyncClosing and asyncDefer are awaited", async () => {
    const log: string[] = [];
    const client = {
      async end() {
        await Promise.resolve();
        log.push("ended");
      },
    };
    const r = await asyncScope(async (s) => {
      s.enter(asyncClosing(client, "end"));
      s.use(asyncDefer(async () => void log.push("deferred")));
      s.onExit(async (o) => o.failed && o.error instanceof NotFound);
      throw new NotFound("missing");
    });
    expect(r).toBeUndefined();
    expect(log).toEqual(["deferred", "ended"]);
  });

  it("exits managers whose enter was still pending when the body ended", async () => {
    const log: string[] = [];
    let release: (v: unknown) => void = () => {};
    const gate = new Promise((r) => {
      release = r;
    });
    const lateManager = (async () => {
      await gate;
      return closing({ close: () => void log.push("late closed") });
    })();
    const done = asyncScope(async (s) => {
      void s.enter(lateManager);
      return "body done";
    });
    release(undefined);
    expect(await done).toBe("body done");
    expect(log).toEqual(["late closed"]);
  });

  it("nullContext works with await using", async () => {
    await using n = nullContext("x");
    expect(n.value).toBe("x");
  });
});
