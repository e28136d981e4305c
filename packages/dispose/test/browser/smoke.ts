// Browser checks (tooling/browser-check bundles the main entry with vite and runs these in Chromium).
import {
  AsyncDisposableStack,
  abortScope,
  DisposableStack,
  flattenSuppressed,
  listen,
  Mutex,
  SuppressedError,
  scope,
  suppress,
} from "@heapwise/dispose";

export const checks = {
  "a stack disposes in reverse order": () => {
    const order: number[] = [];
    {
      using s = new DisposableStack();
      s.defer(() => order.push(1));
      s.defer(() => order.push(2));
    }
    if (order.join() !== "2,1") throw new Error(`order ${order}`);
  },
  "disposal errors chain as SuppressedError": () => {
    const s = new DisposableStack();
    s.defer(() => {
      throw new Error("a");
    });
    s.defer(() => {
      throw new Error("b");
    });
    try {
      s.dispose();
      throw new Error("no error");
    } catch (e) {
      if (!(e instanceof SuppressedError)) throw new Error("not a SuppressedError");
      const messages = flattenSuppressed(e).map((x) => (x as Error).message);
      if (messages.join() !== "b,a") throw new Error(`messages ${messages}`);
    }
  },
  "await using an AsyncDisposableStack": async () => {
    let done = false;
    {
      await using s = new AsyncDisposableStack();
      s.defer(async () => {
        done = true;
      });
    }
    if (!done) throw new Error("not disposed");
  },
  "listen on a DOM EventTarget removes the listener": () => {
    const target = new EventTarget();
    let calls = 0;
    {
      using _l = listen(target, "ping", () => calls++);
      target.dispatchEvent(new Event("ping"));
    }
    target.dispatchEvent(new Event("ping"));
    if (calls !== 1) throw new Error(`calls ${calls}`);
  },
  "abortScope aborts on dispose": () => {
    let signal: AbortSignal;
    {
      using scope = abortScope();
      signal = scope.signal;
    }
    if (!signal.aborted) throw new Error("not aborted");
  },
  "scope suppresses with suppress()": () => {
    const r = scope((s) => {
      s.enter(suppress(RangeError));
      throw new RangeError("x");
    });
    if (r !== undefined) throw new Error("not suppressed");
  },
  "a mutex serialises": async () => {
    const lock = new Mutex();
    const a = await lock.acquire();
    if (!lock.locked) throw new Error("not locked");
    a.release();
    if (lock.locked) throw new Error("still locked");
  },
};
