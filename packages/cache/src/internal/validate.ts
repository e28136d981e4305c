/** Validation helpers: every error names the bad value. */

/** A short, printable rendering of any value for error messages. */
export function describe(value: unknown): string {
  switch (typeof value) {
    case "string": {
      const s = JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
      return s;
    }
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return value.toString();
    case "function":
      return `function ${value.name || "(anonymous)"}`;
    case "undefined":
      return "undefined";
    case "boolean":
      return String(value);
    default: {
      if (value === null) return "null";
      if (Array.isArray(value)) return `array of length ${value.length}`;
      const ctor = (value as { constructor?: { name?: unknown } }).constructor;
      const name = typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : "Object";
      return `${name === "Object" ? "an" : "a"} ${name} object`;
    }
  }
}

/** True for values `WeakRef` accepts as targets in this package: objects and functions. */
export function isWeakable(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** Throws unless `value` is a positive safe integer. */
export function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== "number") {
    throw new TypeError(`${name} must be a positive integer, got ${describe(value)}`);
  }
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is a function. */
export function fn<F>(name: string, value: unknown): F {
  if (typeof value !== "function") {
    throw new TypeError(`${name} must be a function, got ${describe(value)}`);
  }
  return value as F;
}

/** Throws unless `value` is a plain options object whose keys are all in `known`. */
export function options(
  where: string,
  value: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`${where} options must be an object, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${where}: unknown option ${JSON.stringify(key)} (known: ${known.join(", ")})`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** Throws unless `value` is a WeakProvider (structurally). */
export function weakProvider<P>(name: string, value: unknown): P {
  const v = value as { weakRef?: unknown; finalizationRegistry?: unknown } | null;
  if (
    typeof v !== "object" ||
    v === null ||
    typeof v.weakRef !== "function" ||
    typeof v.finalizationRegistry !== "function"
  ) {
    throw new TypeError(
      `${name} must be a WeakProvider with weakRef() and finalizationRegistry(), got ${describe(value)}`,
    );
  }
  return value as P;
}
