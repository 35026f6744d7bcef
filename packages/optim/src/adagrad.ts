import { fullLike, readArgs, type Tensor, ValueError, withGradMode } from '@gd/tensor';
import { type Closure, Optimizer, type ParamGroup, type Params } from './optimizer.js';
import { checkEps, checkLr, checkWeightDecay, pyFloat } from './validate.js';

export type AdagradOptions = {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
};

const ADAGRAD_DEFAULTS: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

/** Adagrad (torch.optim.Adagrad). Like PyTorch, it creates its state when it is constructed. */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, ...args: (number | boolean | Partial<AdagradOptions> | undefined)[]) {
    const o = readArgs<AdagradOptions>(
      args,
      ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize'],
      ADAGRAD_DEFAULTS,
    );
    checkLr(o.lr);
    if (!(o.lrDecay >= 0)) throw new ValueError(`Invalid lr_decay value: ${pyFloat(o.lrDecay)}`);
    checkWeightDecay(o.weightDecay);
    if (!(o.initialAccumulatorValue >= 0))
      throw new ValueError(`Invalid initial_accumulator_value value: ${pyFloat(o.initialAccumulatorValue)}`);
    checkEps(o.eps);
    super(params, o);
    for (const group of this.paramGroups) for (const p of group.params) this.initState(p, group);
  }

  private initState(p: Tensor, group: ParamGroup<AdagradOptions>): void {
    const state = this.stateOf(p);
    if (state.step !== undefined) return;
    state.step = 0;
    state.sum = withGradMode(false, () => fullLike(p, group.initialAccumulatorValue));
  }

  step(closure?: Closure): unknown {
    return this.updateEach(closure, (p, g, group) => {
      const { lr, lrDecay, weightDecay, eps } = group;
      this.initState(p, group);
      const state = this.stateOf(p);
      const step = (state.step as number) + 1;
      state.step = step;
      let grad = g;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const clr = lr / (1 + (step - 1) * lrDecay);
      const sum = state.sum as Tensor;
      sum.addcmul_(grad, grad, { value: 1 });
      p.addcdiv_(grad, sum.sqrt().add_(eps), { value: -clr });
    });
  }
}
