import { dealloc } from "./dealloc.ts";
import { installCollector } from "./gc.ts";
import { Runtime, type RuntimeOptions } from "./runtime.ts";

/** A runtime with its deallocator and collector wired in. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const rt = new Runtime(options);
  rt.deallocHook = (id) => dealloc(rt, id);
  installCollector(rt);
  return rt;
}
