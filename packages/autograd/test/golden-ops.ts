import * as gd from '@gd/tensor';
import type { Tensor } from '@gd/tensor';

type Arg = Tensor | number | Tensor[] | null;
type Attrs = Record<string, any>;

const dimArgs = (a: Attrs) => ({ dim: a.dim, keepdim: a.keepdim });
const varArgs = (a: Attrs) => ({
  dim: a.dim,
  keepdim: a.keepdim,
  ...(a.unbiased !== undefined ? { unbiased: a.unbiased } : { correction: a.correction }),
});
const t = (x: Arg) => x as Tensor;
const unary = (f: (x: Tensor) => Tensor) => (i: Arg[]) => f(t(i[0]!));
const binary = (f: (a: any, b: any) => Tensor) => (i: Arg[]) => f(i[0], i[1]);
const lossOpts = (i: Arg[], a: Attrs, names: string[]) => {
  const o: Attrs = { ...a };
  names.forEach((n, k) => {
    if (i[2 + k] !== undefined) o[n] = i[2 + k];
  });
  return o;
};

/**
 * How to call gd for each op of ops.json, from the case's inputs (tensors, numbers for
 * `{"scalar"}`, tensor arrays for `{"tensors"}`) and attrs (PyTorch's meaning, see the README).
 */
export const GOLDEN_OPS: Record<string, (inputs: Arg[], attrs: Attrs) => Tensor> = {
  add: (i, a) => gd.add(i[0] as Tensor, i[1] as Tensor, a.alpha === undefined ? {} : { alpha: a.alpha }),
  sub: (i, a) => gd.sub(i[0] as Tensor, i[1] as Tensor, a.alpha === undefined ? {} : { alpha: a.alpha }),
  mul: binary(gd.mul),
  div: binary(gd.div),
  pow: binary(gd.pow),
  maximum: binary(gd.maximum),
  minimum: binary(gd.minimum),
  eq: binary(gd.eq),
  ne: binary(gd.ne),
  lt: binary(gd.lt),
  le: binary(gd.le),
  gt: binary(gd.gt),
  ge: binary(gd.ge),
  neg: unary(gd.neg),
  exp: unary(gd.exp),
  log: unary(gd.log),
  sqrt: unary(gd.sqrt),
  rsqrt: unary(gd.rsqrt),
  abs: unary(gd.abs),
  sin: unary(gd.sin),
  cos: unary(gd.cos),
  tanh: unary(gd.tanh),
  sigmoid: unary(gd.sigmoid),
  relu: unary(gd.relu),
  leaky_relu: (i, a) => gd.leakyRelu(t(i[0]!), a.negativeSlope),
  gelu: (i, a) => gd.gelu(t(i[0]!), { approximate: a.approximate }),
  softplus: (i, a) => gd.softplus(t(i[0]!), { beta: a.beta, threshold: a.threshold }),
  clamp: (i, a) => gd.clamp(t(i[0]!), a.min, a.max),
  where: (i) => gd.where(t(i[0]!), i[1] as Tensor, i[2] as Tensor),
  matmul: binary(gd.matmul),
  mm: binary(gd.mm),
  bmm: binary(gd.bmm),
  linear: (i) => gd.linear(t(i[0]!), t(i[1]!), (i[2] as Tensor | undefined) ?? null),
  sum: (i, a) => gd.sum(t(i[0]!), dimArgs(a)),
  mean: (i, a) => gd.mean(t(i[0]!), dimArgs(a)),
  amax: (i, a) => gd.amax(t(i[0]!), dimArgs(a)),
  amin: (i, a) => gd.amin(t(i[0]!), dimArgs(a)),
  logsumexp: (i, a) => gd.logsumexp(t(i[0]!), dimArgs(a)),
  var: (i, a) => gd.var(t(i[0]!), varArgs(a)),
  std: (i, a) => gd.std(t(i[0]!), varArgs(a)),
  max: (i, a) => (a.dim === null ? gd.max(t(i[0]!)) : gd.max(t(i[0]!), a.dim, a.keepdim).values),
  min: (i, a) => (a.dim === null ? gd.min(t(i[0]!)) : gd.min(t(i[0]!), a.dim, a.keepdim).values),
  argmax: (i, a) => gd.argmax(t(i[0]!), a.dim, a.keepdim),
  argmin: (i, a) => gd.argmin(t(i[0]!), a.dim, a.keepdim),
  softmax: (i, a) => gd.softmax(t(i[0]!), a.dim),
  log_softmax: (i, a) => gd.logSoftmax(t(i[0]!), a.dim),
  reshape: (i, a) => gd.reshape(t(i[0]!), a.shape),
  transpose: (i, a) => gd.transpose(t(i[0]!), a.dim0, a.dim1),
  permute: (i, a) => gd.permute(t(i[0]!), a.dims),
  unsqueeze: (i, a) => gd.unsqueeze(t(i[0]!), a.dim),
  squeeze: (i, a) => gd.squeeze(t(i[0]!), a.dim),
  expand: (i, a) => gd.expand(t(i[0]!), a.size),
  cat: (i, a) => gd.cat(i[0] as Tensor[], a.dim),
  stack: (i, a) => gd.stack(i[0] as Tensor[], a.dim),
  slice: (i, a) => gd.slice(t(i[0]!), a.dim, a.start, a.end, a.step),
  index_select: (i, a) => gd.indexSelect(t(i[0]!), a.dim, t(i[1]!)),
  gather: (i, a) => gd.gather(t(i[0]!), a.dim, t(i[1]!)),
  mse_loss: (i, a) => gd.mseLoss(t(i[0]!), t(i[1]!), { reduction: a.reduction }),
  l1_loss: (i, a) => gd.l1Loss(t(i[0]!), t(i[1]!), { reduction: a.reduction }),
  smooth_l1_loss: (i, a) => gd.smoothL1Loss(t(i[0]!), t(i[1]!), { reduction: a.reduction, beta: a.beta }),
  huber_loss: (i, a) => gd.huberLoss(t(i[0]!), t(i[1]!), { reduction: a.reduction, delta: a.delta }),
  binary_cross_entropy: (i, a) => gd.binaryCrossEntropy(t(i[0]!), t(i[1]!), lossOpts(i, a, ['weight'])),
  binary_cross_entropy_with_logits: (i, a) => gd.binaryCrossEntropyWithLogits(t(i[0]!), t(i[1]!), lossOpts(i, a, ['weight', 'posWeight'])),
  cross_entropy: (i, a) => gd.crossEntropy(t(i[0]!), t(i[1]!), lossOpts(i, a, ['weight'])),
  nll_loss: (i, a) => gd.nllLoss(t(i[0]!), t(i[1]!), lossOpts(i, a, ['weight'])),
};
