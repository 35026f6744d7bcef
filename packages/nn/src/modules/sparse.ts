import { readArgs, type Tensor, withGradMode } from '@gd/tensor';
import * as F from '../functional/index.js';
import * as init from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { AssertionError } from '@gd/tensor';
import { emptyParameter, type FactoryOptions } from './linear.js';

type EmbeddingOptions = FactoryOptions & {
  paddingIdx?: number | null;
  /** An initial weight [numEmbeddings, embeddingDim] to use instead of N(0, 1). */
  weight?: Tensor;
};

/** A lookup table: row i of `weight` (N(0, 1) initialised) for each index i; the `paddingIdx` row is zero and gets no gradient. */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, paddingIdx?: number | null | EmbeddingOptions, options?: EmbeddingOptions) {
    super();
    const o = readArgs<{ paddingIdx: number | null } & EmbeddingOptions>([paddingIdx, options], ['paddingIdx'], {
      paddingIdx: null,
      ...options,
    });
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let pad = o.paddingIdx;
    if (pad !== null) {
      if (pad >= numEmbeddings || pad < -numEmbeddings) throw new AssertionError('Padding_idx must be within num_embeddings');
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    if (o.weight) {
      if (o.weight.dim() !== 2 || o.weight.size(0) !== numEmbeddings || o.weight.size(1) !== embeddingDim)
        throw new AssertionError('Shape of weight does not match num_embeddings and embedding_dim');
      this.weight = new Parameter(o.weight);
    } else {
      this.weight = emptyParameter([numEmbeddings, embeddingDim], o);
      this.resetParameters();
    }
  }

  /** Builds an Embedding over existing vectors; frozen (no gradient) unless `freeze: false`. */
  static fromPretrained(embeddings: Tensor, options: { freeze?: boolean; paddingIdx?: number | null } = {}): Embedding {
    if (embeddings.dim() !== 2) throw new AssertionError('Embeddings parameter is expected to be 2-dimensional');
    const e = new Embedding(embeddings.size(0), embeddings.size(1), { paddingIdx: options.paddingIdx ?? null, weight: embeddings });
    e.weight.requiresGrad = !(options.freeze ?? true);
    return e;
  }

  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      withGradMode(false, () => this.weight.select(0, row).fill_(0));
    }
  }

  override forward(input: Tensor): Tensor {
    return F.embedding(input, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? '' : `, padding_idx=${this.paddingIdx}`}`;
  }
}
