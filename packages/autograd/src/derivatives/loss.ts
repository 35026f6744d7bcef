import {
  arange,
  broadcastShapes,
  type DifferentiableOpName,
  logSigmoid,
  logSoftmax,
  numelOf,
  RuntimeError,
  softmax,
  type Tensor,
  where,
} from '@gd/tensor';
import { type BackwardContext, type Rule, rule } from './rule.js';

type Reduction = 'none' | 'mean' | 'sum';
interface ReductionAttrs {
  reduction: Reduction;
}

/** The output gradient spread over `n` loss terms: divided by n for 'mean'. */
function perTerm(g: Tensor, reduction: Reduction, n: number): Tensor {
  return reduction === 'mean' ? g.div(n) : g;
}

/** A loss of d = input - target whose gradient is dLoss/dd; the target gets its negative. */
function pointwiseLoss<A extends ReductionAttrs>(name: Rule<A>['name'], derivative: (d: Tensor, attrs: A) => Tensor): Rule<A> {
  return rule<A>({
    name,
    saveInputs: [0, 1],
    backward: (g, { inputs: [x, t], attrs, needsGrad }) => {
      const d = x!.sub(t!);
      const gx = derivative(d, attrs).mul(perTerm(g, attrs.reduction, d.numel()));
      return [needsGrad[0] ? gx : null, needsGrad[1] ? gx.neg() : null];
    },
  });
}

function refuseGradFor(ctx: BackwardContext<unknown>, positions: readonly number[], names: readonly string[]): void {
  positions.forEach((p, i) => {
    if (ctx.needsGrad[p]) throw new RuntimeError(`the derivative for '${names[i]}' is not implemented.`);
  });
}

// ---------------------------------------------------------------- classification

const classDim = (input: Tensor): number => (input.dim() === 1 ? 0 : 1);

/** `v` (one entry per class) shaped to broadcast along the class dim of `like`. */
function alongClasses(v: Tensor, like: Tensor): Tensor {
  const shape = like.shape.map(() => 1);
  shape[classDim(like)] = v.numel();
  return v.view(shape);
}

/** One-hot of class-index targets over the input's class dim, false for ignored targets. */
function targetMask(input: Tensor, target: Tensor, ignoreIndex: number): Tensor {
  const dim = classDim(input);
  const classes = arange(input.shape[dim]!, { dtype: 'int64', backend: input.storage.backend });
  const t = target.unsqueeze(dim);
  return t.eq(alongClasses(classes, input)).logicalAnd(t.ne(ignoreIndex));
}

/**
 * Per-target scale of a class loss's gradient: g itself ('none', put back along the class dim),
 * g ('sum') or g / total (`mean`, where total is the summed target weight or the target count).
 */
function classScale(g: Tensor, input: Tensor, reduction: Reduction, total: () => Tensor | number): Tensor {
  if (reduction === 'none') return g.unsqueeze(classDim(input));
  return reduction === 'sum' ? g : g.div(total());
}

interface NllAttrs extends ReductionAttrs {
  ignoreIndex: number;
}
interface CrossEntropyAttrs extends NllAttrs {
  labelSmoothing: number;
}

function nllGrad(g: Tensor, input: Tensor, target: Tensor, weight: Tensor | null, { reduction, ignoreIndex }: NllAttrs): Tensor {
  const mask = targetMask(input, target, ignoreIndex);
  const w = weight === null ? mask.to(input.dtype) : mask.mul(alongClasses(weight, input));
  const s = classScale(g, input, reduction, () => w.sum());
  return w.mul(s).neg();
}

function crossEntropyGrad(g: Tensor, input: Tensor, target: Tensor, weight: Tensor | null, a: CrossEntropyAttrs): [Tensor, Tensor | null] {
  const dim = classDim(input);
  const classes = input.shape[dim]!;
  const eps = a.labelSmoothing;
  const p = softmax(input, dim);
  const w = weight === null ? null : alongClasses(weight, input);
  if (input.isFloatingPoint() && target.isFloatingPoint() && target.dim() === input.dim()) {
    // Class probabilities: loss_i = -sum_c w_c t'_ic log p_ic, with t' the smoothed target.
    const smoothed = eps > 0 ? target.mul(1 - eps).add(eps / classes) : target;
    const wt = w === null ? smoothed : smoothed.mul(w);
    const s = classScale(g, input, a.reduction, () => input.numel() / classes);
    const gInput = p.mul(wt.sum(dim, true)).sub(wt).mul(s);
    const logp = logSoftmax(input, dim);
    const gTarget = (w === null ? logp : logp.mul(w)).mul(s).mul(-(1 - eps));
    return [gInput, gTarget];
  }
  // Class indices: (1 - eps) * nll + eps / C * (-sum_c w_c log p_c), over the targets kept.
  const mask = targetMask(input, target, a.ignoreIndex);
  const picked = w === null ? mask.to(input.dtype) : mask.mul(w);
  const pickedWeight = picked.sum(dim, true);
  const s = classScale(g, input, a.reduction, () => pickedWeight.sum());
  let grad = p.mul(pickedWeight).sub(picked);
  if (eps > 0) {
    const kept = target.ne(a.ignoreIndex).unsqueeze(dim);
    const allWeight = w === null ? classes : w.sum();
    const smooth = where(kept, p.mul(allWeight).sub(w ?? 1), 0);
    grad = grad.mul(1 - eps).add(smooth.mul(eps / classes));
  }
  return [grad.mul(s), null];
}

function crossEntropyName(a: CrossEntropyAttrs, inputs: readonly (Tensor | null)[]): string {
  const [input, target] = inputs as [Tensor, Tensor];
  if (target.isFloatingPoint()) return a.reduction === 'mean' ? 'DivBackward1' : 'NegBackward0';
  if (a.labelSmoothing > 0) return 'AddBackward0';
  return nllName(input);
}

const nllName = (input: Tensor): string => (input.dim() === 4 ? 'NllLoss2DBackward0' : 'NllLossBackward0');

export const lossRules = {
  mseLoss: pointwiseLoss('MseLossBackward0', (d) => d.mul(2)),
  l1Loss: pointwiseLoss(
    (a) => (a.reduction === 'mean' ? 'MeanBackward0' : a.reduction === 'sum' ? 'SumBackward0' : 'AbsBackward0'),
    (d) => d.sign(),
  ),
  smoothL1Loss: pointwiseLoss<ReductionAttrs & { beta: number }>('SmoothL1LossBackward0', (d, { beta }) =>
    beta === 0 ? d.sign() : where(d.lt(-beta), -1, where(d.gt(beta), 1, d.div(beta))),
  ),
  huberLoss: pointwiseLoss<ReductionAttrs & { delta: number }>('HuberLossBackward0', (d, { delta }) =>
    where(d.lt(-delta), -delta, where(d.gt(delta), delta, d)),
  ),
  binaryCrossEntropy: rule<ReductionAttrs>({
    name: 'BinaryCrossEntropyBackward0',
    saveInputs: [0, 1, 2],
    backward: (g, ctx) => {
      refuseGradFor(ctx, [2], ['weight']);
      const [x, t, w] = ctx.inputs as [Tensor, Tensor, Tensor | null];
      const n = w === null ? x.numel() : numelOf(broadcastShapes(x.shape, w.shape));
      const s = perTerm(g, ctx.attrs.reduction, n);
      const sw = w === null ? s : s.mul(w);
      const gx = ctx.needsGrad[0] ? x.sub(t).div(x.neg().add(1).mul(x).clamp(1e-12, null)).mul(sw) : null;
      const gt = ctx.needsGrad[1] ? x.neg().log1p().clamp(-100, null).sub(x.log().clamp(-100, null)).mul(sw) : null;
      return [gx, gt, null];
    },
  }),
  binaryCrossEntropyWithLogits: rule<ReductionAttrs>({
    name: 'BinaryCrossEntropyWithLogitsBackward0',
    saveInputs: [0, 1, 2, 3],
    backward: (g, ctx) => {
      refuseGradFor(ctx, [2, 3], ['weight', 'pos_weight']);
      const [x, t, w, pw] = ctx.inputs as [Tensor, Tensor, Tensor | null, Tensor | null];
      const n = w === null ? x.numel() : numelOf(broadcastShapes(x.shape, w.shape));
      const s = perTerm(g, ctx.attrs.reduction, n);
      const sw = w === null ? s : s.mul(w);
      let gx: Tensor | null = null;
      let gt: Tensor | null = null;
      if (ctx.needsGrad[0]) {
        const sig = x.sigmoid();
        if (pw === null) gx = sig.sub(t).mul(sw);
        else {
          const pt = pw.mul(t);
          gx = pt.add(1).sub(t).mul(sig).sub(pt).mul(sw);
        }
      }
      if (ctx.needsGrad[1]) gt = pw === null ? x.neg().mul(sw) : logSigmoid(x.neg()).sub(logSigmoid(x).mul(pw)).mul(sw);
      return [gx, gt, null, null];
    },
  }),
  nllLoss: rule<NllAttrs>({
    name: (_a, inputs) => nllName(inputs[0]!),
    saveInputs: [0, 1, 2],
    backward: (g, ctx) => {
      refuseGradFor(ctx, [2], ['weight']);
      return [nllGrad(g, ctx.inputs[0]!, ctx.inputs[1]!, ctx.inputs[2] ?? null, ctx.attrs), null, null];
    },
  }),
  crossEntropy: rule<CrossEntropyAttrs>({
    name: crossEntropyName,
    saveInputs: [0, 1, 2],
    backward: (g, ctx) => {
      refuseGradFor(ctx, [2], ['weight']);
      const [gInput, gTarget] = crossEntropyGrad(g, ctx.inputs[0]!, ctx.inputs[1]!, ctx.inputs[2] ?? null, ctx.attrs);
      return [ctx.needsGrad[0] ? gInput : null, ctx.needsGrad[1] ? gTarget : null, null];
    },
  }),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
