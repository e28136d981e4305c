/**
 * The SuppressedError ponyfill: ECMA-262 20.5.8, step by step.
 *
 * A plain function (not a class) because `SuppressedError(…)` without `new` must work like `Error(…)`.
 * Its instances are real Error objects (they carry [[ErrorData]], so `Object.prototype.toString` says
 * `[object Error]`, `util.types.isNativeError` is true and V8 gives them a `stack`).
 */
import { prototypeFromConstructor } from "./realm.js";

type ErrorWithCapture = ErrorConstructor & {
  captureStackTrace?: (target: object, constructorOpt?: unknown) => void;
};

/** The instance shape (ECMA-262 20.5.8.4): an Error with `error` and `suppressed`. */
export interface SuppressedErrorInstance extends Error {
  error: unknown;
  suppressed: unknown;
}

// A constructor whose only job is to lend its `prototype` to Reflect.construct(Error, …), so that
// the Error constructor creates an [[ErrorData]] object with exactly the [[Prototype]] we chose. It
// is never visible to user code.
function ErrorDataHolder(): void {}

const nonEnumerable = (o: object, key: string, value: unknown): void => {
  // CreateNonEnumerableDataPropertyOrThrow (7.3.6)
  Object.defineProperty(o, key, { value, writable: true, enumerable: false, configurable: true });
};

/**
 * 20.5.8.1.1 SuppressedError ( error, suppressed, message )
 */
function SuppressedError(
  this: unknown,
  error: unknown,
  suppressed: unknown,
  message?: unknown,
): SuppressedErrorInstance {
  // 1. If NewTarget is undefined, let newTarget be the active function object; else NewTarget.
  const newTarget: unknown = new.target;
  // 2. Let O be ? OrdinaryCreateFromConstructor(newTarget, "%SuppressedError.prototype%", « [[ErrorData]] »).
  // 3. If message is not undefined: O.message = ? ToString(message), non-enumerable.
  // The Error constructor performs exactly these steps (and no others when given no options), and
  // it is the only way to make an object with [[ErrorData]]; we hand it the prototype we chose.
  let O: SuppressedErrorInstance;
  if (newTarget === undefined || newTarget === SuppressedError) {
    // Its `prototype` is SuppressedError.prototype (non-writable); V8 also starts the stack trace
    // at the caller of this function, as for a built-in constructor.
    O = Reflect.construct(Error, [message], SuppressedError) as SuppressedErrorInstance;
  } else {
    // The engine already read newTarget.prototype to make `this`; see realm.ts.
    const proto = prototypeFromConstructor(
      Object.getPrototypeOf(this) as object,
      newTarget as object,
      "SuppressedError",
      SuppressedError.prototype,
    );
    (ErrorDataHolder as { prototype: unknown }).prototype = proto;
    try {
      O = Reflect.construct(Error, [message], ErrorDataHolder) as SuppressedErrorInstance;
    } finally {
      (ErrorDataHolder as { prototype: unknown }).prototype = Object.prototype;
    }
    // V8 skipped every frame looking for ErrorDataHolder: capture the trace from our caller.
    (Error as ErrorWithCapture).captureStackTrace?.(O, SuppressedError);
  }
  // 4. Perform CreateNonEnumerableDataPropertyOrThrow(O, "error", error).
  nonEnumerable(O, "error", error);
  // 5. Perform CreateNonEnumerableDataPropertyOrThrow(O, "suppressed", suppressed).
  nonEnumerable(O, "suppressed", suppressed);
  // 6. Return O.
  return O;
}

// 20.5.8.2: the constructor's [[Prototype]] is %Error%.
Object.setPrototypeOf(SuppressedError, Error);
// 20.5.8.3: the prototype object, an ordinary object whose [[Prototype]] is %Error.prototype%, with
// `constructor` (20.5.8.3.1), `message` "" (20.5.8.3.2) and `name` "SuppressedError" (20.5.8.3.3).
const prototype = Object.create(Error.prototype, {
  constructor: { value: SuppressedError, writable: true, enumerable: false, configurable: true },
  message: { value: "", writable: true, enumerable: false, configurable: true },
  name: { value: "SuppressedError", writable: true, enumerable: false, configurable: true },
}) as object;
// 20.5.8.2.1: SuppressedError.prototype is { [[Writable]]: false, [[Enumerable]]: false,
// [[Configurable]]: false }.
Object.defineProperty(SuppressedError, "prototype", {
  value: prototype,
  writable: false,
  enumerable: false,
  configurable: false,
});

/** The ponyfill's SuppressedError constructor (typed like the built-in). */
export const SuppressedErrorPonyfill = SuppressedError as unknown as SuppressedErrorConstructor;
