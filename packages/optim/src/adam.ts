import { isFloatingPoint, type OptimizerKernels, readArgs, shapesEqual, type Tensor, zerosLike } from '@gd/tensor';
import { type Closure, Optimizer, type Params } from './optimizer.js';
import { checkBetas, checkEps, checkLr, checkWeightDecay } from './validate.js';

export type AdamOptions = {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
};

type AdamArg = number | boolean | [number, number] | Partial<AdamOptions> | undefined;

const ADAM_DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

export function readAdamOptions(args: readonly AdamArg[], defaults: AdamOptions): AdamOptions {
  const o = readArgs<AdamOptions>(args, ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'], defaults);
  checkLr(o.lr);
  checkEps(o.eps);
  checkBetas(o.betas);
  checkWeightDecay(o.weightDecay);
  return { ...o, betas: [o.betas[0], o.betas[1]] };
}

/**
 * The backend's fused Adam kernel (OptimizerKernels), when it applies: param, grad and both moments
 * contiguous, live, of one float dtype and shape on one backend.
 */
function fusedAdam(tensors: readonly Tensor[]): OptimizerKernels['adam'] | undefined {
  const p = tensors[0]!;
  const kernel = (p.backend.fused as Partial<OptimizerKernels> | undefined)?.adam;
  if (!kernel || !isFloatingPoint(p.dtype)) return undefined;
  const fits = (t: Tensor) =>
    t.backend === p.backend && t.dtype === p.dtype && shapesEqual(t.shape, p.shape) && t.isContiguous() && !t.storage.isDisposed;
  return tensors.every(fits) ? kernel : undefined;
}

/** Adam (torch.optim.Adam); AdamW reuses the update with decoupled weight decay. */
export class Adam extends Optimizer<AdamOptions> {
  /** AdamW's weight decay: shrink the parameter instead of adding to the gradient. */
  protected readonly decoupledWeightDecay: boolean = false;

  constructor(params: Params<AdamOptions>, ...args: AdamArg[]) {
    super(params, readAdamOptions(args, ADAM_DEFAULTS));
  }

  step(closure?: Closure): unknown {
    return this.updateEach(closure, (p, g, group) => {
      const { lr, eps, weightDecay, amsgrad } = group;
      const [beta1, beta2] = group.betas;
      const state = this.advanceStep(p, (s) => {
        s.expAvg = zerosLike(p);
        s.expAvgSq = zerosLike(p);
        if (amsgrad) s.maxExpAvgSq = zerosLike(p);
      });
      let grad = g;
      const expAvg = state.expAvg as Tensor;
      const expAvgSq = state.expAvgSq as Tensor;
      const step = state.step;
      if (weightDecay !== 0) {
        if (this.decoupledWeightDecay) p.mul_(1 - lr * weightDecay);
        else grad = grad.add(p, { alpha: weightDecay });
      }
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      const stepSize = lr / biasCorrection1;
      const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
      const fused = amsgrad ? undefined : fusedAdam([p, grad, expAvg, expAvgSq]);
      if (fused) {
        fused(p, grad, expAvg, expAvgSq, { beta1, beta2, eps, stepSize, biasCorrection2Sqrt });
        // The in-place writes the op-by-op update counts (lerp_; mul_ and addcmul_; addcdiv_).
        expAvg.storage.version += 1;
        expAvgSq.storage.version += 2;
        p.storage.version += 1;
        return;
      }
      expAvg.lerp_(grad, 1 - beta1);
      expAvgSq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
      let second = expAvgSq;
      if (amsgrad) {
        // torch.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
        const maxExpAvgSq = state.maxExpAvgSq as Tensor;
        second = maxExpAvgSq.copy_(maxExpAvgSq.maximum(expAvgSq));
      }
      const denom = second.sqrt().div_(biasCorrection2Sqrt).add_(eps);
      p.addcdiv_(expAvg, denom, { value: -stepSize });
    });
  }
}
