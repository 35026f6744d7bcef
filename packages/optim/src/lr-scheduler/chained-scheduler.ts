import { ValueError } from '@gd/tensor';
import { CompositeScheduler } from './composite-scheduler.js';
import type { LRScheduler, SchedulerOptimizer } from './lr-scheduler.js';

/** Steps every scheduler in the list each epoch, so their effects compound. */
export class ChainedScheduler extends CompositeScheduler {
  constructor(schedulers: LRScheduler[], optimizer?: SchedulerOptimizer) {
    if (schedulers.length < 1) throw new ValueError('ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.');
    super('ChainedScheduler', optimizer ?? schedulers[0]!.optimizer, schedulers);
    this._lastLr = this.currentLrs();
  }

  override step(): void {
    for (const scheduler of this._schedulers) scheduler.step();
    this._lastLr = this.currentLrs();
  }
}
