/**
 * pymalloc, CPython 3.11's small-object allocator, simulated block for block.
 *
 * Source: CPython 3.11 `Objects/obmalloc.c` (read in the v3.11.2 tarball): `pymalloc_alloc`,
 * `allocate_from_new_pool`, `pymalloc_pool_extend`, `pymalloc_free`, `insert_to_usedpool`,
 * `insert_to_freepool`, `new_arena`, `pymalloc_realloc`, `_PyObject_DebugMallocStats`. Every list
 * operation below mirrors one of those functions; the comments name them.
 *
 * Addresses handed out are numbers: a pymalloc block is `(poolId << 10 | blockIndex) + 1` (> 0), a
 * raw (libc `malloc`) block is `-(rawId + 1)` (< 0). Pool ids 0..31 are the `usedpools[]` list
 * heads; real pools are `32 + arenaSlot * 64 + indexInArena`.
 */

/** `ALIGNMENT` (64-bit): size classes are 16 bytes apart. */
export const ALIGNMENT = 16;
/** `SMALL_REQUEST_THRESHOLD`: larger requests go to `PyMem_RawMalloc`. */
export const SMALL_REQUEST_THRESHOLD = 512;
/** `NB_SMALL_SIZE_CLASSES` = 512 / 16. */
export const NB_SMALL_SIZE_CLASSES = 32;
/** `POOL_SIZE` with `USE_LARGE_POOLS` (64-bit builds with the radix tree). */
export const POOL_SIZE = 16384;
/** `POOL_OVERHEAD` = round_up(sizeof(struct pool_header) = 48, ALIGNMENT). */
export const POOL_OVERHEAD = 48;
/** `ARENA_SIZE` with `USE_LARGE_ARENAS`. */
export const ARENA_SIZE = 1 << 20;
/** `MAX_POOLS_IN_ARENA` = ARENA_SIZE / POOL_SIZE. */
export const MAX_POOLS_IN_ARENA = 64;
/** `INITIAL_ARENA_OBJECTS`: the `arenas` vector starts with 16 slots and doubles. */
export const INITIAL_ARENA_OBJECTS = 16;
/** Page size used by the RSS model (x86-64 Linux). */
export const PAGE_SIZE = 4096;

const HEADS = NB_SMALL_SIZE_CLASSES; // pool ids 0..31 are list heads
const NONE = -1;
/** `DUMMY_SIZE_IDX`: a pool that never held blocks. */
const DUMMY = -1;
/**
 * A pool's per-block word (one `Uint16Array` per pool): an allocated block holds `ALLOCATED`,
 * `TRACED` (tracemalloc saw it) and its requested size as the bytes it falls short of the block
 * size (7 bits: below 16 for a fresh allocation, below a quarter of the block after an in-place
 * realloc); a free block holds the index of the next free block (CPython keeps that link in the
 * free block itself), `END` for none.
 */
const ALLOCATED = 0x8000;
const TRACED = 0x4000;
const SHORT_MASK = 127;
const END = 0x3fff;

/** Blocks per pool for size class `i`: `NUMBLOCKS(i) = (POOL_SIZE - POOL_OVERHEAD) / INDEX2SIZE(i)`. */
export function blocksPerPool(szidx: number): number {
  return Math.floor((POOL_SIZE - POOL_OVERHEAD) / ((szidx + 1) << 4));
}

/** Size class index of a request: `(nbytes - 1) >> ALIGNMENT_SHIFT`. */
export function sizeClassOf(nbytes: number): number {
  return (nbytes - 1) >> 4;
}

/** Decides, per arena, whether `mmap` returned a 16 KiB-aligned address (64 pools) or not (63). */
export type ArenaAlignment =
  | "misaligned"
  | "aligned"
  | readonly boolean[]
  | ((serial: number) => boolean);

/** Something pymalloc reports to the heap's event stream. */
export type PymallocEvent =
  | { type: "arena-alloc"; arena: number; serial: number; pools: number }
  | { type: "arena-free"; arena: number; serial: number }
  | { type: "pool-init"; pool: number; arena: number; sizeClass: number; blockSize: number }
  | { type: "pool-full"; pool: number; arena: number; sizeClass: number }
  | { type: "pool-used"; pool: number; arena: number; sizeClass: number }
  | { type: "pool-empty"; pool: number; arena: number; sizeClass: number };

/** Per size class figures, as the table of `sys._debugmallocstats()` prints them. */
export interface SizeClassStats {
  /** Class index 0..31. */
  readonly sizeClass: number;
  /** Block size in bytes (16 × (index + 1)). */
  readonly blockSize: number;
  /** Pools holding at least one block of this class. */
  readonly pools: number;
  /** Blocks in use. */
  readonly blocksInUse: number;
  /** Free blocks in those pools (`NUMBLOCKS × pools − in use`). */
  readonly availableBlocks: number;
}

/** The figures `sys._debugmallocstats()` prints for pymalloc (CPython 3.11 `_PyObject_DebugMallocStats`). */
export interface MallocStats {
  /** `SMALL_REQUEST_THRESHOLD`: 512; larger requests go to `malloc` (raw blocks). */
  readonly smallBlockThreshold: number;
  /** The 32 size classes, index = class (all of them, also the unused ones). */
  readonly sizeClasses: readonly SizeClassStats[];
  /** `# arenas allocated total`: arenas ever mapped. */
  readonly arenasAllocatedTotal: number;
  /** `# arenas reclaimed`: arenas unmapped (an arena is freed when all its pools are empty). */
  readonly arenasReclaimed: number;
  /** `# arenas highwater mark`. */
  readonly arenasHighwater: number;
  /** `# arenas allocated current`. */
  readonly arenasAllocatedCurrent: number;
  /** `arenas * 1048576 bytes/arena`. */
  readonly arenaBytes: number;
  /** `# bytes in allocated blocks`: block sizes of the blocks in use. */
  readonly bytesInAllocatedBlocks: number;
  /** `# bytes in available blocks`: free blocks of used pools. */
  readonly bytesInAvailableBlocks: number;
  /** `unused pools * 16384`: empty and never-carved pools, counted. */
  readonly unusedPools: number;
  /** `# bytes in unused pools`. */
  readonly bytesInUnusedPools: number;
  /** `# bytes lost to pool headers`: 48 per used pool. */
  readonly bytesLostToPoolHeaders: number;
  /** `# bytes lost to quantization`: the tail of each used pool too small for one more block. */
  readonly bytesLostToQuantization: number;
  /** `# bytes lost to arena alignment`: 16 KiB per misaligned arena (63 pools instead of 64). */
  readonly bytesLostToArenaAlignment: number;
  /** Blocks handed to `PyMem_RawMalloc` (`raw_allocated_blocks`). */
  readonly rawAllocatedBlocks: number;
  /** Bytes in those raw blocks. */
  readonly rawBytes: number;
}

/** State of one pool in a {@link PymallocSnapshot}. */
export interface PoolSnapshot {
  /** Index of the pool inside its arena (carving order). */
  readonly index: number;
  /** Global pool id (as used in events). */
  readonly id: number;
  /** "used" (some blocks free), "full", "empty" (on the arena's free-pool list) or "untouched" (never carved). */
  readonly state: "used" | "full" | "empty" | "untouched";
  /** Size class of the blocks (-1 for a pool that never held any). */
  readonly sizeClass: number;
  readonly blockSize: number;
  readonly blocksInUse: number;
  readonly capacity: number;
}

/** State of one arena in a {@link PymallocSnapshot}. */
export interface ArenaSnapshot {
  /** Slot in the `arenas` vector. */
  readonly index: number;
  /** 1-based allocation serial (`ntimes_arena_allocated` when it was mapped). */
  readonly serial: number;
  /** Whether the mapping was 16 KiB aligned (64 pools) or not (63). */
  readonly aligned: boolean;
  readonly totalPools: number;
  /** `nfreepools`: empty pools plus never-carved pools. */
  readonly freePools: number;
  readonly pools: readonly PoolSnapshot[];
}

/** The arena/pool map, for pictures. `usableArenas` lists arena slots in `usable_arenas` order. */
export interface PymallocSnapshot {
  readonly arenas: readonly ArenaSnapshot[];
  readonly usableArenas: readonly number[];
  readonly raw: { readonly blocks: number; readonly bytes: number };
}

/** The simulated allocator. Internal: the public surface is `Heap.pymalloc`. */
export class Pymalloc {
  // ---- arenas (indexed by arena slot) ----
  private maxarenas = 0;
  private aSerial = new Int32Array(0); // 0 = slot unused (address == 0)
  private aAligned = new Uint8Array(0);
  private aPoolAddress = new Int32Array(0); // next pool index to carve
  private aNfree = new Int32Array(0);
  private aNtotal = new Int32Array(0);
  private aFreepools = new Int32Array(0);
  private aNext = new Int32Array(0);
  private aPrev = new Int32Array(0);
  private unusedArenaObjects = NONE;
  private usableArenas = NONE;
  private readonly nfp2lasta = new Int32Array(MAX_POOLS_IN_ARENA + 1).fill(NONE);

  // ---- pools (indexed by pool id) ----
  private poolCap = HEADS;
  private pSzidx = new Int8Array(HEADS);
  private pCount = new Int16Array(HEADS);
  private pFree = new Int16Array(HEADS);
  private pNextOff = new Int16Array(HEADS);
  private pNext = new Int32Array(HEADS);
  private pPrev = new Int32Array(HEADS);
  /** Per pool: one word per block (see `ALLOCATED`), sized NUMBLOCKS. */
  private bw: (Uint16Array | undefined)[] = [];

  // ---- raw allocations ----
  private rawSize: number[] = [];
  private rawTraced: boolean[] = [];
  private rawFreeIds: number[] = [];
  /** `raw_allocated_blocks`. */
  rawCount = 0;
  rawBytes = 0;

  // ---- counters ----
  ntimesArenaAllocated = 0;
  narenasCurrentlyAllocated = 0;
  narenasHighwater = 0;
  /** Blocks currently allocated by pymalloc (all classes). */
  blocksInUse = 0;
  /** Sum of the requested sizes of those blocks (what tracemalloc would see). */
  requestedBytes = 0;

  // ---- tracemalloc ----
  tracing = false;
  tracedCurrent = 0;
  tracedPeak = 0;

  /** Set by the heap when someone listens to events. */
  onEvent: ((e: PymallocEvent) => void) | undefined;

  private readonly alignment: ArenaAlignment;

  constructor(alignment: ArenaAlignment = "misaligned") {
    this.alignment = alignment;
    for (let i = 0; i < HEADS; i++) {
      this.pNext[i] = i;
      this.pPrev[i] = i;
      this.pSzidx[i] = i;
    }
  }

  // ------------------------------------------------------------------ public entry points

  /** `_PyObject_Malloc(nbytes)` (also `PyMem_Malloc`): pymalloc for 1..512 bytes, else raw. */
  malloc(nbytes: number): number {
    if (nbytes > 0 && nbytes <= SMALL_REQUEST_THRESHOLD) return this.pymallocAlloc(nbytes);
    return this.rawMalloc(nbytes);
  }

  /** `PyMem_RawMalloc(nbytes)`: always libc malloc. */
  rawMalloc(nbytes: number): number {
    const id = this.rawFreeIds.length > 0 ? this.rawFreeIds.pop()! : this.rawSize.length;
    this.rawSize[id] = nbytes;
    this.rawTraced[id] = this.tracing;
    this.rawCount++;
    this.rawBytes += nbytes;
    if (this.tracing) this.traceAdd(nbytes);
    return -(id + 1);
  }

  /** `_PyObject_Free(p)` / `PyMem_Free` / `PyMem_RawFree`. */
  free(addr: number): void {
    if (addr > 0) this.pymallocFree(addr);
    else this.rawFree(addr);
  }

  /** `_PyObject_Realloc(p, nbytes)` with `pymalloc_realloc`'s in-place rule; returns the new address. */
  realloc(addr: number, nbytes: number): number {
    if (addr === 0) return this.malloc(nbytes);
    if (addr < 0) {
      // PyMem_RawRealloc: stays a raw block whatever the size.
      const id = -addr - 1;
      const old = this.rawSize[id]!;
      if (this.rawTraced[id]) this.tracedCurrent -= old;
      this.rawBytes += nbytes - old;
      this.rawSize[id] = nbytes;
      this.rawTraced[id] = this.tracing;
      if (this.tracing) this.traceAdd(nbytes);
      return addr;
    }
    const pool = (addr - 1) >> 10;
    const b = (addr - 1) & 1023;
    const size = (this.pSzidx[pool]! + 1) << 4;
    if (nbytes > 0 && nbytes <= size && 4 * nbytes > 3 * size) {
      // Same block: tracemalloc sees a realloc (old trace removed, new one added).
      const words = this.bw[pool]!;
      const old = words[b]!;
      const oldReq = this.requestOf(pool, old);
      if (old & TRACED) this.tracedCurrent -= oldReq;
      this.requestedBytes += nbytes - oldReq;
      words[b] = this.wordOf(size, nbytes, this.tracing);
      if (this.tracing) this.traceAdd(nbytes);
      return addr;
    }
    // malloc + memcpy + free; tracemalloc sees one realloc (old trace out, new trace in).
    const tracing = this.tracing;
    this.tracing = false;
    const fresh = this.malloc(nbytes);
    this.tracing = tracing;
    this.pymallocFree(addr);
    this.markTraced(fresh, nbytes);
    return fresh;
  }

  /** Requested size recorded for an allocation. */
  requestedSize(addr: number): number {
    if (addr < 0) return this.rawSize[-addr - 1]!;
    const pool = (addr - 1) >> 10;
    return this.requestOf(pool, this.bw[pool]![(addr - 1) & 1023]!);
  }

  /** The requested size an allocated block's word records. */
  private requestOf(pool: number, word: number): number {
    return ((this.pSzidx[pool]! + 1) << 4) - (word & SHORT_MASK);
  }

  /** The word of a block of `blockSize` bytes allocated for `nbytes` (> blockSize × 3/4). */
  private wordOf(blockSize: number, nbytes: number, traced: boolean): number {
    return ALLOCATED | (traced ? TRACED : 0) | (blockSize - nbytes);
  }

  /** Block size (16-byte class) of a pymalloc address, or the raw size. */
  blockSize(addr: number): number {
    if (addr < 0) return this.rawSize[-addr - 1]!;
    return (this.pSzidx[(addr - 1) >> 10]! + 1) << 4;
  }

  /** Arena slot, pool index in arena and block index of a pymalloc address (for pictures). */
  locate(addr: number): { arena: number; pool: number; block: number } | { raw: number } {
    if (addr < 0) return { raw: -addr - 1 };
    const pool = (addr - 1) >> 10;
    return {
      arena: (pool - HEADS) >> 6,
      pool: (pool - HEADS) & 63,
      block: (addr - 1) & 1023,
    };
  }

  // ------------------------------------------------------------------ tracemalloc

  private traceAdd(nbytes: number): void {
    this.tracedCurrent += nbytes;
    if (this.tracedCurrent > this.tracedPeak) this.tracedPeak = this.tracedCurrent;
  }

  private markTraced(addr: number, nbytes: number): void {
    if (!this.tracing) {
      if (addr > 0) this.bw[(addr - 1) >> 10]![(addr - 1) & 1023]! &= ~TRACED;
      else this.rawTraced[-addr - 1] = false;
      return;
    }
    if (addr > 0) this.bw[(addr - 1) >> 10]![(addr - 1) & 1023]! |= TRACED;
    else this.rawTraced[-addr - 1] = true;
    this.traceAdd(nbytes);
  }

  /** `tracemalloc.start()`: later allocations are traced; current and peak restart at 0. */
  startTracing(): void {
    if (this.tracing) return;
    this.tracing = true;
    this.tracedCurrent = 0;
    this.tracedPeak = 0;
  }

  /** `tracemalloc.stop()`: forgets every trace. */
  stopTracing(): void {
    if (!this.tracing) return;
    this.tracing = false;
    this.tracedCurrent = 0;
    this.tracedPeak = 0;
    for (const words of this.bw) {
      if (words === undefined) continue;
      for (let i = 0; i < words.length; i++) {
        if ((words[i]! & ALLOCATED) !== 0) words[i]! &= ~TRACED;
      }
    }
    this.rawTraced.fill(false);
  }

  /** `tracemalloc.reset_peak()`. */
  resetPeak(): void {
    this.tracedPeak = this.tracedCurrent;
  }

  // ------------------------------------------------------------------ pymalloc_alloc

  private pymallocAlloc(nbytes: number): number {
    const size = (nbytes - 1) >> 4;
    const pool = this.pNext[size]!; // usedpools[size + size]->nextpool
    let addr: number;
    if (pool !== size) {
      // There is a used pool for this size class: pop the head of its free list.
      this.pCount[pool]!++;
      const b = this.pFree[pool]!;
      const link = this.bw[pool]![b]!;
      const next = link === END ? NONE : link;
      this.pFree[pool] = next;
      if (next === NONE) this.poolExtend(pool, size);
      addr = ((pool << 10) | b) + 1;
    } else {
      addr = this.allocateFromNewPool(size) + 1;
    }
    this.blocksInUse++;
    this.requestedBytes += nbytes;
    const slot = addr - 1;
    this.bw[slot >> 10]![slot & 1023] = this.wordOf((size + 1) << 4, nbytes, this.tracing);
    if (this.tracing) this.traceAdd(nbytes);
    return addr;
  }

  /** `pymalloc_pool_extend`: carve the next virgin block, or unlink the now-full pool. */
  private poolExtend(pool: number, size: number): void {
    const nb = this.pNextOff[pool]!;
    if (nb < blocksPerPool(size)) {
      this.pFree[pool] = nb;
      this.pNextOff[pool] = nb + 1;
      this.bw[pool]![nb] = END;
      return;
    }
    // Pool is full: unlink from usedpools.
    const next = this.pNext[pool]!;
    const prev = this.pPrev[pool]!;
    this.pPrev[next] = prev;
    this.pNext[prev] = next;
    if (this.onEvent) this.emitPool("pool-full", pool);
  }

  /** `allocate_from_new_pool`: returns the block slot (pool << 10 | block). */
  private allocateFromNewPool(size: number): number {
    if (this.usableArenas === NONE) {
      const ao = this.newArena();
      this.usableArenas = ao;
      this.aNext[ao] = NONE;
      this.aPrev[ao] = NONE;
      this.nfp2lasta[this.aNfree[ao]!] = ao;
    }
    const ao = this.usableArenas;
    const nf = this.aNfree[ao]!;
    if (this.nfp2lasta[nf] === ao) this.nfp2lasta[nf] = NONE;
    if (nf > 1) this.nfp2lasta[nf - 1] = ao;

    let pool = this.aFreepools[ao]!;
    if (pool !== NONE) {
      // Cached free pool (LIFO).
      this.aFreepools[ao] = this.pNext[pool]!;
      this.aNfree[ao] = nf - 1;
      if (nf - 1 === 0) this.unlinkFullArena();
    } else {
      // Carve off a new pool.
      pool = HEADS + ao * MAX_POOLS_IN_ARENA + this.aPoolAddress[ao]!;
      this.pSzidx[pool] = DUMMY;
      this.aPoolAddress[ao]!++;
      this.aNfree[ao] = nf - 1;
      if (nf - 1 === 0) this.unlinkFullArena();
    }

    // Frontlink to usedpools.
    const next = this.pNext[size]!;
    this.pNext[pool] = next;
    this.pPrev[pool] = size;
    this.pPrev[next] = pool;
    this.pNext[size] = pool;
    this.pCount[pool] = 1;
    if (this.pSzidx[pool] === size) {
      // Same size class as before: header and free list are already initialised.
      const b = this.pFree[pool]!;
      const link = this.bw[pool]![b]!;
      this.pFree[pool] = link === END ? NONE : link;
      if (this.onEvent) this.emitPool("pool-used", pool);
      return (pool << 10) | b;
    }
    // Initialise: return block 0, put block 1 on the free list.
    this.pSzidx[pool] = size;
    this.pNextOff[pool] = 2;
    this.pFree[pool] = 1;
    const nblocks = blocksPerPool(size);
    if (this.bw[pool]?.length !== nblocks) this.bw[pool] = new Uint16Array(nblocks);
    this.bw[pool]![1] = END;
    if (this.onEvent) {
      this.onEvent({
        type: "pool-init",
        pool,
        arena: (pool - HEADS) >> 6,
        sizeClass: size,
        blockSize: (size + 1) << 4,
      });
    }
    return pool << 10;
  }

  private unlinkFullArena(): void {
    const ao = this.usableArenas;
    this.usableArenas = this.aNext[ao]!;
    if (this.usableArenas !== NONE) this.aPrev[this.usableArenas] = NONE;
  }

  /** `new_arena`. */
  private newArena(): number {
    if (this.unusedArenaObjects === NONE) {
      const numarenas = this.maxarenas === 0 ? INITIAL_ARENA_OBJECTS : this.maxarenas << 1;
      this.growArenas(numarenas);
      for (let i = this.maxarenas; i < numarenas; i++) {
        this.aSerial[i] = 0;
        this.aNext[i] = i < numarenas - 1 ? i + 1 : NONE;
      }
      this.unusedArenaObjects = this.maxarenas;
      this.maxarenas = numarenas;
    }
    const ao = this.unusedArenaObjects;
    this.unusedArenaObjects = this.aNext[ao]!;
    this.ntimesArenaAllocated++;
    this.narenasCurrentlyAllocated++;
    if (this.narenasCurrentlyAllocated > this.narenasHighwater) {
      this.narenasHighwater = this.narenasCurrentlyAllocated;
    }
    const serial = this.ntimesArenaAllocated;
    const aligned = this.isAligned(serial);
    this.aSerial[ao] = serial;
    this.aAligned[ao] = aligned ? 1 : 0;
    this.aFreepools[ao] = NONE;
    this.aPoolAddress[ao] = 0;
    this.aNfree[ao] = aligned ? MAX_POOLS_IN_ARENA : MAX_POOLS_IN_ARENA - 1;
    this.aNtotal[ao] = this.aNfree[ao]!;
    // Pools of a reused arena slot start afresh.
    const base = HEADS + ao * MAX_POOLS_IN_ARENA;
    for (let k = 0; k < MAX_POOLS_IN_ARENA; k++) {
      this.pSzidx[base + k] = DUMMY;
      this.pCount[base + k] = 0;
    }
    if (this.onEvent) {
      this.onEvent({ type: "arena-alloc", arena: ao, serial, pools: this.aNtotal[ao]! });
    }
    return ao;
  }

  private isAligned(serial: number): boolean {
    const a = this.alignment;
    if (a === "aligned") return true;
    if (a === "misaligned") return false;
    if (typeof a === "function") return a(serial) === true;
    return a[(serial - 1) % a.length] === true;
  }

  private growArenas(n: number): void {
    const grow32 = (old: Int32Array) => {
      const a = new Int32Array(n);
      a.set(old);
      return a;
    };
    this.aSerial = grow32(this.aSerial);
    const al = new Uint8Array(n);
    al.set(this.aAligned);
    this.aAligned = al;
    this.aPoolAddress = grow32(this.aPoolAddress);
    this.aNfree = grow32(this.aNfree);
    this.aNtotal = grow32(this.aNtotal);
    this.aFreepools = grow32(this.aFreepools);
    this.aNext = grow32(this.aNext);
    this.aPrev = grow32(this.aPrev);
    const poolCap = HEADS + n * MAX_POOLS_IN_ARENA;
    const p8 = new Int8Array(poolCap);
    p8.set(this.pSzidx);
    this.pSzidx = p8;
    const g16 = (old: Int16Array) => {
      const a = new Int16Array(poolCap);
      a.set(old);
      return a;
    };
    this.pCount = g16(this.pCount);
    this.pFree = g16(this.pFree);
    this.pNextOff = g16(this.pNextOff);
    const g32 = (old: Int32Array) => {
      const a = new Int32Array(poolCap);
      a.set(old);
      return a;
    };
    this.pNext = g32(this.pNext);
    this.pPrev = g32(this.pPrev);
    this.poolCap = poolCap;
  }

  // ------------------------------------------------------------------ pymalloc_free

  private pymallocFree(addr: number): void {
    const slot = addr - 1;
    const pool = slot >> 10;
    const b = slot & 1023;
    const words = this.bw[pool]!;
    const word = words[b]!;
    const req = this.requestOf(pool, word);
    if (word & TRACED) this.tracedCurrent -= req;
    this.requestedBytes -= req;
    this.blocksInUse--;
    const lastfree = this.pFree[pool]!;
    words[b] = lastfree === NONE ? END : lastfree;
    this.pFree[pool] = b;
    const count = --this.pCount[pool]!;
    if (lastfree === NONE) {
      // Pool was full: link it at the front of usedpools (insert_to_usedpool).
      const size = this.pSzidx[pool]!;
      const next = this.pNext[size]!;
      const prev = this.pPrev[next]!;
      this.pNext[pool] = next;
      this.pPrev[pool] = prev;
      this.pPrev[next] = pool;
      this.pNext[prev] = pool;
      if (this.onEvent) this.emitPool("pool-used", pool);
      return; // every class holds ≥ 31 blocks, so a pool that was full is not empty now
    }
    if (count !== 0) return;
    this.insertToFreepool(pool);
  }

  /** `insert_to_freepool`: the pool became empty. */
  private insertToFreepool(pool: number): void {
    const next = this.pNext[pool]!;
    const prev = this.pPrev[pool]!;
    this.pPrev[next] = prev;
    this.pNext[prev] = next;
    if (this.onEvent) this.emitPool("pool-empty", pool);

    const ao = (pool - HEADS) >> 6;
    this.pNext[pool] = this.aFreepools[ao]!;
    this.aFreepools[ao] = pool;
    let nf = this.aNfree[ao]!;
    const lastnf = this.nfp2lasta[nf]!;
    if (lastnf === ao) {
      const p = this.aPrev[ao]!;
      this.nfp2lasta[nf] = p !== NONE && this.aNfree[p] === nf ? p : NONE;
    }
    this.aNfree[ao] = ++nf;

    // Case 1: wholly empty and not the last arena on usable_arenas: return it to the OS.
    if (nf === this.aNtotal[ao] && this.aNext[ao] !== NONE) {
      if (this.aPrev[ao] === NONE) this.usableArenas = this.aNext[ao]!;
      else this.aNext[this.aPrev[ao]!] = this.aNext[ao]!;
      if (this.aNext[ao] !== NONE) this.aPrev[this.aNext[ao]!] = this.aPrev[ao]!;
      this.aNext[ao] = this.unusedArenaObjects;
      this.unusedArenaObjects = ao;
      const serial = this.aSerial[ao]!;
      this.aSerial[ao] = 0;
      this.narenasCurrentlyAllocated--;
      if (this.onEvent) this.onEvent({ type: "arena-free", arena: ao, serial });
      return;
    }
    // Case 2: the arena was full; put it at the head of usable_arenas.
    if (nf === 1) {
      this.aNext[ao] = this.usableArenas;
      this.aPrev[ao] = NONE;
      if (this.usableArenas !== NONE) this.aPrev[this.usableArenas] = ao;
      this.usableArenas = ao;
      if (this.nfp2lasta[1] === NONE) this.nfp2lasta[1] = ao;
      return;
    }
    if (this.nfp2lasta[nf] === NONE) this.nfp2lasta[nf] = ao;
    // Case 4: it was the rightmost of the old count; it stays in place.
    if (ao === lastnf) return;
    // Case 3: slide it right, after lastnf.
    if (this.aPrev[ao] !== NONE) this.aNext[this.aPrev[ao]!] = this.aNext[ao]!;
    else this.usableArenas = this.aNext[ao]!;
    this.aPrev[this.aNext[ao]!] = this.aPrev[ao]!;
    this.aPrev[ao] = lastnf;
    this.aNext[ao] = this.aNext[lastnf]!;
    if (this.aNext[ao] !== NONE) this.aPrev[this.aNext[ao]!] = ao;
    this.aNext[lastnf] = ao;
  }

  private rawFree(addr: number): void {
    const id = -addr - 1;
    const size = this.rawSize[id]!;
    if (this.rawTraced[id]) this.tracedCurrent -= size;
    this.rawBytes -= size;
    this.rawCount--;
    this.rawSize[id] = -1;
    this.rawTraced[id] = false;
    this.rawFreeIds.push(id);
  }

  private emitPool(type: "pool-full" | "pool-used" | "pool-empty", pool: number): void {
    this.onEvent?.({ type, pool, arena: (pool - HEADS) >> 6, sizeClass: this.pSzidx[pool]! });
  }

  // ------------------------------------------------------------------ statistics

  /** `_PyObject_DebugMallocStats`, as numbers. */
  stats(): MallocStats {
    const numpools = new Array<number>(NB_SMALL_SIZE_CLASSES).fill(0);
    const numblocks = new Array<number>(NB_SMALL_SIZE_CLASSES).fill(0);
    const numfree = new Array<number>(NB_SMALL_SIZE_CLASSES).fill(0);
    let unusedPools = 0;
    let alignmentLoss = 0;
    let narenas = 0;
    for (let i = 0; i < this.maxarenas; i++) {
      if (this.aSerial[i] === 0) continue;
      narenas++;
      unusedPools += this.aNfree[i]!;
      if (!this.aAligned[i]) alignmentLoss += POOL_SIZE;
      const base = HEADS + i * MAX_POOLS_IN_ARENA;
      const carved = this.aPoolAddress[i]!;
      for (let k = 0; k < carved; k++) {
        const p = base + k;
        const count = this.pCount[p]!;
        if (count === 0) continue;
        const sz = this.pSzidx[p]!;
        numpools[sz]!++;
        numblocks[sz]! += count;
        numfree[sz]! += blocksPerPool(sz) - count;
      }
    }
    let allocated = 0;
    let available = 0;
    let headers = 0;
    let quantization = 0;
    const classes: SizeClassStats[] = [];
    for (let i = 0; i < NB_SMALL_SIZE_CLASSES; i++) {
      const size = (i + 1) << 4;
      const p = numpools[i]!;
      classes.push({
        sizeClass: i,
        blockSize: size,
        pools: p,
        blocksInUse: numblocks[i]!,
        availableBlocks: numfree[i]!,
      });
      allocated += numblocks[i]! * size;
      available += numfree[i]! * size;
      headers += p * POOL_OVERHEAD;
      quantization += p * ((POOL_SIZE - POOL_OVERHEAD) % size);
    }
    return {
      smallBlockThreshold: SMALL_REQUEST_THRESHOLD,
      sizeClasses: classes,
      arenasAllocatedTotal: this.ntimesArenaAllocated,
      arenasReclaimed: this.ntimesArenaAllocated - narenas,
      arenasHighwater: this.narenasHighwater,
      arenasAllocatedCurrent: narenas,
      arenaBytes: narenas * ARENA_SIZE,
      bytesInAllocatedBlocks: allocated,
      bytesInAvailableBlocks: available,
      unusedPools,
      bytesInUnusedPools: unusedPools * POOL_SIZE,
      bytesLostToPoolHeaders: headers,
      bytesLostToQuantization: quantization,
      bytesLostToArenaAlignment: alignmentLoss,
      rawAllocatedBlocks: this.rawCount,
      rawBytes: this.rawBytes,
    };
  }

  /** The arena/pool map. */
  snapshot(): PymallocSnapshot {
    const arenas: ArenaSnapshot[] = [];
    for (let i = 0; i < this.maxarenas; i++) {
      if (this.aSerial[i] === 0) continue;
      const base = HEADS + i * MAX_POOLS_IN_ARENA;
      const pools: PoolSnapshot[] = [];
      const total = this.aNtotal[i]!;
      for (let k = 0; k < total; k++) {
        const p = base + k;
        const carved = k < this.aPoolAddress[i]!;
        const count = carved ? this.pCount[p]! : 0;
        const sz = carved ? this.pSzidx[p]! : DUMMY;
        const capacity = sz >= 0 ? blocksPerPool(sz) : 0;
        const state: PoolSnapshot["state"] = !carved
          ? "untouched"
          : count === 0
            ? "empty"
            : count === capacity
              ? "full"
              : "used";
        pools.push({
          index: k,
          id: p,
          state,
          sizeClass: sz,
          blockSize: sz >= 0 ? (sz + 1) << 4 : 0,
          blocksInUse: count,
          capacity,
        });
      }
      arenas.push({
        index: i,
        serial: this.aSerial[i]!,
        aligned: this.aAligned[i] === 1,
        totalPools: total,
        freePools: this.aNfree[i]!,
        pools,
      });
    }
    const usableArenas: number[] = [];
    for (let a = this.usableArenas; a !== NONE; a = this.aNext[a]!) usableArenas.push(a);
    return { arenas, usableArenas, raw: { blocks: this.rawCount, bytes: this.rawBytes } };
  }

  /**
   * Bytes of arena memory the process has touched: pages of carved pools up to their highest
   * carved block (pools are written only when carved, blocks only when first handed out).
   */
  touchedArenaBytes(): number {
    let bytes = 0;
    for (let i = 0; i < this.maxarenas; i++) {
      if (this.aSerial[i] === 0) continue;
      const base = HEADS + i * MAX_POOLS_IN_ARENA;
      const carved = this.aPoolAddress[i]!;
      for (let k = 0; k < carved; k++) {
        const p = base + k;
        const sz = this.pSzidx[p]!;
        if (sz < 0) {
          bytes += PAGE_SIZE;
          continue;
        }
        const end = POOL_OVERHEAD + this.pNextOff[p]! * ((sz + 1) << 4);
        bytes += Math.min(POOL_SIZE, Math.ceil(end / PAGE_SIZE) * PAGE_SIZE);
      }
    }
    return bytes;
  }

  /** Raw blocks (size, address) currently allocated, for the RSS model. */
  forEachRaw(fn: (size: number) => void): void {
    for (let i = 0; i < this.rawSize.length; i++) {
      const s = this.rawSize[i]!;
      if (s >= 0) fn(s);
    }
  }

  /**
   * Consistency check used by tests: pool lists, counts and arena lists agree. Returns a list of
   * problems (empty when consistent).
   */
  check(): string[] {
    const problems: string[] = [];
    let blocks = 0;
    for (let i = 0; i < this.maxarenas; i++) {
      if (this.aSerial[i] === 0) continue;
      let empty = 0;
      const base = HEADS + i * MAX_POOLS_IN_ARENA;
      for (let k = 0; k < this.aPoolAddress[i]!; k++) {
        const c = this.pCount[base + k]!;
        blocks += c;
        if (c === 0) empty++;
      }
      const free = empty + (this.aNtotal[i]! - this.aPoolAddress[i]!);
      if (free !== this.aNfree[i]) {
        problems.push(`arena ${i}: nfreepools ${this.aNfree[i]} but ${free} pools are free`);
      }
    }
    if (blocks !== this.blocksInUse) {
      problems.push(`pools hold ${blocks} blocks but blocksInUse is ${this.blocksInUse}`);
    }
    // usable_arenas sorted ascending by nfreepools, every member has a free pool.
    let prevNf = 0;
    for (let a = this.usableArenas; a !== NONE; a = this.aNext[a]!) {
      const nf = this.aNfree[a]!;
      if (nf < prevNf) problems.push(`usable_arenas not sorted at arena ${a}`);
      if (nf === 0) problems.push(`arena ${a} on usable_arenas has no free pool`);
      prevNf = nf;
    }
    return problems;
  }

  /** Number of pool-id slots (for sizing checks). */
  get poolCapacity(): number {
    return this.poolCap;
  }
}
