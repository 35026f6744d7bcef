import { readArgs, type Tensor, ValueError, zerosLike } from '@gd/tensor';
import { type Closure, Optimizer, type Params } from './optimizer.js';
import { checkEps, checkLr, checkWeightDecay, pyFloat } from './validate.js';

export type AdadeltaOptions = {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
};

const ADADELTA_DEFAULTS: AdadeltaOptions = { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false };

/** Adadelta (torch.optim.Adadelta). */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: Params<AdadeltaOptions>, ...args: (number | boolean | Partial<AdadeltaOptions> | undefined)[]) {
    const o = readArgs<AdadeltaOptions>(args, ['lr', 'rho', 'eps', 'weightDecay', 'maximize'], ADADELTA_DEFAULTS);
    checkLr(o.lr);
    if (!(o.rho >= 0 && o.rho <= 1)) throw new ValueError(`Invalid rho value: ${pyFloat(o.rho)}`);
    checkEps(o.eps);
    checkWeightDecay(o.weightDecay);
    super(params, o);
  }

  step(closure?: Closure): unknown {
    return this.updateEach(closure, (p, g, group) => {
      const { lr, rho, eps, weightDecay } = group;
      const state = this.advanceStep(p, (s) => {
        s.squareAvg = zerosLike(p);
        s.accDelta = zerosLike(p);
      });
      let grad = g;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const squareAvg = state.squareAvg as Tensor;
      const accDelta = state.accDelta as Tensor;
      squareAvg.mul_(rho).addcmul_(grad, grad, { value: 1 - rho });
      const std = squareAvg.add(eps).sqrt_();
      const delta = accDelta.add(eps).sqrt_().div_(std).mul_(grad);
      accDelta.mul_(rho).addcmul_(delta, delta, { value: 1 - rho });
      p.add_(delta, { alpha: -lr });
    });
  }
}
