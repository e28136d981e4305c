/**
 * Raised when a buffer cannot change size because views of its memory are exported, the way
 * Python's `array.array` raises `BufferError: cannot resize an array that is exporting buffers`
 * while a `memoryview` of it is alive. Release the views (`view.release()`, or let a `using`
 * declaration dispose them) and try again.
 *
 * @example
 * ```ts
 * const buf = new GrowableBuffer("float64");
 * using view = buf.view();
 * buf.push(1); // throws BufferError: cannot resize a buffer that is exporting 1 view
 * ```
 */
export class BufferError extends Error {
  override name = "BufferError";
}

/**
 * Raised when shapes do not fit together: operands that cannot be broadcast, an `out` array of
 * the wrong shape, a reshape to a different size, matrix dimensions that do not match. The message
 * names the shapes involved. It is a `RangeError`, so `instanceof RangeError` also holds.
 *
 * @example
 * ```ts
 * add(zeros([2, 3]), zeros([4])); // ShapeError: operands could not be broadcast together with shapes [2,3] [4]
 * ```
 */
export class ShapeError extends RangeError {
  override name = "ShapeError";
}
