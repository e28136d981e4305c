/**
 * WeakCache against the LRU caches a user would otherwise pick, number keys (the integers 0 to
 * 99,999). The workloads and contestants are in lib/lru-suites.ts; lru.bench.ts runs the same with
 * string keys, in its own process.
 */
import { runLruSuites } from "./lib/lru-suites.ts";
import { numberKeys } from "./lib/workload.ts";

await runLruSuites("number keys", numberKeys);
