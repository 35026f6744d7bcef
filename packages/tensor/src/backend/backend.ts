import type { DType, TypedArray } from '../dtype.js';
import type { Storage } from '../storage.js';

/** A strided window onto a storage: what every kernel reads and writes. */
export interface View {
  readonly storage: Storage;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
}

export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'exp'
  | 'expm1'
  | 'exp2'
  | 'log'
  | 'log1p'
  | 'log2'
  | 'log10'
  | 'sqrt'
  | 'rsqrt'
  | 'reciprocal'
  | 'square'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'asin'
  | 'acos'
  | 'atan'
  | 'sinh'
  | 'cosh'
  | 'tanh'
  | 'asinh'
  | 'acosh'
  | 'atanh'
  | 'sigmoid'
  | 'logSigmoid'
  | 'relu'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'trunc'
  | 'frac'
  | 'erf'
  | 'erfc'
  | 'erfinv'
  | 'logicalNot'
  | 'isnan'
  | 'isinf'
  | 'isfinite'
  | 'bitwiseNot'
  | 'leakyRelu'
  | 'elu'
  | 'selu'
  | 'celu'
  | 'gelu'
  | 'geluTanh'
  | 'silu'
  | 'mish'
  | 'softplus'
  | 'hardtanh'
  | 'hardsigmoid'
  | 'hardswish'
  | 'clamp'
  | 'powScalar'
  | 'rpowScalar'
  | 'nanToNum';

/** Scalar parameters of parameterised unary ops (`leakyRelu`'s slope, `clamp`'s bounds, …). */
export interface UnaryParams {
  readonly a?: number;
  readonly b?: number;
  readonly c?: number;
}

export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'fmax'
  | 'fmin'
  | 'atan2'
  | 'remainder'
  | 'fmod'
  | 'floorDivide'
  | 'truncDivide'
  | 'hypot'
  | 'copysign'
  | 'xlogy'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'logicalAnd'
  | 'logicalOr'
  | 'logicalXor'
  | 'bitwiseAnd'
  | 'bitwiseOr'
  | 'bitwiseXor';

export type ReduceOp = 'sum' | 'prod' | 'amax' | 'amin' | 'all' | 'any' | 'nansum';
export type ArgReduceOp = 'argmax' | 'argmin';
export type ScanOp = 'cumsum' | 'cumprod' | 'cummax' | 'cummin' | 'logcumsumexp';

/**
 * What a compute backend provides. The required kernels are primitives; every other op in gd
 * is a decomposition into them, so a backend can never lack an op. Kernels write into `out`,
 * which the caller allocates (it may be a strided view for in-place ops); inputs are already
 * broadcast to `out`'s shape through zero strides where that applies.
 */
export interface Backend<Handle = unknown> {
  readonly name: string;
  /**
   * True when storages live outside the JS heap (wasm linear memory), where the garbage collector
   * neither sees their size nor frees them promptly: autograd then disposes its temporaries itself.
   */
  readonly externalMemory?: boolean;

  /** A new storage of `size` elements, zero-filled. */
  alloc(dtype: DType, size: number): Storage<Handle>;
  /** A new storage whose contents are unspecified, for an output a kernel overwrites entirely. */
  allocUninitialized?(dtype: DType, size: number): Storage<Handle>;
  /** A new storage holding a copy of `data` (already of dtype's array type). */
  fromArray(dtype: DType, data: TypedArray): Storage<Handle>;
  /** A copy of the storage's elements as the dtype's typed array. */
  read(storage: Storage<Handle>): TypedArray;
  /** Overwrites elements [start, start + data.length) of the storage. */
  write(storage: Storage<Handle>, data: TypedArray, start?: number): void;
  /** Releases the storage's buffer. */
  free(storage: Storage<Handle>): void;

  fill(out: View, value: number): void;
  /** out = x, elementwise over out's shape, converting dtype (x broadcast to out). */
  copy(out: View, x: View): void;
  unary(op: UnaryOp, out: View, x: View, params?: UnaryParams): void;
  /** out = a op b; for add and sub, `alpha` scales b (`a + alpha * b`). */
  binary(op: BinaryOp, out: View, a: View, b: View, alpha?: number): void;
  /** out = a op scalar (or scalar op a when `reversed`). */
  binaryScalar(op: BinaryOp, out: View, a: View, scalar: number, reversed: boolean): void;
  /** out = cond ? a : b. */
  where(out: View, cond: View, a: View, b: View): void;
  /** Reduces x over `dims` into out, whose shape is x's with those dims set to 1. */
  reduce(op: ReduceOp, out: View, x: View, dims: readonly number[]): void;
  /** Index of the max/min along `dim` (first occurrence; NaN counts as the max), int64 out with dim of size 1. */
  argReduce(op: ArgReduceOp, out: View, x: View, dim: number): void;
  /** Batched matmul: a [B, M, K] × b [B, K, N] → out [B, M, N]. */
  matmul(out: View, a: View, b: View): void;
  /** out[i][j] = x[i][index[i][j]] along dim (torch.gather). */
  gather(out: View, x: View, dim: number, index: View): void;
  /** out[index[i][j]] += src[i][j] along dim, in place (torch.scatter_add_). */
  scatterAdd(out: View, dim: number, index: View, src: View): void;
  /** out = x.index_select(dim, index). */
  indexSelect(out: View, x: View, dim: number, index: View): void;
  /** out.index_add_(dim, index, src), in place. */
  indexAdd(out: View, dim: number, index: View, src: View): void;
  /** Inclusive scan along dim; for cummax/cummin `indices` receives the positions. */
  scan(op: ScanOp, out: View, x: View, dim: number, indices?: View): void;
  /** Stable sort along dim into values and int64 indices. */
  sort(values: View, indices: View, x: View, dim: number, descending: boolean): void;

  /** Optional fused kernels for composite ops, looked up by the op's name. */
  readonly fused?: Partial<Record<string, (...args: never[]) => unknown>>;
}

/** Geometry of a 2-d sliding window over the last two dims; padding is [top, bottom, left, right]. */
export interface Window2d {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number, number, number];
  readonly dilation: readonly [number, number];
}

/**
 * Optional sliding-window kernels a backend may offer in `fused` under these names (conv and
 * pooling otherwise run as strided copies, reductions and adds).
 */
export interface WindowKernels {
  /** cols [N, C·kh·kw, Ho·Wo] (contiguous) = the windows of x [N, C, H, W], zero outside. */
  im2col(cols: View, x: View, window: Window2d): void;
  /** out [N, C, H, W] (contiguous, zero-filled) += cols [N, C·kh·kw, Ho·Wo] summed back over the windows. */
  col2im(out: View, cols: View, window: Window2d): void;
  /** Max over each window into values and int64 indices [N, C, Ho, Wo] (flat positions in the H·W plane). */
  maxPool2d(values: View, indices: View, x: View, window: Window2d): void;
}

/** The scalars of one Adam step, as torch.optim.Adam names them. */
export interface AdamStepScalars {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** lr / (1 - beta1^step). */
  readonly stepSize: number;
  /** sqrt(1 - beta2^step). */
  readonly biasCorrection2Sqrt: number;
}

/**
 * An optional optimizer kernel a backend may offer in `fused` (optimizers otherwise run their
 * update as in-place tensor ops). It must round exactly as that op-by-op path.
 */
export interface OptimizerKernels {
  /**
   * Adam's update in place (exp_avg.lerp_(grad, 1 - beta1); exp_avg_sq.mul_(beta2).addcmul_(grad,
   * grad, 1 - beta2); param.addcdiv_(exp_avg, exp_avg_sq.sqrt() / biasCorrection2Sqrt + eps,
   * -stepSize)); all four of one float dtype and shape.
   */
  adam(param: View, grad: View, expAvg: View, expAvgSq: View, s: AdamStepScalars): void;
}
