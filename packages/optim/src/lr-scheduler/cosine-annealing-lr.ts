import { readArgs } from '@gd/tensor';
import { LRScheduler, pyMod, type SchedulerOptimizer } from './lr-scheduler.js';

export type CosineAnnealingLROptions = { TMax: number; etaMin: number; lastEpoch: number };

/**
 * Cosine annealing from the base lr to `etaMin` over `TMax` epochs, in PyTorch's recursive form
 * (so it keeps following the cosine past `TMax`, and composes with other schedulers).
 */
export class CosineAnnealingLR extends LRScheduler {
  TMax: number;
  etaMin: number;

  constructor(optimizer: SchedulerOptimizer, ...args: (number | Partial<CosineAnnealingLROptions> | undefined)[]) {
    super(optimizer);
    const o = readArgs<CosineAnnealingLROptions>(args, ['TMax', 'etaMin', 'lastEpoch'], { TMax: NaN, etaMin: 0, lastEpoch: -1 });
    this.TMax = o.TMax;
    this.etaMin = o.etaMin;
    this.initialize(o.lastEpoch);
  }

  getLr(): number[] {
    const { lastEpoch, TMax, etaMin } = this;
    if (lastEpoch === 0) return this.currentLrs();
    if (this._stepCount === 1 && lastEpoch > 0) return this.closedFormLr();
    if (pyMod(lastEpoch - 1 - TMax, 2 * TMax) === 0)
      return this.currentLrs().map((lr, i) => lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / TMax))) / 2);
    return this.currentLrs().map(
      (lr) => ((1 + Math.cos((Math.PI * lastEpoch) / TMax)) / (1 + Math.cos((Math.PI * (lastEpoch - 1)) / TMax))) * (lr - etaMin) + etaMin,
    );
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => this.etaMin + ((lr - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.TMax))) / 2);
  }
}
