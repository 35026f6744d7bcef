import {
  broadcastShapes,
  type DifferentiableOpName,
  full,
  gather,
  indexAdd,
  indexSelect,
  nonzero,
  numelOf,
  scatter,
  scatterAdd,
  type Tensor,
  where,
} from '@gd/tensor';
import { type BackwardContext, type Rule, rule } from './rule.js';

const zerosOf = (c: BackwardContext<unknown>, g: Tensor): Tensor =>
  full(c.inputMeta[0]!.shape, 0, { dtype: g.dtype, backend: g.storage.backend });

/** Gradient of picking the elements of a flat view at `flatIndex`: accumulated back, then reshaped. */
function putBack(g: Tensor, shape: readonly number[], flatIndex: Tensor): Tensor {
  const zeros = full([numelOf(shape)], 0, { dtype: g.dtype, backend: g.storage.backend });
  return indexAdd(zeros, 0, flatIndex, g.reshape([-1])).view(shape);
}

export const indexingRules = {
  cat: rule<{ dim: number }>({
    name: 'CatBackward0',
    backward: (g, { attrs: { dim }, inputMeta, needsGrad }) => {
      let start = 0;
      return inputMeta.map((m, i) => {
        const size = m!.shape[dim]!;
        const part = needsGrad[i] ? g.narrow(dim, start, size) : null;
        start += size;
        return part;
      });
    },
  }),
  stack: rule<{ dim: number }>({
    name: 'StackBackward0',
    backward: (g, { attrs: { dim }, needsGrad }) => needsGrad.map((needed, i) => (needed ? g.select(dim, i) : null)),
  }),
  indexSelect: rule<{ dim: number }>({
    name: 'IndexSelectBackward0',
    saveInputs: [1],
    backward: (g, c) => [indexAdd(zerosOf(c, g), c.attrs.dim, c.inputs[1]!, g), null],
  }),
  gather: rule<{ dim: number }>({
    name: 'GatherBackward0',
    saveInputs: [1],
    backward: (g, c) => [scatterAdd(zerosOf(c, g), c.attrs.dim, c.inputs[1]!, g), null],
  }),
  scatterAdd: rule<{ dim: number }>({
    name: 'ScatterAddBackward0',
    saveInputs: [1],
    backward: (g, c) => [g, null, c.needsGrad[2] ? gather(g, c.attrs.dim, c.inputs[1]!) : null],
  }),
  indexAdd: rule<{ dim: number }>({
    name: 'IndexAddBackward0',
    saveInputs: [1],
    backward: (g, c) => [g, null, c.needsGrad[2] ? indexSelect(g, c.attrs.dim, c.inputs[1]!) : null],
  }),
  scatter: rule<{ dim: number; value?: number }>({
    name: (a) => (a.value === undefined ? 'ScatterBackward0' : 'ScatterBackward1'),
    saveInputs: [1],
    backward: (g, { attrs: { dim }, inputs, needsGrad }) => [
      needsGrad[0] ? scatter(g, dim, inputs[1]!, 0) : null,
      null,
      needsGrad[2] ? gather(g, dim, inputs[1]!) : null,
    ],
  }),
  take: rule({
    name: 'TakeBackward0',
    saveInputs: [1],
    backward: (g, c) => {
      const shape = c.inputMeta[0]!.shape;
      const n = numelOf(shape);
      const index = c.inputs[1]!.reshape([-1]);
      return [putBack(g, shape, where(index.lt(0), index.add(n), index)), null];
    },
  }),
  maskedFill: rule<{ value?: number }>({
    name: (a) => (a.value === undefined ? 'MaskedFillBackward1' : 'MaskedFillBackward0'),
    saveInputs: [1],
    backward: (g, { inputs, needsGrad }) => {
      const mask = inputs[1]!;
      // A tensor value is 0-d: the engine sums its gradient over every filled position.
      return [needsGrad[0] ? where(mask, 0, g) : null, null, needsGrad[2] ? where(mask, g, 0) : null];
    },
  }),
  maskedSelect: rule({
    name: 'MaskedSelectBackward0',
    saveInputs: [1],
    backward: (g, c) => {
      const mask = c.inputs[1]!;
      const shape = broadcastShapes(c.inputMeta[0]!.shape, mask.shape);
      const positions = (nonzero(mask.expand(shape).reshape([-1])) as Tensor).reshape([-1]);
      return [putBack(g, shape, positions), null];
    },
  }),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
