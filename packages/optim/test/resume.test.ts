import '@gd/autograd';
import { arange, scope, Tensor, tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  ASGD,
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LBFGS,
  LinearLR,
  MultiStepLR,
  NAdam,
  OneCycleLR,
  type Optimizer,
  PolynomialLR,
  RAdam,
  ReduceLROnPlateau,
  RMSprop,
  Rprop,
  SequentialLR,
  SGD,
  StepLR,
  stateDictFromJSON,
  stateDictToJSON,
  type OptimizerStateDict,
} from '../src/index.js';
import type { LRScheduler, SchedulerStateDict } from '../src/lr-scheduler/index.js';

const X = arange(24).reshape(8, 3).mul(0.1).sin();
const Y = arange(16).reshape(8, 2).mul(0.3).cos();

/** A small regression problem; each setup pairs an optimizer with a scheduler. */
interface Setup {
  optimizer: (params: Tensor[]) => Optimizer;
  scheduler: (opt: Optimizer) => LRScheduler;
}

const SETUPS: Record<string, Setup> = {
  SGD: {
    optimizer: (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }),
    scheduler: (o) => new OneCycleLR(o, { maxLr: 0.2, totalSteps: 25 }),
  },
  Adam: { optimizer: (p) => new Adam(p, { lr: 0.05, amsgrad: true }), scheduler: (o) => new CosineAnnealingLR(o, { TMax: 7 }) },
  AdamW: { optimizer: (p) => new AdamW(p, { lr: 0.05 }), scheduler: (o) => new StepLR(o, { stepSize: 3, gamma: 0.5 }) },
  Adamax: { optimizer: (p) => new Adamax(p, { lr: 0.05 }), scheduler: (o) => new ExponentialLR(o, { gamma: 0.9 }) },
  NAdam: {
    optimizer: (p) => new NAdam(p, { lr: 0.05, weightDecay: 0.01, decoupledWeightDecay: true }),
    scheduler: (o) => new LinearLR(o, { totalIters: 15 }),
  },
  RAdam: { optimizer: (p) => new RAdam(p, { lr: 0.05 }), scheduler: (o) => new MultiStepLR(o, { milestones: [4, 12, 12] }) },
  RMSprop: {
    optimizer: (p) => new RMSprop(p, { lr: 0.01, momentum: 0.5, centered: true }),
    scheduler: (o) => new CyclicLR(o, { baseLr: 0.001, maxLr: 0.02, stepSizeUp: 4 }),
  },
  Adagrad: {
    optimizer: (p) => new Adagrad(p, { lr: 0.1, lrDecay: 0.01 }),
    scheduler: (o) => new PolynomialLR(o, { totalIters: 14, power: 2 }),
  },
  Adadelta: { optimizer: (p) => new Adadelta(p), scheduler: (o) => new ConstantLR(o, { factor: 0.5, totalIters: 13 }) },
  ASGD: { optimizer: (p) => new ASGD(p, { lr: 0.05, t0: 5 }), scheduler: (o) => new CosineAnnealingWarmRestarts(o, { T0: 3, TMult: 2 }) },
  Rprop: {
    optimizer: (p) => new Rprop(p, { lr: 0.01 }),
    scheduler: (o) =>
      new SequentialLR(o, {
        schedulers: [new ConstantLR(o, { factor: 0.5, totalIters: 2 }), new ExponentialLR(o, { gamma: 0.95 })],
        milestones: [12],
      }),
  },
  LBFGS: {
    optimizer: (p) => new LBFGS(p, { lr: 0.5, maxIter: 4, historySize: 3, lineSearchFn: 'strong_wolfe' }),
    scheduler: (o) => new ReduceLROnPlateau(o, { patience: 1 }),
  },
  'SGD with ChainedScheduler': {
    optimizer: (p) => new SGD(p, { lr: 0.1, momentum: 0.5 }),
    scheduler: (o) => new ChainedScheduler([new ConstantLR(o, { factor: 0.5, totalIters: 12 }), new ExponentialLR(o, { gamma: 0.9 })]),
  },
};

function fresh(setup: Setup): { params: Tensor[]; opt: Optimizer; sched: LRScheduler; epoch: () => void } {
  const params = [
    tensor(
      [
        [0.1, -0.2, 0.3],
        [0.0, 0.5, -0.4],
      ],
      { requiresGrad: true },
    ),
    tensor([0.05, -0.05], { requiresGrad: true }),
  ];
  const opt = setup.optimizer(params);
  const sched = setup.scheduler(opt);
  const closure = (): Tensor => {
    opt.zeroGrad();
    const loss = X.matmul(params[0]!.t()).add(params[1]!).sub(Y).pow(2).mean();
    loss.backward();
    return loss;
  };
  const epoch = (): void => {
    const loss = opt.step(closure) as Tensor;
    if (sched instanceof ReduceLROnPlateau) sched.step(loss.item() as number);
    else sched.step();
  };
  return { params, opt, sched, epoch };
}

describe('resuming from a JSON checkpoint continues bit for bit', () => {
  for (const [name, setup] of Object.entries(SETUPS)) {
    it(name, () => {
      const straight = fresh(setup);
      for (let i = 0; i < 20; i++) straight.epoch();

      const first = fresh(setup);
      for (let i = 0; i < 10; i++) first.epoch();
      const checkpoint = JSON.stringify({
        params: first.params.map((p) => stateDictToJSON(p)),
        optimizer: stateDictToJSON(first.opt.stateDict()),
        scheduler: stateDictToJSON(first.sched.stateDict()),
      });

      const resumed = fresh(setup);
      const saved = JSON.parse(checkpoint) as { params: unknown[]; optimizer: unknown; scheduler: unknown };
      resumed.params.forEach((p, i) => p.detach().copy_(stateDictFromJSON<Tensor>(saved.params[i])));
      resumed.opt.loadStateDict(stateDictFromJSON<OptimizerStateDict>(saved.optimizer));
      resumed.sched.loadStateDict(stateDictFromJSON<SchedulerStateDict>(saved.scheduler));
      for (let i = 0; i < 10; i++) resumed.epoch();

      expect(resumed.params.map((p) => Array.from(p.dataSync()))).toEqual(straight.params.map((p) => Array.from(p.dataSync())));
      expect(resumed.opt.paramGroups.map((g) => g.lr)).toEqual(straight.opt.paramGroups.map((g) => g.lr));
      expect(resumed.sched.getLastLr()).toEqual(straight.sched.getLastLr());
      expect(straight.params[0]!.tolist()).not.toEqual(
        [
          [0.1, -0.2, 0.3],
          [0.0, 0.5, -0.4],
        ].map((r) => r.map(Math.fround)),
      );
    });
  }
});

describe('training steps inside scope() follow the same trajectory (optimizer state survives the scope)', () => {
  for (const [name, setup] of Object.entries(SETUPS)) {
    it(name, () => {
      const straight = fresh(setup);
      const scoped = fresh(setup);
      for (let i = 0; i < 12; i++) {
        straight.epoch();
        scope(() => scoped.epoch());
      }
      expect(scoped.params.map((p) => Array.from(p.dataSync()))).toEqual(straight.params.map((p) => Array.from(p.dataSync())));
      for (const state of scoped.opt.state.values())
        for (const v of Object.values(state)) if (v instanceof Tensor) expect(v.isDisposed).toBe(false);
    });
  }
});
