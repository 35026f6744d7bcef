import { shapesEqual, sum, type Tensor } from '@gd/tensor';

/**
 * Sums a gradient of a broadcast result back to the shape of the input that was broadcast:
 * over the leading dims the input did not have and the dims where it had size 1.
 */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  const rank = grad.shape.length;
  const lead = rank - shape.length;
  const isOne = (i: number): boolean => shape[i - lead] === 1 && grad.shape[i] !== 1;
  // The dims to sum, in order (the leading ones first), in an array made at its final length.
  let ones = 0;
  for (let i = lead; i < rank; i++) if (isOne(i)) ones++;
  const dims = new Array<number>(lead + ones);
  for (let i = 0; i < lead; i++) dims[i] = i;
  for (let i = lead, k = lead; i < rank; i++) if (isOne(i)) dims[k++] = i;
  // One reduction when possible: leading dims disappear, size-1 dims stay (keepdim).
  if (ones === 0) return sum(grad, { dim: dims });
  if (lead === 0) return sum(grad, { dim: dims, keepdim: true });
  return sum(grad, { dim: dims, keepdim: true }).view(shape);
}
