import { readArgs, ValueError } from '@gd/tensor';
import { LRScheduler, type SchedulerOptimizer } from './lr-scheduler.js';

export type CosineAnnealingWarmRestartsOptions = { T0: number; TMult: number; etaMin: number; lastEpoch: number };

/** SGDR: cosine annealing restarted every `T_i` epochs, with `T_i` growing by `TMult` after each restart. */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  T0: number;
  Ti: number;
  TMult: number;
  etaMin: number;
  TCur: number;

  constructor(optimizer: SchedulerOptimizer, ...args: (number | Partial<CosineAnnealingWarmRestartsOptions> | undefined)[]) {
    super(optimizer);
    const o = readArgs<CosineAnnealingWarmRestartsOptions>(args, ['T0', 'TMult', 'etaMin', 'lastEpoch'], {
      T0: NaN,
      TMult: 1,
      etaMin: 0,
      lastEpoch: -1,
    });
    if (!(o.T0 > 0) || !Number.isInteger(o.T0)) throw new ValueError(`Expected positive integer T_0, but got ${o.T0}`);
    if (!(o.TMult >= 1) || !Number.isInteger(o.TMult)) throw new ValueError(`Expected integer T_mult >= 1, but got ${o.TMult}`);
    if (typeof o.etaMin !== 'number')
      throw new ValueError(`Expected float or int eta_min, but got ${String(o.etaMin)} of type ${typeof o.etaMin}`);
    this.T0 = o.T0;
    this.Ti = o.T0;
    this.TMult = o.TMult;
    this.etaMin = o.etaMin;
    this.TCur = o.lastEpoch;
    this.initialize(o.lastEpoch);
  }

  getLr(): number[] {
    return this.baseLrs.map((lr) => this.etaMin + ((lr - this.etaMin) * (1 + Math.cos((Math.PI * this.TCur) / this.Ti))) / 2);
  }

  /** One epoch forward, or to a (possibly fractional) `epoch`, restarting the cosine as needed. */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.TCur += 1;
      if (this.TCur >= this.Ti) {
        this.TCur -= this.Ti;
        this.Ti *= this.TMult;
      }
    } else {
      if (epoch < 0) throw new ValueError(`Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.T0) {
        if (this.TMult === 1) this.TCur = epoch % this.T0;
        else {
          const n = Math.trunc(Math.log((epoch / this.T0) * (this.TMult - 1) + 1) / Math.log(this.TMult));
          this.TCur = epoch - (this.T0 * (this.TMult ** n - 1)) / (this.TMult - 1);
          this.Ti = this.T0 * this.TMult ** n;
        }
      } else {
        this.Ti = this.T0;
        this.TCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    const lrs = this.getLr();
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = lrs[i];
    });
    this._lastLr = this.currentLrs();
  }
}
