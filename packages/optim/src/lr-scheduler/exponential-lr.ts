import { readArgs } from '@gd/tensor';
import { LRScheduler, type SchedulerOptimizer } from './lr-scheduler.js';

export type ExponentialLROptions = { gamma: number; lastEpoch: number };

/** Multiplies the lr by `gamma` every epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: SchedulerOptimizer, ...args: (number | Partial<ExponentialLROptions> | undefined)[]) {
    super(optimizer);
    const o = readArgs<ExponentialLROptions>(args, ['gamma', 'lastEpoch'], { gamma: NaN, lastEpoch: -1 });
    this.gamma = o.gamma;
    this.initialize(o.lastEpoch);
  }

  getLr(): number[] {
    if (this.lastEpoch === 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** this.lastEpoch);
  }
}
