/** Type kinds: how the runtime lays out, traverses and frees an object. */
export const K_NONE = 1;
export const K_BOOL = 2;
export const K_INT = 3;
export const K_FLOAT = 4;
export const K_COMPLEX = 5;
export const K_STR = 6;
export const K_BYTES = 7;
export const K_BYTEARRAY = 8;
export const K_TUPLE = 9;
export const K_LIST = 10;
export const K_DICT = 11;
export const K_SET = 12;
export const K_FROZENSET = 13;
export const K_OBJECT = 14;
export const K_INSTANCE = 15;
export const K_WEAKREF = 16;
export const K_FUNCTION = 17;
export const K_ARRAY = 18;
export const K_RANGE = 19;

/** Object flags (`Runtime.flags`). */
/** PEP 442: `tp_finalize` already ran (`_PyGC_PREV_MASK_FINALIZED`). */
export const F_FINALIZED = 1;
/** In the generation being collected (`PREV_MASK_COLLECTING`). */
export const F_COLLECTING = 2;
/** Tentatively unreachable (`NEXT_MASK_UNREACHABLE`). */
export const F_UNREACHABLE = 4;
/** Statically allocated singleton: never freed, no pymalloc block. */
export const F_STATIC = 8;
/** Immortal (3.12+ model): refcount reported as 2**32 - 1. */
export const F_IMMORTAL = 16;
/** Dead: freed, or parked on a free list. Handles to it fail. */
export const F_DEAD = 32;
/** Currently tracked by the collector (linked in a GC list). */
export const F_TRACKED = 64;
/** Has JS watchers (WeakProvider refs / finalization registrations). */
export const F_WATCHED = 128;
/** A constant held by the heap's constant table (a JS literal). */
export const F_CONST = 256;

/** GC list heads (object ids 1..10; real objects start at FIRST_ID). */
export const GEN0 = 1;
export const GEN1 = 2;
export const GEN2 = 3;
export const PERMANENT = 4;
export const L_UNREACHABLE = 5;
export const L_FINALIZERS = 6;
export const L_WRCB = 7;
export const L_SEEN = 8;
export const L_STILL = 9;
export const L_TEMP = 10;
export const FIRST_ID = 16;

/** `_PyTrash_UNWIND_LEVEL`. */
export const TRASH_UNWIND_LEVEL = 50;
/** `PyList_MAXFREELIST`, `PyDict_MAXFREELIST`, `PyFloat_MAXFREELIST`. */
export const LIST_MAXFREELIST = 80;
export const DICT_MAXFREELIST = 80;
export const FLOAT_MAXFREELIST = 100;
/** `PyTuple_MAXSAVESIZE` (20) and `PyTuple_MAXFREELIST` (2000). */
export const TUPLE_MAXSAVESIZE = 20;
export const TUPLE_MAXFREELIST = 2000;
/** `SHARED_KEYS_MAX_SIZE`. */
export const SHARED_KEYS_MAX_SIZE = 30;
