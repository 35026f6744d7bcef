import type { Tensor } from '../tensor.js';

/**
 * What `max(dim)`, `sort`, `topk`, `kthvalue`, `cummax`… return: PyTorch's `(values, indices)`
 * namedtuple. Read it by name (`r.values`, `r.indices`), by position (`r[0]`, `r[1]`), or
 * destructure it (`const [values, indices] = x.max(1)`).
 */
export class ValuesIndices {
  readonly length = 2;

  constructor(
    /** The op's name in PyTorch's printout (`torch.return_types.max(...)`). */
    readonly opName: string,
    readonly values: Tensor,
    readonly indices: Tensor,
  ) {}

  get 0(): Tensor {
    return this.values;
  }

  get 1(): Tensor {
    return this.indices;
  }

  *[Symbol.iterator](): IterableIterator<Tensor> {
    yield this.values;
    yield this.indices;
  }

  /** PyTorch's printout, `torch.return_types.max(\nvalues=…,\nindices=…)`. */
  toString(): string {
    return `torch.return_types.${this.opName}(\nvalues=${this.values.toString()},\nindices=${this.indices.toString()})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
