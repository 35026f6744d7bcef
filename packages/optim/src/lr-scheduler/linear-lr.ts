import { readArgs, ValueError } from '@gd/tensor';
import { LRScheduler, type SchedulerOptimizer } from './lr-scheduler.js';

export type LinearLROptions = { startFactor: number; endFactor: number; totalIters: number; lastEpoch: number };

/** Moves the lr factor linearly from `startFactor` to `endFactor` over `totalIters` epochs. */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: SchedulerOptimizer, ...args: (number | Partial<LinearLROptions> | undefined)[]) {
    super(optimizer);
    const o = readArgs<LinearLROptions>(args, ['startFactor', 'endFactor', 'totalIters', 'lastEpoch'], {
      startFactor: 1 / 3,
      endFactor: 1,
      totalIters: 5,
      lastEpoch: -1,
    });
    if (o.startFactor > 1 || o.startFactor <= 0)
      throw new ValueError('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.');
    if (o.endFactor > 1 || o.endFactor < 0) throw new ValueError('Ending multiplicative factor expected to be between 0 and 1.');
    this.startFactor = o.startFactor;
    this.endFactor = o.endFactor;
    this.totalIters = o.totalIters;
    this.initialize(o.lastEpoch);
  }

  getLr(): number[] {
    if (this.lastEpoch === 0) return this.currentLrs().map((lr) => lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return this.currentLrs();
    const delta = this.endFactor - this.startFactor;
    return this.currentLrs().map((lr) => lr * (1 + delta / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * delta)));
  }

  protected override closedFormLr(): number[] {
    const done = Math.min(this.totalIters, this.lastEpoch);
    return this.baseLrs.map((lr) => lr * (this.startFactor + ((this.endFactor - this.startFactor) * done) / this.totalIters));
  }
}
