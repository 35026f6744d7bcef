import { shapesEqual, type Tensor } from '@gd/tensor';

/** Whether a tensor of `shape` broadcasts to `desired` (PyTorch's is_expandable_to). */
export function isExpandableTo(shape: readonly number[], desired: readonly number[]): boolean {
  const lead = desired.length - shape.length;
  if (lead < 0) return false;
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i]!;
    if (s !== desired[lead + i] && s !== 1) return false;
  }
  return true;
}

/**
 * Sums a gradient of a broadcast result back to the shape of the input that was broadcast:
 * over the leading dims the input did not have and the dims where it had size 1.
 */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  const lead = grad.shape.length - shape.length;
  const leading: number[] = [];
  const ones: number[] = [];
  for (let i = 0; i < grad.shape.length; i++) {
    if (i < lead) leading.push(i);
    else if (shape[i - lead] === 1 && grad.shape[i] !== 1) ones.push(i);
  }
  // One reduction when possible: leading dims disappear, size-1 dims stay (keepdim).
  if (ones.length === 0) return grad.sum(leading);
  if (leading.length === 0) return grad.sum(ones, true);
  return grad.sum([...leading, ...ones], true).view(shape);
}
