import {
  logSoftmax as tensorLogSoftmax,
  readArgs,
  relu as tensorRelu,
  relu_,
  softmax as tensorSoftmax,
  type DType,
  type Tensor,
} from '@gd/tensor';

/** F.relu(input, inplace=False). */
export function relu(input: Tensor, inplace: boolean | { inplace?: boolean } = false): Tensor {
  return readArgs<{ inplace: boolean }>([inplace], ['inplace'], { inplace: false }).inplace ? relu_(input) : tensorRelu(input);
}

/** PyTorch's choice of dim when softmax is called without one (with a deprecation warning there). */
function legacySoftmaxDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

type SoftmaxArgs = { dim?: number | null; dtype?: DType };

/** F.softmax(input, dim=None, dtype=None). */
export function softmax(input: Tensor, dim?: number | null | SoftmaxArgs, options: { dtype?: DType } = {}): Tensor {
  const o = readArgs<{ dim: number | null; dtype?: DType }>([dim, options], ['dim'], { dim: null, ...options });
  return tensorSoftmax(input, o.dim ?? legacySoftmaxDim(input.dim()), { dtype: o.dtype });
}

/** F.log_softmax(input, dim=None, dtype=None). */
export function logSoftmax(input: Tensor, dim?: number | null | SoftmaxArgs, options: { dtype?: DType } = {}): Tensor {
  const o = readArgs<{ dim: number | null; dtype?: DType }>([dim, options], ['dim'], { dim: null, ...options });
  return tensorLogSoftmax(input, o.dim ?? legacySoftmaxDim(input.dim()), { dtype: o.dtype });
}
