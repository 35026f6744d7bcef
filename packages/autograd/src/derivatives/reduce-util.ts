import type { Tensor } from '@gd/tensor';

/** The shape a reduction over `dims` has with keepdim: the reduced dims become 1. */
export function keptShape(shape: readonly number[], dims: readonly number[]): number[] {
  return shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

/** A reduction's output (or its gradient) with the reduced dims put back as size 1, so it broadcasts against the input. */
export function restoreDims(t: Tensor, inputShape: readonly number[], dims: readonly number[], keepdim: boolean): Tensor {
  // A 0-d result broadcasts as it is.
  return keepdim || t.dim() === inputShape.length || t.dim() === 0 ? t : t.reshape(keptShape(inputShape, dims));
}

/** Number of elements a reduction over `dims` folds into one. */
export function reducedCount(shape: readonly number[], dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= shape[d]!;
  return n;
}
