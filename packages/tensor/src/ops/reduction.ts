import type { ReduceOp } from '../backend/backend.js';
import { dispatch, dispatchedUnary } from '../dispatch.js';
import { type DType, isFloatingPoint } from '../dtype.js';
import { IndexError, RuntimeError } from '../errors.js';
import { contiguousStrides, normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastView, disposeAndRethrow, emptyTensor, emptyTensorLike, scalarTensor } from './util.js';

export interface ReduceOptions {
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
  dtype?: DType;
}

/** Output shape of a reduction: reduced dims become 1 (keepdim) or disappear. */
export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  // Made at its final length: an empty array grows by 16 slots at its first push (this runs per reduction).
  let rank = shape.length;
  if (!keepdim) for (let i = 0; i < shape.length; i++) if (dims.includes(i)) rank--;
  const out = new Array<number>(rank);
  for (let i = 0, k = 0; i < shape.length; i++) {
    if (!dims.includes(i)) out[k++] = shape[i]!;
    else if (keepdim) out[k++] = 1;
  }
  return out;
}

/** [1, 1, …] of length `rank`, by a loop: Array.prototype.fill is a C++ call, costly on a short array. */
function allOnes(rank: number): number[] {
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) out[i] = 1;
  return out;
}

/** A contiguous copy of x converted to dtype (kernels then see one dtype). */
export function castCopy(x: Tensor, dtype: DType): Tensor {
  const out = emptyTensor(x.shape, dtype, x.storage.backend);
  x.storage.backend.copy(out, x);
  return out;
}

/** Runs a reduce kernel over `dims` and returns the result with keepdim applied. */
export function reduceRaw(kernel: ReduceOp, x: Tensor, dims: readonly number[], keepdim: boolean, dtype: DType): Tensor {
  const backend = x.storage.backend;
  // A full reduction (dims are distinct) keeps all-ones dims, whose contiguous strides are all
  // ones too; the result takes these fresh arrays as its own (emptyTensorLike), without copies.
  const full = dims.length === x.shape.length;
  const kshape = full ? allOnes(dims.length) : reducedShape(x.shape, dims, true);
  const kstrides = full ? kshape : contiguousStrides(kshape);
  const shape = keepdim ? kshape : full ? [] : reducedShape(x.shape, dims, false);
  const strides = keepdim ? kstrides : full ? shape : contiguousStrides(shape);
  const out = emptyTensorLike({ shape, strides }, dtype, backend);
  try {
    // Without keepdim the kernel writes through a keepdim-shaped view of the result's own (contiguous) storage.
    backend.reduce(kernel, keepdim ? out : { storage: out.storage, shape: kshape, strides: kstrides, offset: 0, dtype }, x, dims);
  } catch (e) {
    disposeAndRethrow(out, e);
  }
  return out;
}

function sumDtype(x: Tensor, dtype?: DType): DType {
  if (dtype) return dtype;
  return isFloatingPoint(x.dtype) ? x.dtype : 'int64';
}

export function sum(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  const dtype = sumDtype(x, opts.dtype);
  x.storage.checkLive();
  const out = reduceRaw('sum', x, dims, keepdim, dtype);
  return dispatchedUnary('sum', x, { dim: dims, keepdim, full: opts.dim === null || opts.dim === undefined }, out);
}

export function mean(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dtype = opts.dtype ?? x.dtype;
  if (!isFloatingPoint(dtype))
    throw new RuntimeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${dtype === 'int64' ? 'Long' : dtype === 'int32' ? 'Int' : 'Bool'}`,
    );
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  x.storage.checkLive();
  const s = reduceRaw('sum', x, dims, keepdim, dtype);
  let count = 1;
  for (const d of dims) count *= x.shape[d]!;
  // s is this op's own fresh tensor: divide it in place.
  x.storage.backend.binaryScalar('div', s, s, count, false);
  return dispatchedUnary('mean', x, { dim: dims, keepdim, full: opts.dim === null || opts.dim === undefined }, s);
}

/**
 * PyTorch's refusals for max-like reductions over nothing (amax, max, argmax...): `full` is a
 * reduction with no dim given.
 */
export function checkNonEmptyReduction(name: string, x: Tensor, dims: readonly number[], full: boolean): void {
  if (full && x.numel() === 0)
    throw new RuntimeError(
      `${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
    );
  for (const d of dims) if (x.shape[d] === 0) throw new IndexError(`${name}(): Expected reduction dim ${d} to have non-zero size.`);
}

export function amax(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  checkNonEmptyReduction('amax', x, dims, opts.dim === null || opts.dim === undefined);
  return dispatch('amax', [x], { dim: dims, keepdim }, () => reduceRaw('amax', x, dims, keepdim, x.dtype));
}

export function amin(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  checkNonEmptyReduction('amin', x, dims, opts.dim === null || opts.dim === undefined);
  return dispatch('amin', [x], { dim: dims, keepdim }, () => reduceRaw('amin', x, dims, keepdim, x.dtype));
}

/**
 * Product over `dim` (one dim, or every dim when absent). Integral and bool inputs give int64.
 * Dispatch: 'prod', inputs [x], attrs {dim: number[] (normalized), keepdim}, 1 output.
 */
export function prod(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  const dtype = sumDtype(x, opts.dtype);
  return dispatch('prod', [x], { dim: dims, keepdim }, () => reduceRaw('prod', x, dims, keepdim, dtype));
}

/**
 * Sum treating NaN as zero.
 * Dispatch: 'nansum', inputs [x], attrs {dim: number[] (normalized), keepdim}, 1 output.
 */
export function nansum(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  const dtype = sumDtype(x, opts.dtype);
  return dispatch('nansum', [x], { dim: dims, keepdim }, () => reduceRaw('nansum', x, dims, keepdim, dtype));
}

/** Whether every element (over `dim`) is non-zero; bool output. Not differentiable. */
export function all(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  return dispatch('all', [x], { dim: dims, keepdim }, () => reduceRaw('all', x, dims, keepdim, 'bool'));
}

/** Whether any element (over `dim`) is non-zero; bool output. Not differentiable. */
export function any(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  return dispatch('any', [x], { dim: dims, keepdim }, () => reduceRaw('any', x, dims, keepdim, 'bool'));
}

/** Number of non-zero elements over `dim` (int or list; all dims when absent), int64. Not differentiable. */
export function countNonzero(x: Tensor, dim: number | readonly number[] | null = null): Tensor {
  const dims = normalizeDims(dim, x.dim());
  return dispatch('countNonzero', [x], { dim: dims }, () => {
    const backend = x.storage.backend;
    const nonzero = emptyTensor(x.shape, 'bool', backend);
    backend.binaryScalar('ne', nonzero, x, 0, false);
    return reduceRaw('sum', nonzero, dims, false, 'int64');
  });
}

/**
 * log(sum(exp(x))) over `dim`, computed as m + log(sum(exp(x - m))) with m the max (an infinite
 * max is replaced by 0, so all -inf slices give -inf and +inf gives +inf). Integral inputs give
 * float32. Dispatch: 'logsumexp', inputs [x], attrs {dim: number[] (normalized), keepdim}, 1 output.
 */
export function logsumexp(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  const dtype = isFloatingPoint(x.dtype) ? x.dtype : 'float32';
  return dispatch('logsumexp', [x], { dim: dims, keepdim }, () => {
    const backend = x.storage.backend;
    const xf = x.dtype === dtype ? x : castCopy(x, dtype);
    const m = reduceRaw('amax', xf, dims, true, dtype);
    const isInf = emptyTensor(m.shape, 'bool', backend);
    backend.unary('isinf', isInf, m);
    backend.where(m, isInf, broadcastView(scalarTensor(0, dtype, backend), m.shape), m);
    const shifted = emptyTensor(x.shape, dtype, backend);
    backend.binary('sub', shifted, xf, broadcastView(m, x.shape));
    backend.unary('exp', shifted, shifted);
    const s = reduceRaw('sum', shifted, dims, true, dtype);
    backend.unary('log', s, s);
    backend.binary('add', s, s, m);
    return keepdim ? s : s.view(reducedShape(x.shape, dims, false));
  });
}
