import type { ReduceOp } from '../backend/backend.js';
import { dispatch } from '../dispatch.js';
import { type DType, isFloatingPoint } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { emptyTensor } from './util.js';

export interface ReduceOptions {
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
  dtype?: DType;
}

/** Output shape of a reduction: reduced dims become 1 (keepdim) or disappear. */
export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (dims.includes(i)) {
      if (keepdim) out.push(1);
    } else out.push(shape[i]!);
  }
  return out;
}

/** Runs a reduce kernel over `dims` and returns the result with keepdim applied. */
export function reduceRaw(kernel: ReduceOp, x: Tensor, dims: readonly number[], keepdim: boolean, dtype: DType): Tensor {
  const backend = x.storage.backend;
  const kshape = reducedShape(x.shape, dims, true);
  const out = emptyTensor(kshape, dtype, backend);
  backend.reduce(kernel, out, x, dims);
  return keepdim ? out : out.view(reducedShape(x.shape, dims, false));
}

function sumDtype(x: Tensor, dtype?: DType): DType {
  if (dtype) return dtype;
  return isFloatingPoint(x.dtype) ? x.dtype : 'int64';
}

export function sum(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  const dtype = sumDtype(x, opts.dtype);
  return dispatch('sum', [x], { dim: dims, keepdim, full: opts.dim === null || opts.dim === undefined }, () => reduceRaw('sum', x, dims, keepdim, dtype));
}

export function mean(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dtype = opts.dtype ?? x.dtype;
  if (!isFloatingPoint(dtype))
    throw new RuntimeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${dtype === 'int64' ? 'Long' : dtype === 'int32' ? 'Int' : 'Bool'}`,
    );
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  return dispatch('mean', [x], { dim: dims, keepdim, full: opts.dim === null || opts.dim === undefined }, () => {
    const s = reduceRaw('sum', x, dims, keepdim, dtype);
    let count = 1;
    for (const d of dims) count *= x.shape[d]!;
    const out = emptyTensor(s.shape, dtype, x.storage.backend);
    x.storage.backend.binaryScalar('div', out, s, count, false);
    return out;
  });
}

function checkNonEmptyReduction(name: string, x: Tensor, dims: readonly number[]): void {
  for (const d of dims)
    if (x.shape[d] === 0)
      throw new IndexError2(`${name}(): Expected reduction dim ${d} to have non-zero size.`);
  if (x.numel() === 0 && dims.length === x.dim())
    throw new RuntimeError(`${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
}

class IndexError2 extends RuntimeError {
  override name = 'IndexError';
}

export function amax(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  checkNonEmptyReduction('amax', x, dims);
  return dispatch('amax', [x], { dim: dims, keepdim }, () => reduceRaw('amax', x, dims, keepdim, x.dtype));
}

export function amin(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const dims = normalizeDims(opts.dim, x.dim());
  const keepdim = opts.keepdim ?? false;
  checkNonEmptyReduction('amin', x, dims);
  return dispatch('amin', [x], { dim: dims, keepdim }, () => reduceRaw('amin', x, dims, keepdim, x.dtype));
}
