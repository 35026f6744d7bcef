import { diag, diagonal, diagonalScatter, type DifferentiableOpName, flip, full, roll, type Tensor, tril, triu } from '@gd/tensor';
import { type Rule, rule } from './rule.js';

/** repeat's gradient: g seen as [r0, s0, r1, s1, ...] summed over every repeat dim r_i. */
function repeatGrad(g: Tensor, inputShape: readonly number[], repeats: readonly number[]): Tensor {
  const lead = repeats.length - inputShape.length;
  const sizes = repeats.map((_, i) => (i < lead ? 1 : inputShape[i - lead]!));
  const pairs = g.reshape(repeats.flatMap((r, i) => [r, sizes[i]!]));
  return pairs.sum(repeats.map((_, i) => 2 * i)).reshape(inputShape);
}

const zerosShaped = (shape: readonly number[], g: Tensor): Tensor => full(shape, 0, { dtype: g.dtype, backend: g.storage.backend });

export const rearrangeRules = {
  repeat: rule<{ repeats: number[] }>({
    name: 'RepeatBackward0',
    backward: (g, c) => [repeatGrad(g, c.inputMeta[0]!.shape, c.attrs.repeats)],
  }),
  flip: rule<{ dims: number[] }>({ name: 'FlipBackward0', backward: (g, c) => [flip(g, c.attrs.dims)] }),
  roll: rule<{ shifts: number[]; dims: number[] }>({
    name: 'RollBackward0',
    backward: (g, { attrs: { shifts, dims } }) => [
      roll(
        g,
        shifts.map((s) => -s),
        dims.length === 0 ? null : dims,
      ),
    ],
  }),
  diagonal: rule<{ offset: number; dim1: number; dim2: number }>({
    name: 'DiagonalBackward0',
    backward: (g, { attrs: { offset, dim1, dim2 }, inputMeta }) => [
      diagonalScatter(zerosShaped(inputMeta[0]!.shape, g), g, offset, dim1, dim2),
    ],
  }),
  diagonalScatter: rule<{ offset: number; dim1: number; dim2: number }>({
    name: 'DiagonalScatterBackward0',
    backward: (g, { attrs: { offset, dim1, dim2 }, inputMeta, needsGrad }) => [
      needsGrad[0] ? diagonalScatter(g, zerosShaped(inputMeta[1]!.shape, g), offset, dim1, dim2) : null,
      needsGrad[1] ? diagonal(g, offset, dim1, dim2) : null,
    ],
  }),
  diag: rule<{ offset: number }>({
    name: 'DiagBackward0',
    backward: (g, { attrs: { offset }, inputMeta }) => {
      const shape = inputMeta[0]!.shape;
      // A vector became a matrix: read its diagonal back; a matrix gave its diagonal: put it back.
      return [shape.length === 1 ? diag(g, offset) : diagonalScatter(zerosShaped(shape, g), g, offset, 0, 1)];
    },
  }),
  tril: rule<{ diagonal: number }>({ name: 'TrilBackward0', backward: (g, c) => [tril(g, c.attrs.diagonal)] }),
  triu: rule<{ diagonal: number }>({ name: 'TriuBackward0', backward: (g, c) => [triu(g, c.attrs.diagonal)] }),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
