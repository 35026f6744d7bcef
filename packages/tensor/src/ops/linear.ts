import { dispatch } from '../dispatch.js';
import { RuntimeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './arithmetic.js';
import { matmul } from './linalg.js';
import { expand, t } from './shape.js';
import { checkSameDtype } from './util.js';

/** F.linear(input, weight, bias=None): y = x Wᵀ + b over any leading batch dims. */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkSameDtype(x, weight);
  checkSameDtype(x, bias);
  return dispatch('linear', [x, weight, bias], {}, () => {
    const w = weight.dim() === 2 ? t(weight) : weight;
    if (x.dim() >= 1 && w.dim() === 2 && x.shape[x.dim() - 1] !== w.shape[0]) {
      const k = x.shape[x.dim() - 1]!;
      throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${x.numel() / k}x${k} and ${w.shape[0]}x${w.shape[1]})`);
    }
    const y = matmul(x, w);
    if (bias === null) return y;
    // PyTorch adds the bias to the rows of the flattened [batch, out] product (addmm), so a bias
    // that does not expand to that is refused with expand's message.
    if (y.dim() >= 2) expand(bias, [y.numel() / y.shape[y.dim() - 1]!, y.shape[y.dim() - 1]!]);
    return add(y, bias);
  });
}

/** F.bilinear(input1, input2, weight, bias=None): y_k = x1ᵀ W_k x2 + b_k, weight [out, in1, in2]. */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  normalizeDim(2, weight.dim()); // PyTorch reads weight.size(2) first: a 2-d weight is an IndexError
  if (x1.shape[x1.dim() - 1] !== weight.shape[1])
    throw new RuntimeError(
      `bilinear(): input1 size does not match weight size: got ${x1.shape[x1.dim() - 1]} but expected ${weight.shape[1]}`,
    );
  if (x2.shape[x2.dim() - 1] !== weight.shape[2])
    throw new RuntimeError(
      `bilinear(): input2 size does not match weight size: got ${x2.shape[x2.dim() - 1]} but expected ${weight.shape[2]}`,
    );
  for (let d = 0; d < x1.dim() - 1; d++)
    if (x1.shape[d] !== x2.shape[d])
      throw new RuntimeError(`bilinear(): input batch dimensions do not match at dim ${d}: got ${x1.shape[d]} and ${x2.shape[d]}`);
  // (x1 W_k) · x2 for every k: [..., 1, 1, in1] @ [out, in1, in2] → [..., out, 1, in2], then dot with x2.
  const left = matmul(x1.unsqueeze(-2).unsqueeze(-3), weight);
  const y = matmul(left, x2.unsqueeze(-2).unsqueeze(-1)).squeeze(-1).squeeze(-1);
  return bias === null ? y : add(y, bias);
}
