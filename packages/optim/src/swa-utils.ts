import { GdTypeError, isTensor, readArgs, type Tensor, ValueError, withGradMode } from '@gd/tensor';
import { formatParam, LRScheduler, type SchedulerOptimizer } from './lr-scheduler/lr-scheduler.js';

/**
 * What AveragedModel and updateBn need from a model, typed structurally so that @gd/optim does
 * not depend on @gd/nn: parameters and buffers, and a forward (or the model is a function).
 */
export interface AveragedModule {
  parameters(): Iterable<Tensor>;
  buffers?(): Iterable<Tensor>;
  forward?(...args: unknown[]): unknown;
}

/** `avgFn(averagedParam, currentParam, numAveraged)` returns the new average. */
export type AvgFn = (averaged: Tensor, current: Tensor, numAveraged: number) => Tensor;
/** Updates every averaged tensor in place from the current ones. */
export type MultiAvgFn = (averaged: Tensor[], current: Tensor[], numAveraged: number) => void;

/** Exponential moving average: `decay * averaged + (1 - decay) * current`. */
export function getEmaAvgFn(decay = 0.999): AvgFn {
  return (averaged, current) => averaged.mul(decay).add(current.mul(1 - decay));
}

/** Equal-weight running mean (SWA): `averaged + (current - averaged) / (n + 1)`. */
export function getSwaAvgFn(): AvgFn {
  return (averaged, current, n) => averaged.add(current.sub(averaged).div(n + 1));
}

/** In-place EMA over lists: `averaged.lerp_(current, 1 - decay)`. */
export function getEmaMultiAvgFn(decay = 0.999): MultiAvgFn {
  return (averaged, current) => averaged.forEach((a, i) => a.lerp_(current[i]!, 1 - decay));
}

/** In-place SWA over lists: `averaged += (current - averaged) / (n + 1)`. */
export function getSwaMultiAvgFn(): MultiAvgFn {
  return (averaged, current, n) => averaged.forEach((a, i) => a.add_(current[i]!.sub(a).div_(n + 1)));
}

export type AveragedModelOptions<M> = {
  avgFn: AvgFn | null;
  multiAvgFn: MultiAvgFn | null;
  useBuffers: boolean;
  /** How to copy the model; default: a deep copy of its fields with every tensor cloned. */
  copy: (model: M) => M;
};

/**
 * torch.optim.swa_utils.AveragedModel: a copy of `model` whose parameters (and, with
 * `useBuffers`, buffers) hold a running average (SWA by default, EMA with `getEmaAvgFn`).
 * `nAveraged` counts the updates.
 */
export class AveragedModel<M extends AveragedModule | ((...args: unknown[]) => unknown)> {
  readonly module: M;
  nAveraged = 0;
  readonly avgFn: AvgFn | null;
  readonly multiAvgFn: MultiAvgFn | null;
  readonly useBuffers: boolean;

  constructor(model: M, ...args: (AvgFn | MultiAvgFn | boolean | null | Partial<AveragedModelOptions<M>> | undefined)[]) {
    const o = readArgs<AveragedModelOptions<M>>(args, ['avgFn', 'multiAvgFn', 'useBuffers'], {
      avgFn: null,
      multiAvgFn: null,
      useBuffers: false,
      copy: (m) => deepCopy(m, new Map()) as M,
    });
    this.module = o.copy(model);
    this.avgFn = o.avgFn;
    this.multiAvgFn = o.multiAvgFn;
    this.useBuffers = o.useBuffers;
  }

  /** Runs the averaged copy. */
  forward(...args: unknown[]): unknown {
    const m = this.module as AveragedModule | ((...a: unknown[]) => unknown);
    if (typeof m === 'function') return m(...args);
    if (typeof m.forward !== 'function') throw new GdTypeError('AveragedModel: the model has no forward()');
    return m.forward(...args);
  }

  parameters(): Tensor[] {
    return [...tensorsOf(this.module, 'parameters')];
  }

  buffers(): Tensor[] {
    return [...tensorsOf(this.module, 'buffers')];
  }

  /** Folds `model`'s current parameters into the average (the first call copies them). */
  updateParameters(model: M): void {
    const pick = (m: M): Tensor[] =>
      this.useBuffers ? [...tensorsOf(m, 'parameters'), ...tensorsOf(m, 'buffers')] : [...tensorsOf(m, 'parameters')];
    const averaged = pick(this.module).map((t) => t.detach());
    const current = pick(model).map((t) => t.detach());
    withGradMode(false, () => {
      if (this.nAveraged === 0) averaged.forEach((a, i) => a.copy_(current[i]!));
      else if (this.avgFn !== null && this.multiAvgFn === null)
        averaged.forEach((a, i) => a.copy_(this.avgFn!(a, current[i]!, this.nAveraged)));
      else (this.multiAvgFn ?? getSwaMultiAvgFn())(averaged, current, this.nAveraged);
      if (!this.useBuffers) {
        // Buffers that are not averaged follow the source model.
        const mine = [...tensorsOf(this.module, 'buffers')];
        [...tensorsOf(model, 'buffers')].forEach((b, i) => mine[i]?.detach().copy_(b.detach()));
      }
    });
    this.nAveraged++;
  }
}

function tensorsOf(m: unknown, kind: 'parameters' | 'buffers'): Iterable<Tensor> {
  const fn = (m as Record<string, unknown>)[kind];
  return typeof fn === 'function' ? (fn.call(m) as Iterable<Tensor>) : [];
}

/** Python's deepcopy for a model: objects rebuilt with their prototypes, tensors cloned, shared references kept shared. */
function deepCopy(value: unknown, memo: Map<unknown, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (memo.has(value)) return memo.get(value);
  if (isTensor(value)) {
    const copy = withGradMode(false, () => value.detach().clone());
    Object.setPrototypeOf(copy, Object.getPrototypeOf(value));
    if (value.requiresGrad) copy.requiresGrad = true;
    memo.set(value, copy);
    return copy;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    memo.set(value, out);
    for (const v of value) out.push(deepCopy(v, memo));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    memo.set(value, out);
    for (const [k, v] of value) out.set(deepCopy(k, memo), deepCopy(v, memo));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    memo.set(value, out);
    for (const v of value) out.add(deepCopy(v, memo));
    return out;
  }
  const out = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
  memo.set(value, out);
  for (const key of Reflect.ownKeys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    if ('value' in d) d.value = deepCopy(d.value, memo);
    Object.defineProperty(out, key, d);
  }
  return out;
}

/** A module that tracks batch statistics (BatchNorm), recognised by its shape. */
interface BatchNormLike {
  momentum: number | null;
  resetRunningStats(): void;
}

export interface BnModel {
  modules(): Iterable<unknown>;
  training: boolean;
  train(mode?: boolean): unknown;
  forward?(input: unknown): unknown;
}

function isBatchNorm(m: unknown): m is BatchNormLike {
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof (m as BatchNormLike).resetRunningStats === 'function' &&
    'momentum' in m &&
    'runningMean' in m
  );
}

/**
 * torch.optim.swa_utils.update_bn: recomputes every BatchNorm's running statistics with one
 * pass over `loader` (cumulative average, momentum null), then restores momenta and train mode.
 */
export function updateBn(loader: Iterable<unknown>, model: BnModel, options: { device?: string } = {}): void {
  const momenta = new Map<BatchNormLike, number | null>();
  for (const m of model.modules()) {
    if (isBatchNorm(m)) {
      m.resetRunningStats();
      momenta.set(m, m.momentum);
    }
  }
  if (momenta.size === 0) return;
  const wasTraining = model.training;
  model.train();
  for (const m of momenta.keys()) m.momentum = null;
  const run = typeof model === 'function' ? (model as (x: unknown) => unknown) : (x: unknown) => model.forward!(x);
  for (let input of loader) {
    if (Array.isArray(input)) input = input[0];
    if (options.device !== undefined && isTensor(input)) input = input.to(options.device);
    run(input);
  }
  for (const [m, momentum] of momenta) m.momentum = momentum;
  model.train(wasTraining);
}

export type SWALROptions = { swaLr: number | number[]; annealEpochs: number; annealStrategy: 'cos' | 'linear'; lastEpoch: number };

/** Anneals each group's lr to its `swaLr` over `annealEpochs`, then holds it (for the SWA phase). */
export class SWALR extends LRScheduler {
  annealEpochs: number;
  annealStrategy: 'cos' | 'linear';

  constructor(optimizer: SchedulerOptimizer, ...args: (number | number[] | string | Partial<SWALROptions> | undefined)[]) {
    super(optimizer);
    const o = readArgs<SWALROptions>(args, ['swaLr', 'annealEpochs', 'annealStrategy', 'lastEpoch'], {
      swaLr: NaN,
      annealEpochs: 10,
      annealStrategy: 'cos',
      lastEpoch: -1,
    });
    const n = optimizer.paramGroups.length;
    if (Array.isArray(o.swaLr) && o.swaLr.length !== n)
      throw new ValueError(
        `swa_lr must have the same length as optimizer.param_groups: swa_lr has ${o.swaLr.length}, optimizer.param_groups has ${n}`,
      );
    formatParam('swa_lr', optimizer, o.swaLr).forEach((lr, i) => {
      optimizer.paramGroups[i]!.swaLr = lr;
    });
    if (o.annealStrategy !== 'cos' && o.annealStrategy !== 'linear')
      throw new ValueError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${String(o.annealStrategy)}`);
    if (!Number.isInteger(o.annealEpochs) || o.annealEpochs < 0)
      throw new ValueError(`anneal_epochs must be equal or greater than 0, got ${o.annealEpochs}`);
    this.annealStrategy = o.annealStrategy;
    this.annealEpochs = o.annealEpochs;
    this.initialize(o.lastEpoch);
  }

  private anneal(t: number): number {
    return this.annealStrategy === 'linear' ? t : (1 - Math.cos(Math.PI * t)) / 2;
  }

  getLr(): number[] {
    let step = this._stepCount - 1;
    if (this.annealEpochs === 0) step = Math.max(1, step);
    const prevT = Math.max(0, Math.min(1, (step - 1) / Math.max(1, this.annealEpochs)));
    const prevAlpha = this.anneal(prevT);
    const t = Math.max(0, Math.min(1, step / Math.max(1, this.annealEpochs)));
    const alpha = this.anneal(t);
    return this.optimizer.paramGroups.map((group) => {
      const swaLr = group.swaLr as number;
      const lr = group.lr as number;
      const prevLr = prevAlpha === 1 ? swaLr : (lr - prevAlpha * swaLr) / (1 - prevAlpha);
      return swaLr * alpha + prevLr * (1 - alpha);
    });
  }
}
