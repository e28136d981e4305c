/**
 * GetPrototypeFromConstructor (ECMA-262 10.1.14) for the ponyfill's constructors.
 *
 * A constructor written in JavaScript gets its `this` from the engine, which has already performed
 * step 3 (`Get(newTarget, "prototype")`) and, where that was not an object, step 4 with the wrong
 * default: %Object.prototype% of newTarget's realm instead of %DisposableStack.prototype%. This
 * module completes step 4 without re-reading `prototype` in the common cases, and without `eval`.
 *
 * GetFunctionRealm (7.3.24) is out of reach of JavaScript, but the engine's fallback object *is*
 * %Object.prototype% of that realm. To go from there to the realm's %DisposableStack.prototype%, each
 * copy of the ponyfill that is the one in use in its realm records its three prototypes on that realm's
 * `Object` constructor, under the registered symbol {@link REGISTRY_KEY} (non-enumerable, read-only).
 * That is the only global trace the ponyfill leaves, and only where the host lacks the built-ins.
 */
import { isObject } from "../internal/describe.js";

/** The intrinsics the ponyfill provides, by name. */
export type IntrinsicName = "DisposableStack" | "AsyncDisposableStack" | "SuppressedError";

/** Registered (cross-realm) key of the per-realm record of the ponyfill's prototypes. */
export const REGISTRY_KEY: unique symbol = Symbol.for("@heapwise/dispose:realm-intrinsics");

/**
 * Completes GetPrototypeFromConstructor for an object the engine created from `newTarget`.
 *
 * @param engineProto - the [[Prototype]] the engine gave the new object
 * @param newTarget - NewTarget of the construction
 * @param name - which intrinsic's prototype is the default
 * @param ownProto - this copy's %name.prototype%
 * @returns the [[Prototype]] the spec prescribes
 */
export function prototypeFromConstructor(
  engineProto: object,
  newTarget: object,
  name: IntrinsicName,
  ownProto: object,
): object {
  // 10.1.14 step 3 happened in the engine. A fallback object is some realm's %Object.prototype%,
  // whose [[Prototype]] is null; any other [[Prototype]] means newTarget.prototype was that object.
  if (Object.getPrototypeOf(engineProto) !== null) return engineProto;
  // Ambiguous: a fallback, or a prototype object that itself has a null [[Prototype]]. Only here is
  // `prototype` read a second time (observable only through a getter on such a newTarget).
  if (isObject((newTarget as { prototype?: unknown }).prototype)) return engineProto;
  // 10.1.14 step 4: the realm's intrinsic.
  return realmIntrinsic(engineProto, name, ownProto);
}

/** %name.prototype% of the realm whose %Object.prototype% is `realmObjectPrototype`. */
function realmIntrinsic(
  realmObjectPrototype: object,
  name: IntrinsicName,
  ownProto: object,
): object {
  if (realmObjectPrototype === Object.prototype) return ownProto;
  const ctor = ownValue(realmObjectPrototype, "constructor");
  const record = isObject(ctor) ? ownValue(ctor, REGISTRY_KEY) : undefined;
  const proto = isObject(record) ? ownValue(record, name) : undefined;
  return isObject(proto) ? proto : ownProto;
}

function ownValue(object: object, key: PropertyKey): unknown {
  const d = Object.getOwnPropertyDescriptor(object, key);
  return d && "value" in d ? d.value : undefined;
}

/**
 * Records this copy's prototype of `name` as its realm's, unless another copy did so first. Called
 * only for the intrinsics this copy exports in place of missing built-ins. A frozen `Object` (SES
 * lockdown) is left alone: only cross-realm construction with a non-object `prototype` then falls
 * back to this copy's prototype.
 */
export function registerRealmIntrinsic(name: IntrinsicName, proto: object): void {
  try {
    let record = ownValue(Object, REGISTRY_KEY) as Record<string, unknown> | undefined;
    if (!isObject(record)) {
      if (!Object.isExtensible(Object)) return;
      record = Object.create(null) as Record<string, unknown>;
      Object.defineProperty(Object, REGISTRY_KEY, { value: record });
    }
    if (!Object.hasOwn(record, name) && Object.isExtensible(record)) {
      Object.defineProperty(record, name, { value: proto, enumerable: true });
    }
  } catch {
    // A locked-down realm: nothing to record.
  }
}
