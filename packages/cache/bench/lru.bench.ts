/**
 * WeakCache against the LRU caches a user would otherwise pick, string keys ("user:<n>:profile").
 * The workloads and contestants are in lib/lru-suites.ts; lru-number-keys.bench.ts runs the same
 * with number keys, in its own process.
 */
import { runLruSuites } from "./lib/lru-suites.ts";
import { keys } from "./lib/workload.ts";

await runLruSuites("string keys", keys);
