// Test-only worker bootstrap: the package's worker is TypeScript in src/, so register tsx in this
// thread first (Node 20 workers do not inherit the parent's loader hooks), then load it.
import { register } from "tsx/esm/api";

register();
await import("../../src/worker.ts");
