// The bootstrap of `isolate()` (see isolate.ts), for both modes: loaded as the script of a worker
// thread (mode "worker") or of a forked Node process (mode "process"). It is plain ES module
// JavaScript so that it runs without a TypeScript loader. It imports the module, calls the export
// with the arguments, and sends the outcome back: `{ ok: true, result }` or `{ ok: false, error }`,
// where `error` is encoded by `encodeThrown` (structured clone alone keeps neither a custom error's
// `name` nor `code` nor an AggregateError's `errors`). No top-level await.
import { parentPort, workerData } from "node:worker_threads";

const BUILTIN_ERRORS = new Set([
  "Error",
  "EvalError",
  "RangeError",
  "ReferenceError",
  "SyntaxError",
  "TypeError",
  "URIError",
  "AggregateError",
  "SuppressedError",
]);
const MAX_DEPTH = 16;

function cloneable(value) {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function safe(read) {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** What a thrown value becomes on the wire: a tagged record the caller decodes (isolate.ts). */
function encodeThrown(thrown, depth = 0) {
  if (!(thrown instanceof Error) || depth > MAX_DEPTH) {
    if (cloneable(thrown)) return { kind: "value", value: thrown };
    return { kind: "value", value: safe(() => String(thrown)) ?? "a value that cannot be cloned" };
  }
  let ctor = "Error";
  for (
    let proto = Object.getPrototypeOf(thrown);
    proto !== null;
    proto = Object.getPrototypeOf(proto)
  ) {
    const name = safe(() => proto.constructor?.name);
    if (BUILTIN_ERRORS.has(name) && globalThis[name] === proto.constructor) {
      ctor = name;
      break;
    }
  }
  // A SuppressedError by shape too: the ponyfill's where the host has none, or the look-alike that
  // tslib's and esbuild's `using` helpers throw (an Error named so, with own error/suppressed).
  if (
    ctor === "Error" &&
    safe(() => thrown.name) === "SuppressedError" &&
    Object.hasOwn(thrown, "error") &&
    Object.hasOwn(thrown, "suppressed")
  ) {
    ctor = "SuppressedError";
  }
  const encoded = {
    kind: "error",
    ctor,
    name: safe(() => String(thrown.name)) ?? "Error",
    message: safe(() => String(thrown.message)) ?? "",
    stack: safe(() => (typeof thrown.stack === "string" ? thrown.stack : undefined)),
    props: {},
  };
  if (Object.hasOwn(thrown, "cause")) encoded.cause = encodeThrown(thrown.cause, depth + 1);
  if (ctor === "AggregateError" && Array.isArray(thrown.errors)) {
    encoded.errors = thrown.errors.map((e) => encodeThrown(e, depth + 1));
  }
  if (ctor === "SuppressedError") {
    encoded.error = encodeThrown(thrown.error, depth + 1);
    encoded.suppressed = encodeThrown(thrown.suppressed, depth + 1);
  }
  for (const key of Object.keys(thrown)) {
    if (key === "name" || key === "message" || key === "stack" || key === "cause") continue;
    if (ctor === "SuppressedError" && (key === "error" || key === "suppressed")) continue;
    const value = safe(() => thrown[key]);
    if (cloneable(value)) encoded.props[key] = value;
  }
  return encoded;
}

async function run(request) {
  const { specifier, exportName, args } = request;
  try {
    const namespace = await import(specifier);
    const fn = namespace[exportName];
    if (typeof fn !== "function") {
      throw new TypeError(
        `isolate: ${specifier} has no function export ${JSON.stringify(exportName)} (got ${typeof fn})`,
      );
    }
    return { ok: true, result: await fn(...args) };
  } catch (error) {
    return { ok: false, error: encodeThrown(error) };
  }
}

/** Sends the outcome; a result that cannot be cloned becomes a TypeError that says so. */
function answer(outcome, send) {
  try {
    send(outcome);
  } catch (error) {
    const why = safe(() => error.message) ?? String(error);
    const failure = new TypeError(`isolate: the result cannot be structured-cloned: ${why}`, {
      cause: error,
    });
    send({ ok: false, error: encodeThrown(failure) });
  }
}

if (parentPort) {
  // Worker thread: the request came as workerData.
  run(workerData).then((outcome) => answer(outcome, (m) => parentPort.postMessage(m)));
} else if (typeof process.send === "function") {
  // Forked process: the request comes as the first IPC message. If the parent goes away, so do we.
  process.on("disconnect", () => process.exit(1));
  process.once("message", (request) => {
    // From here on the IPC channel alone does not keep this process alive: like a worker thread, a
    // function whose promise never settles ends with an empty event loop (exit code 0).
    process.channel?.unref();
    run(request).then((outcome) =>
      answer(outcome, (m) => process.send(m, (error) => error || process.exit(0))),
    );
  });
} else {
  throw new Error("isolate-bootstrap.js runs only as isolate()'s worker thread or child process");
}
