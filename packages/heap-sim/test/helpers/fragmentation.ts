/**
 * The child of oracle d (`d_pymalloc_fragmentation.py`) on a simulated heap. The interpreter's own
 * start-up allocations are rebuilt from the recorded baseline (5 arenas, 264 pools in use, the
 * measured size class's pools and blocks) with allocator buffers, and the arenas get the
 * alignment the recorded run had (its "bytes lost to arena alignment").
 */
import { Heap, type MallocStats } from "../../src/index.ts";

export interface Point {
  point: string;
  arenas_allocated_total: number;
  arenas_reclaimed: number;
  arenas_highwater: number;
  arenas_allocated_current: number;
  bytes_in_allocated_blocks: number;
  bytes_in_available_blocks: number;
  unused_pools: number;
  bytes_lost_to_pool_headers: number;
  bytes_lost_to_quantization: number;
  bytes_lost_to_arena_alignment: number;
  rss_bytes: number;
  class_of_interest: {
    block_size: number;
    num_pools: number;
    blocks_in_use: number;
    avail_blocks: number;
  };
}

export interface FragRun {
  kind: "float" | "bytes64";
  n_objects: number;
  keep_every_kth: number | null;
  kept_objects: number;
  points: Point[];
}

export interface Baseline {
  arenas: number;
  misaligned: number;
  usedPools: number;
  classBlock: number;
  classBlocks: number;
}

function point(py: Heap, name: string, blockSize: number): Point {
  const s: MallocStats = py.pymalloc.stats();
  const c = s.sizeClasses[blockSize / 16 - 1]!;
  return {
    point: name,
    arenas_allocated_total: s.arenasAllocatedTotal,
    arenas_reclaimed: s.arenasReclaimed,
    arenas_highwater: s.arenasHighwater,
    arenas_allocated_current: s.arenasAllocatedCurrent,
    bytes_in_allocated_blocks: s.bytesInAllocatedBlocks,
    bytes_in_available_blocks: s.bytesInAvailableBlocks,
    unused_pools: s.unusedPools,
    bytes_lost_to_pool_headers: s.bytesLostToPoolHeaders,
    bytes_lost_to_quantization: s.bytesLostToQuantization,
    bytes_lost_to_arena_alignment: s.bytesLostToArenaAlignment,
    rss_bytes: py.rss(),
    class_of_interest: {
      block_size: blockSize,
      num_pools: c.pools,
      blocks_in_use: c.blocksInUse,
      avail_blocks: c.availableBlocks,
    },
  };
}

/** Alignment per arena serial: the baseline's, then the run's new arenas (misaligned first). */
export function alignmentFor(
  baseline: Baseline,
  newArenas: number,
  newMisaligned: number,
): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < baseline.arenas; i++) out.push(i >= baseline.misaligned);
  for (let i = 0; i < newArenas + 64; i++) out.push(i >= newMisaligned);
  return out;
}

export function simulateFragmentation(
  kind: "float" | "bytes64",
  n: number,
  k: number,
  baseline: Baseline,
  alignment: boolean[],
): FragRun {
  const py = new Heap({ arenaAlignment: alignment });
  const blockSize = kind === "float" ? 32 : 64;
  // The interpreter at start-up: the measured class's blocks as recorded, a half-used pool of every
  // other class (so small objects made later find room, as they do in a real interpreter), whole
  // pools of 512-byte blocks for the rest, and a few lists/dicts on their free lists.
  const startup = py.allocator({ domain: "mem" });
  for (let i = 0; i < baseline.classBlocks; i++) startup.allocate(blockSize);
  const perPool = Math.floor((16384 - 48) / blockSize);
  const classPools = Math.ceil(baseline.classBlocks / perPool);
  let pools = classPools;
  for (let size = 16; size < 512; size += 16) {
    if (size === blockSize) continue;
    const n = Math.floor((16384 - 48) / size / 2);
    for (let i = 0; i < n; i++) startup.allocate(size);
    pools++;
  }
  for (let i = 0; i < (baseline.usedPools - pools) * 31; i++) startup.allocate(512);
  {
    const warm = [py.list(), py.list(), py.list(), py.dict(), py.dict()];
    for (const w of warm) w.dispose();
  }
  py.gc.disable();
  const points: Point[] = [];
  points.push(point(py, "baseline", blockSize));
  const f = py.frame("child");
  // objs = [float(i) for i in range(n)]   /   [i.to_bytes(31, "little") for i in range(n)]
  f.set("objs", py.list());
  const objs = f.get("objs");
  const bytes = new Uint8Array(31);
  for (let i = 0; i < n; i++) {
    if (kind === "float") objs.append(py.float(i));
    else {
      let v = i;
      for (let b = 0; b < 31; b++) {
        bytes[b] = v & 0xff;
        v = Math.floor(v / 256);
      }
      objs.append(py.bytes(bytes));
    }
  }
  points.push(point(py, "peak", blockSize));
  // keep = objs[::k] (a slice with a step: an exact list, like list_new_prealloc)
  if (k) {
    const kept = objs.toArray().filter((_, i) => i % k === 0);
    f.set("keep", py.list(kept));
  } else {
    f.set("keep", py.list());
  }
  f.del("objs");
  points.push(point(py, "after_partial_free", blockSize));
  f.del("keep");
  points.push(point(py, "after_full_free", blockSize));
  py.gc.collect();
  points.push(point(py, "after_full_free_and_gc_collect", blockSize));
  f.dispose();
  return {
    kind,
    n_objects: n,
    keep_every_kth: k || null,
    kept_objects: k ? Math.ceil(n / k) : 0,
    points,
  };
}
