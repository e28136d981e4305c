import { compare } from "@heapwise/bench";
import { WeakCache } from "../src/index.ts";
import { LRUMap } from "mnemonist";
import { CAPACITY, keys, mixedKey, mixedOp, OPS, values } from "./lib/workload.ts";
import { Direct } from "./zzv/wrappers.ts";
type V = { id: number };
const C = CAPACITY;
await compare<number>({
  suite: "diag", floor: "map", ops: OPS, write: false, rounds: 21,
  contestants: {
    map: () => () => { const c = new Map<string, V>(); let hits = 0; for (let i = 0; i < OPS; i++) { const k = mixedKey[i]!; if (mixedOp[i] === 0) { if (c.get(keys[k]!) !== undefined) hits++; } else c.set(keys[k]!, values[k]!); } return hits; },
    ours: () => () => { const c = new WeakCache<string, V>({ max: C, weak: false }); let hits = 0; for (let i = 0; i < OPS; i++) { const k = mixedKey[i]!; if (mixedOp[i] === 0) { if (c.get(keys[k]!) !== undefined) hits++; } else c.set(keys[k]!, values[k]!); } return hits; },
    direct: () => () => { const c = new Direct<string, V>(C); let hits = 0; for (let i = 0; i < OPS; i++) { const k = mixedKey[i]!; if (mixedOp[i] === 0) { if (c.get(keys[k]!) !== undefined) hits++; } else c.set(keys[k]!, values[k]!); } return hits; },
    lrumap: () => () => { const c = new LRUMap<string, V>(C); let hits = 0; for (let i = 0; i < OPS; i++) { const k = mixedKey[i]!; if (mixedOp[i] === 0) { if (c.get(keys[k]!) !== undefined) hits++; } else c.set(keys[k]!, values[k]!); } return hits; },
  },
});
