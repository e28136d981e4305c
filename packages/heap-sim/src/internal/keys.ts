/**
 * Equality and hashing of simulated objects used as dict keys and set members: a canonical JS value
 * per object (equal Python objects get equal canonical values: 1 == 1.0 == True, equal strs, equal
 * tuples; everything else compares by identity) and the CPython 3.11 hash.
 */
import {
  K_BOOL,
  K_BYTES,
  K_COMPLEX,
  K_FLOAT,
  K_FROZENSET,
  K_INT,
  K_STR,
  K_TUPLE,
  K_WEAKREF,
} from "./constants.ts";
import { hashBytes, hashFloat, hashInt, hashPointer, hashStr, hashTuple } from "./hash.ts";
import { pythonError } from "./pyerror.ts";
import type { Runtime } from "./runtime.ts";

export type Canon = number | bigint | string;

function normNumber(v: number): Canon {
  if (Number.isInteger(v) && !Number.isSafeInteger(v) && Number.isFinite(v)) return BigInt(v);
  return v;
}

/** Throws `TypeError: unhashable type` unless `id` can be a key. */
export function checkHashable(rt: Runtime, id: number): void {
  const tp = rt.typeOf(id);
  if (!tp.hashable) throw pythonError("TypeError", `unhashable type: '${tp.name}'`);
  if (tp.kind === K_TUPLE) {
    const n = rt.size[id]!;
    const off = rt.a0[id]!;
    for (let i = 0; i < n; i++) checkHashable(rt, rt.cells.data[off + i]!);
  }
}

/** The canonical value of a hashable object. */
export function canon(rt: Runtime, id: number): Canon {
  const tp = rt.typeOf(id);
  switch (tp.kind) {
    case K_INT:
    case K_BOOL: {
      const v = rt.intValue(id);
      return typeof v === "bigint" ? v : normNumber(v);
    }
    case K_FLOAT: {
      const v = rt.floatPayload(id);
      return Number.isNaN(v) ? `i${id}` : normNumber(v);
    }
    case K_COMPLEX: {
      const [re, im] = rt.extra.get(id) as [number, number];
      return im === 0 ? normNumber(re) : `c${re},${im}`;
    }
    case K_STR:
      return `s${rt.strs.get(id)!}`;
    case K_BYTES:
      return `b${rt.strs.get(id)!}`;
    case K_TUPLE: {
      const n = rt.size[id]!;
      const off = rt.a0[id]!;
      let out = "t(";
      for (let i = 0; i < n; i++) {
        const c = canon(rt, rt.cells.data[off + i]!);
        const s = typeof c === "string" ? c : typeof c === "bigint" ? `N${c}` : `N${c}`;
        out += `${s.length}:${s}`;
      }
      return `${out})`;
    }
    case K_FROZENSET: {
      const members = (rt.sets.get(id)?.members(rt) ?? []).map((m) => String(canon(rt, m))).sort();
      return `f{${members.map((s) => `${s.length}:${s}`).join("")}}`;
    }
    case K_WEAKREF:
      return weakrefKey(rt, id).canon;
    default:
      return `i${id}.${rt.stamp[id]}`;
  }
}

/**
 * A weakref hashes and compares like its referent while that lives (`weakref_hash`,
 * `weakref_richcompare`); the hash is cached at first use, so a dead weakref still finds its own
 * entry (and equals only itself). Hashing a dead weakref never hashed before is a TypeError.
 */
function weakrefKey(rt: Runtime, id: number): { canon: Canon; hash: bigint } {
  const cached = rt.wrKeys.get(id);
  if (cached !== undefined) return cached;
  const target = rt.a0[id]!;
  if (target === 0) throw pythonError("TypeError", "weak object has gone away");
  const key = { canon: `W${String(canon(rt, target))}`, hash: hashOf(rt, target) };
  rt.wrKeys.set(id, key);
  return key;
}

/** `PyObject_Hash` (3.11, strs under PYTHONHASHSEED=0). */
export function hashOf(rt: Runtime, id: number): bigint {
  const tp = rt.typeOf(id);
  switch (tp.kind) {
    case K_INT:
    case K_BOOL:
      return hashInt(rt.intValue(id));
    case K_FLOAT: {
      const v = rt.floatPayload(id);
      return Number.isNaN(v) ? hashPointer(addressOf(rt, id)) : hashFloat(v);
    }
    case K_STR:
      return hashStr(rt.strs.get(id)!);
    case K_BYTES:
      return hashBytes(rt.strs.get(id)!);
    case K_TUPLE: {
      const n = rt.size[id]!;
      const off = rt.a0[id]!;
      const hs: bigint[] = [];
      for (let i = 0; i < n; i++) hs.push(hashOf(rt, rt.cells.data[off + i]!));
      return hashTuple(hs);
    }
    case K_COMPLEX: {
      const [re, im] = rt.extra.get(id) as [number, number];
      // complex_hash: hash(re) + 1000003 * hash(im), wrapped to 64 bits.
      let h = BigInt.asIntN(64, hashFloat(re) + 1000003n * hashFloat(im));
      if (h === -1n) h = -2n;
      return h;
    }
    case K_FROZENSET: {
      const members = rt.sets.get(id)?.members(rt) ?? [];
      const hs = members.map((m) => hashOf(rt, m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return hashTuple(hs);
    }
    case K_WEAKREF:
      return weakrefKey(rt, id).hash;
    default:
      return hashPointer(addressOf(rt, id));
  }
}

/**
 * A simulated address (`id()`): the object's place in its arena (or raw block), after the
 * pre-header. Deterministic for a given history; not comparable with a real process.
 */
export function addressOf(rt: Runtime, id: number): number {
  const addr = rt.blk[id]!;
  const pre = rt.typeOf(id).preheader;
  if (addr > 0) {
    const loc = rt.pm.locate(addr) as { arena: number; pool: number; block: number };
    const size = rt.pm.blockSize(addr);
    return 0x7f0000000000 + loc.arena * 0x100000 + loc.pool * 0x4000 + 48 + loc.block * size + pre;
  }
  if (addr < 0) return 0x550000000000 + (-addr - 1) * 0x1000 + 16 + pre;
  return 0x560000000000 + id * 16;
}
