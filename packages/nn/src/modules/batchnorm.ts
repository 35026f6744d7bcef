import { ones, readArgs, type Tensor, tensor, ValueError, withGradMode, zeros } from '@gd/tensor';
import * as F from '../functional/index.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool, pyFloat, pyOptional } from '../repr.js';
import type { FactoryOptions } from './linear.js';

type BatchNormOptions = FactoryOptions & {
  eps?: number;
  /** Weight of the current batch in the running averages; null for a cumulative average. */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
};

/**
 * Batch normalisation over the channel dim (dim 1). In training it normalises with the batch's
 * statistics and updates the running mean and (unbiased) variance; in eval mode it uses them.
 * The buffers keep PyTorch's state-dict names (`running_mean`, `running_var`,
 * `num_batches_tracked`) so checkpoints load both ways; `runningMean` etc. read them.
 */
abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(
    numFeatures: number,
    eps?: number | BatchNormOptions,
    momentum?: number | null,
    affine?: boolean,
    trackRunningStats?: boolean,
    options?: FactoryOptions,
  ) {
    super();
    const o = readArgs<Required<Omit<BatchNormOptions, keyof FactoryOptions>> & FactoryOptions>(
      [eps, momentum, affine, trackRunningStats, options],
      ['eps', 'momentum', 'affine', 'trackRunningStats'],
      { eps: 1e-5, momentum: 0.1, affine: true, trackRunningStats: true, ...options },
    );
    const factory = { dtype: o.dtype, backend: o.backend };
    this.numFeatures = numFeatures;
    this.eps = o.eps;
    this.momentum = o.momentum;
    this.affine = o.affine;
    this.trackRunningStats = o.trackRunningStats;
    this.weight = o.affine ? new Parameter(ones([numFeatures], factory)) : null;
    this.bias = o.affine ? new Parameter(zeros([numFeatures], factory)) : null;
    this.registerBuffer('running_mean', o.trackRunningStats ? zeros([numFeatures], factory) : null);
    this.registerBuffer('running_var', o.trackRunningStats ? ones([numFeatures], factory) : null);
    this.registerBuffer('num_batches_tracked', o.trackRunningStats ? tensor(0, { dtype: 'int64', backend: o.backend }) : null);
  }

  #buffer(name: string): Tensor | null {
    return (this as unknown as Record<string, Tensor | null>)[name] ?? null;
  }

  get runningMean(): Tensor | null {
    return this.#buffer('running_mean');
  }
  get runningVar(): Tensor | null {
    return this.#buffer('running_var');
  }
  get numBatchesTracked(): Tensor | null {
    return this.#buffer('num_batches_tracked');
  }

  /** Running mean 0, running variance 1, batch count 0. */
  resetRunningStats(): void {
    withGradMode(false, () => {
      this.runningMean?.zero_();
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.zero_();
    });
  }

  protected abstract checkInputDim(input: Tensor): void;

  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    let averageFactor = this.momentum ?? 0;
    const counter = this.numBatchesTracked;
    if (this.training && this.trackRunningStats && counter) {
      withGradMode(false, () => counter.add_(1));
      averageFactor = this.momentum ?? 1 / (counter.item() as number);
    }
    const useBatchStats = this.training || (this.runningMean === null && this.runningVar === null);
    const useRunning = !this.training || this.trackRunningStats;
    return F.batchNorm(
      input,
      useRunning ? this.runningMean : null,
      useRunning ? this.runningVar : null,
      this.weight,
      this.bias,
      useBatchStats,
      averageFactor,
      this.eps,
    );
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyOptional(this.momentum, pyFloat)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/** BatchNorm over [N, C] or [N, C, L] input. */
export class BatchNorm1d extends BatchNormBase {
  protected checkInputDim(input: Tensor): void {
    if (input.dim() !== 2 && input.dim() !== 3) throw new ValueError(`expected 2D or 3D input (got ${input.dim()}D input)`);
  }
}

/** BatchNorm over [N, C, H, W] input. */
export class BatchNorm2d extends BatchNormBase {
  protected checkInputDim(input: Tensor): void {
    if (input.dim() !== 4) throw new ValueError(`expected 4D input (got ${input.dim()}D input)`);
  }
}
