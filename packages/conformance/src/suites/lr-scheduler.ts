import { lrScheduler, optimizers, type Optimizer } from '@gd/optim';
import { tensor } from '@gd/tensor';
import { isClose, type Tolerance } from '../compare.js';
import type { GoldenCase } from '../fixtures.js';
import { runCase, type Suite } from '../suite.js';

interface SchedulerSpec {
  scheduler: string;
  options: Record<string, unknown>;
}

type Scheduler = { step(metric?: number): void; getLastLr(): number[] };
type SchedulerClass = new (...args: unknown[]) => Scheduler;

function makeScheduler(spec: SchedulerSpec, optimizer: Optimizer, inner: readonly Scheduler[]): Scheduler {
  const Ctor = (lrScheduler as Record<string, unknown>)[spec.scheduler] as SchedulerClass | undefined;
  if (Ctor === undefined) throw new Error(`unknown scheduler '${spec.scheduler}'`);
  if (spec.scheduler === 'ChainedScheduler') return new Ctor(inner);
  if (spec.scheduler === 'SequentialLR') return new Ctor(optimizer, { ...spec.options, schedulers: inner });
  return new Ctor(optimizer, spec.options);
}

/** The group's momentum, or Adam's beta1, which CyclicLR and OneCycleLR cycle. */
function momentumOf(group: Record<string, unknown>): number {
  return Array.isArray(group.betas) ? (group.betas[0] as number) : (group.momentum as number);
}

function compareSeries(what: string, actual: number[][], expected: number[][], tol: Tolerance): string | null {
  for (const [epoch, row] of expected.entries())
    for (const [g, e] of row.entries()) {
      const a = actual[epoch]?.[g];
      if (a === undefined || !isClose(a, e, tol)) return `${what} of group ${g} after ${epoch} steps: got ${a}, expected ${e}`;
    }
  return null;
}

/** Builds optimizer and scheduler by the README's protocol, steps `epochs` times and compares the lrs (and momenta). */
function checkSchedulerCase(c: GoldenCase): string | null {
  const Opt = (optimizers as Record<string, unknown>)[c.optimizer as string] as
    | (new (
        p: unknown,
        o: Record<string, unknown>,
      ) => Optimizer)
    | undefined;
  if (Opt === undefined) return `unknown optimizer '${String(c.optimizer)}'`;
  const groupOptions = (c.paramGroups as Record<string, unknown>[] | undefined) ?? [{}];
  const params = groupOptions.map(() => tensor([0], { requiresGrad: true }));
  const groups = c.paramGroups ? groupOptions.map((g, i) => ({ ...g, params: [params[i]!] })) : params;
  const optimizer = new Opt(groups, c.optimizerOptions as Record<string, unknown>);
  const inner = ((c.schedulers as SchedulerSpec[] | undefined) ?? []).map((s) => makeScheduler(s, optimizer, []));
  const scheduler = makeScheduler(c as unknown as SchedulerSpec, optimizer, inner);
  const metrics = c.metrics as number[] | undefined;
  const lrs = [scheduler.getLastLr()];
  const momentums = [optimizer.paramGroups.map(momentumOf)];
  for (let i = 0; i < (c.epochs as number); i++) {
    optimizer.step();
    scheduler.step(metrics?.[i]);
    lrs.push(scheduler.getLastLr());
    momentums.push(optimizer.paramGroups.map(momentumOf));
  }
  const tol: Tolerance = { rtol: c.rtol, atol: c.atol };
  return (
    compareSeries('lr', lrs, c.lrs as number[][], tol) ??
    (c.momentums ? compareSeries('momentum', momentums, c.momentums as number[][], tol) : null)
  );
}

export const runLrSchedulerSuite: Suite = (cases) => cases.map((c) => runCase(c.id, () => checkSchedulerCase(c)));
