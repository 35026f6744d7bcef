import { readArgs, RuntimeError, type Storage, Tensor, tensor } from '@gd/tensor';

/** The tensor slots that `param.data = t` swaps (PyTorch's `Tensor.set_data`). */
type Rebindable = { storage: Storage; shape: readonly number[]; strides: readonly number[]; offset: number; dtype: Tensor['dtype'] };

/**
 * torch.nn.Parameter: a leaf tensor that a Module finds and reports from `parameters()`.
 * It shares storage with the tensor it wraps and requires grad unless told otherwise.
 */
export class Parameter extends Tensor {
  constructor(data?: Tensor, requiresGrad?: boolean | { requiresGrad?: boolean });
  constructor(data: Tensor = tensor([]), requiresGrad: boolean | { requiresGrad?: boolean } = true) {
    const opts = readArgs<{ requiresGrad: boolean }>([requiresGrad], ['requiresGrad'], { requiresGrad: true });
    super(data.storage, data.shape.slice(), data.strides.slice(), data.offset, data.dtype);
    this.requiresGrad = opts.requiresGrad;
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }

  /** PyTorch's `.data`: the same values, detached from the graph. */
  override get data(): Tensor {
    return this.detach();
  }

  /**
   * `param.data = t` rebinds this parameter to t's values (shape, dtype, backend may all change)
   * while the object stays the same, so optimizers and modules holding it see the new values.
   */
  override set data(value: Tensor) {
    if (!(value instanceof Tensor)) throw new RuntimeError('data must be a Tensor');
    const self = this as unknown as Rebindable;
    const old = self.storage;
    value.storage.refs++;
    self.storage = value.storage;
    self.shape = value.shape.slice();
    self.strides = value.strides.slice();
    self.offset = value.offset;
    self.dtype = value.dtype;
    old.refs--;
  }
}

export function isParameter(x: unknown): x is Parameter {
  return x instanceof Parameter;
}
