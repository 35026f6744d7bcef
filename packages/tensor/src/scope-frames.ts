import type { Tensor } from './tensor.js';

/**
 * The tensors made while each active `scope()` runs, innermost last. Kept apart from scope.ts so
 * the Tensor constructor can record into it without an import cycle.
 */
export const scopeFrames: Tensor[][] = [];

/** Tensors `keep()` exempted from every scope. */
export const keptTensors = new WeakSet<Tensor>();

/** Records a new tensor in the innermost active scope (the Tensor constructor calls it). */
export function trackTensor(t: Tensor): void {
  const n = scopeFrames.length;
  if (n !== 0) scopeFrames[n - 1]!.push(t);
}
