import { readArgs, ValueError } from '@gd/tensor';
import { LRScheduler, type SchedulerOptimizer } from './lr-scheduler.js';

export type LrLambda = (epoch: number) => number;
export type LambdaLROptions = { lrLambda: LrLambda | LrLambda[]; lastEpoch: number };

/** Per-group lr functions: lambda_i(epoch) as a multiple of the base lr. */
export function lambdasFor(name: string, optimizer: SchedulerOptimizer, lrLambda: LrLambda | LrLambda[]): LrLambda[] {
  const n = optimizer.paramGroups.length;
  if (!Array.isArray(lrLambda)) return new Array<LrLambda>(n).fill(lrLambda);
  if (lrLambda.length !== n) throw new ValueError(`Expected ${n} ${name}s, but got ${lrLambda.length}`);
  return [...lrLambda];
}

/** Sets each group's lr to its base lr times `lrLambda(epoch)`. */
export class LambdaLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: SchedulerOptimizer, ...args: (LrLambda | LrLambda[] | number | Partial<LambdaLROptions> | undefined)[]) {
    super(optimizer);
    const o = readArgs<LambdaLROptions>(args, ['lrLambda', 'lastEpoch'], { lrLambda: [], lastEpoch: -1 });
    this.lrLambdas = lambdasFor('lr_lambda', optimizer, o.lrLambda);
    this.initialize(o.lastEpoch);
  }

  getLr(): number[] {
    return this.baseLrs.map((lr, i) => lr * this.lrLambdas[i]!(this.lastEpoch));
  }
}
