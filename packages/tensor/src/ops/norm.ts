import { dispatch } from '../dispatch.js';
import { type DType, isFloatingPoint, scalarTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { abs, ne, pow } from './arithmetic.js';
import { amax, amin, sum } from './reduction.js';

export type NormOptions = {
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
  /** Compute in this dtype (the input is converted first). */
  dtype?: DType;
};

/**
 * The vector p-norm over `dim` (all elements when absent): p = 2 (and 'fro', the default),
 * 1, Infinity (max |x|), -Infinity (min |x|), 0 (count of non-zeros) or any other number
 * (sum(|x|^p)^(1/p)).
 * Dispatch: 'norm', inputs [x], attrs {p: number ('fro' becomes 2), dim: number[] (normalized), keepdim}, 1 output.
 */
export function norm(x: Tensor, p: number | 'fro' = 'fro', o: NormOptions = {}): Tensor {
  const input = o.dtype ? x.to(o.dtype) : x;
  if (!isFloatingPoint(input.dtype))
    throw new RuntimeError(`norm(): input dtype should be either floating point or complex. Got ${scalarTypeName(input.dtype)} instead.`);
  const order = p === 'fro' ? 2 : p;
  const dims = normalizeDims(o.dim, input.dim());
  const keepdim = o.keepdim ?? false;
  const r = { dim: dims, keepdim };
  return dispatch('norm', [input], { p: order, dim: dims, keepdim }, () => {
    if (order === 0) return sum(ne(input, 0), r).to(input.dtype);
    const a = abs(input);
    // amax refuses an empty tensor; the inf-norm of nothing is 0, as sum gives.
    if (order === Infinity) return input.numel() === 0 ? sum(a, r) : amax(a, r);
    if (order === -Infinity) return amin(a, r);
    if (order === 1) return sum(a, r);
    if (order === 2) return sum(a.mul(a), r).sqrt();
    return pow(sum(pow(a, order), r), 1 / order);
  });
}
