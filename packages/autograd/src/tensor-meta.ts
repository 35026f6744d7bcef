import type { Tensor } from '@gd/tensor';
import { AccumulateGrad, type GradNode } from './node.js';

/** What autograd keeps on a tensor (`tensor._autogradMeta`). */
export interface AutogradMeta {
  /** A leaf's AccumulateGrad node, made once so every use of the leaf shares it. */
  accumulator?: AccumulateGrad;
  /** Read by `Tensor.retainsGrad`. */
  retainsGrad?: boolean;
}

export function autogradMeta(t: Tensor): AutogradMeta {
  let m = t._autogradMeta as AutogradMeta | undefined;
  if (m === undefined) {
    m = {};
    t._autogradMeta = m;
  }
  return m;
}

/** A leaf's AccumulateGrad node. */
export function accumulatorOf(leaf: Tensor): AccumulateGrad {
  const m = autogradMeta(leaf);
  return (m.accumulator ??= new AccumulateGrad(leaf));
}

/**
 * The node and output index a tensor's gradient flows into: its gradFn's output, or its leaf
 * accumulator. Null for a tensor that does not require grad.
 */
export function gradientEdge(t: Tensor): readonly [GradNode, number] | null {
  const fn = t.gradFn as GradNode | null;
  if (fn !== null) return fn.edgeTo(t.outputNr) as readonly [GradNode, number];
  return t.requiresGrad ? (accumulatorOf(t).edgeTo(0) as readonly [GradNode, number]) : null;
}
