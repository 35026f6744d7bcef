import { readArgs, type Tensor } from '@gd/tensor';
import * as F from '../functional/index.js';
import { Module } from '../module.js';
import { pyFloat, pyOptional, pyStr } from '../repr.js';

// Each activation module holds its options and calls the matching F function. extraRepr prints
// PyTorch's own text (snake_case names, Python literals) so `String(model)` matches `print(model)`.

const inplaceSuffix = (inplace: boolean): string => (inplace ? ', inplace=True' : '');

export class ReLU extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.relu(input, this.inplace);
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  readonly inplace: boolean;
  constructor(negativeSlope?: number | { negativeSlope?: number; inplace?: boolean }, inplace?: boolean) {
    super();
    const o = readArgs<{ negativeSlope: number; inplace: boolean }>([negativeSlope, inplace], ['negativeSlope', 'inplace'], {
      negativeSlope: 0.01,
      inplace: false,
    });
    this.negativeSlope = o.negativeSlope;
    this.inplace = o.inplace;
  }
  override forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope, this.inplace);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${inplaceSuffix(this.inplace)}`;
  }
}

export class ELU extends Module {
  readonly alpha: number;
  readonly inplace: boolean;
  constructor(alpha?: number | { alpha?: number; inplace?: boolean }, inplace?: boolean) {
    super();
    const o = readArgs<{ alpha: number; inplace: boolean }>([alpha, inplace], ['alpha', 'inplace'], { alpha: 1, inplace: false });
    this.alpha = o.alpha;
    this.inplace = o.inplace;
  }
  override forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha, this.inplace);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${inplaceSuffix(this.inplace)}`;
  }
}

/** GELU with the exact erf form (`'none'`) or the tanh approximation (`'tanh'`). */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(approximate?: 'none' | 'tanh' | { approximate?: 'none' | 'tanh' }) {
    super();
    this.approximate = readArgs<{ approximate: 'none' | 'tanh' }>([approximate], ['approximate'], { approximate: 'none' }).approximate;
  }
  override forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate=${pyStr(this.approximate)}`;
  }
}

export class SiLU extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return F.silu(input, this.inplace);
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

/** log(1 + exp(βx)) / β, linear where βx > threshold. Printed as ints, PyTorch's defaults' type. */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(beta?: number | { beta?: number; threshold?: number }, threshold?: number) {
    super();
    const o = readArgs<{ beta: number; threshold: number }>([beta, threshold], ['beta', 'threshold'], { beta: 1, threshold: 20 });
    this.beta = o.beta;
    this.threshold = o.threshold;
  }
  override forward(input: Tensor): Tensor {
    return F.softplus(input, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  readonly inplace: boolean;
  constructor(minVal?: number | { minVal?: number; maxVal?: number; inplace?: boolean }, maxVal?: number, inplace?: boolean) {
    super();
    const o = readArgs<{ minVal: number; maxVal: number; inplace: boolean }>([minVal, maxVal, inplace], ['minVal', 'maxVal', 'inplace'], {
      minVal: -1,
      maxVal: 1,
      inplace: false,
    });
    this.minVal = o.minVal;
    this.maxVal = o.maxVal;
    this.inplace = o.inplace;
  }
  override forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.minVal, this.maxVal, this.inplace);
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}${inplaceSuffix(this.inplace)}`;
  }
}

/** Softmax over `dim`; with no dim, PyTorch's legacy choice (0 for 0-, 1- and 3-d input, else 1). */
export class Softmax extends Module {
  readonly dim: number | null;
  constructor(dim?: number | null | { dim?: number | null }) {
    super();
    this.dim = readArgs<{ dim: number | null }>([dim], ['dim'], { dim: null }).dim;
  }
  override forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${pyOptional(this.dim)}`;
  }
}

export class LogSoftmax extends Module {
  readonly dim: number | null;
  constructor(dim?: number | null | { dim?: number | null }) {
    super();
    this.dim = readArgs<{ dim: number | null }>([dim], ['dim'], { dim: null }).dim;
  }
  override forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${pyOptional(this.dim)}`;
  }
}
