// Minimal types for the untyped scijs peers used in the benchmarks.
declare module "ndarray" {
  interface NdArray {
    get(...index: number[]): number;
    step(...steps: number[]): NdArray;
    readonly data: Float64Array;
  }
  function ndarray(
    data: Float64Array,
    shape?: number[],
    stride?: number[],
    offset?: number,
  ): NdArray;
  export default ndarray;
}
declare module "ndarray-ops" {
  import type ndarray from "ndarray";

  type Nd = ReturnType<typeof ndarray>;
  const ops: {
    sum(a: Nd): number;
    add(out: Nd, a: Nd, b: Nd): void;
    mul(out: Nd, a: Nd, b: Nd): void;
    muls(out: Nd, a: Nd, s: number): void;
    addeq(out: Nd, a: Nd): void;
  };
  export default ops;
}
