import type { ScanOp } from '../backend/backend.js';
import { dispatch } from '../dispatch.js';
import { type DType, isFloatingPoint, scalarTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { castCopy } from './reduction.js';
import { emptyTensor } from './util.js';
import { ValuesIndices } from './values-indices.js';

export interface ScanOptions {
  /** Convert the input to this dtype first; by default integral and bool inputs give int64. */
  dtype?: DType;
}

function scanInto(kernel: ScanOp, x: Tensor, d: number, dtype: DType): Tensor {
  const backend = x.storage.backend;
  const src = x.dtype === dtype ? x : castCopy(x, dtype);
  const out = emptyTensor(x.shape, dtype, backend);
  backend.scan(kernel, out, src, d);
  return out;
}

function accumulate(op: 'cumsum' | 'cumprod', x: Tensor, dim: number, o: ScanOptions): Tensor {
  const d = normalizeDim(dim, x.dim());
  const dtype = o.dtype ?? (isFloatingPoint(x.dtype) ? x.dtype : 'int64');
  return dispatch(op, [x], { dim: d }, () => scanInto(op, x, d, dtype));
}

/** Running sum along dim. Dispatch: 'cumsum', inputs [x], attrs {dim: number (normalized)}, 1 output. */
export function cumsum(x: Tensor, dim: number, o: ScanOptions = {}): Tensor {
  return accumulate('cumsum', x, dim, o);
}

/** Running product along dim. Dispatch: 'cumprod', inputs [x], attrs {dim: number (normalized)}, 1 output. */
export function cumprod(x: Tensor, dim: number, o: ScanOptions = {}): Tensor {
  return accumulate('cumprod', x, dim, o);
}

/**
 * log(cumsum(exp(x))) along dim, computed stably; floating inputs only.
 * Dispatch: 'logcumsumexp', inputs [x], attrs {dim: number (normalized)}, 1 output.
 */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  if (!isFloatingPoint(x.dtype)) throw new RuntimeError(`"logcumsumexp_out_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  const d = normalizeDim(dim, x.dim());
  return dispatch('logcumsumexp', [x], { dim: d }, () => scanInto('logcumsumexp', x, d, x.dtype));
}

/**
 * Running max/min along dim with the int64 index where it was reached (the latest among ties;
 * NaN, once seen, propagates).
 * Dispatch: 'cummax' / 'cummin', inputs [x], attrs {dim: number (normalized)}, 2 outputs [values, indices].
 */
function runningExtreme(op: 'cummax' | 'cummin', x: Tensor, dim: number): ValuesIndices {
  const d = normalizeDim(dim, x.dim());
  const [values, indices] = dispatch(op, [x], { dim: d }, () => {
    const backend = x.storage.backend;
    const v = emptyTensor(x.shape, x.dtype, backend);
    const i = emptyTensor(x.shape, 'int64', backend);
    backend.scan(op, v, x, d, i);
    return [v, i];
  });
  return new ValuesIndices(op, values!, indices!);
}

export function cummax(x: Tensor, dim: number): ValuesIndices {
  return runningExtreme('cummax', x, dim);
}

export function cummin(x: Tensor, dim: number): ValuesIndices {
  return runningExtreme('cummin', x, dim);
}
