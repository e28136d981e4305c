/**
 * The record list of a stack, as a chain of fixed-size chunks rather than one growing array: adding
 * an entry never copies the entries already there, and no array grows into V8's large-object space,
 * so an entry costs the same in a stack of ten and of a million. Only the newest chunk is held; slot
 * 0 of each chunk points to the previous one (or is undefined), records follow from slot 1.
 */

/** Slots per chunk: the link, then 511 records of three or 766 of two (1 + a multiple of 6). */
export const CHUNK_SLOTS = 1 + 1530;

/** A new, empty record list (its newest chunk). */
export const newChunk = (previous?: unknown[]): unknown[] => [previous];
