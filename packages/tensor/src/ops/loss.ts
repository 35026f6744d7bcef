import { dispatch } from '../dispatch.js';
import { isFloatingPoint, scalarTypeName } from '../dtype.js';
import { IndexError, RuntimeError, ValueError } from '../errors.js';
import { formatShape, normalizeDim, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { logSigmoid } from './activation.js';
import { abs, add, clamp, div, exp, ge, le, log, log1p, logicalAnd, lt, mul, neg, square, sub, where, xlogy } from './arithmetic.js';
import { sum } from './reduction.js';
import { logSoftmax } from './softmax.js';
import { emptyTensor } from './util.js';

// torch.nn.functional's losses. Each public loss is one recorded op (named as in the dispatch
// contract); its body is a decomposition into public ops, which dispatch does not record again.

export type Reduction = 'none' | 'mean' | 'sum';

export interface ReductionOptions {
  reduction?: Reduction;
}

function readReduction(o: ReductionOptions): Reduction {
  const r = o.reduction ?? 'mean';
  if (r !== 'none' && r !== 'mean' && r !== 'sum') throw new ValueError(`${String(r)} is not a valid value for reduction`);
  return r;
}

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  const total = sum(loss);
  return reduction === 'sum' ? total : div(total, loss.numel());
}

const torchSize = (shape: readonly number[]) => `torch.Size([${shape.join(', ')}])`;

/** PyTorch warns (and broadcasts) when a regression loss gets a target of another size. */
function warnTargetSize(input: Tensor, target: Tensor): void {
  if (!shapesEqual(input.shape, target.shape))
    console.warn(
      `UserWarning: Using a target size (${torchSize(target.shape)}) that is different to the input size (${torchSize(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
    );
}

/** An elementwise loss of (input - target), reduced. */
function pointwiseLoss(
  op: string,
  input: Tensor,
  target: Tensor,
  attrs: Record<string, unknown>,
  reduction: Reduction,
  f: (diff: Tensor) => Tensor,
): Tensor {
  warnTargetSize(input, target);
  return dispatch(op, [input, target], { reduction, ...attrs }, () => reduce(f(sub(input, target)), reduction));
}

/** F.mse_loss: mean of (input - target)². */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  return pointwiseLoss('mseLoss', input, target, {}, readReduction(options), square);
}

/** F.l1_loss: mean of |input - target|. */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  return pointwiseLoss('l1Loss', input, target, {}, readReduction(options), abs);
}

/** F.smooth_l1_loss: 0.5 d² / beta where |d| < beta, else |d| - 0.5 beta (beta = 0 is l1). */
export function smoothL1Loss(input: Tensor, target: Tensor, options: ReductionOptions & { beta?: number } = {}): Tensor {
  const reduction = readReduction(options);
  const beta = options.beta ?? 1;
  if (beta < 0) throw new RuntimeError('smooth_l1_loss does not support negative values for beta.');
  return pointwiseLoss('smoothL1Loss', input, target, { beta }, reduction, (d) => {
    const z = abs(d);
    if (beta === 0) return z;
    return where(lt(z, beta), div(mul(square(z), 0.5), beta), sub(z, 0.5 * beta));
  });
}

/** F.huber_loss: 0.5 d² where |d| < delta, else delta (|d| - 0.5 delta). */
export function huberLoss(input: Tensor, target: Tensor, options: ReductionOptions & { delta?: number } = {}): Tensor {
  const reduction = readReduction(options);
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new RuntimeError('huber_loss does not support non-positive values for delta.');
  return pointwiseLoss('huberLoss', input, target, { delta }, reduction, (d) => {
    const z = abs(d);
    return where(lt(z, delta), mul(square(z), 0.5), mul(sub(z, 0.5 * delta), delta));
  });
}

/** NaN counts as outside, as in PyTorch's check. */
function allProbabilities(x: Tensor): boolean {
  return sum(logicalAnd(ge(x, 0), le(x, 1))).item() === x.numel();
}

/** F.binary_cross_entropy on probabilities: -w (t log x + (1 - t) log(1 - x)), each log clamped at -100. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: ReductionOptions & { weight?: Tensor | null } = {}): Tensor {
  const reduction = readReduction(options);
  const weight = options.weight ?? null;
  if (!shapesEqual(input.shape, target.shape))
    throw new ValueError(
      `Using a target size (${torchSize(target.shape)}) that is different to the input size (${torchSize(input.shape)}) is deprecated. Please ensure they have the same size.`,
    );
  return dispatch('binaryCrossEntropy', [input, target, weight], { reduction }, () => {
    if (!allProbabilities(input)) throw new RuntimeError('all elements of input should be between 0 and 1');
    const logX = clamp(log(input), -100, null);
    const log1mX = clamp(log1p(neg(input)), -100, null);
    let loss = sub(mul(sub(target, 1), log1mX), mul(target, logX));
    if (weight !== null) loss = mul(loss, weight);
    return reduce(loss, reduction);
  });
}

/**
 * F.binary_cross_entropy_with_logits: BCE of sigmoid(input), computed through log-sigmoid so it
 * never overflows; posWeight scales the positive term.
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  options: ReductionOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {},
): Tensor {
  const reduction = readReduction(options);
  const weight = options.weight ?? null;
  const posWeight = options.posWeight ?? null;
  if (!shapesEqual(input.shape, target.shape))
    throw new ValueError(`Target size (${torchSize(target.shape)}) must be the same as input size (${torchSize(input.shape)})`);
  return dispatch('binaryCrossEntropyWithLogits', [input, target, weight, posWeight], { reduction }, () => {
    // -log sigmoid(x) weighs (1 + (posWeight - 1) t); the (1 - t) x term completes the negative side.
    const logWeight = posWeight === null ? null : add(mul(sub(posWeight, 1), target), 1);
    const negLogSig = neg(logSigmoid(input));
    let loss = add(mul(sub(1, target), input), logWeight === null ? negLogSig : mul(logWeight, negLogSig));
    if (weight !== null) loss = mul(loss, weight);
    return reduce(loss, reduction);
  });
}

// ---------------------------------------------------------------- classification

export interface NllOptions extends ReductionOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
}

function checkClassTarget(input: Tensor, target: Tensor, weight: Tensor | null): void {
  if (input.dim() < 1) throw new ValueError(`Expected 1 or more dimensions (got ${input.dim()})`);
  if (input.dim() !== 1 && input.shape[0] !== target.shape[0])
    throw new ValueError(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
  if (target.dtype !== 'int64') throw new RuntimeError(`expected scalar type Long but found ${scalarTypeName(target.dtype)}`);
  if (input.dim() <= 2) {
    if (target.dim() > 1) throw new RuntimeError('0D or 1D target tensor expected, multi-target not supported');
    if (input.dim() === 1 && target.dim() !== 0)
      throw new RuntimeError(
        `1D target tensor expects 1D input tensors, but found inputs with sizes ${formatShape(input.shape)} and ${formatShape(target.shape)}.`,
      );
  } else {
    const expected = [input.shape[0]!, ...input.shape.slice(2)];
    if (!shapesEqual(expected, target.shape))
      throw new RuntimeError(`Expected target size ${formatShape(expected)}, got ${formatShape(target.shape)}`);
  }
  const classes = input.shape[classDim(input)]!;
  if (weight !== null && (weight.dim() !== 1 || weight.numel() !== classes))
    throw new RuntimeError(
      `weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: ${formatShape(weight.shape)}`,
    );
}

const classDim = (input: Tensor) => (input.dim() === 1 ? 0 : 1);

/**
 * Per-target picks of a class-index loss: the class index of each target (0 where ignored, so it
 * can gather) and the weight each target carries (0 where ignored), both flat over the targets.
 */
function targetPicks(input: Tensor, target: Tensor, weight: Tensor | null, ignoreIndex: number): { index: Tensor; weights: Tensor } {
  const classes = input.shape[classDim(input)]!;
  const t = target.dataSync();
  const w = weight?.dataSync();
  const backend = input.storage.backend;
  const index = new Float64Array(t.length);
  const weights = new (input.dtype === 'float64' ? Float64Array : Float32Array)(t.length);
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === ignoreIndex) continue;
    if (c < 0 || c >= classes) throw new IndexError(`Target ${c} is out of bounds.`);
    index[i] = c;
    weights[i] = w ? w[c]! : 1;
  }
  return {
    index: new Tensor(backend.fromArray('int64', index), [t.length, 1], [1, 1], 0, 'int64'),
    weights: new Tensor(backend.fromArray(input.dtype, weights), [t.length], [1], 0, input.dtype),
  };
}

/** Rows of class scores: the class dim moved last and everything else flattened, [targets, C]. */
function classRows(input: Tensor): Tensor {
  const c = classDim(input);
  return input.movedim(c, -1).reshape([-1, input.shape[c]!]);
}

/** The weighted negative log-likelihood of already log-softmaxed scores, reduced like nll_loss. */
function nll(logp: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction, ignoreIndex: number): Tensor {
  const { index, weights } = targetPicks(logp, target, weight, ignoreIndex);
  const rows = classRows(logp);
  const picked = emptyTensor(index.shape, logp.dtype, logp.storage.backend);
  logp.storage.backend.gather(picked, rows, 1, index);
  const loss = neg(mul(picked.view([-1]), weights));
  if (reduction === 'none') return loss.view(target.shape);
  const total = sum(loss);
  return reduction === 'sum' ? total : div(total, sum(weights));
}

/** F.nll_loss(input, target, weight=None, ignore_index=-100, reduction='mean') on log-probabilities. */
export function nllLoss(input: Tensor, target: Tensor, options: NllOptions = {}): Tensor {
  const reduction = readReduction(options);
  const weight = options.weight ?? null;
  const ignoreIndex = options.ignoreIndex ?? -100;
  checkClassTarget(input, target, weight);
  return dispatch('nllLoss', [input, target, weight], { reduction, ignoreIndex }, () => nll(input, target, weight, reduction, ignoreIndex));
}

export interface CrossEntropyOptions extends NllOptions {
  labelSmoothing?: number;
}

/**
 * F.cross_entropy on logits: class-index targets (int64, [N] for [N, C] input, [N, d...] for
 * [N, C, d...], 0-d for [C]) or class probabilities (float, the input's shape).
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const reduction = readReduction(options);
  const weight = options.weight ?? null;
  const ignoreIndex = options.ignoreIndex ?? -100;
  const labelSmoothing = options.labelSmoothing ?? 0;
  const probs = input.dim() >= 1 && shapesEqual(input.shape, target.shape);
  if (probs) {
    if (!isFloatingPoint(target.dtype))
      throw new RuntimeError(`Expected floating point type for target with class probabilities, got ${scalarTypeName(target.dtype)}`);
    if (ignoreIndex >= 0) throw new RuntimeError('ignore_index is not supported for floating point target');
    const classes = input.shape[classDim(input)]!;
    if (weight !== null && (weight.dim() !== 1 || weight.numel() !== classes))
      throw new RuntimeError(
        `cross_entropy: weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: ${formatShape(weight.shape)}`,
      );
  } else checkClassTarget(input, target, weight);
  if (labelSmoothing < 0 || labelSmoothing > 1)
    throw new RuntimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${labelSmoothing}`);
  return dispatch('crossEntropy', [input, target, weight], { reduction, ignoreIndex, labelSmoothing }, () => {
    const dim = classDim(input);
    const logp = logSoftmax(input, dim);
    return probs
      ? probabilityCrossEntropy(logp, target, weight, reduction, labelSmoothing)
      : indexCrossEntropy(logp, target, weight, reduction, ignoreIndex, labelSmoothing);
  });
}

/** `weight` shaped to broadcast along the class dim of `like`. */
function classWeight(weight: Tensor, like: Tensor): Tensor {
  const shape = like.shape.map(() => 1);
  shape[classDim(like)] = weight.numel();
  return weight.view(shape);
}

function probabilityCrossEntropy(
  logp: Tensor,
  target: Tensor,
  weight: Tensor | null,
  reduction: Reduction,
  labelSmoothing: number,
): Tensor {
  const dim = classDim(logp);
  const classes = logp.shape[dim]!;
  const t = labelSmoothing > 0 ? add(mul(target, 1 - labelSmoothing), labelSmoothing / classes) : target;
  let terms = mul(logp, t);
  if (weight !== null) terms = mul(terms, classWeight(weight, logp));
  if (reduction === 'none') return neg(sum(terms, { dim }));
  const total = neg(sum(terms));
  return reduction === 'sum' ? total : div(total, logp.numel() / classes);
}

function indexCrossEntropy(
  logp: Tensor,
  target: Tensor,
  weight: Tensor | null,
  reduction: Reduction,
  ignoreIndex: number,
  labelSmoothing: number,
): Tensor {
  const nllLossValue = nll(logp, target, weight, reduction, ignoreIndex);
  if (labelSmoothing === 0) return nllLossValue;
  // The smoothing term: every class's -log p (weighted), over the non-ignored targets.
  const dim = classDim(logp);
  const classes = logp.shape[dim]!;
  const { weights } = targetPicks(logp, target, weight, ignoreIndex);
  const kept = target.ne(ignoreIndex);
  const perTarget = neg(sum(weight === null ? logp : mul(logp, classWeight(weight, logp)), { dim }));
  const smooth = where(kept, perTarget, 0);
  let smoothReduced: Tensor;
  if (reduction === 'none') smoothReduced = smooth;
  else if (reduction === 'sum') smoothReduced = sum(smooth);
  else smoothReduced = div(sum(smooth), weight === null ? sum(kept.to(logp.dtype)) : sum(weights));
  return add(mul(nllLossValue, 1 - labelSmoothing), mul(smoothReduced, labelSmoothing / classes));
}

/** F.kl_div(input, target, reduction='mean', log_target=False) with input as log-probabilities. */
export function klDiv(input: Tensor, target: Tensor, options: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  if (reduction === 'mean')
    console.warn(
      "UserWarning: reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.",
    );
  const pointwise = options.logTarget ? mul(exp(target), sub(target, input)) : sub(xlogy(target, target), mul(target, input));
  if (reduction === 'batchmean') return input.dim() === 0 ? sum(pointwise) : div(sum(pointwise), input.shape[0]!);
  return reduce(pointwise, readReduction({ reduction }));
}

/** F.cosine_similarity(x1, x2, dim=1, eps=1e-8): each norm is clamped at eps before dividing. */
export function cosineSimilarity(x1: Tensor, x2: Tensor, options: { dim?: number; eps?: number } = {}): Tensor {
  const eps = options.eps ?? 1e-8;
  const rank = Math.max(x1.dim(), x2.dim());
  const dim = normalizeDim(options.dim ?? 1, rank);
  const norm = (x: Tensor) => clamp(sum(square(x), { dim, keepdim: true }).sqrt(), eps, null);
  return sum(mul(div(x1, norm(x1)), div(x2, norm(x2))), { dim });
}

/** F.pairwise_distance(x1, x2, p=2, eps=1e-6, keepdim=False): the p-norm of x1 - x2 + eps over the last dim. */
export function pairwiseDistance(x1: Tensor, x2: Tensor, options: { p?: number; eps?: number; keepdim?: boolean } = {}): Tensor {
  const p = options.p ?? 2;
  const diff = abs(add(sub(x1, x2), options.eps ?? 1e-6));
  const dim = Math.max(x1.dim(), x2.dim()) - 1;
  const keepdim = options.keepdim ?? false;
  if (p === Infinity) return diff.amax(dim, keepdim);
  return sum(diff.pow(p), { dim, keepdim }).pow(1 / p);
}
