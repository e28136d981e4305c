/** Cumulative statistics of one generation (`gc.get_stats()[i]`). */
export interface GenerationStats {
  collections: number;
  collected: number;
  uncollectable: number;
}

/** A `gc.callbacks` entry: `cb(phase, info)`. */
export type GcCallback = (
  phase: "start" | "stop",
  info: { generation: number; collected: number; uncollectable: number },
) => void;

/** `struct _gc_runtime_state` (3.11 `pycore_gc.h`), the parts the simulation uses. */
export interface GcState {
  enabled: boolean;
  collecting: boolean;
  /** 3.12+: a collection was scheduled by `_Py_ScheduleGC`. */
  scheduled: boolean;
  count0: number;
  count1: number;
  count2: number;
  threshold0: number;
  threshold1: number;
  threshold2: number;
  longLivedTotal: number;
  longLivedPending: number;
  readonly stats: [GenerationStats, GenerationStats, GenerationStats];
  debug: number;
  /** Object id of `gc.garbage` (a list), 0 until first needed. */
  garbage: number;
  readonly callbacks: GcCallback[];
}

export function newGcState(threshold0: number): GcState {
  return {
    enabled: true,
    collecting: false,
    scheduled: false,
    count0: 0,
    count1: 0,
    count2: 0,
    threshold0,
    threshold1: 10,
    threshold2: 10,
    longLivedTotal: 0,
    longLivedPending: 0,
    stats: [
      { collections: 0, collected: 0, uncollectable: 0 },
      { collections: 0, collected: 0, uncollectable: 0 },
      { collections: 0, collected: 0, uncollectable: 0 },
    ],
    debug: 0,
    garbage: 0,
    callbacks: [],
  };
}

export const DEBUG_STATS = 1;
export const DEBUG_COLLECTABLE = 2;
export const DEBUG_UNCOLLECTABLE = 4;
export const DEBUG_SAVEALL = 32;
export const DEBUG_LEAK = DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL;
