// Browser checks (tooling/browser-check bundles the main entry with vite and runs these in Chromium).
import { finalize, MemoryBudget, WeakCache, WeakValueMap } from "@heapwise/cache";

export const checks = {
  "WeakCache evicts the least recently used entry": () => {
    const cache = new WeakCache<string, number>({ max: 2, weak: false });
    cache.set("a", 1).set("b", 2);
    cache.get("a");
    cache.set("c", 3);
    if (cache.has("b") || !cache.has("a")) throw new Error(`keys ${[...cache.keys()]}`);
  },
  "WeakCache keeps an evicted object value in its weak tier": () => {
    const cache = new WeakCache<string, object>({ max: 1 });
    const a = {};
    cache.set("a", a).set("b", {});
    if (cache.get("a") !== a) throw new Error("weak tier miss");
  },
  "WeakCache ttl uses the browser's timers and disposes cleanly": () => {
    using cache = new WeakCache<string, number>({ ttl: 60_000 });
    cache.set("a", 1);
    if (cache.get("a") !== 1) throw new Error("ttl entry missing");
  },
  "WeakValueMap holds values weakly and reads them back": () => {
    const map = new WeakValueMap<string, object>();
    const v = {};
    map.set("k", v);
    if (map.get("k") !== v || map.size !== 1) throw new Error("WeakValueMap lost a live value");
  },
  "MemoryBudget evicts across caches": () => {
    const budget = new MemoryBudget({ maxBytes: 4 });
    const sizeOf = (s: string) => s.length;
    const a = new WeakCache<string, string>({ budget, sizeOf });
    const b = new WeakCache<string, string>({ budget, sizeOf });
    a.set("x", "123");
    b.set("y", "12");
    if (a.has("x") || budget.bytes !== 2) throw new Error(`budget ${budget.bytes}`);
  },
  "finalize runs once when called": () => {
    let n = 0;
    const f = finalize({}, () => n++);
    f.call();
    f.call();
    if (n !== 1 || f.alive) throw new Error(`ran ${n} times`);
  },
};
