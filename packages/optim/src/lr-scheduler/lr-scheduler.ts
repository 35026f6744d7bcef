import { ValueError } from '@gd/tensor';
import { KeyError } from '@gd/tensor';
import type { Optimizer } from '../optimizer.js';
import { cloneState } from '../state-copy.js';

/** Any optimizer: schedulers read and write its groups' `lr` (and momentum / betas). */
export type SchedulerOptimizer = Optimizer<object>;

export type SchedulerStateDict = Record<string, unknown>;

/**
 * torch.optim.lr_scheduler.LRScheduler. Each scheduler's constructor ends with `initialize`,
 * which records `initialLr` in every group and applies the epoch-0 value, as PyTorch's
 * `super().__init__` does after the subclass has set its own fields.
 */
export abstract class LRScheduler {
  optimizer: SchedulerOptimizer;
  baseLrs: number[] = [];
  lastEpoch = -1;
  protected _stepCount = 0;
  protected _lastLr: number[] = [];

  constructor(optimizer: SchedulerOptimizer) {
    this.optimizer = optimizer;
  }

  /** PyTorch's `LRScheduler.__init__`: initial lrs, base lrs, and the first step. */
  protected initialize(lastEpoch: number): void {
    if (lastEpoch === -1) {
      for (const group of this.optimizer.paramGroups) if (group.initialLr === undefined) group.initialLr = group.lr;
    } else {
      this.optimizer.paramGroups.forEach((group, i) => {
        if (group.initialLr === undefined)
          throw new KeyError(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
      });
    }
    this.baseLrs = this.optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    this.initialStep();
  }

  /** Resets the step count and applies the current epoch's lr. */
  initialStep(): void {
    this._stepCount = 0;
    this.step();
  }

  /** The lrs for `lastEpoch`, computed from the groups' current lrs (the chainable form). */
  abstract getLr(): number[];

  /** The lrs for `lastEpoch` computed from the base lrs; used by `step(epoch)`. */
  protected closedFormLr?(): number[];

  /** The lrs this scheduler last set, one per group. */
  getLastLr(): number[] {
    return this._lastLr.slice();
  }

  /** Advances one epoch (or jumps to `epoch`, PyTorch's deprecated form) and writes the new lrs. */
  step(epoch?: number): void {
    this._stepCount++;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr ? this.closedFormLr() : this.getLr();
    }
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = values[i];
    });
    this._lastLr = this.currentLrs();
  }

  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr as number);
  }

  /** Every field but the optimizer (functions, which cannot be saved, become null). */
  stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) if (k !== 'optimizer') out[k] = saveable(v);
    return out;
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    for (const [k, v] of Object.entries(stateDict)) {
      const current = (this as Record<string, unknown>)[k];
      if (typeof current === 'function' || (Array.isArray(current) && current.some((f) => typeof f === 'function'))) continue;
      (this as Record<string, unknown>)[k] = cloneState(v);
    }
  }
}

function saveable(v: unknown): unknown {
  if (typeof v === 'function') return null;
  if (Array.isArray(v)) return v.map(saveable);
  return cloneState(v);
}

/** PyTorch's `_format_param`: one value per group, from a scalar or a per-group list. */
export function formatParam(name: string, optimizer: SchedulerOptimizer, param: number | readonly number[]): number[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(param)) {
    if (param.length !== n)
      throw new ValueError(
        `${name} must have the same length as optimizer.param_groups. ${name} has ${param.length} values, param_groups has ${n}.`,
      );
    return [...param];
  }
  return new Array<number>(n).fill(param as number);
}

/** Python's `%` (the result takes the divisor's sign). */
export function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
