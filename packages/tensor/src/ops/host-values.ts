import type { Backend } from '../backend/backend.js';
import { type DType, typedArrayFor } from '../dtype.js';
import { contiguousStrides } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * Ops whose output size depends on the data (nonzero, maskedSelect, unique) or that must check
 * every index before writing read small tensors to the host and build results from host values.
 */

/** A tensor's values in row-major order as float64 (exact for int64 indices up to 2^53). */
export function hostValues(t: Tensor): Float64Array {
  return Float64Array.from(t.detach().dataSync());
}

/** A new contiguous tensor on `backend` holding `values`. */
export function fromHostValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType, backend: Backend): Tensor {
  const storage = backend.fromArray(dtype, typedArrayFor(dtype).from(values));
  return new Tensor(storage, shape.slice(), contiguousStrides(shape), 0, dtype);
}
