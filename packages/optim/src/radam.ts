import { div, readArgs, type Tensor, zerosLike } from '@gd/tensor';
import { type Closure, Optimizer, type Params } from './optimizer.js';
import { checkBetas, checkEps, checkLr, checkWeightDecay } from './validate.js';

export type RAdamOptions = {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  decoupledWeightDecay: boolean;
  maximize: boolean;
};

const RADAM_DEFAULTS: RAdamOptions = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  decoupledWeightDecay: false,
  maximize: false,
};

/** Rectified Adam (torch.optim.RAdam): plain momentum SGD until the variance estimate is tractable (rho_t > 5). */
export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: Params<RAdamOptions>, ...args: (number | boolean | [number, number] | Partial<RAdamOptions> | undefined)[]) {
    const o = readArgs<RAdamOptions>(args, ['lr', 'betas', 'eps', 'weightDecay', 'decoupledWeightDecay', 'maximize'], RADAM_DEFAULTS);
    checkLr(o.lr);
    checkEps(o.eps);
    checkBetas(o.betas);
    checkWeightDecay(o.weightDecay);
    super(params, o);
  }

  step(closure?: Closure): unknown {
    return this.updateEach(closure, (p, g, group) => {
      const { lr, eps, weightDecay, decoupledWeightDecay } = group;
      const [beta1, beta2] = group.betas;
      const state = this.advanceStep(p, (s) => {
        s.expAvg = zerosLike(p);
        s.expAvgSq = zerosLike(p);
      });
      let grad = g;
      const expAvg = state.expAvg as Tensor;
      const expAvgSq = state.expAvgSq as Tensor;
      const step = state.step;
      if (weightDecay !== 0) {
        if (decoupledWeightDecay) p.mul_(1 - lr * weightDecay);
        else grad = grad.add(p, { alpha: weightDecay });
      }
      expAvg.lerp_(grad, 1 - beta1);
      expAvgSq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      const biasCorrectedExpAvg = expAvg.div(biasCorrection1);
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
      if (rhoT > 5) {
        const rect = (((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) ** 0.5;
        const adaptiveLr = div(biasCorrection2 ** 0.5, expAvgSq.sqrt().add_(eps));
        p.add_(biasCorrectedExpAvg.mul_(lr).mul_(adaptiveLr).mul_(rect), { alpha: -1 });
      } else p.add_(biasCorrectedExpAvg.mul_(lr), { alpha: -1 });
    });
  }
}
