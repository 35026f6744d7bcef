import {
  asStrided,
  asStridedScatter,
  cat,
  type DifferentiableOpName,
  full,
  RuntimeError,
  selectScatter,
  stack,
  sliceScatter,
  type Tensor,
} from '@gd/tensor';
import { type BackwardContext, type Rule, rule } from './rule.js';

const shapeOf = (c: BackwardContext<unknown>): readonly number[] => c.inputMeta[0]!.shape;
const zerosOf = (c: BackwardContext<unknown>, g: Tensor): Tensor => full(shapeOf(c), 0, { dtype: g.dtype, backend: g.storage.backend });

/** Ops whose gradient is the output gradient reshaped back to the input's shape. */
const reshapeBack = (name: string): Rule => rule({ name, backward: (g, c) => [g.reshape(shapeOf(c))] });

function inversePermutation(dims: readonly number[]): number[] {
  const inv = new Array<number>(dims.length);
  dims.forEach((d, i) => (inv[d] = i));
  return inv;
}

export const shapeRules = {
  // The engine casts and moves gradients to each input's dtype and backend, so conversions pass them through.
  to: rule({ name: 'ToCopyBackward0', backward: (g) => [g] }),
  toBackend: rule({ name: 'ToCopyBackward0', backward: (g) => [g] }),
  clone: rule({ name: 'CloneBackward0', backward: (g) => [g] }),
  view: reshapeBack('ViewBackward0'),
  reshape: reshapeBack('UnsafeViewBackward0'),
  squeeze: rule<{ dim: number | number[] | null }>({
    name: (a) => (a.dim === null ? 'SqueezeBackward0' : typeof a.dim === 'number' ? 'SqueezeBackward1' : 'SqueezeBackward2'),
    backward: (g, c) => [g.reshape(shapeOf(c))],
  }),
  transpose: rule<{ dim0: number; dim1: number; t?: boolean }>({
    name: (a) => (a.t ? 'TBackward0' : 'TransposeBackward0'),
    backward: (g, c) => [g.transpose(c.attrs.dim0, c.attrs.dim1)],
  }),
  permute: rule<{ dims: number[] }>({ name: 'PermuteBackward0', backward: (g, c) => [g.permute(inversePermutation(c.attrs.dims))] }),
  // The engine sums a gradient back over broadcast dims, which is exactly expand's derivative.
  expand: rule({ name: 'ExpandBackward0', backward: (g) => [g] }),
  unsqueeze: rule<{ dim: number }>({ name: 'UnsqueezeBackward0', backward: (g, c) => [g.squeeze(c.attrs.dim)] }),
  slice: rule<{ dim: number; start: number; end: number; step: number }>({
    name: 'SliceBackward0',
    backward: (g, c) => [sliceScatter(zerosOf(c, g), g, c.attrs.dim, c.attrs.start, c.attrs.end, c.attrs.step)],
  }),
  select: rule<{ dim: number; index: number }>({
    name: 'SelectBackward0',
    backward: (g, c) => [selectScatter(zerosOf(c, g), g, c.attrs.dim, c.attrs.index)],
  }),
  unbind: rule<{ dim: number }>({
    name: 'UnbindBackward0',
    // The engine has filled the outputs that got no gradient with zeros.
    backward: (_g, c) => [stack(c.grads as Tensor[], c.attrs.dim)],
  }),
  split: rule<{ dim: number; sizes: number[]; withSizes: boolean }>({
    name: (a) => (a.withSizes ? 'SplitWithSizesBackward0' : 'SplitBackward0'),
    // The engine has filled the outputs that got no gradient with zeros.
    backward: (_g, c) => [cat(c.grads as Tensor[], c.attrs.dim)],
  }),
  sliceScatter: rule<{ dim: number; start: number; end: number; step: number }>({
    name: 'SliceScatterBackward0',
    backward: (g, { attrs: { dim, start, end, step }, needsGrad, inputMeta }) => [
      needsGrad[0]
        ? sliceScatter(g, full(inputMeta[1]!.shape, 0, { dtype: g.dtype, backend: g.storage.backend }), dim, start, end, step)
        : null,
      needsGrad[1] ? g.slice(dim, start, end, step) : null,
    ],
  }),
  selectScatter: rule<{ dim: number; index: number }>({
    name: 'SelectScatterBackward0',
    backward: (g, { attrs: { dim, index }, needsGrad, inputMeta }) => [
      needsGrad[0] ? selectScatter(g, full(inputMeta[1]!.shape, 0, { dtype: g.dtype, backend: g.storage.backend }), dim, index) : null,
      needsGrad[1] ? g.select(dim, index) : null,
    ],
  }),
  asStrided: rule<{ size: number[]; stride: number[]; storageOffset: number; inputOffset: number; inputContiguous: boolean }>({
    name: 'AsStridedBackward0',
    backward: (g, c) => {
      const { size, stride, storageOffset, inputOffset, inputContiguous } = c.attrs;
      if (!inputContiguous) throw new RuntimeError('the derivative of asStrided is only implemented for a contiguous input');
      return [asStridedScatter(zerosOf(c, g), g, size, stride, storageOffset - inputOffset)];
    },
  }),
  asStridedScatter: rule<{ size: number[]; stride: number[]; storageOffset: number; copySlices?: boolean }>({
    // Recorded for an in-place change of a view as PyTorch's CopySlices.
    name: (a) => (a.copySlices ? 'CopySlices' : 'AsStridedScatterBackward0'),
    backward: (g, { attrs: { size, stride, storageOffset }, inputMeta, needsGrad }) => {
      const dense = g.contiguous();
      return [
        needsGrad[0]
          ? asStridedScatter(
              dense,
              full(inputMeta[1]!.shape, 0, { dtype: g.dtype, backend: g.storage.backend }),
              size,
              stride,
              storageOffset,
            )
          : null,
        needsGrad[1] ? asStrided(dense, size, stride, dense.offset + storageOffset) : null,
      ];
    },
  }),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
