import { dispatch } from '../dispatch.js';
import { RuntimeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { fromHostValues } from './host-values.js';
import { broadcastView, emptyTensor, scalarTensor, viewTensor } from './util.js';

/**
 * The diagonal `offset` (above the main one when positive) of the matrices spanned by dim1 and
 * dim2, as a view whose last dim runs along the diagonal.
 * Dispatch: 'diagonal', inputs [x], attrs {offset, dim1, dim2 (normalized)}, 1 output (a view).
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const d1 = normalizeDim(dim1, x.dim());
  const d2 = normalizeDim(dim2, x.dim());
  if (d1 === d2) throw new RuntimeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const rows = x.shape[d1]!;
  const cols = x.shape[d2]!;
  const length = Math.max(0, offset >= 0 ? Math.min(rows, cols - offset) : Math.min(rows + offset, cols));
  const start = length === 0 ? 0 : offset >= 0 ? offset * x.strides[d2]! : -offset * x.strides[d1]!;
  const keep = x.shape.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
  const shape = [...keep.map((i) => x.shape[i]!), length];
  const strides = [...keep.map((i) => x.strides[i]!), x.strides[d1]! + x.strides[d2]!];
  return dispatch('diagonal', [x], { offset, dim1: d1, dim2: d2 }, () => viewTensor(x, shape, strides, x.offset + start));
}

/**
 * torch.diag: a 1-d x becomes a square matrix with x on diagonal `offset`; a 2-d x gives its
 * diagonal `offset` as a new 1-d tensor.
 * Dispatch: 'diag', inputs [x], attrs {offset}, 1 output.
 */
export function diag(x: Tensor, offset = 0): Tensor {
  if (x.dim() !== 1 && x.dim() !== 2) throw new RuntimeError('matrix or a vector expected');
  return dispatch('diag', [x], { offset }, () => {
    if (x.dim() === 2) return diagonal(x, offset).clone();
    const n = x.shape[0]! + Math.abs(offset);
    const out = emptyTensor([n, n], x.dtype, x.storage.backend);
    x.storage.backend.copy(diagonal(out, offset), x);
    return out;
  });
}

/** The bool [rows, cols] mask of j - i <= k (lower) or j - i >= k (upper). */
function triangleMask(x: Tensor, k: number, lower: boolean): Tensor {
  const rows = x.shape[x.dim() - 2]!;
  const cols = x.shape[x.dim() - 1]!;
  const mask = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mask[i * cols + j] = (lower ? j - i <= k : j - i >= k) ? 1 : 0;
  return fromHostValues(mask, [rows, cols], 'bool', x.storage.backend);
}

function triangle(op: 'tril' | 'triu', x: Tensor, diagonalOffset: number): Tensor {
  if (x.dim() < 2) throw new RuntimeError(`${op}: input tensor must have at least 2 dimensions`);
  return dispatch(op, [x], { diagonal: diagonalOffset }, () => {
    const backend = x.storage.backend;
    const out = emptyTensor(x.shape, x.dtype, backend);
    const zero = broadcastView(scalarTensor(0, x.dtype, backend), x.shape);
    backend.where(out, broadcastView(triangleMask(x, diagonalOffset, op === 'tril'), x.shape), x, zero);
    return out;
  });
}

/** The lower triangle (j - i <= diagonal) of the last two dims, zeros elsewhere. Dispatch: 'tril', inputs [x], attrs {diagonal}, 1 output. */
export function tril(x: Tensor, diagonalOffset = 0): Tensor {
  return triangle('tril', x, diagonalOffset);
}

/** The upper triangle (j - i >= diagonal) of the last two dims, zeros elsewhere. Dispatch: 'triu', inputs [x], attrs {diagonal}, 1 output. */
export function triu(x: Tensor, diagonalOffset = 0): Tensor {
  return triangle('triu', x, diagonalOffset);
}
