import { readArgs, type Tensor, ValueError, zerosLike } from '@gd/tensor';
import { type Closure, Optimizer, type Params } from './optimizer.js';
import { checkBetas, checkEps, checkLr, checkWeightDecay, pyFloat } from './validate.js';

export type NAdamOptions = {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  momentumDecay: number;
  decoupledWeightDecay: boolean;
  maximize: boolean;
};

const NADAM_DEFAULTS: NAdamOptions = {
  lr: 2e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  momentumDecay: 4e-3,
  decoupledWeightDecay: false,
  maximize: false,
};

/** Adam with Nesterov momentum (torch.optim.NAdam). */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: Params<NAdamOptions>, ...args: (number | boolean | [number, number] | Partial<NAdamOptions> | undefined)[]) {
    const o = readArgs<NAdamOptions>(
      args,
      ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay', 'decoupledWeightDecay', 'maximize'],
      NADAM_DEFAULTS,
    );
    checkLr(o.lr);
    checkEps(o.eps);
    checkBetas(o.betas);
    checkWeightDecay(o.weightDecay);
    if (!(o.momentumDecay >= 0)) throw new ValueError(`Invalid momentum_decay value: ${pyFloat(o.momentumDecay)}`);
    super(params, o);
  }

  step(closure?: Closure): unknown {
    return this.updateEach(closure, (p, g, group) => {
      const { lr, eps, weightDecay, momentumDecay, decoupledWeightDecay } = group;
      const [beta1, beta2] = group.betas;
      const state = this.advanceStep(p, (s) => {
        s.muProduct = 1;
        s.expAvg = zerosLike(p);
        s.expAvgSq = zerosLike(p);
      });
      let grad = g;
      const expAvg = state.expAvg as Tensor;
      const expAvgSq = state.expAvgSq as Tensor;
      const step = state.step;
      const biasCorrection2 = 1 - beta2 ** step;
      if (weightDecay !== 0) {
        if (decoupledWeightDecay) p.mul_(1 - lr * weightDecay);
        else grad = grad.add(p, { alpha: weightDecay });
      }
      const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
      // PyTorch keeps mu_product in a float32 tensor, so the product is rounded to float32 each step.
      const muProduct = Math.fround((state.muProduct as number) * Math.fround(mu));
      state.muProduct = muProduct;
      expAvg.lerp_(grad, 1 - beta1);
      expAvgSq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
      const denom = expAvgSq.div(biasCorrection2).sqrt_().add_(eps);
      const muProductNext = this.nextMuProduct(muProduct, mu, muNext);
      p.addcdiv_(grad, denom, { value: (-lr * (1 - mu)) / (1 - muProduct) });
      p.addcdiv_(expAvg, denom, { value: (-lr * muNext) / (1 - muProductNext) });
    });
  }

  /**
   * μ-product for the next step's bias correction: PyTorch 2.x's `mu_product * mu_next` (torch 1.13
   * multiplied by `mu` a second time, a bug fixed in 2.0; the golden runner overrides this to check
   * 1.13 fixtures).
   */
  protected nextMuProduct(muProduct: number, _mu: number, muNext: number): number {
    return muProduct * muNext;
  }
}
