/** `globalThis.gc` when node runs with `--expose-gc` (heapwise-bench always passes it). */
export function requireGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== "function") {
    throw new Error(
      "benchmarks need --expose-gc: run them through `pnpm bench` or `heapwise-bench`",
    );
  }
  return gc;
}
