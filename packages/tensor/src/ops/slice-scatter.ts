import { dispatch } from '../dispatch.js';
import { IndexError, RuntimeError } from '../errors.js';
import { formatShape, isContiguousLayout, normalizeDim, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { diagonal } from './diagonal.js';
import { select, slice } from './shape.js';
import { commonBackend, emptyTensor, viewTensor } from './util.js';

/** A copy of x with `src` written into the region `region(copy)` selects (a view of the copy). */
function writeInto(x: Tensor, src: Tensor, region: (t: Tensor) => Tensor): Tensor {
  const backend = commonBackend(x, src);
  const out = emptyTensor(x.shape, x.dtype, backend);
  backend.copy(out, x);
  const target = region(out);
  if (!shapesEqual(target.shape, src.shape))
    throw new RuntimeError(
      `expected src to have a size equal to the slice of self. src size = ${formatShape(src.shape)}, slice size = ${formatShape(target.shape)}`,
    );
  backend.copy(target, src);
  return out;
}

/**
 * torch.slice_scatter: a copy of x whose slice `x[..., start:end:step]` along dim is replaced by src
 * (the gradient of `slice`). Dispatch: 'sliceScatter', inputs [x, src], attrs {dim, start, end, step}
 * (normalized as `slice` normalizes them), 1 output.
 */
export function sliceScatter(x: Tensor, src: Tensor, dim = 0, start: number | null = null, end: number | null = null, step = 1): Tensor {
  if (x.dim() === 0) throw new IndexError('slice() cannot be applied to a 0-dim tensor.');
  if (!Number.isInteger(step) || step <= 0) throw new RuntimeError('slice step must be positive');
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d]!;
  const bound = (v: number | null, dflt: number) => (v === null ? dflt : Math.min(Math.max(v < 0 ? v + size : v, 0), size));
  const s = bound(start, 0);
  const e = Math.max(bound(end, size), s);
  return dispatch('sliceScatter', [x, src], { dim: d, start: s, end: e, step }, () => writeInto(x, src, (t) => slice(t, d, s, e, step)));
}

/**
 * torch.select_scatter: a copy of x with `x.select(dim, index)` replaced by src (the gradient of
 * `select`). Dispatch: 'selectScatter', inputs [x, src], attrs {dim, index} (normalized), 1 output.
 */
export function selectScatter(x: Tensor, src: Tensor, dim: number, index: number): Tensor {
  if (x.dim() === 0) throw new IndexError('select() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d]!;
  if (!Number.isInteger(index) || index < -size || index >= size)
    throw new IndexError(`index ${index} is out of bounds for dimension ${d} with size ${size}`);
  const i = index < 0 ? index + size : index;
  return dispatch('selectScatter', [x, src], { dim: d, index: i }, () => writeInto(x, src, (t) => select(t, d, i)));
}

/**
 * torch.diagonal_scatter: a copy of x with `x.diagonal(offset, dim1, dim2)` replaced by src (the
 * gradient of `diagonal`). Dispatch: 'diagonalScatter', inputs [x, src], attrs {offset, dim1, dim2}
 * (normalized), 1 output.
 */
export function diagonalScatter(x: Tensor, src: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const d1 = dim1 < 0 ? dim1 + x.dim() : dim1;
  const d2 = dim2 < 0 ? dim2 + x.dim() : dim2;
  diagonal(x.detach(), offset, d1, d2);
  return dispatch('diagonalScatter', [x, src], { offset, dim1: d1, dim2: d2 }, () => writeInto(x, src, (t) => diagonal(t, offset, d1, d2)));
}

/**
 * torch.as_strided: a view of x's storage with the given sizes, strides and storage offset
 * (default: x's own offset). Its gradient is defined for a contiguous x only (refused otherwise).
 * Dispatch: 'asStrided', inputs [x], attrs {size, stride, storageOffset, inputOffset, inputContiguous}, 1 output.
 */
export function asStrided(x: Tensor, size: readonly number[], stride: readonly number[], storageOffset = x.offset): Tensor {
  if (size.length !== stride.length) throw new RuntimeError(`mismatch in length of strides and shape`);
  const attrs = {
    size: size.slice(),
    stride: stride.slice(),
    storageOffset,
    inputOffset: x.offset,
    inputContiguous: isContiguousLayout(x.shape, x.strides),
  };
  return dispatch('asStrided', [x], attrs, () => viewTensor(x, size, stride, storageOffset));
}

/**
 * torch.as_strided_scatter: a copy of x whose `asStrided(size, stride, storageOffset)` region is
 * replaced by src, the region being taken in the contiguous layout of x (offset counted from its
 * first element). Dispatch: 'asStridedScatter', inputs [x, src], attrs {size, stride, storageOffset}, 1 output.
 */
export function asStridedScatter(x: Tensor, src: Tensor, size: readonly number[], stride: readonly number[], storageOffset = 0): Tensor {
  if (size.length !== stride.length) throw new RuntimeError(`mismatch in length of strides and shape`);
  const attrs = { size: size.slice(), stride: stride.slice(), storageOffset };
  return dispatch('asStridedScatter', [x, src], attrs, () =>
    writeInto(x, src, (t) => viewTensor(t, size, stride, t.offset + storageOffset)),
  );
}
