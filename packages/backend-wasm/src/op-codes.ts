import type { BinaryOp, DType, ReduceOp, ScanOp, UnaryOp } from '@gd/tensor';

// Numeric codes the kernels switch on; they mirror the enums in assembly/ops.ts and assembly/reduce.ts.

// biome-ignore format: laid out like the kernel enum in assembly/
export const UNARY_CODE: Record<UnaryOp, number> = {
  neg: 0, abs: 1, sign: 2, exp: 3, expm1: 4, exp2: 5, log: 6, log1p: 7, log2: 8, log10: 9,
  sqrt: 10, rsqrt: 11, reciprocal: 12, square: 13, sin: 14, cos: 15, tan: 16, asin: 17, acos: 18, atan: 19,
  sinh: 20, cosh: 21, tanh: 22, asinh: 23, acosh: 24, atanh: 25, sigmoid: 26, logSigmoid: 27, relu: 28,
  floor: 29, ceil: 30, round: 31, trunc: 32, frac: 33, erf: 34, erfc: 35, erfinv: 36,
  logicalNot: 37, isnan: 38, isinf: 39, isfinite: 40, bitwiseNot: 41,
  leakyRelu: 42, elu: 43, selu: 44, celu: 45, gelu: 46, geluTanh: 47, silu: 48, mish: 49, softplus: 50, hardtanh: 51, hardsigmoid: 52, hardswish: 53,
  clamp: 54, powScalar: 55, rpowScalar: 56, nanToNum: 57,
};

// biome-ignore format: laid out like the kernel enum in assembly/
export const BINARY_CODE: Record<BinaryOp, number> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6, fmax: 7, fmin: 8, atan2: 9,
  remainder: 10, fmod: 11, floorDivide: 12, truncDivide: 13, hypot: 14, copysign: 15, xlogy: 16,
  eq: 17, ne: 18, lt: 19, le: 20, gt: 21, ge: 22,
  logicalAnd: 23, logicalOr: 24, logicalXor: 25, bitwiseAnd: 26, bitwiseOr: 27, bitwiseXor: 28,
};

export const REDUCE_CODE: Record<ReduceOp, number> = { sum: 0, prod: 1, amax: 2, amin: 3, all: 4, any: 5, nansum: 6 };

/** The value each reduction starts from. */
export const REDUCE_IDENTITY: Record<ReduceOp, number> = { sum: 0, prod: 1, amax: -Infinity, amin: Infinity, all: 1, any: 0, nansum: 0 };

export const SCAN_CODE: Record<ScanOp, number> = { cumsum: 0, cumprod: 1, cummax: 2, cummin: 3, logcumsumexp: 4 };

/** Element layout in linear memory: int64 lives in float64 slots, as on the cpu backend. */
export const DTYPE_CODE: Record<DType, number> = { float32: 0, float64: 1, int64: 1, int32: 2, bool: 3 };
export const F32 = 0;
export const F64 = 1;

export const BYTES: Record<DType, number> = { float32: 4, float64: 8, int64: 8, int32: 4, bool: 1 };
