import { ValueError } from '@gd/tensor';
import { LRScheduler, type SchedulerOptimizer, type SchedulerStateDict } from './lr-scheduler.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';

/** A scheduler made of other schedulers over the same optimizer (SequentialLR, ChainedScheduler). */
export abstract class CompositeScheduler extends LRScheduler {
  protected readonly _schedulers: LRScheduler[];

  constructor(kind: string, optimizer: SchedulerOptimizer, schedulers: readonly LRScheduler[]) {
    super(optimizer);
    schedulers.forEach((scheduler, i) => {
      if (scheduler.optimizer === undefined) throw new TypeError(`${kind} at index ${i} should have \`optimizer\` as its attribute.`);
      if (scheduler instanceof ReduceLROnPlateau)
        throw new ValueError(
          `${kind} does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be specified when calling \`step\`, but got one at index ${i} in the given schedulers sequence.`,
        );
      if (scheduler.optimizer !== optimizer)
        throw new ValueError(
          `${kind} expects all schedulers to belong to the same optimizer, but got scheduler ${scheduler.constructor.name} at index ${i} has ${String(scheduler.optimizer)}, which is different from ${optimizer.constructor.name}.`,
        );
    });
    this._schedulers = [...schedulers];
  }

  /** The lrs the inner schedulers have set. */
  getLr(): number[] {
    return this.currentLrs();
  }

  /** Its own fields plus each inner scheduler's state dict, as PyTorch nests them. */
  override stateDict(): SchedulerStateDict {
    const { _schedulers: _, ...own } = super.stateDict();
    return { ...own, _schedulers: this._schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    const { _schedulers: inner, ...own } = stateDict;
    super.loadStateDict(own);
    (inner as SchedulerStateDict[]).forEach((s, i) => this._schedulers[i]!.loadStateDict(s));
  }
}
