import { readArgs, type Tensor, zerosLike } from '@gd/tensor';
import { type Closure, Optimizer, type Params } from './optimizer.js';
import { checkBetas, checkEps, checkLr, checkWeightDecay } from './validate.js';

export type AdamaxOptions = {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
};

const ADAMAX_DEFAULTS: AdamaxOptions = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false };

/** Adamax, Adam over the infinity norm (torch.optim.Adamax). */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: Params<AdamaxOptions>, ...args: (number | boolean | [number, number] | Partial<AdamaxOptions> | undefined)[]) {
    const o = readArgs<AdamaxOptions>(args, ['lr', 'betas', 'eps', 'weightDecay', 'maximize'], ADAMAX_DEFAULTS);
    checkLr(o.lr);
    checkEps(o.eps);
    checkBetas(o.betas);
    checkWeightDecay(o.weightDecay);
    super(params, o);
  }

  step(closure?: Closure): unknown {
    return this.updateEach(closure, (p, g, group) => {
      const { lr, eps, weightDecay } = group;
      const [beta1, beta2] = group.betas;
      const state = this.advanceStep(p, (s) => {
        s.expAvg = zerosLike(p);
        s.expInf = zerosLike(p);
      });
      let grad = g;
      const expAvg = state.expAvg as Tensor;
      const expInf = state.expInf as Tensor;
      const step = state.step;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      expAvg.lerp_(grad, 1 - beta1);
      expInf.copy_(expInf.mul_(beta2).maximum(grad.abs().add_(eps)));
      const clr = lr / (1 - beta1 ** step);
      p.addcdiv_(expAvg, expInf, { value: -clr });
    });
  }
}
