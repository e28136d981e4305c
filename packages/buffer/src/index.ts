export { type Allocator, defaultAllocator } from "./allocator.ts";
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
  abs,
  add,
  atan2,
  axpy,
  cos,
  divide,
  type ElementwiseOptions,
  exp,
  hypot,
  log,
  type MapOptions,
  map,
  maximum,
  minimum,
  mod,
  multiply,
  negative,
  power,
  rint,
  sin,
  sqrt,
  square,
  subtract,
  tanh,
  type UnaryName,
  unary,
} from "./elementwise.ts";
export { BufferError, ShapeError } from "./errors.ts";
export {
  type BufferView,
  GrowableBuffer,
  type GrowableBufferOptions,
  type GrowthPolicy,
} from "./growable.ts";
export type { ArrayInput, Operand } from "./internal/operand.ts";
export { dot, type MatmulOptions, matmul } from "./linalg.ts";
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
  argmax,
  argmin,
  type FullReduceOptions,
  max,
  mean,
  min,
  type SumAlgorithm,
  std,
  sum,
  type VarOptions,
  variance,
} from "./reduce.ts";
