// piscina's worker for the parallel benchmark: the same kernels as ParallelPool's workers (the
// package's own sum and exp loop), so only the pools differ.
import { sum } from "@heapwise/buffer";

export default function task({ op, x, out, lo, hi }) {
  if (op === "sum") return sum(x.subarray(lo, hi));
  for (let i = lo; i < hi; i++) out[i] = Math.exp(x[i]);
  return 0;
}
