import { readArgs, type Tensor } from '@gd/tensor';
import * as F from '../functional/index.js';
import { Module } from '../module.js';

export type Reduction = 'none' | 'mean' | 'sum';

function readReduction(args: unknown[]): Reduction {
  return readArgs<{ reduction: Reduction }>(args, ['reduction'], { reduction: 'mean' }).reduction;
}

/** The base of every loss module: holds `reduction` ('mean' by default). */
export class Loss extends Module {
  readonly reduction: Reduction;
  constructor(reduction?: Reduction | { reduction?: Reduction }) {
    super();
    this.reduction = readReduction([reduction]);
  }
}

/**
 * A loss with an optional per-class `weight`, kept as a buffer named `weight` (so it moves with
 * `to()` and appears in `stateDict()`, as in PyTorch).
 */
export class WeightedLoss extends Loss {
  declare readonly weight: Tensor | null;

  constructor(weight: Tensor | null, reduction: Reduction) {
    super(reduction);
    this.registerBuffer('weight', weight);
  }
}

export class MSELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

export class L1Loss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(options: { reduction?: Reduction; beta?: number } = {}) {
    super(options.reduction);
    this.beta = options.beta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(options: { reduction?: Reduction; delta?: number } = {}) {
    super(options.reduction);
    this.delta = options.delta ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

type WeightedOptions = {
  weight?: Tensor | null;
  reduction?: Reduction;
};

function readWeighted<O extends WeightedOptions>(args: unknown[], defaults: Required<Omit<O, keyof WeightedOptions>>): Required<O> {
  return readArgs<Required<O>>(args, ['weight'], { weight: null, reduction: 'mean', ...defaults } as Required<O>);
}

/** Binary cross entropy on probabilities; log terms are clamped at -100 as in PyTorch. */
export class BCELoss extends WeightedLoss {
  constructor(weight?: Tensor | null | WeightedOptions, options?: WeightedOptions) {
    const o = readWeighted<WeightedOptions>([weight, options], {});
    super(o.weight, o.reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

type BCEWithLogitsOptions = WeightedOptions & {
  posWeight?: Tensor | null;
};

/** Sigmoid + binary cross entropy in one numerically stable step; `posWeight` weighs positives per class. */
export class BCEWithLogitsLoss extends WeightedLoss {
  constructor(weight?: Tensor | null | BCEWithLogitsOptions, options?: BCEWithLogitsOptions) {
    const o = readWeighted<BCEWithLogitsOptions>([weight, options], { posWeight: null });
    super(o.weight, o.reduction);
    this.registerBuffer('pos_weight', o.posWeight);
  }
  /** The `pos_weight` buffer (PyTorch's state-dict name is kept for checkpoint compatibility). */
  get posWeight(): Tensor | null {
    return (this as unknown as { pos_weight: Tensor | null }).pos_weight;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}

type CrossEntropyOptions = WeightedOptions & {
  ignoreIndex?: number;
  labelSmoothing?: number;
};

/**
 * Cross entropy of logits [N, C] (or [C], or [N, C, d…]) against class indices or class
 * probabilities; `weight` rescales classes, `ignoreIndex` drops targets, `labelSmoothing` mixes in
 * the uniform distribution.
 */
export class CrossEntropyLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(weight?: Tensor | null | CrossEntropyOptions, options?: CrossEntropyOptions) {
    const o = readWeighted<CrossEntropyOptions>([weight, options], { ignoreIndex: -100, labelSmoothing: 0 });
    super(o.weight, o.reduction);
    this.ignoreIndex = o.ignoreIndex;
    this.labelSmoothing = o.labelSmoothing;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
      labelSmoothing: this.labelSmoothing,
    });
  }
}

/** Negative log likelihood of log-probabilities [N, C] against class indices. */
export class NLLLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  constructor(weight?: Tensor | null | Omit<CrossEntropyOptions, 'labelSmoothing'>, options?: Omit<CrossEntropyOptions, 'labelSmoothing'>) {
    const o = readWeighted<Omit<CrossEntropyOptions, 'labelSmoothing'>>([weight, options], { ignoreIndex: -100 });
    super(o.weight, o.reduction);
    this.ignoreIndex = o.ignoreIndex;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** KL divergence of log-probabilities `input` from `target` (probabilities, or log-probabilities with `logTarget`). */
export class KLDivLoss extends Module {
  readonly reduction: Reduction | 'batchmean';
  readonly logTarget: boolean;
  constructor(options: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.logTarget = options.logTarget ?? false;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
