import { readArgs, ValueError } from '@gd/tensor';
import { LRScheduler, type SchedulerOptimizer } from './lr-scheduler.js';

export type ReduceLROnPlateauOptions = {
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLr: number | number[];
  eps: number;
};

/**
 * Cuts the lr by `factor` when a metric has stopped improving for `patience` epochs.
 * `step(metric)` takes the metric (a number, or a one-element tensor's value).
 */
export class ReduceLROnPlateau extends LRScheduler {
  factor: number;
  minLrs: number[];
  defaultMinLr: number | null;
  patience: number;
  cooldown: number;
  cooldownCounter = 0;
  mode: 'min' | 'max';
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  best = Infinity;
  numBadEpochs = 0;
  modeWorse = Infinity;
  eps: number;

  constructor(optimizer: SchedulerOptimizer, ...args: (number | number[] | string | Partial<ReduceLROnPlateauOptions> | undefined)[]) {
    super(optimizer);
    const o = readArgs<ReduceLROnPlateauOptions>(
      args,
      ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'],
      {
        mode: 'min',
        factor: 0.1,
        patience: 10,
        threshold: 1e-4,
        thresholdMode: 'rel',
        cooldown: 0,
        minLr: 0,
        eps: 1e-8,
      },
    );
    if (o.factor >= 1) throw new ValueError('Factor should be < 1.0.');
    this.factor = o.factor;
    const n = optimizer.paramGroups.length;
    if (Array.isArray(o.minLr)) {
      if (o.minLr.length !== n) throw new ValueError(`expected ${n} min_lrs, got ${o.minLr.length}`);
      this.defaultMinLr = null;
      this.minLrs = [...o.minLr];
    } else {
      this.defaultMinLr = o.minLr;
      this.minLrs = new Array<number>(n).fill(o.minLr);
    }
    this.patience = o.patience;
    this.cooldown = o.cooldown;
    this.eps = o.eps;
    this.lastEpoch = 0;
    this.mode = o.mode;
    this.threshold = o.threshold;
    this.thresholdMode = o.thresholdMode;
    this.initIsBetter();
    this.reset();
    this._lastLr = this.currentLrs();
  }

  private initIsBetter(): void {
    if (this.mode !== 'min' && this.mode !== 'max') throw new ValueError(`mode ${String(this.mode)} is unknown!`);
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs')
      throw new ValueError(`threshold mode ${String(this.thresholdMode)} is unknown!`);
    this.modeWorse = this.mode === 'min' ? Infinity : -Infinity;
  }

  private reset(): void {
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /** The lrs it would leave unchanged now: this scheduler only changes them in `step(metric)`. */
  getLr(): number[] {
    return this.currentLrs();
  }

  override step(metrics?: number | { item(): number | boolean }, epoch?: number): void {
    const current = typeof metrics === 'object' ? Number(metrics.item()) : Number(metrics);
    this.lastEpoch = epoch ?? this.lastEpoch + 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.inCooldown) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.currentLrs();
  }

  private reduceLr(): void {
    if (this.minLrs.length !== this.optimizer.paramGroups.length) {
      if (this.defaultMinLr === null)
        throw new ValueError(
          `The number of param groups in the \`optimizer\` (${this.optimizer.paramGroups.length}) differs from when \`ReduceLROnPlateau\` was initialized (${this.minLrs.length}), usually due to a new param group being added to the optimizer. Please modify the \`min_lrs\` field to match the length of the \`optimizer\` param groups.`,
        );
      this.minLrs = new Array<number>(this.optimizer.paramGroups.length).fill(this.defaultMinLr);
    }
    this.optimizer.paramGroups.forEach((group, i) => {
      const oldLr = group.lr as number;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]!);
      if (oldLr - newLr > this.eps) group.lr = newLr;
    });
  }

  override loadStateDict(stateDict: Record<string, unknown>): void {
    super.loadStateDict(stateDict);
    this.initIsBetter();
  }
}
