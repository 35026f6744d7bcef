import { readArgs, type Tensor } from '@gd/tensor';
import * as F from '../functional/index.js';
import { Module } from '../module.js';
import { pyBool, pyIntOrTuple } from '../repr.js';

type Size = number | readonly number[];

type MaxPoolOptions = {
  stride?: Size | null;
  padding?: Size;
  dilation?: Size;
  returnIndices?: boolean;
  ceilMode?: boolean;
};

/** Max over kernelSize windows of [N, C, H, W] input; stride defaults to the kernel size. */
export class MaxPool2d extends Module {
  readonly kernelSize: Size;
  readonly stride: Size;
  readonly padding: Size;
  readonly dilation: Size;
  readonly returnIndices: boolean;
  readonly ceilMode: boolean;

  constructor(
    kernelSize: Size,
    stride?: Size | null | MaxPoolOptions,
    padding?: Size,
    dilation?: Size,
    returnIndices?: boolean,
    ceilMode?: boolean,
  ) {
    super();
    const o = readArgs<Required<MaxPoolOptions>>(
      [stride, padding, dilation, returnIndices, ceilMode],
      ['stride', 'padding', 'dilation', 'returnIndices', 'ceilMode'],
      {
        stride: null,
        padding: 0,
        dilation: 1,
        returnIndices: false,
        ceilMode: false,
      },
    );
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding;
    this.dilation = o.dilation;
    this.returnIndices = o.returnIndices;
    this.ceilMode = o.ceilMode;
  }

  /** The pooled tensor, or `[values, indices]` with `returnIndices`. */
  override forward(input: Tensor): Tensor | [Tensor, Tensor] {
    return F.maxPool2d(input, this.kernelSize, this.stride, this.padding, this.dilation, this.ceilMode, this.returnIndices);
  }

  override extraRepr(): string {
    return `kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}, padding=${pyIntOrTuple(this.padding)}, dilation=${pyIntOrTuple(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

type AvgPoolOptions = {
  stride?: Size | null;
  padding?: Size;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
};

/** Mean over kernelSize windows of [N, C, H, W] input; stride defaults to the kernel size. */
export class AvgPool2d extends Module {
  readonly kernelSize: Size;
  readonly stride: Size;
  readonly padding: Size;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(
    kernelSize: Size,
    stride?: Size | null | AvgPoolOptions,
    padding?: Size,
    ceilMode?: boolean,
    countIncludePad?: boolean,
    divisorOverride?: number | null,
  ) {
    super();
    const o = readArgs<Required<AvgPoolOptions>>(
      [stride, padding, ceilMode, countIncludePad, divisorOverride],
      ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'],
      {
        stride: null,
        padding: 0,
        ceilMode: false,
        countIncludePad: true,
        divisorOverride: null,
      },
    );
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding;
    this.ceilMode = o.ceilMode;
    this.countIncludePad = o.countIncludePad;
    this.divisorOverride = o.divisorOverride;
  }

  override forward(input: Tensor): Tensor {
    return F.avgPool2d(input, this.kernelSize, this.stride, this.padding, this.ceilMode, this.countIncludePad, this.divisorOverride);
  }

  override extraRepr(): string {
    return `kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}, padding=${pyIntOrTuple(this.padding)}`;
  }
}

/** Average pooling to a fixed output size (a null entry keeps that input dim). */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | readonly (number | null)[]) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool2d(input, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${pyIntOrTuple(this.outputSize)}`;
  }
}
