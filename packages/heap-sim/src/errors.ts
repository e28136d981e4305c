/**
 * Errors. Two families:
 *
 * - {@link PythonError}: what the simulated Python code would raise (`KeyError`, `IndexError`,
 *   `AttributeError`, `TypeError: unhashable type`, ...). The heap is unchanged when one is thrown.
 * - Misuse of the simulator itself: {@link UseAfterFreeError} (a handle to a freed object),
 *   {@link ForeignObjectError} (an object of another heap), {@link RefcountError} (dropping a
 *   reference that is not owned). They name the object and leave the heap consistent.
 */

/** The Python exception classes the simulation raises. */
export type PythonExceptionType =
  | "AttributeError"
  | "IndexError"
  | "KeyError"
  | "NameError"
  | "RuntimeError"
  | "TypeError"
  | "ValueError"
  | "ReferenceError";

/**
 * An exception raised by the simulated Python code, e.g. `KeyError: 'k'`.
 *
 * @example
 * ```ts
 * try { d.getItem("missing"); } catch (e) { if (e instanceof PythonError) e.pythonType; } // "KeyError"
 * ```
 */
export class PythonError extends Error {
  /** The Python exception class name. */
  readonly pythonType: PythonExceptionType;

  constructor(pythonType: PythonExceptionType, message: string) {
    super(`${pythonType}: ${message}`);
    this.name = "PythonError";
    this.pythonType = pythonType;
  }
}

/**
 * A handle was used after its object was freed (by reference counting, by the collector, or
 * because the object went to a free list).
 */
export class UseAfterFreeError extends ReferenceError {
  constructor(what: string) {
    super(`use after free: ${what} has been freed`);
    this.name = "UseAfterFreeError";
  }
}

/** An object of one `Heap` was passed to another. */
export class ForeignObjectError extends TypeError {
  constructor(what: string) {
    super(`${what} belongs to another Heap`);
    this.name = "ForeignObjectError";
  }
}

/** A reference was dropped that the handle does not own (a decrement below what it holds). */
export class RefcountError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "RefcountError";
  }
}
