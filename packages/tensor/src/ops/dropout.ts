import { ValueError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { mul, mul_ } from './arithmetic.js';
import { fromHostValues } from './host-values.js';

export interface DropoutOptions {
  p?: number;
  training?: boolean;
  inplace?: boolean;
  generator?: Generator;
}

/**
 * Zeroes elements with probability p and scales the rest by 1/(1-p), one draw per mask element;
 * the mask broadcasts over x. Recorded as a multiplication by the (constant) mask.
 */
function applyDropout(x: Tensor, maskShape: readonly number[], o: DropoutOptions): Tensor {
  const p = o.p ?? 0.5;
  if (p < 0 || p > 1) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (!(o.training ?? true) || p === 0 || x.numel() === 0) return x;
  const gen = o.generator ?? defaultGenerator;
  const keep = 1 - p;
  const n = maskShape.reduce((a, b) => a * b, 1);
  const mask = new Float64Array(n);
  if (keep > 0) for (let i = 0; i < n; i++) mask[i] = gen.nextFloat() < keep ? 1 / keep : 0;
  const m = fromHostValues(mask, maskShape, x.dtype, x.storage.backend);
  return o.inplace ? mul_(x, m) : mul(x, m);
}

/** F.dropout(input, p=0.5, training=True, inplace=False). */
export function dropout(x: Tensor, p: number | DropoutOptions = 0.5, training = true, inplace = false): Tensor {
  const o = typeof p === 'number' ? { p, training, inplace } : p;
  return applyDropout(x, x.shape, o);
}

/**
 * F.dropout2d: whole channels zeroed together (one draw per [N, C] entry). As in PyTorch 1.13, a
 * 3-d input is read as (N, C, L), with PyTorch's warning.
 */
export function dropout2d(x: Tensor, p: number | DropoutOptions = 0.5, training = true, inplace = false): Tensor {
  const o = typeof p === 'number' ? { p, training, inplace } : p;
  if (x.dim() === 3)
    console.warn(
      'UserWarning: dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.',
    );
  return applyDropout(
    x,
    x.shape.map((s, i) => (i < 2 ? s : 1)),
    o,
  );
}
