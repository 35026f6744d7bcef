import type { Tensor } from '@gd/tensor';

/*
 * The fused in-place updates PyTorch's optimizers use, written with add_/mul_/div_ so that they
 * round exactly as PyTorch's CPU kernels do: each step is one float32 operation in the same order.
 */

/** self += value * t1 * t2 */
export function addcmul_(self: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return self.add_(value === 1 ? t1.mul(t2) : t1.mul(value).mul_(t2));
}

/** self += value * t1 / t2 */
export function addcdiv_(self: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return self.add_(value === 1 ? t1.div(t2) : t1.mul(value).div_(t2));
}

/** self += weight * (end - self), with PyTorch's two-sided formula for weight >= 0.5. */
export function lerp_(self: Tensor, end: Tensor, weight: number): Tensor {
  const w = Math.fround(weight);
  if (Math.abs(w) < 0.5) return self.add_(end.sub(self).mul_(w));
  return self.copy_(end.sub(end.sub(self).mul_(Math.fround(1 - w))));
}

/** torch.maximum(self, other, out=self) */
export function maximum_(self: Tensor, other: Tensor): Tensor {
  return self.copy_(self.maximum(other));
}
