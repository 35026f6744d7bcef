import { tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { lrScheduler, type Optimizer, optimizers } from '../src/index.js';
import { firstMismatch, loadCases } from './golden.js';

interface SchedulerSpec {
  scheduler: keyof typeof lrScheduler;
  options: Record<string, unknown>;
}

interface SchedulerCase extends SchedulerSpec {
  id: string;
  schedulers?: SchedulerSpec[];
  optimizer: keyof typeof optimizers;
  optimizerOptions: Record<string, unknown>;
  paramGroups?: Record<string, unknown>[];
  epochs: number;
  metrics?: number[];
  lrs: number[][];
  momentums?: number[][];
  rtol: number;
  atol: number;
}

const cases = loadCases<SchedulerCase>('lr_scheduler.json');

type AnyScheduler = lrScheduler.LRScheduler & { step(arg?: number): void };

function makeScheduler(spec: SchedulerSpec, optimizer: Optimizer, inner: AnyScheduler[]): AnyScheduler {
  const Ctor = lrScheduler[spec.scheduler] as unknown as new (...args: unknown[]) => AnyScheduler;
  if (spec.scheduler === 'ChainedScheduler') return new Ctor(inner);
  if (spec.scheduler === 'SequentialLR') return new Ctor(optimizer, { ...spec.options, schedulers: inner });
  return new Ctor(optimizer, spec.options);
}

function momentumOf(group: Record<string, unknown>): number {
  return group.betas ? (group.betas as number[])[0]! : (group.momentum as number);
}

describe('lr schedules match PyTorch (lr_scheduler.json)', () => {
  for (const c of cases) {
    it(c.id, () => {
      const params = (c.paramGroups ?? [{}]).map(() => tensor([0], { requiresGrad: true }));
      const groups = c.paramGroups ? c.paramGroups.map((g, i) => ({ ...g, params: [params[i]!] })) : params;
      const Opt = optimizers[c.optimizer] as unknown as new (p: unknown, o: Record<string, unknown>) => Optimizer;
      const optimizer = new Opt(groups, c.optimizerOptions);
      const inner = (c.schedulers ?? []).map((s) => makeScheduler(s, optimizer, []));
      const scheduler = makeScheduler(c, optimizer, inner);
      const lrs = [scheduler.getLastLr()];
      const momentums = [optimizer.paramGroups.map(momentumOf)];
      for (let i = 0; i < c.epochs; i++) {
        optimizer.step();
        scheduler.step(c.metrics?.[i]);
        lrs.push(scheduler.getLastLr());
        momentums.push(optimizer.paramGroups.map(momentumOf));
      }
      const i = firstMismatch(lrs.flat(), c.lrs.flat(), c.rtol, c.atol);
      expect(i, `lr ${i}: got ${lrs.flat()[i]}, expected ${c.lrs.flat()[i]}`).toBe(-1);
      if (c.momentums) {
        const j = firstMismatch(momentums.flat(), c.momentums.flat(), c.rtol, c.atol);
        expect(j, `momentum ${j}: got ${momentums.flat()[j]}, expected ${c.momentums.flat()[j]}`).toBe(-1);
      }
    });
  }
});
