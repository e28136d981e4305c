/**
 * The record list of a stack, as a chain of chunks rather than one growing array: adding an entry
 * never copies the entries already there, and no array grows into V8's large-object space, so an
 * entry costs the same in a stack of ten and of a million. Only the newest chunk is held, with the
 * index of its first free slot (the stack's `#top`); slot 0 of each chunk points to the previous
 * one (or is undefined), records follow from slot 1.
 *
 * Chunks are allocated at their full length (`new Array(n)`) and filled by index: measured, a
 * `push` of the two slots of a record costs more than everything else `use` does, because the
 * array grows (and is copied) as it goes, which a preallocated chunk never does. The first chunk is
 * small (a stack usually holds a few resources); each next one is twice as big, up to
 * {@link MAX_CHUNK_SLOTS}. Every length is 1 + a multiple of 6, so records of two slots (sync
 * stacks) and of three (async stacks) fill a chunk exactly: an older chunk is always full.
 */

/** The first chunk: the link, then 6 slots (3 sync records or 2 async ones). */
export const FIRST_CHUNK_SLOTS = 1 + 6;

/** The largest chunk: the link, then 1,536 slots (12 KiB, far below V8's large-object size). */
export const MAX_CHUNK_SLOTS = 1 + 1536;

function newChunk(previous: unknown[] | undefined, slots: number): unknown[] {
  const chunk = new Array<unknown>(slots);
  chunk[0] = previous;
  return chunk;
}

/** A new, empty record list: its first chunk (the first free slot is 1). */
export const newRecordList = (): unknown[] => newChunk(undefined, FIRST_CHUNK_SLOTS);

/** The chunk that follows the full chunk `newest`: twice its records, at most the maximum. */
export const nextChunk = (newest: unknown[]): unknown[] =>
  newChunk(newest, Math.min(MAX_CHUNK_SLOTS, 2 * newest.length - 1));
