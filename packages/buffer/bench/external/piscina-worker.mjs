// piscina's worker for the parallel benchmark: the same kernels as ParallelPool's workers (the
// package's own sum and unary exp), so only the pools differ.
import { asarray, sum, unary } from "@heapwise/buffer";

export default function task({ op, x, out, lo, hi }) {
  if (op === "sum") return sum(x.subarray(lo, hi));
  unary("exp", asarray(x.subarray(lo, hi)), { out: asarray(out.subarray(lo, hi)) });
  return 0;
}
