import { readArgs, type Tensor, ValueError, zerosLike } from '@gd/tensor';
import { type Closure, Optimizer, type Params } from './optimizer.js';
import { checkEps, checkLr, checkMomentum, checkWeightDecay, pyFloat } from './validate.js';

export type RMSpropOptions = {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
};

const RMSPROP_DEFAULTS: RMSpropOptions = {
  lr: 1e-2,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  maximize: false,
};

/** RMSprop (torch.optim.RMSprop), optionally centered and with momentum. */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, ...args: (number | boolean | Partial<RMSpropOptions> | undefined)[]) {
    const o = readArgs<RMSpropOptions>(args, ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'], RMSPROP_DEFAULTS);
    checkLr(o.lr);
    checkEps(o.eps);
    checkMomentum(o.momentum);
    checkWeightDecay(o.weightDecay);
    if (!(o.alpha >= 0)) throw new ValueError(`Invalid alpha value: ${pyFloat(o.alpha)}`);
    super(params, o);
  }

  step(closure?: Closure): unknown {
    return this.updateEach(closure, (p, g, group) => {
      const { lr, alpha, eps, weightDecay, momentum, centered } = group;
      const state = this.advanceStep(p, (s) => {
        s.squareAvg = zerosLike(p);
        if (momentum > 0) s.momentumBuffer = zerosLike(p);
        if (centered) s.gradAvg = zerosLike(p);
      });
      let grad = g;
      const squareAvg = state.squareAvg as Tensor;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      squareAvg.mul_(alpha).addcmul_(grad, grad, { value: 1 - alpha });
      let avg: Tensor;
      if (centered) {
        const gradAvg = state.gradAvg as Tensor;
        gradAvg.lerp_(grad, 1 - alpha);
        avg = squareAvg.addcmul(gradAvg, gradAvg, { value: -1 }).sqrt_();
      } else avg = squareAvg.sqrt();
      avg.add_(eps);
      if (momentum > 0) {
        const buf = state.momentumBuffer as Tensor;
        buf.mul_(momentum).addcdiv_(grad, avg);
        p.add_(buf, { alpha: -lr });
      } else p.addcdiv_(grad, avg, { value: -lr });
    });
  }
}
