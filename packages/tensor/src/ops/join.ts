import { dispatch } from '../dispatch.js';
import { promoteTypes } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { formatShape, insertAt, normalizeDim, removeAt, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { reshape } from './shape.js';
import { commonBackend, emptyTensor, viewOf } from './util.js';

/**
 * Concatenates tensors along `dim`; the result has the promoted dtype of the list. As in PyTorch,
 * 1-d empty tensors (shape [0]) are skipped whatever the other shapes.
 * Dispatch: 'cat', inputs: the non-skipped tensors, attrs {dim: number (normalized)}, 1 output.
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RuntimeError('torch.cat(): expected a non-empty list of Tensors');
  tensors.forEach((t, i) => {
    if (t.dim() === 0) throw new RuntimeError(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  const backend = commonBackend(...tensors);
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const isSkipped = (t: Tensor) => t.dim() === 1 && t.shape[0] === 0;
  const ref = tensors.find((t) => !isSkipped(t));
  if (!ref) return emptyTensor([0], dtype, backend);
  const d = normalizeDim(dim, ref.dim());
  const parts: Tensor[] = [];
  let total = 0;
  tensors.forEach((t, i) => {
    if (isSkipped(t)) return;
    if (t.dim() !== ref.dim()) throw new RuntimeError(`Tensors must have same number of dimensions: got ${ref.dim()} and ${t.dim()}`);
    for (let k = 0; k < t.dim(); k++)
      if (k !== d && t.shape[k] !== ref.shape[k])
        throw new RuntimeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${t.shape[k]} for tensor number ${i} in the list.`,
        );
    parts.push(t);
    total += t.shape[d]!;
  });
  const shape = ref.shape.slice();
  shape[d] = total;
  return dispatch('cat', parts, { dim: d }, () => {
    const out = emptyTensor(shape, dtype, backend);
    let start = 0;
    for (const t of parts) {
      backend.copy(viewOf(out, t.shape, out.strides, out.offset + start * out.strides[d]!), t);
      start += t.shape[d]!;
    }
    return out;
  });
}

/**
 * Stacks equal-shaped tensors along a new dim `dim`.
 * Dispatch: 'stack', inputs [...tensors], attrs {dim: number (normalized, in [0, ndim])}, 1 output.
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RuntimeError('stack expects a non-empty TensorList');
  const first = tensors[0]!;
  // Plain loops: stack runs in every unbind's backward, often on a few scalars.
  for (let i = 1; i < tensors.length; i++) {
    const t = tensors[i]!;
    if (!shapesEqual(t.shape, first.shape))
      throw new RuntimeError(
        `stack expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`,
      );
  }
  const d = normalizeDim(dim, first.dim() + 1);
  const backend = commonBackend(...tensors);
  let dtype = first.dtype;
  for (let i = 1; i < tensors.length; i++) dtype = promoteTypes(dtype, tensors[i]!.dtype);
  const shape = insertAt(first.shape, d, tensors.length);
  return dispatch('stack', tensors, { dim: d }, () => {
    // Each input is copied into its slot out.select(d, i), a view without d.
    const out = emptyTensor(shape, dtype, backend);
    const slotStrides = removeAt(out.strides, d);
    for (let i = 0; i < tensors.length; i++) backend.copy(viewOf(out, first.shape, slotStrides, i * out.strides[d]!), tensors[i]!);
    return out;
  });
}

function atLeast(t: Tensor, rank: 1 | 2): Tensor {
  if (t.dim() >= rank) return t;
  return reshape(t, rank === 1 ? [t.numel()] : [1, t.numel()]);
}

/** Concatenates along dim 1 (dim 0 for 1-d tensors); recorded as `cat`. */
export function hstack(tensors: readonly Tensor[]): Tensor {
  const ts = tensors.map((t) => atLeast(t, 1));
  return cat(ts, ts.length > 0 && ts[0]!.dim() === 1 ? 0 : 1);
}

/** Stacks rows: 1-d tensors become rows, then `cat` along dim 0. */
export function vstack(tensors: readonly Tensor[]): Tensor {
  return cat(
    tensors.map((t) => atLeast(t, 2)),
    0,
  );
}
