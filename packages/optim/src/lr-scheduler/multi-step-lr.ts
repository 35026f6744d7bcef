import { readArgs } from '@gd/tensor';
import { LRScheduler, type SchedulerOptimizer } from './lr-scheduler.js';

export type MultiStepLROptions = { milestones: number[]; gamma: number; lastEpoch: number };

/** Multiplies the lr by `gamma` at each milestone (a milestone listed twice applies twice). */
export class MultiStepLR extends LRScheduler {
  milestones: number[];
  gamma: number;

  constructor(optimizer: SchedulerOptimizer, ...args: (number | number[] | Partial<MultiStepLROptions> | undefined)[]) {
    super(optimizer);
    const o = readArgs<MultiStepLROptions>(args, ['milestones', 'gamma', 'lastEpoch'], { milestones: [], gamma: 0.1, lastEpoch: -1 });
    this.milestones = [...o.milestones].sort((a, b) => a - b);
    this.gamma = o.gamma;
    this.initialize(o.lastEpoch);
  }

  getLr(): number[] {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (count === 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma ** count);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((lr) => lr * this.gamma ** passed);
  }
}
