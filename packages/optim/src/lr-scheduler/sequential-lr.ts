import { readArgs, ValueError } from '@gd/tensor';
import { CompositeScheduler } from './composite-scheduler.js';
import type { LRScheduler, SchedulerOptimizer } from './lr-scheduler.js';

export type SequentialLROptions = { schedulers: LRScheduler[]; milestones: number[]; lastEpoch: number };

/** Runs `schedulers[i]` between milestones i-1 and i; each takes over with `step(0)`. */
export class SequentialLR extends CompositeScheduler {
  private readonly _milestones: number[];

  constructor(optimizer: SchedulerOptimizer, ...args: (LRScheduler[] | number[] | number | Partial<SequentialLROptions> | undefined)[]) {
    const o = readArgs<SequentialLROptions>(args, ['schedulers', 'milestones', 'lastEpoch'], {
      schedulers: [],
      milestones: [],
      lastEpoch: -1,
    });
    if (o.schedulers.length < 1) throw new ValueError('SequentialLR expects at least one scheduler, but got no scheduler.');
    super('SequentialLR', optimizer, o.schedulers);
    if (o.milestones.length !== o.schedulers.length - 1)
      throw new ValueError(
        `Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${o.schedulers.length} and the number of milestones to be equal to ${o.milestones.length}`,
      );
    this._milestones = [...o.milestones];
    this.lastEpoch = o.lastEpoch + 1;
    // Undo the steps the inner schedulers took when they were built, then start the first one.
    for (const group of optimizer.paramGroups) group.lr = group.initialLr;
    for (const scheduler of this._schedulers) scheduler.lastEpoch -= 1;
    this._schedulers[0]!.initialStep();
    this._lastLr = this._schedulers[0]!.getLastLr();
  }

  override step(): void {
    this.lastEpoch++;
    const idx = this._milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this._schedulers[idx]!;
    if (idx > 0 && this._milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this._lastLr = scheduler.getLastLr();
  }
}
