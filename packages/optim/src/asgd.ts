import { readArgs, type Tensor, zerosLike } from '@gd/tensor';
import { type Closure, Optimizer, type Params } from './optimizer.js';
import { checkLr, checkWeightDecay } from './validate.js';

export type ASGDOptions = {
  lr: number;
  lambd: number;
  alpha: number;
  t0: number;
  weightDecay: number;
  maximize: boolean;
};

const ASGD_DEFAULTS: ASGDOptions = { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false };

/**
 * Averaged SGD (torch.optim.ASGD). `state.ax` holds the running average of the parameter.
 * PyTorch keeps eta and mu in float32 tensors, so they are rounded to float32 here too.
 */
export class ASGD extends Optimizer<ASGDOptions> {
  constructor(params: Params<ASGDOptions>, ...args: (number | boolean | Partial<ASGDOptions> | undefined)[]) {
    const o = readArgs<ASGDOptions>(args, ['lr', 'lambd', 'alpha', 't0', 'weightDecay', 'maximize'], ASGD_DEFAULTS);
    checkLr(o.lr);
    checkWeightDecay(o.weightDecay);
    super(params, o);
  }

  step(closure?: Closure): unknown {
    return this.updateEach(closure, (p, g, group) => {
      const { lr, lambd, alpha, t0, weightDecay } = group;
      const state = this.advanceStep(p, (s) => {
        s.eta = Math.fround(lr);
        s.mu = 1;
        s.ax = zerosLike(p);
      });
      let grad = g;
      const ax = state.ax as Tensor;
      const step = state.step;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const eta = state.eta as number;
      const mu = state.mu as number;
      p.mul_(1 - lambd * eta);
      p.add_(grad, { alpha: -eta });
      if (mu !== 1) ax.add_(p.sub(ax).mul_(mu));
      else ax.copy_(p);
      state.eta = Math.fround(lr / (1 + lambd * lr * step) ** alpha);
      state.mu = Math.fround(1 / Math.max(1, step - t0));
    });
  }
}
