import type { MallocStats, PymallocSnapshot } from "./internal/pymalloc.ts";
import type { Runtime } from "./internal/runtime.ts";

export type {
  ArenaAlignment,
  ArenaSnapshot,
  MallocStats,
  PoolSnapshot,
  PymallocSnapshot,
  SizeClassStats,
} from "./internal/pymalloc.ts";

let makeView: ((rt: Runtime) => PymallocView) | undefined;

/** @internal */
export function createPymallocView(rt: Runtime): PymallocView {
  return makeView!(rt);
}

function printone(msg: string, value: number): string {
  const digits = Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${msg.padEnd(35)}=${digits.padStart(21)}\n`;
}

/**
 * pymalloc of the simulated heap: `sys._debugmallocstats()` figures, the arena/pool map, and the
 * constants (16-byte classes up to 512 bytes, 16 KiB pools with a 48-byte header, 1 MiB arenas of
 * 63 or 64 pools).
 *
 * @example
 * ```ts
 * const s = py.pymalloc.stats();
 * s.arenasAllocatedCurrent;                   // arenas mapped now
 * s.sizeClasses[1];                           // the 32-byte class (floats)
 * console.log(py.pymalloc.debugMallocStats()); // the text CPython prints
 * ```
 */
export class PymallocView {
  readonly #rt: Runtime;

  private constructor(rt: Runtime) {
    this.#rt = rt;
  }

  static {
    makeView = (rt) => new PymallocView(rt);
  }

  /** The counters of `sys._debugmallocstats()` (computed by walking the arenas, as CPython does). */
  stats(): MallocStats {
    return this.#rt.pm.stats();
  }

  /** Every arena and pool with its state, and the `usable_arenas` order. */
  snapshot(): PymallocSnapshot {
    return this.#rt.pm.snapshot();
  }

  /** The pymalloc part of `sys._debugmallocstats()`, formatted as CPython 3.11 prints it. */
  debugMallocStats(): string {
    const s = this.stats();
    let out = `Small block threshold = ${s.smallBlockThreshold}, in ${s.sizeClasses.length} size classes.\n\n`;
    out += "class   size   num pools   blocks in use  avail blocks\n";
    out += "-----   ----   ---------   -------------  ------------\n";
    for (const c of s.sizeClasses) {
      if (c.pools === 0) continue;
      out +=
        `${String(c.sizeClass).padStart(5)} ${String(c.blockSize).padStart(6)} ` +
        `${String(c.pools).padStart(11)} ${String(c.blocksInUse).padStart(15)} ` +
        `${String(c.availableBlocks).padStart(13)}\n`;
    }
    out += "\n";
    out += printone("# arenas allocated total", s.arenasAllocatedTotal);
    out += printone("# arenas reclaimed", s.arenasReclaimed);
    out += printone("# arenas highwater mark", s.arenasHighwater);
    out += printone("# arenas allocated current", s.arenasAllocatedCurrent);
    out += printone(`${s.arenasAllocatedCurrent} arenas * 1048576 bytes/arena`, s.arenaBytes);
    out += "\n";
    out += printone("# bytes in allocated blocks", s.bytesInAllocatedBlocks);
    out += printone("# bytes in available blocks", s.bytesInAvailableBlocks);
    out += printone(`${s.unusedPools} unused pools * 16384 bytes`, s.bytesInUnusedPools);
    out += printone("# bytes lost to pool headers", s.bytesLostToPoolHeaders);
    out += printone("# bytes lost to quantization", s.bytesLostToQuantization);
    out += printone("# bytes lost to arena alignment", s.bytesLostToArenaAlignment);
    const total =
      s.bytesInAllocatedBlocks +
      s.bytesInAvailableBlocks +
      s.bytesInUnusedPools +
      s.bytesLostToPoolHeaders +
      s.bytesLostToQuantization +
      s.bytesLostToArenaAlignment;
    out += printone("Total", total);
    return out;
  }
}
