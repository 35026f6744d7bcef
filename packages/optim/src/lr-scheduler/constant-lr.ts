import { readArgs, ValueError } from '@gd/tensor';
import { LRScheduler, type SchedulerOptimizer } from './lr-scheduler.js';

export type ConstantLROptions = { factor: number; totalIters: number; lastEpoch: number };

/** Scales the lr by `factor` until epoch `totalIters`, then restores it. */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: SchedulerOptimizer, ...args: (number | Partial<ConstantLROptions> | undefined)[]) {
    super(optimizer);
    const o = readArgs<ConstantLROptions>(args, ['factor', 'totalIters', 'lastEpoch'], { factor: 1 / 3, totalIters: 5, lastEpoch: -1 });
    if (o.factor > 1 || o.factor < 0) throw new ValueError('Constant multiplicative factor expected to be between 0 and 1.');
    this.factor = o.factor;
    this.totalIters = o.totalIters;
    this.initialize(o.lastEpoch);
  }

  getLr(): number[] {
    if (this.lastEpoch === 0) return this.currentLrs().map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const done = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((lr) => lr * (this.factor + done * (1 - this.factor)));
  }
}
