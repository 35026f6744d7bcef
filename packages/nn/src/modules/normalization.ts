import { ones, readArgs, type Tensor, zeros } from '@gd/tensor';
import * as F from '../functional/index.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool, pyFloat, pyTuple } from '../repr.js';
import type { FactoryOptions } from './linear.js';

type LayerNormOptions = FactoryOptions & {
  eps?: number;
  elementwiseAffine?: boolean;
};

/** Normalises over the trailing `normalizedShape` dims, then applies a per-element weight (ones) and bias (zeros). */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(
    normalizedShape: number | readonly number[],
    eps?: number | LayerNormOptions,
    elementwiseAffine?: boolean,
    options?: FactoryOptions,
  ) {
    super();
    const o = readArgs<{ eps: number; elementwiseAffine: boolean } & FactoryOptions>(
      [eps, elementwiseAffine, options],
      ['eps', 'elementwiseAffine'],
      {
        eps: 1e-5,
        elementwiseAffine: true,
        ...options,
      },
    );
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape.slice();
    this.eps = o.eps;
    this.elementwiseAffine = o.elementwiseAffine;
    const factory = { dtype: o.dtype, backend: o.backend };
    this.weight = o.elementwiseAffine ? new Parameter(ones(this.normalizedShape, factory)) : null;
    this.bias = o.elementwiseAffine ? new Parameter(zeros(this.normalizedShape, factory)) : null;
  }

  override forward(input: Tensor): Tensor {
    return F.layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}
