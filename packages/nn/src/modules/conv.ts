import { readArgs, type Tensor, ValueError } from '@gd/tensor';
import * as F from '../functional/index.js';
import * as init from '../init.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { pyTuple } from '../repr.js';
import { emptyParameter, type FactoryOptions, initBiasFromFanIn } from './linear.js';

type Size = number | readonly number[];
type Padding = Size | 'valid' | 'same';

type ConvOptions = FactoryOptions & {
  stride?: Size;
  padding?: Padding;
  dilation?: Size;
  groups?: number;
  bias?: boolean;
  paddingMode?: 'zeros';
};

function tuple(v: Size, n: number): number[] {
  return typeof v === 'number' ? new Array<number>(n).fill(v) : v.slice();
}

/**
 * N-d convolution over [N, C_in, …] input with weight [C_out, C_in / groups, …kernel] (Kaiming
 * uniform with a = √5, bias U(±1/√fan_in), as torch initialises it).
 */
abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[] | 'valid' | 'same';
  readonly dilation: readonly number[];
  readonly groups: number;
  readonly paddingMode: 'zeros';
  weight: Parameter;
  bias: Parameter | null;

  constructor(dims: number, inChannels: number, outChannels: number, kernelSize: Size, args: unknown[]) {
    super();
    const o = readArgs<Required<Omit<ConvOptions, keyof FactoryOptions>> & FactoryOptions>(
      args,
      ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode'],
      {
        stride: 1,
        padding: 0,
        dilation: 1,
        groups: 1,
        bias: true,
        paddingMode: 'zeros',
      },
    );
    if (o.groups <= 0) throw new ValueError('groups must be a positive integer');
    if (inChannels % o.groups !== 0) throw new ValueError('in_channels must be divisible by groups');
    if (outChannels % o.groups !== 0) throw new ValueError('out_channels must be divisible by groups');
    if (typeof o.padding === 'string') {
      if (o.padding !== 'valid' && o.padding !== 'same')
        throw new ValueError(`Invalid padding string '${o.padding}', should be one of {'valid', 'same'}`);
      if (o.padding === 'same' && tuple(o.stride, dims).some((s) => s !== 1))
        throw new ValueError("padding='same' is not supported for strided convolutions");
    }
    if (o.paddingMode !== 'zeros') throw new ValueError(`padding_mode '${String(o.paddingMode)}' is not supported yet; only 'zeros' is`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = tuple(kernelSize, dims);
    this.stride = tuple(o.stride, dims);
    this.padding = typeof o.padding === 'string' ? o.padding : tuple(o.padding, dims);
    this.dilation = tuple(o.dilation, dims);
    this.groups = o.groups;
    this.paddingMode = o.paddingMode;
    this.weight = emptyParameter([outChannels, inChannels / o.groups, ...this.kernelSize], o);
    this.bias = o.bias ? emptyParameter([outChannels], o) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    initBiasFromFanIn(this.bias, this.weight);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

/** Convolution over [N, C_in, L] (or unbatched [C_in, L]) input. */
export class Conv1d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size,
    stride?: Size | ConvOptions,
    padding?: Padding,
    dilation?: Size,
    groups?: number,
    bias?: boolean,
    options?: FactoryOptions,
  ) {
    super(1, inChannels, outChannels, kernelSize, [stride, padding, dilation, groups, bias, options]);
  }
  override forward(input: Tensor): Tensor {
    return F.conv1d(input, this.weight, this.bias, this.stride, this.padding, this.dilation, this.groups);
  }
}

/** Convolution over [N, C_in, H, W] (or unbatched [C_in, H, W]) input. */
export class Conv2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size,
    stride?: Size | ConvOptions,
    padding?: Padding,
    dilation?: Size,
    groups?: number,
    bias?: boolean,
    options?: FactoryOptions,
  ) {
    super(2, inChannels, outChannels, kernelSize, [stride, padding, dilation, groups, bias, options]);
  }
  override forward(input: Tensor): Tensor {
    return F.conv2d(input, this.weight, this.bias, this.stride, this.padding, this.dilation, this.groups);
  }
}
