import type { ArgReduceOp } from '../backend/backend.js';
import { dispatch } from '../dispatch.js';
import { IndexError, RuntimeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { maximum, minimum } from './arithmetic.js';
import { checkNonEmptyReduction, reduceRaw, reducedShape } from './reduction.js';
import { emptyTensor } from './util.js';
import { ValuesIndices } from './values-indices.js';

type Kind = 'max' | 'min';

const KERNELS = {
  max: { values: 'amax', index: 'argmax' },
  min: { values: 'amin', index: 'argmin' },
} as const;

function allDims(x: Tensor): number[] {
  return x.shape.map((_, i) => i);
}

/** Index of the max/min along `d` (first occurrence; NaN wins), int64, keepdim applied. */
function argAlong(kernel: ArgReduceOp, x: Tensor, d: number, keepdim: boolean): Tensor {
  const backend = x.storage.backend;
  if (x.dim() === 0) return emptyTensor([], 'int64', backend);
  const out = emptyTensor(reducedShape(x.shape, [d], true), 'int64', backend);
  backend.argReduce(kernel, out, x, d);
  return keepdim ? out : out.view(reducedShape(x.shape, [d], false));
}

/** The whole-tensor max/min as a 0-d tensor. Dispatch: 'max' / 'min', inputs [x], attrs {}, 1 output. */
function full(kind: Kind, x: Tensor): Tensor {
  checkNonEmptyReduction(kind, x, allDims(x), true);
  return dispatch(kind, [x], {}, () => reduceRaw(KERNELS[kind].values, x, allDims(x), false, x.dtype));
}

/**
 * Values and int64 indices of the max/min along `dim` (the first index among ties; NaN wins).
 * Dispatch: 'maxDim' / 'minDim', inputs [x], attrs {dim: number (normalized), keepdim}, 2 outputs
 * [values, indices].
 */
function alongDim(kind: Kind, x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const d = normalizeDim(dim, x.dim());
  if (x.dim() > 0) checkNonEmptyReduction(kind, x, [d], false);
  const dims = x.dim() === 0 ? [] : [d];
  const [values, indices] = dispatch(`${kind}Dim`, [x], { dim: d, keepdim }, () => [
    reduceRaw(KERNELS[kind].values, x, dims, keepdim, x.dtype),
    argAlong(KERNELS[kind].index, x, d, keepdim),
  ]);
  return new ValuesIndices(kind, values!, indices!);
}

/**
 * torch.max: `max(x)` is the 0-d maximum; `max(x, dim, keepdim?)` gives `{values, indices}` along
 * dim; `max(x, other)` is the elementwise `maximum`.
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number | Tensor | null, keepdim?: boolean): Tensor | ValuesIndices;
export function max(x: Tensor, dim: number | Tensor | null = null, keepdim = false): Tensor | ValuesIndices {
  if (dim instanceof Tensor) return maximum(x, dim);
  return dim === null ? full('max', x) : alongDim('max', x, dim, keepdim);
}

/** torch.min: see `max`. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number | Tensor | null, keepdim?: boolean): Tensor | ValuesIndices;
export function min(x: Tensor, dim: number | Tensor | null = null, keepdim = false): Tensor | ValuesIndices {
  if (dim instanceof Tensor) return minimum(x, dim);
  return dim === null ? full('min', x) : alongDim('min', x, dim, keepdim);
}

/**
 * Index of the max/min along `dim`, or into the flattened tensor when dim is null (then keepdim
 * gives a shape of all ones). int64; not differentiable.
 */
function argReduce(kernel: ArgReduceOp, x: Tensor, dim: number | null, keepdim: boolean): Tensor {
  if (x.dtype === 'bool') throw new RuntimeError(`"${kernel}_cpu" not implemented for 'Bool'`);
  if (dim === null) {
    if (x.numel() === 0) throw new IndexError(`${kernel}(): Expected reduction dim to be specified for input.numel() == 0.`);
    return dispatch(kernel, [x], { dim: null, keepdim }, () => {
      const flat = argAlong(kernel, x.reshape(-1), 0, keepdim);
      return keepdim ? flat.view(x.shape.map(() => 1)) : flat;
    });
  }
  const d = normalizeDim(dim, x.dim());
  if (x.dim() > 0 && x.shape[d] === 0) throw new IndexError(`${kernel}(): Expected reduction dim ${d} to have non-zero size.`);
  return dispatch(kernel, [x], { dim: d, keepdim }, () => argAlong(kernel, x, d, keepdim));
}

export function argmax(x: Tensor, dim: number | null = null, keepdim = false): Tensor {
  return argReduce('argmax', x, dim, keepdim);
}

export function argmin(x: Tensor, dim: number | null = null, keepdim = false): Tensor {
  return argReduce('argmin', x, dim, keepdim);
}
