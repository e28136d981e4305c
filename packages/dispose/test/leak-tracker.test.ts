/**
 * The leak tracker: reports resources collected without being disposed. "Collection" is driven by
 * an injected finalization provider, never by waiting for the real collector.
 */
import { describe, expect, it } from "vitest";
import {
  contextManager,
  defer,
  type FinalizationProvider,
  type LeakReport,
  listen,
  Semaphore,
  timeout,
  trackLeaks,
  trackResource,
  untrackResource,
} from "../src/index.ts";

/** A FinalizationRegistry stand-in: `collect(target)` runs the cleanup as the collector would. */
function manualProvider() {
  const registries: { cleanup: (held: unknown) => void; entries: Map<object, unknown[]> }[] = [];
  const provider: FinalizationProvider = {
    finalizationRegistry<H>(cleanup: (held: H) => void) {
      const entries = new Map<object, unknown[]>();
      registries.push({ cleanup: cleanup as (held: unknown) => void, entries });
      return {
        register(target: object, held: H, token?: object) {
          entries.set(token ?? target, [...(entries.get(token ?? target) ?? []), held]);
        },
        unregister(token: object) {
          return entries.delete(token);
        },
      };
    },
  };
  const collect = (target: object) => {
    for (const r of registries) {
      for (const held of r.entries.get(target) ?? []) r.cleanup(held);
      r.entries.delete(target);
    }
  };
  return { provider, collect };
}

describe("trackLeaks", () => {
  it("reports a collected, undisposed resource with its kind and creation stack", () => {
    const { provider, collect } = manualProvider();
    const leaks: LeakReport[] = [];
    using tracker = trackLeaks({ weakProvider: provider, onLeak: (l) => leaks.push(l) });
    const fake = {};
    trackResource(fake, "db connection");
    expect(tracker.tracking).toBe(1);
    collect(fake);
    expect(leaks).toHaveLength(1);
    expect(leaks[0]!.kind).toBe("db connection");
    expect(leaks[0]!.message).toBe("unclosed db connection");
    expect(leaks[0]!.stack).toMatch(/leak-tracker\.test\.ts/);
    expect(tracker.leaked).toBe(1);
    expect(tracker.tracking).toBe(0);
  });

  it("does not report what was disposed, nor finished timers", () => {
    const { provider, collect } = manualProvider();
    const leaks: LeakReport[] = [];
    using _tracker = trackLeaks({ weakProvider: provider, onLeak: (l) => leaks.push(l) });
    const d = defer(() => {});
    d[Symbol.dispose]();
    collect(d);
    const fake = {};
    trackResource(fake, "x");
    untrackResource(fake);
    collect(fake);
    let fire: () => void = () => {};
    const t = timeout(1, () => {}, {
      timers: {
        setTimeout: (cb) => {
          fire = cb;
          return 1;
        },
        clearTimeout: () => {},
        setInterval: () => 1,
        clearInterval: () => {},
      },
    });
    fire(); // the timeout ran: nothing left open
    collect(t);
    expect(leaks).toEqual([]);
  });

  it("the package's helpers are tracked: listeners, leases, managers", async () => {
    const { provider, collect } = manualProvider();
    const leaks: string[] = [];
    using _tracker = trackLeaks({ weakProvider: provider, onLeak: (l) => leaks.push(l.kind) });
    const l = listen(new EventTarget(), "x", () => {});
    const lease = await new Semaphore(1).acquire();
    const cm = contextManager(function* () {
      yield 1;
    })();
    for (const r of [l, lease, cm]) collect(r);
    expect(leaks).toEqual(["listener", "semaphore lease", "contextManager"]);
  });

  it("stop() ends tracking; no stacks when captureStacks is false; input is validated", () => {
    const { provider, collect } = manualProvider();
    const leaks: LeakReport[] = [];
    const tracker = trackLeaks({
      weakProvider: provider,
      captureStacks: false,
      onLeak: (l) => leaks.push(l),
    });
    const a = {};
    trackResource(a, "a");
    collect(a);
    expect(leaks[0]!.stack).toBeUndefined();
    tracker.stop();
    expect(tracker.active).toBe(false);
    const b = {};
    trackResource(b, "b");
    collect(b);
    expect(leaks).toHaveLength(1);
    expect(() => trackLeaks({ onLeak: 1 as never })).toThrow(/onLeak must be a function, got 1/);
    expect(() => trackLeaks({ weakProvider: {} as never })).toThrow(/finalizationRegistry/);
    expect(() => trackResource(1 as never, "x")).toThrow(/got 1/);
    expect(() => trackResource({}, "")).toThrow(/non-empty string/);
  });

  it("the default onLeak emits a ResourceWarning on Node", () => {
    const { provider, collect } = manualProvider();
    const warnings: unknown[] = [];
    const original = process.emitWarning;
    process.emitWarning = ((...args: unknown[]) => void warnings.push(args)) as never;
    try {
      using _tracker = trackLeaks({ weakProvider: provider });
      const r = {};
      trackResource(r, "socket");
      collect(r);
    } finally {
      process.emitWarning = original;
    }
    expect(warnings).toHaveLength(1);
    const [text, opts] = warnings[0] as [string, { type: string }];
    expect(text).toMatch(/^unclosed socket, created at:/);
    expect(opts.type).toBe("ResourceWarning");
  });

  it("with the real FinalizationRegistry, a tracker can be created and stopped", () => {
    const tracker = trackLeaks({ onLeak: () => {} });
    trackResource({}, "short-lived");
    expect(tracker.tracking).toBe(1);
    tracker[Symbol.dispose]();
    expect(tracker.active).toBe(false);
  });
});
