/**
 * Every op name that goes through `dispatch`, with whether it is differentiable. @gd/autograd's
 * derivative table is typed against this list, so adding an op here without a backward rule is a
 * compile error there.
 */
// biome-ignore format: one line per family of ops, as the derivative files group them
export const OP_NAMES = {
  // elementwise binary
  add: true, sub: true, mul: true, div: true, pow: true, maximum: true, minimum: true, fmax: true, fmin: true,
  atan2: true, remainder: true, fmod: true, hypot: true, xlogy: true,
  floorDivide: false, truncDivide: false,
  eq: false, ne: false, lt: false, le: false, gt: false, ge: false, logicalAnd: false, logicalOr: false, logicalXor: false,
  // elementwise unary
  neg: true, abs: true, sign: true, exp: true, expm1: true, exp2: true, log: true, log1p: true, log2: true, log10: true,
  sqrt: true, rsqrt: true, reciprocal: true, square: true, sin: true, cos: true, tan: true, asin: true, acos: true, atan: true,
  sinh: true, cosh: true, tanh: true, asinh: true, acosh: true, atanh: true, sigmoid: true, relu: true,
  // activations
  leakyRelu: true, gelu: true, softplus: true, elu: true, silu: true, hardtanh: true, logSigmoid: true, mish: true,
  selu: true, celu: true, hardsigmoid: true, hardswish: true,
  softmax: true, logSoftmax: true,
  floor: true, ceil: true, round: true, trunc: true, frac: true, erf: true, erfc: true, erfinv: true,
  logicalNot: false, isnan: false, isinf: false, isfinite: false, nanToNum: true, clamp: true, where: true,
  // conversion and views
  to: true, toBackend: true, clone: true, view: true, reshape: true, transpose: true, permute: true, expand: true,
  squeeze: true, unsqueeze: true, slice: true, select: true, unbind: true, split: true, sliceScatter: true, selectScatter: true, diagonalScatter: true,
  asStrided: true, asStridedScatter: true,
  // reductions
  sum: true, mean: true, amax: true, amin: true, logsumexp: true, max: true, min: true, maxDim: true, minDim: true,
  var: true, std: true, cumsum: true, cumprod: true, sort: true, topk: true, argmax: false, argmin: false,
  prod: true, nansum: true, norm: true, logcumsumexp: true, cummax: true, cummin: true, kthvalue: true,
  all: false, any: false, countNonzero: false, unique: false,
  // joining and indexing
  cat: true, stack: true, indexSelect: true, gather: true, scatterAdd: true, indexAdd: true,
  scatter: true, take: true, maskedFill: true, maskedSelect: true, nonzero: false,
  repeat: true, flip: true, roll: true, diagonal: true, diag: true, tril: true, triu: true,
  // pointwise updates (optimizers) and random fills (zero gradient, as in PyTorch)
  addcmul: true, addcdiv: true, lerp: true, normal: true, uniform: true, bernoulli: true,
  // losses
  mseLoss: true, l1Loss: true, smoothL1Loss: true, huberLoss: true, binaryCrossEntropy: true,
  binaryCrossEntropyWithLogits: true, crossEntropy: true, nllLoss: true,
  // linear algebra
  matmul: true, mm: true, bmm: true, linear: true,
  // convolution, pooling, normalization, embedding
  conv2d: true, convTranspose2d: true, im2col: true, col2im: true, maxPool2d: true, avgPool2d: true, layerNorm: true, batchNorm: true, embedding: true,
} as const;

export type OpName = keyof typeof OP_NAMES;
export type DifferentiableOpName = { [K in OpName]: (typeof OP_NAMES)[K] extends true ? K : never }[OpName];
