export { type Allocator, defaultAllocator, type Memory } from "./allocator.ts";
export {
  arange,
  array,
  asarray,
  type CreateOptions,
  full,
  type LinspaceOptions,
  linspace,
  type NestedArray,
  ones,
  zeros,
} from "./create.ts";
export {
  type AnyTypedArray,
  type BigIntDType,
  type Casting,
  canCast,
  DTYPES,
  type DType,
  type DTypeInfo,
  dtypeInfo,
  dtypeOf,
  isDType,
  type NumberDType,
  resultType,
  type ScalarOf,
  type TypedArrayMap,
  type TypedArrayOf,
} from "./dtype.ts";
export {
  add,
  atan2,
  divide,
  type ElementwiseOptions,
  hypot,
  maximum,
  minimum,
  mod,
  multiply,
  power,
  subtract,
} from "./elementwise.ts";
export { BufferError, ShapeError } from "./errors.ts";
export { argmax, argmin, max, min } from "./extremes.ts";
export {
  type BufferView,
  GrowableBuffer,
  type GrowableBufferOptions,
  type GrowthPolicy,
} from "./growable.ts";
export type { ArrayInput, Operand } from "./internal/operand.ts";
export { axpy, dot, type MatmulOptions, matmul } from "./linalg.ts";
export {
  abs,
  cos,
  exp,
  log,
  type MapOptions,
  map,
  negative,
  rint,
  sin,
  sqrt,
  square,
  tanh,
  type UnaryName,
  unary,
} from "./math.ts";
export {
  type AllocOptions,
  NDArray,
  type NDArrayOptions,
  type Slice,
  type SliceSpec,
} from "./ndarray.ts";
export { BufferPool, type BufferPoolOptions, type BufferPoolStats, type Lease } from "./pool.ts";
export {
  type AxisReduceOptions,
  type FullReduceOptions,
  mean,
  type SumAlgorithm,
  std,
  sum,
  type VarOptions,
  variance,
} from "./reduce.ts";
export { WasmHeap, type WasmHeapOptions, type WasmHeapStats, type WasmMemory } from "./wasm.ts";
