import { kernelsOf, type NumArray, sumKahan, sumPairwise, sumSqDevPairwise } from "./kernels.ts";
import { type BinaryName, FLAT_BINARY, type UnaryName, unaryLoop } from "./unary.ts";
import { dotPairwise } from "./vector.ts";

/** A unit of work; arrays are typed arrays over SharedArrayBuffers (shared, not copied). */
export type Task =
  | { id: number; op: "sum"; algorithm: "pairwise" | "kahan"; x: NumArray; lo: number; hi: number }
  | { id: number; op: "sqdev"; x: NumArray; lo: number; hi: number; mean: number }
  | { id: number; op: "dot"; x: NumArray; y: NumArray; lo: number; hi: number }
  | {
      id: number;
      op: "binary";
      name: BinaryName;
      x: NumArray;
      y: NumArray;
      out: NumArray;
      lo: number;
      hi: number;
    }
  | {
      id: number;
      op: "unary";
      name: UnaryName;
      x: NumArray;
      out: NumArray;
      lo: number;
      hi: number;
    };

/** Runs a task (exported for tests and for the main-thread fallback). */
export function runTask(t: Task): number {
  switch (t.op) {
    case "sum":
      return (t.algorithm === "kahan" ? sumKahan : sumPairwise)(t.x, t.lo, t.hi - t.lo, 1);
    case "sqdev":
      return sumSqDevPairwise(t.x, t.lo, t.hi - t.lo, 1, t.mean);
    case "dot":
      return dotPairwise(t.x, t.lo, 1, t.y, t.lo, 1, t.hi - t.lo);
    case "binary":
      FLAT_BINARY[t.name](
        t.x as Float64Array,
        t.y as Float64Array,
        t.out as Float64Array,
        t.lo,
        t.hi,
      );
      return 0;
    case "unary": {
      const K = kernelsOf(t.out);
      const loop = K.unary !== undefined && kernelsOf(t.x) === K ? K.unary : unaryLoop;
      loop(t.name, t.x, t.lo, 1, t.out, t.lo, 1, t.hi - t.lo);
      return 0;
    }
    default:
      throw new TypeError(`unknown task ${JSON.stringify((t as { op: unknown }).op)}`);
  }
}
