import { compare } from "@heapwise/bench";
import { WeakCache } from "@heapwise/cache";
import { LRUMap } from "mnemonist";
import { CAPACITY, hitKey, keys, mixedKey, mixedOp, OPS, values } from "./lib/workload.ts";
import { Direct, SymWrap } from "./zzv/wrappers.ts";

type V = { id: number };
const C = CAPACITY;
await compare<number>({
  suite: "diag",
  floor: "map",
  ops: OPS,
  write: false,
  rounds: 25,
  contestants: {
    map: () => {
      const c = new Map<string, V>();
      for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
      return () => {
        let h = 0;
        for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) h++;
        return h;
      };
    },
    private: () => {
      const c = new WeakCache<string, V>({ max: C, weak: false });
      for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
      return () => {
        let h = 0;
        for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) h++;
        return h;
      };
    },
    symbol: () => {
      const c = new SymWrap<string, V>(C);
      for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
      return () => {
        let h = 0;
        for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) h++;
        return h;
      };
    },
    direct: () => {
      const c = new Direct<string, V>(C);
      for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
      return () => {
        let h = 0;
        for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) h++;
        return h;
      };
    },
    lrumap: () => {
      const c = new LRUMap<string, V>(C);
      for (let k = 0; k < C; k++) c.set(keys[k]!, values[k]!);
      return () => {
        let h = 0;
        for (let i = 0; i < OPS; i++) if (c.get(keys[hitKey[i]!]!) !== undefined) h++;
        return h;
      };
    },
  },
});
void mixedKey;
void mixedOp;
