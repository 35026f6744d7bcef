import { readArgs, type Tensor, ValueError } from '@gd/tensor';
import * as F from '../functional/index.js';
import { Module } from '../module.js';
import { pyBool, pyFloat } from '../repr.js';

/** Zeroes each element with probability p while training and scales the rest by 1/(1-p); identity in eval mode. */
export class Dropout extends Module {
  readonly p: number;
  readonly inplace: boolean;
  constructor(p?: number | { p?: number; inplace?: boolean }, inplace?: boolean) {
    super();
    const o = readArgs<{ p: number; inplace: boolean }>([p, inplace], ['p', 'inplace'], { p: 0.5, inplace: false });
    if (o.p < 0 || o.p > 1) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${o.p}`);
    this.p = o.p;
    this.inplace = o.inplace;
  }
  override forward(input: Tensor): Tensor {
    return F.dropout(input, this.p, this.training, this.inplace);
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}
