import { fullLike, readArgs, type Tensor, ValueError, where, zerosLike } from '@gd/tensor';
import { type Closure, Optimizer, type Params } from './optimizer.js';
import { checkLr, pyFloat } from './validate.js';

export type RpropOptions = {
  lr: number;
  etas: [number, number];
  stepSizes: [number, number];
  maximize: boolean;
};

const RPROP_DEFAULTS: RpropOptions = { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false };

/** Resilient backpropagation (torch.optim.Rprop): per-element step sizes driven by gradient signs. */
export class Rprop extends Optimizer<RpropOptions> {
  constructor(params: Params<RpropOptions>, ...args: (number | boolean | [number, number] | Partial<RpropOptions> | undefined)[]) {
    const o = readArgs<RpropOptions>(args, ['lr', 'etas', 'stepSizes', 'maximize'], RPROP_DEFAULTS);
    checkLr(o.lr);
    const [etaMinus, etaPlus] = o.etas;
    if (!(etaMinus > 0 && etaMinus < 1 && etaPlus > 1))
      throw new ValueError(`Invalid eta values: ${pyFloat(etaMinus)}, ${pyFloat(etaPlus)}`);
    super(params, { ...o, etas: [etaMinus, etaPlus], stepSizes: [o.stepSizes[0], o.stepSizes[1]] });
  }

  step(closure?: Closure): unknown {
    return this.updateEach(closure, (p, grad, group) => {
      const { lr } = group;
      const [etaMinus, etaPlus] = group.etas;
      const [stepSizeMin, stepSizeMax] = group.stepSizes;
      const state = this.advanceStep(p, (s) => {
        s.prev = zerosLike(p);
        s.stepSize = fullLike(grad, lr);
      });
      const prev = state.prev as Tensor;
      const stepSize = state.stepSize as Tensor;
      const sign = grad.mul(prev).sign();
      // PyTorch's sign[sign > 0] = etaplus; sign[sign < 0] = etaminus; sign[sign == 0] = 1 (NaN stays NaN).
      const factor = where(sign.gt(0), etaPlus, where(sign.lt(0), etaMinus, where(sign.eq(0), 1, sign)));
      stepSize.mul_(factor).clamp_(stepSizeMin, stepSizeMax);
      // A gradient whose sign flipped is skipped this step and forgotten.
      const kept = where(sign.lt(0), 0, grad);
      p.addcmul_(kept.sign(), stepSize, { value: -1 });
      prev.copy_(kept);
    });
  }
}
