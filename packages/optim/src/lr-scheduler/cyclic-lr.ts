import { readArgs, ValueError } from '@gd/tensor';
import { formatParam, LRScheduler, type SchedulerOptimizer } from './lr-scheduler.js';
import { setMomentum, usesBeta1 } from './momentum.js';

export type CyclicLRMode = 'triangular' | 'triangular2' | 'exp_range';
export type CyclicLROptions = {
  baseLr: number | number[];
  maxLr: number | number[];
  stepSizeUp: number;
  stepSizeDown: number | null;
  mode: CyclicLRMode;
  gamma: number;
  scaleFn: ((x: number) => number) | null;
  scaleMode: 'cycle' | 'iterations';
  cycleMomentum: boolean;
  baseMomentum: number | number[];
  maxMomentum: number | number[];
  lastEpoch: number;
};

const DEFAULTS: Omit<CyclicLROptions, 'baseLr' | 'maxLr'> = {
  stepSizeUp: 2000,
  stepSizeDown: null,
  mode: 'triangular',
  gamma: 1,
  scaleFn: null,
  scaleMode: 'cycle',
  cycleMomentum: true,
  baseMomentum: 0.8,
  maxMomentum: 0.9,
  lastEpoch: -1,
};

/**
 * Cyclical learning rates (Smith, 2017): the lr moves between `baseLr` and `maxLr` every
 * cycle, and momentum (or Adam's beta1) moves the opposite way. The optimizer's lr is
 * overwritten with `baseLr` at construction.
 */
export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: CyclicLRMode;
  gamma: number;
  scaleMode: 'cycle' | 'iterations';
  cycleMomentum: boolean;
  useBeta1 = false;
  baseMomentums: number[] = [];
  maxMomentums: number[] = [];
  private readonly scaleFnCustom: ((x: number) => number) | null;

  constructor(
    optimizer: SchedulerOptimizer,
    ...args: (number | number[] | string | boolean | null | Partial<CyclicLROptions> | undefined)[]
  ) {
    super(optimizer);
    const o = readArgs<CyclicLROptions>(
      args,
      [
        'baseLr',
        'maxLr',
        'stepSizeUp',
        'stepSizeDown',
        'mode',
        'gamma',
        'scaleFn',
        'scaleMode',
        'cycleMomentum',
        'baseMomentum',
        'maxMomentum',
        'lastEpoch',
      ],
      { baseLr: NaN, maxLr: NaN, ...DEFAULTS },
    );
    const baseLrs = formatParam('base_lr', optimizer, o.baseLr);
    if (o.lastEpoch === -1)
      optimizer.paramGroups.forEach((group, i) => {
        group.lr = baseLrs[i];
      });
    this.maxLrs = formatParam('max_lr', optimizer, o.maxLr);
    const up = o.stepSizeUp;
    const down = o.stepSizeDown ?? up;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    if (!['triangular', 'triangular2', 'exp_range'].includes(o.mode) && o.scaleFn === null)
      throw new ValueError('mode is invalid and scale_fn is None');
    this.mode = o.mode;
    this.gamma = o.gamma;
    this.scaleFnCustom = o.scaleFn;
    this.scaleMode = o.scaleFn === null ? (o.mode === 'exp_range' ? 'iterations' : 'cycle') : o.scaleMode;
    this.cycleMomentum = o.cycleMomentum;
    if (o.cycleMomentum) {
      this.useBeta1 = usesBeta1(optimizer);
      this.baseMomentums = formatParam('base_momentum', optimizer, o.baseMomentum);
      this.maxMomentums = formatParam('max_momentum', optimizer, o.maxMomentum);
      if (o.lastEpoch === -1)
        optimizer.paramGroups.forEach((group, i) => {
          setMomentum(group, this.maxMomentums[i]!, this.useBeta1);
          group.maxMomentum = this.maxMomentums[i];
          group.baseMomentum = this.baseMomentums[i];
        });
    }
    this.initialize(o.lastEpoch);
    this.baseLrs = baseLrs;
  }

  /** The amplitude scale for cycle (or iteration) `x`. */
  scaleFn(x: number): number {
    if (this.scaleFnCustom !== null) return this.scaleFnCustom(x);
    if (this.mode === 'triangular') return 1;
    if (this.mode === 'triangular2') return 1 / 2 ** (x - 1);
    return this.gamma ** x;
  }

  getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === 'cycle' ? cycle : this.lastEpoch);
    const lrs = this.baseLrs.map((baseLr, i) => baseLr + (this.maxLrs[i]! - baseLr) * scaleFactor * scale);
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((group, i) => {
        const maxMomentum = this.maxMomentums[i]!;
        setMomentum(group, maxMomentum - (maxMomentum - this.baseMomentums[i]!) * scaleFactor * scale, this.useBeta1);
      });
    }
    return lrs;
  }
}
