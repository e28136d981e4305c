/**
 * ECMAScript's Call(F, V) without looking up `F.call` (a function may have an own `call` property,
 * and `Function.prototype.call` may have been replaced after this module loaded).
 */
const { apply } = Reflect;
const NO_ARGUMENTS: readonly unknown[] = Object.freeze([]);

/** Call(method, thisArgument) with no arguments. */
export function callWithThis(method: unknown, thisArgument: unknown): unknown {
  return apply(method as (...args: unknown[]) => unknown, thisArgument, NO_ARGUMENTS);
}
