import { readArgs } from '../args.js';
import { dispatch } from '../dispatch.js';
import { isFloatingPoint, scalarTypeName } from '../dtype.js';
import { RuntimeError, ValueError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, mul, rsqrt, square, sub } from './arithmetic.js';
import { mean, sum } from './reduction.js';

/** (x - mean) · rstd over `dims`, with the mean and rstd kept (keepdim) for reuse. */
function standardize(x: Tensor, dims: readonly number[], eps: number): { xhat: Tensor; mean: Tensor; rstd: Tensor; variance: Tensor } {
  const mu = mean(x, { dim: dims, keepdim: true });
  const centered = sub(x, mu);
  const variance = mean(square(centered), { dim: dims, keepdim: true });
  const rstd = rsqrt(add(variance, eps));
  return { xhat: mul(centered, rstd), mean: mu, rstd, variance };
}

/** Gradient through xhat = (x - mean(x)) · rstd(x) over `dims`, given the gradient of xhat. */
function standardizeBackward(gxhat: Tensor, xhat: Tensor, rstd: Tensor, dims: readonly number[]): Tensor {
  const meanG = mean(gxhat, { dim: dims, keepdim: true });
  const meanGx = mean(mul(gxhat, xhat), { dim: dims, keepdim: true });
  return mul(rstd, sub(sub(gxhat, meanG), mul(xhat, meanGx)));
}

/** Sums over `dims`; over no dims at all it is the tensor itself (sum treats [] as every dim). */
const sumOver = (t: Tensor, dims: readonly number[]): Tensor => (dims.length === 0 ? t : sum(t, { dim: dims }));

// ---------------------------------------------------------------- layer norm

export type LayerNormAttrs = {
  normalizedShape: number[];
  eps: number;
};

/** F.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5) over the trailing dims. */
export function layerNorm(
  x: Tensor,
  normalizedShape: number | readonly number[],
  weight?: Tensor | null | { weight?: Tensor | null; bias?: Tensor | null; eps?: number },
  bias?: Tensor | null,
  eps?: number,
): Tensor {
  const a = readArgs<{ weight: Tensor | null; bias: Tensor | null; eps: number }>([weight, bias, eps], ['weight', 'bias', 'eps'], {
    weight: null,
    bias: null,
    eps: 1e-5,
  });
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape.slice();
  const k = shape.length;
  const tail = x.shape.slice(x.dim() - k);
  if (k === 0 || x.dim() < k || !shapesEqual(tail, shape))
    throw new RuntimeError(
      `Given normalized_shape=${formatShape(shape)}, expected input with shape [*, ${shape.join(', ')}], but got input of size${formatShape(x.shape)}`,
    );
  for (const [name, t] of [
    ['weight', a.weight],
    ['bias', a.bias],
  ] as const)
    if (t !== null && !shapesEqual(t.shape, shape))
      throw new RuntimeError(
        `Expected ${name} to be of same shape as normalized_shape, but got ${name} of shape ${formatShape(t.shape)} and normalized_shape = ${formatShape(shape)}`,
      );
  if (!isFloatingPoint(x.dtype)) throw new RuntimeError(`"LayerNormKernelImpl" not implemented for '${scalarTypeName(x.dtype)}'`);
  const attrs: LayerNormAttrs = { normalizedShape: shape, eps: a.eps };
  return dispatch('layerNorm', [x, a.weight, a.bias], attrs, () => {
    let y = standardize(x, normDims(x, k), a.eps).xhat;
    if (a.weight !== null) y = mul(y, a.weight);
    return a.bias === null ? y : add(y, a.bias);
  });
}

const normDims = (x: Tensor, k: number) => Array.from({ length: k }, (_, i) => x.dim() - k + i);

/** The gradients of layerNorm for (input, weight, bias), in public ops. */
export function layerNormBackward(
  grad: Tensor,
  x: Tensor,
  weight: Tensor | null,
  attrs: LayerNormAttrs,
  needs: readonly boolean[],
): [Tensor | null, Tensor | null, Tensor | null] {
  const k = attrs.normalizedShape.length;
  const dims = normDims(x, k);
  const batchDims = Array.from({ length: x.dim() - k }, (_, i) => i);
  const { xhat, rstd } = standardize(x, dims, attrs.eps);
  const gx = needs[0] ? standardizeBackward(weight === null ? grad : mul(grad, weight), xhat, rstd, dims) : null;
  const gw = needs[1] ? sumOver(mul(grad, xhat), batchDims) : null;
  const gb = needs[2] ? sumOver(grad, batchDims) : null;
  return [gx, gw, gb];
}

// ---------------------------------------------------------------- batch norm

export type BatchNormAttrs = {
  training: boolean;
  momentum: number;
  eps: number;
};

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/** Dims a batch norm reduces over: all but the channel dim 1. */
const statDims = (x: Tensor) => Array.from({ length: x.dim() }, (_, i) => i).filter((i) => i !== 1);

/** A per-channel [C] tensor shaped to broadcast along dim 1 of x. */
function perChannel(t: Tensor, x: Tensor): Tensor {
  return t.view(x.shape.map((s, i) => (i === 1 ? s : 1)));
}

/**
 * running = (1 - momentum) · running + momentum · batch, written by the kernels like PyTorch's
 * batch norm does: no version bump, so a graph that saved the running stats stays valid.
 */
function updateRunning(running: Tensor, batch: Tensor, momentum: number): void {
  const backend = running.storage.backend;
  backend.binaryScalar('mul', running, running, 1 - momentum, false);
  backend.binary('add', running, running, batch, momentum);
}

/**
 * F.batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
 * momentum=0.1, eps=1e-5). In training it normalizes with the batch statistics and updates the
 * running ones in place (the variance unbiased); otherwise it uses the running statistics.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight?: Tensor | null | BatchNormOptions,
  bias?: Tensor | null,
  training?: boolean,
  momentum?: number,
  eps?: number,
): Tensor {
  const a = readArgs<{ weight: Tensor | null; bias: Tensor | null; training: boolean; momentum: number; eps: number }>(
    [weight, bias, training, momentum, eps],
    ['weight', 'bias', 'training', 'momentum', 'eps'],
    { weight: null, bias: null, training: false, momentum: 0.1, eps: 1e-5 },
  );
  const channels = x.shape[1] ?? 0;
  if (!a.training && (runningMean === null || runningVar === null))
    throw new RuntimeError(`${runningMean === null ? 'running_mean' : 'running_var'} must be defined in evaluation mode`);
  for (const [name, t] of [
    ['running_mean', runningMean],
    ['running_var', runningVar],
    ['weight', a.weight],
    ['bias', a.bias],
  ] as const)
    if (t !== null && t.numel() !== channels) throw new RuntimeError(`${name} should contain ${channels} elements not ${t.numel()}`);
  if (a.training && x.numel() / channels <= 1)
    throw new ValueError(`Expected more than 1 value per channel when training, got input size torch.Size([${x.shape.join(', ')}])`);
  if (!isFloatingPoint(x.dtype)) throw new RuntimeError(`"batch_norm" not implemented for '${scalarTypeName(x.dtype)}'`);
  const attrs: BatchNormAttrs = { training: a.training, momentum: a.momentum, eps: a.eps };
  return dispatch('batchNorm', [x, runningMean, runningVar, a.weight, a.bias], attrs, () => {
    let y: Tensor;
    if (a.training) {
      const s = standardize(x, statDims(x), a.eps);
      const n = x.numel() / channels;
      if (runningMean !== null) updateRunning(runningMean, s.mean.view([channels]), a.momentum);
      if (runningVar !== null) updateRunning(runningVar, mul(s.variance.view([channels]), n / (n - 1)), a.momentum);
      y = s.xhat;
    } else y = mul(sub(x, perChannel(runningMean!, x)), rsqrt(add(perChannel(runningVar!, x), a.eps)));
    if (a.weight !== null) y = mul(y, perChannel(a.weight, x));
    return a.bias === null ? y : add(y, perChannel(a.bias, x));
  });
}

/**
 * The gradients of batchNorm for (input, runningMean, runningVar, weight, bias), in public ops.
 * Training mode differentiates through the batch statistics; evaluation mode treats the running
 * ones as constants.
 */
export function batchNormBackward(
  grad: Tensor,
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null,
  attrs: BatchNormAttrs,
  needs: readonly boolean[],
): [Tensor | null, null, null, Tensor | null, Tensor | null] {
  const dims = statDims(x);
  let xhat: Tensor;
  let gx: Tensor | null = null;
  const gxhat = weight === null ? grad : mul(grad, perChannel(weight, x));
  if (attrs.training) {
    const s = standardize(x, dims, attrs.eps);
    xhat = s.xhat;
    if (needs[0]) gx = standardizeBackward(gxhat, xhat, s.rstd, dims);
  } else {
    const rstd = rsqrt(add(perChannel(runningVar!, x), attrs.eps));
    xhat = mul(sub(x, perChannel(runningMean!, x)), rstd);
    if (needs[0]) gx = mul(gxhat, rstd);
  }
  const gw = needs[3] ? sum(mul(grad, xhat), { dim: dims }) : null;
  const gb = needs[4] ? sum(grad, { dim: dims }) : null;
  return [gx, null, null, gw, gb];
}
