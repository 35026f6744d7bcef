import type { View } from '../backend/backend.js';
import { dispatch } from '../dispatch.js';
import { type DType, isFloatingPoint, scalarTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { reduceRaw } from './reduction.js';
import { broadcastView, emptyTensor } from './util.js';

/** A backend's optional fused kernel, registered as `fused.softmax` / `fused.logSoftmax`. */
type FusedSoftmax = (out: View, x: View, dim: number) => void;

export interface SoftmaxOptions {
  /** Convert the input to this dtype first (PyTorch's `dtype=`). */
  dtype?: DType;
}

/**
 * exp(x - max) / sum(exp(x - max)) along dim, or its log. Subtracting the max keeps exp in
 * range; a slice that is all -inf gives NaN, as in PyTorch.
 */
function run(op: 'softmax' | 'logSoftmax', input: Tensor, dim: number, o: SoftmaxOptions): Tensor {
  const x = o.dtype ? input.to(o.dtype) : input;
  const d = normalizeDim(dim, x.dim());
  if (!isFloatingPoint(x.dtype)) {
    const kernel = op === 'softmax' ? 'softmax' : 'log_softmax';
    const where = x.dim() === 0 || d === x.dim() - 1 ? '_lastdim' : '';
    throw new RuntimeError(`"${kernel}${where}_kernel_impl" not implemented for '${scalarTypeName(x.dtype)}'`);
  }
  return dispatch(op, [x], { dim: d }, () => {
    const backend = x.storage.backend;
    const out = emptyTensor(x.shape, x.dtype, backend);
    const fused = backend.fused?.[op] as FusedSoftmax | undefined;
    if (fused) {
      fused(out, x, d);
      return out;
    }
    const dims = x.dim() === 0 ? [] : [d];
    const m = reduceRaw('amax', x, dims, true, x.dtype);
    const shifted = emptyTensor(x.shape, x.dtype, backend);
    backend.binary('sub', shifted, x, broadcastView(m, x.shape));
    backend.unary('exp', out, shifted);
    const s = reduceRaw('sum', out, dims, true, x.dtype);
    if (op === 'softmax') {
      backend.binary('div', out, out, broadcastView(s, x.shape));
    } else {
      backend.unary('log', s, s);
      backend.binary('sub', out, shifted, broadcastView(s, x.shape));
    }
    return out;
  });
}

/** Softmax along `dim`. Dispatch: 'softmax', inputs [x], attrs {dim: number (normalized)}, 1 output. */
export function softmax(x: Tensor, dim: number, o: SoftmaxOptions = {}): Tensor {
  return run('softmax', x, dim, o);
}

/** Log of softmax along `dim`. Dispatch: 'logSoftmax', inputs [x], attrs {dim: number (normalized)}, 1 output. */
export function logSoftmax(x: Tensor, dim: number, o: SoftmaxOptions = {}): Tensor {
  return run('logSoftmax', x, dim, o);
}
