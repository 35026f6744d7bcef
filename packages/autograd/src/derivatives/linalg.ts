import type { DifferentiableOpName, Tensor } from '@gd/tensor';
import { type Rule, rule } from './rule.js';

/**
 * Gradients of matmul(a, b) for PyTorch's 1-d, 2-d and broadcast-batched cases. Results may keep
 * broadcast batch dims: the engine sums them back to each input's shape.
 */
function matmulGrads(g: Tensor, a: Tensor, b: Tensor, needA: boolean, needB: boolean): [Tensor | null, Tensor | null] {
  const da = a.dim();
  const db = b.dim();
  if (da === 1 && db === 1) return [needA ? g.mul(b) : null, needB ? g.mul(a) : null];
  if (da === 1) {
    // [k] @ [..., k, n] -> [..., n]
    return [needA ? b.matmul(g.unsqueeze(-1)).squeeze(-1) : null, needB ? a.unsqueeze(-1).matmul(g.unsqueeze(-2)) : null];
  }
  if (db === 1) {
    // [..., m, k] @ [k] -> [..., m]
    const k = a.shape[da - 1]!;
    return [
      needA ? g.unsqueeze(-1).matmul(b.unsqueeze(0)) : null,
      needB
        ? a
            .reshape([-1, k])
            .t()
            .matmul(g.reshape([-1]))
        : null,
    ];
  }
  const ga = needA ? g.matmul(b.mT) : null;
  let gb: Tensor | null = null;
  if (needB) {
    // A 2-d b was shared by every batch: fold the batch dims into one matmul instead of summing after.
    gb =
      db === 2 && da > 2
        ? a
            .reshape([-1, a.shape[da - 1]!])
            .t()
            .matmul(g.reshape([-1, g.shape[g.dim() - 1]!]))
        : a.mT.matmul(g);
  }
  return [ga, gb];
}

function matmulName(da: number, db: number): string {
  if (da === 1 && db === 1) return 'DotBackward0';
  if (da > 2 || db > 2) return 'UnsafeViewBackward0';
  if (da === 2 && db === 2) return 'MmBackward0';
  return db === 1 ? 'MvBackward0' : 'SqueezeBackward3';
}

function linearName(xDim: number, hasBias: boolean): string {
  if (xDim === 2) return hasBias ? 'AddmmBackward0' : 'MmBackward0';
  if (xDim === 1) return hasBias ? 'AddBackward0' : 'SqueezeBackward3';
  return hasBias ? 'ViewBackward0' : 'UnsafeViewBackward0';
}

export const linalgRules = {
  mm: rule({
    name: 'MmBackward0',
    saveInputs: [0, 1],
    backward: (g, { inputs: [a, b], needsGrad }) => [needsGrad[0] ? g.mm(b!.t()) : null, needsGrad[1] ? a!.t().mm(g) : null],
  }),
  bmm: rule({
    name: 'BmmBackward0',
    saveInputs: [0, 1],
    backward: (g, { inputs: [a, b], needsGrad }) => [
      needsGrad[0] ? g.bmm(b!.transpose(1, 2)) : null,
      needsGrad[1] ? a!.transpose(1, 2).bmm(g) : null,
    ],
  }),
  matmul: rule({
    name: (_a, inputs) => matmulName(inputs[0]!.dim(), inputs[1]!.dim()),
    saveInputs: [0, 1],
    backward: (g, { inputs: [a, b], needsGrad }) => matmulGrads(g, a!, b!, needsGrad[0]!, needsGrad[1]!),
  }),
  linear: rule({
    name: (_a, inputs) => linearName(inputs[0]!.dim(), inputs[2] !== null && inputs[2] !== undefined),
    saveInputs: [0, 1],
    backward: (g, { inputs: [x, weight], needsGrad }) => {
      const w = weight!;
      if (w.dim() === 2 && x!.dim() >= 2) {
        // gW = gᵀ·x over the flattened batch: computed in W's own [out, in] layout, so no
        // transposed copy is made when it is accumulated into W.grad.
        const gx = needsGrad[0] ? g.matmul(w) : null;
        const gw = needsGrad[1]
          ? g
              .reshape([-1, w.shape[0]!])
              .t()
              .matmul(x!.reshape([-1, w.shape[1]!]))
          : null;
        // The bias gradient is g summed over the batch dims, which the engine does.
        return [gx, gw, needsGrad[2] ? g : null];
      }
      const [gx, gwt] = matmulGrads(g, x!, w.dim() === 2 ? w.t() : w, needsGrad[0]!, needsGrad[1]!);
      return [gx, gwt && w.dim() === 2 ? gwt.mT : gwt, needsGrad[2] ? g : null];
    },
  }),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
