import { type Backend, type DType, empty, readArgs, type Tensor } from '@gd/tensor';
import * as F from '../functional/index.js';
import * as init from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool } from '../repr.js';

/** Where a layer's parameters are created: PyTorch's `device` and `dtype` factory arguments. */
export type FactoryOptions = {
  dtype?: DType;
  backend?: string | Backend;
};

/** A new uninitialised parameter of the given shape (its layer's `resetParameters` fills it). */
export function emptyParameter(shape: readonly number[], o: FactoryOptions): Parameter {
  return new Parameter(empty(shape, { dtype: o.dtype, backend: o.backend }));
}

/** U(±1/√fan_in) for a bias whose layer's weight was Kaiming-initialised, as torch's layers do it. */
export function initBiasFromFanIn(bias: Parameter | null, weight: Tensor): void {
  if (!bias) return;
  const [fanIn] = init.calculateFanInAndFanOut(weight);
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  init.uniform_(bias, -bound, bound);
}

/** Returns its input unchanged; accepts and ignores any constructor arguments. */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return input;
  }
}

/** y = x Wᵀ + b, with W of shape [outFeatures, inFeatures]. */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, bias?: boolean | ({ bias?: boolean } & FactoryOptions), options?: FactoryOptions) {
    super();
    const o = readArgs<{ bias: boolean } & FactoryOptions>([bias, options], ['bias'], { bias: true, ...options });
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = emptyParameter([outFeatures, inFeatures], o);
    this.bias = o.bias ? emptyParameter([outFeatures], o) : null;
    this.resetParameters();
  }

  /** Kaiming-uniform weights with a = √5 (U(±1/√in)), then the bias from U(±1/√in): torch's draws, in torch's order. */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    initBiasFromFanIn(this.bias, this.weight);
  }

  override forward(input: Tensor): Tensor {
    return F.linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}

/** y_k = x1ᵀ W_k x2 + b_k, with W of shape [outFeatures, in1Features, in2Features]. */
export class Bilinear extends Module {
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    in1Features: number,
    in2Features: number,
    outFeatures: number,
    bias?: boolean | ({ bias?: boolean } & FactoryOptions),
    options?: FactoryOptions,
  ) {
    super();
    const o = readArgs<{ bias: boolean } & FactoryOptions>([bias, options], ['bias'], { bias: true, ...options });
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    this.weight = emptyParameter([outFeatures, in1Features, in2Features], o);
    this.bias = o.bias ? emptyParameter([outFeatures], o) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.size(1));
    init.uniform_(this.weight, -bound, bound);
    if (this.bias) init.uniform_(this.bias, -bound, bound);
  }

  override forward(input1: Tensor, input2: Tensor): Tensor {
    return F.bilinear(input1, input2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
