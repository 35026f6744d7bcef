import { readArgs, type Tensor, ValueError } from '@gd/tensor';
import { type Closure, Optimizer, type Params } from './optimizer.js';
import { checkLr, checkMomentum, checkWeightDecay } from './validate.js';

export type SGDOptions = {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
};

const SGD_DEFAULTS: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

/** Stochastic gradient descent, optionally with (Nesterov) momentum: torch.optim.SGD. */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, ...args: (number | boolean | Partial<SGDOptions> | undefined)[]) {
    const o = readArgs<SGDOptions>(args, ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize'], SGD_DEFAULTS);
    checkLr(o.lr);
    checkMomentum(o.momentum);
    checkWeightDecay(o.weightDecay);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0))
      throw new ValueError('Nesterov momentum requires a momentum and zero dampening');
    super(params, o);
  }

  step(closure?: Closure): unknown {
    return this.updateEach(closure, (p, g, group) => {
      const { lr, momentum, dampening, weightDecay, nesterov } = group;
      let grad = g;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      if (momentum !== 0) {
        const state = this.stateOf(p);
        let buf = state.momentumBuffer as Tensor | undefined;
        if (buf === undefined) {
          buf = grad.clone();
          state.momentumBuffer = buf;
        } else buf.mul_(momentum).add_(grad, { alpha: 1 - dampening });
        grad = nesterov ? grad.add(buf, { alpha: momentum }) : buf;
      }
      p.add_(grad, { alpha: -lr });
    });
  }
}
