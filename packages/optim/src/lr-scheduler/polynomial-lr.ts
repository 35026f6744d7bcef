import { readArgs } from '@gd/tensor';
import { LRScheduler, type SchedulerOptimizer } from './lr-scheduler.js';

export type PolynomialLROptions = { totalIters: number; power: number; lastEpoch: number };

/** Decays the lr as `(1 - epoch / totalIters) ** power`, reaching 0 at `totalIters`. */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(optimizer: SchedulerOptimizer, ...args: (number | Partial<PolynomialLROptions> | undefined)[]) {
    super(optimizer);
    const o = readArgs<PolynomialLROptions>(args, ['totalIters', 'power', 'lastEpoch'], { totalIters: 5, power: 1, lastEpoch: -1 });
    this.totalIters = o.totalIters;
    this.power = o.power;
    this.initialize(o.lastEpoch);
  }

  getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch > this.totalIters) return this.currentLrs();
    const decay = ((1 - this.lastEpoch / this.totalIters) / (1 - (this.lastEpoch - 1) / this.totalIters)) ** this.power;
    return this.currentLrs().map((lr) => lr * decay);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * (1 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }
}
