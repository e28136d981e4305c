/**
 * A short description of a value for error messages. It never runs user code: no `toString`, no
 * getters, no `Symbol.toStringTag` lookup (so a validation error cannot itself throw or have effects).
 */
export function describe(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return String(value);
    case "undefined":
    case "boolean":
      return String(value);
    case "function": {
      const own = safeOwnDescriptor(value, "name");
      const name = own && "value" in own && typeof own.value === "string" ? own.value : "";
      return name ? `function ${name}` : "an anonymous function";
    }
    default:
      if (value === null) return "null";
      try {
        if (Array.isArray(value)) return "an array";
      } catch {
        return "a revoked proxy";
      }
      return "an object";
  }
}

function safeOwnDescriptor(value: object, key: PropertyKey): PropertyDescriptor | undefined {
  try {
    return Object.getOwnPropertyDescriptor(value, key);
  } catch {
    return undefined;
  }
}

/** Whether `value` is an object or a function (ECMAScript's "is an Object"). */
export function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}
