import { readArgs, ValueError } from '@gd/tensor';
import { formatParam, LRScheduler, type SchedulerOptimizer } from './lr-scheduler.js';
import { setMomentum, usesBeta1 } from './momentum.js';

export type OneCycleLROptions = {
  maxLr: number | number[];
  totalSteps: number | null;
  epochs: number | null;
  stepsPerEpoch: number | null;
  pctStart: number;
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  baseMomentum: number | number[];
  maxMomentum: number | number[];
  divFactor: number;
  finalDivFactor: number;
  threePhase: boolean;
  lastEpoch: number;
};

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle policy (Smith & Topin): lr rises from maxLr/divFactor to maxLr, then anneals far
 * below the start, while momentum moves the opposite way. Steps once per batch, `totalSteps` times.
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  useBeta1 = false;
  private readonly schedulePhases: Phase[];

  constructor(
    optimizer: SchedulerOptimizer,
    ...args: (number | number[] | string | boolean | null | Partial<OneCycleLROptions> | undefined)[]
  ) {
    super(optimizer);
    const o = readArgs<OneCycleLROptions>(
      args,
      [
        'maxLr',
        'totalSteps',
        'epochs',
        'stepsPerEpoch',
        'pctStart',
        'annealStrategy',
        'cycleMomentum',
        'baseMomentum',
        'maxMomentum',
        'divFactor',
        'finalDivFactor',
        'threePhase',
        'lastEpoch',
      ],
      {
        maxLr: NaN,
        totalSteps: null,
        epochs: null,
        stepsPerEpoch: null,
        pctStart: 0.3,
        annealStrategy: 'cos',
        cycleMomentum: true,
        baseMomentum: 0.85,
        maxMomentum: 0.95,
        divFactor: 25,
        finalDivFactor: 1e4,
        threePhase: false,
        lastEpoch: -1,
      },
    );
    if (o.totalSteps !== null) {
      if (!(o.totalSteps > 0) || !Number.isInteger(o.totalSteps))
        throw new ValueError(`Expected positive integer total_steps, but got ${o.totalSteps}`);
      this.totalSteps = o.totalSteps;
    } else if (o.epochs !== null && o.stepsPerEpoch !== null) {
      if (!(o.epochs > 0) || !Number.isInteger(o.epochs)) throw new ValueError(`Expected positive integer epochs, but got ${o.epochs}`);
      if (!(o.stepsPerEpoch > 0) || !Number.isInteger(o.stepsPerEpoch))
        throw new ValueError(`Expected positive integer steps_per_epoch, but got ${o.stepsPerEpoch}`);
      this.totalSteps = o.epochs * o.stepsPerEpoch;
    } else throw new ValueError('You must define either total_steps OR (epochs AND steps_per_epoch)');

    const warmupEnd = o.pctStart * this.totalSteps - 1;
    this.schedulePhases = o.threePhase
      ? [
          { endStep: warmupEnd, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          {
            endStep: 2 * o.pctStart * this.totalSteps - 2,
            startLr: 'maxLr',
            endLr: 'initialLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
          { endStep: this.totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: warmupEnd, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: this.totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    if (!(o.pctStart >= 0 && o.pctStart <= 1)) throw new ValueError(`Expected float between 0 and 1 pct_start, but got ${o.pctStart}`);
    if (o.annealStrategy !== 'cos' && o.annealStrategy !== 'linear')
      throw new ValueError(`anneal_strategy must be one of 'cos' or 'linear', instead got ${String(o.annealStrategy)}`);
    this.annealStrategy = o.annealStrategy;

    const maxLrs = formatParam('max_lr', optimizer, o.maxLr);
    if (o.lastEpoch === -1)
      optimizer.paramGroups.forEach((group, i) => {
        group.initialLr = maxLrs[i]! / o.divFactor;
        group.maxLr = maxLrs[i];
        group.minLr = (group.initialLr as number) / o.finalDivFactor;
      });
    this.cycleMomentum = o.cycleMomentum;
    if (o.cycleMomentum) {
      this.useBeta1 = usesBeta1(optimizer);
      const maxMomentums = formatParam('max_momentum', optimizer, o.maxMomentum);
      const baseMomentums = formatParam('base_momentum', optimizer, o.baseMomentum);
      if (o.lastEpoch === -1)
        optimizer.paramGroups.forEach((group, i) => {
          setMomentum(group, maxMomentums[i]!, this.useBeta1);
          group.maxMomentum = maxMomentums[i];
          group.baseMomentum = baseMomentums[i];
        });
    }
    this.initialize(o.lastEpoch);
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2) * cosOut;
  }

  /** Refuses to go past `totalSteps` before anything changes (the count in the message is PyTorch's, one past the step). */
  override step(epoch?: number): void {
    const next = epoch ?? this.lastEpoch + 1;
    if (next > this.totalSteps)
      throw new ValueError(`Tried to step ${next + 1} times. The specified number of total steps is ${this.totalSteps}`);
    super.step(epoch);
  }

  getLr(): number[] {
    const stepNum = this.lastEpoch;
    const phases = this.schedulePhases;
    return this.optimizer.paramGroups.map((group) => {
      let i = 0;
      let startStep = 0;
      while (i < phases.length - 1 && stepNum > phases[i]!.endStep) startStep = phases[i++]!.endStep;
      const phase = phases[i]!;
      const pct = (stepNum - startStep) / (phase.endStep - startStep);
      if (this.cycleMomentum)
        setMomentum(group, this.anneal(group[phase.startMomentum] as number, group[phase.endMomentum] as number, pct), this.useBeta1);
      return this.anneal(group[phase.startLr] as number, group[phase.endLr] as number, pct);
    });
  }
}
