import { Adam, type AdamOptions, readAdamOptions } from './adam.js';
import type { Params } from './optimizer.js';

const ADAMW_DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false };

/** Adam with decoupled weight decay (torch.optim.AdamW): `p *= 1 - lr * weightDecay` before the Adam step. */
export class AdamW extends Adam {
  protected override readonly decoupledWeightDecay: boolean = true;

  constructor(params: Params<AdamOptions>, ...args: Parameters<typeof readAdamOptions>[0]) {
    super(params, readAdamOptions(args, ADAMW_DEFAULTS));
  }
}
