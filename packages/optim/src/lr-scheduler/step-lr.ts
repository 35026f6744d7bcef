import { readArgs } from '@gd/tensor';
import { LRScheduler, type SchedulerOptimizer } from './lr-scheduler.js';

export type StepLROptions = { stepSize: number; gamma: number; lastEpoch: number };

/** Multiplies the lr by `gamma` every `stepSize` epochs. */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: SchedulerOptimizer, ...args: (number | Partial<StepLROptions> | undefined)[]) {
    super(optimizer);
    const o = readArgs<StepLROptions>(args, ['stepSize', 'gamma', 'lastEpoch'], { stepSize: NaN, gamma: 0.1, lastEpoch: -1 });
    this.stepSize = o.stepSize;
    this.gamma = o.gamma;
    this.initialize(o.lastEpoch);
  }

  getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
