import { readFileSync } from 'node:fs';
import { KeyError, tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  LambdaLR,
  lrScheduler,
  MultiplicativeLR,
  OneCycleLR,
  type Optimizer,
  SGD,
  StepLR,
  swaUtils,
} from '../src/index.js';
import { firstMismatch } from './golden.js';

/** Sequences printed by torch for the schedulers the shared fixtures leave out (fixtures/extra_schedules.py). */
const extra = (
  JSON.parse(readFileSync(new URL('./fixtures/extra-schedules.json', import.meta.url), 'utf8')) as { cases: Record<string, number[][]> }
).cases;

const sgd = (): SGD => new SGD([tensor([0], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });

function lrsOver(opt: Optimizer, sched: { step(epoch?: number): void }, epochs: number, stepArgs?: number[]): number[][] {
  const lrs = [opt.paramGroups.map((g) => g.lr as number)];
  for (let i = 0; i < epochs; i++) {
    opt.step();
    sched.step(stepArgs?.[i]);
    lrs.push(opt.paramGroups.map((g) => g.lr as number));
  }
  return lrs;
}

function expectSchedule(actual: number[][], name: string): void {
  const expected = extra[name]!;
  expect(actual.length).toBe(expected.length);
  const i = firstMismatch(actual.flat(), expected.flat(), 1e-12, 1e-15);
  expect(i, `${name} at ${i}: got ${actual.flat()[i]}, expected ${expected.flat()[i]}`).toBe(-1);
}

describe('lr schedulers match torch beyond the shared fixtures', () => {
  it('LambdaLR scales the base lr by the function of the epoch', () => {
    const opt = sgd();
    expectSchedule(lrsOver(opt, new LambdaLR(opt, (e: number) => 0.95 ** e + 1 / (e + 1)), 12), 'LambdaLR');
  });

  it('MultiplicativeLR multiplies the lr each epoch', () => {
    const opt = sgd();
    expectSchedule(lrsOver(opt, new MultiplicativeLR(opt, (e: number) => (e % 2 ? 0.9 : 0.8)), 12), 'MultiplicativeLR');
  });

  it('OneCycleLR with three phases and linear annealing', () => {
    const opt = sgd();
    expectSchedule(
      lrsOver(opt, new OneCycleLR(opt, { maxLr: 0.4, totalSteps: 21, threePhase: true, annealStrategy: 'linear' }), 20),
      'OneCycleLR/threePhase',
    );
  });

  it('CosineAnnealingWarmRestarts jumps to fractional epochs', () => {
    const opt = sgd();
    const sched = new CosineAnnealingWarmRestarts(opt, { T0: 3, TMult: 2, etaMin: 0.001 });
    expectSchedule(lrsOver(opt, sched, 8, [0.5, 1.25, 3.0, 4.5, 9.0, 10.0, 21.5, 2.0]), 'CosineAnnealingWarmRestarts/epochs');
  });

  it('SWALR anneals to the SWA lr (cosine and linear)', () => {
    const cos = sgd();
    expectSchedule(lrsOver(cos, new swaUtils.SWALR(cos, { swaLr: 0.03, annealEpochs: 5 }), 9), 'SWALR/cos');
    const linear = sgd();
    expectSchedule(lrsOver(linear, new swaUtils.SWALR(linear, 0.25, 4, 'linear'), 9), 'SWALR/linear');
  });
});

describe('LRScheduler', () => {
  it('cycles Adam beta1 in CyclicLR exactly as it cycles SGD momentum (PyTorch 2.x)', () => {
    const options = { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3, baseMomentum: 0.8, maxMomentum: 0.95 };
    const withSgd = sgd();
    const withAdam = new Adam([tensor([0], { requiresGrad: true })], { betas: [0.9, 0.99] });
    const a = new CyclicLR(withSgd, options);
    const b = new CyclicLR(withAdam, options);
    for (let i = 0; i < 10; i++) {
      a.step();
      b.step();
      expect(withAdam.paramGroups[0]!.betas).toEqual([withSgd.paramGroups[0]!.momentum, 0.99]);
      expect(b.getLastLr()).toEqual(a.getLastLr());
    }
  });

  it('records initialLr in each group and needs it to resume from lastEpoch', () => {
    const opt = sgd();
    new StepLR(opt, { stepSize: 2 });
    expect(opt.paramGroups[0]!.initialLr).toBe(0.1);
    expect(() => new StepLR(sgd(), { stepSize: 2, lastEpoch: 3 })).toThrowError(
      new KeyError("param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer"),
    );
  });

  it('saves every field but the optimizer, with functions as null', () => {
    const opt = sgd();
    const sched = new LambdaLR(opt, () => 0.5);
    sched.step();
    expect(sched.stateDict()).toEqual({ baseLrs: [0.1], lastEpoch: 1, _stepCount: 2, _lastLr: [0.05], lrLambdas: [null] });
  });

  it('exports every scheduler in the lrScheduler namespace', () => {
    expect(
      Object.keys(lrScheduler)
        .filter((k) => k.endsWith('LR') || k.endsWith('Scheduler') || k === 'CosineAnnealingWarmRestarts' || k === 'ReduceLROnPlateau')
        .sort(),
    ).toEqual([
      'ChainedScheduler',
      'ConstantLR',
      'CosineAnnealingLR',
      'CosineAnnealingWarmRestarts',
      'CyclicLR',
      'ExponentialLR',
      'LRScheduler',
      'LambdaLR',
      'LinearLR',
      'MultiStepLR',
      'MultiplicativeLR',
      'OneCycleLR',
      'PolynomialLR',
      'ReduceLROnPlateau',
      'SequentialLR',
      'StepLR',
    ]);
  });
});
