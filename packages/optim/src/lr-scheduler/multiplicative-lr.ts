import { readArgs } from '@gd/tensor';
import { type LrLambda, lambdasFor } from './lambda-lr.js';
import { LRScheduler, type SchedulerOptimizer } from './lr-scheduler.js';

export type MultiplicativeLROptions = { lrLambda: LrLambda | LrLambda[]; lastEpoch: number };

/** Multiplies each group's lr by `lrLambda(epoch)` every epoch. */
export class MultiplicativeLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: SchedulerOptimizer, ...args: (LrLambda | LrLambda[] | number | Partial<MultiplicativeLROptions> | undefined)[]) {
    super(optimizer);
    const o = readArgs<MultiplicativeLROptions>(args, ['lrLambda', 'lastEpoch'], { lrLambda: [], lastEpoch: -1 });
    this.lrLambdas = lambdasFor('lr_lambda', optimizer, o.lrLambda);
    this.initialize(o.lastEpoch);
  }

  getLr(): number[] {
    if (this.lastEpoch <= 0) return this.currentLrs();
    return this.currentLrs().map((lr, i) => lr * this.lrLambdas[i]!(this.lastEpoch));
  }
}
