import type { Tensor } from '@gd/tensor';
import { AccumulateGrad, type GradNode } from './node.js';

/** What autograd keeps on a tensor (`tensor._autogradMeta`). */
export interface AutogradMeta {
  /** A leaf's AccumulateGrad node, made once so every use of the leaf shares it. */
  accumulator?: AccumulateGrad;
  /** Read by `Tensor.retainsGrad`. */
  retainsGrad?: boolean;
  /** On a base: how many in-place changes through its views rebased its history (view-inplace.ts). */
  rebases?: number;
  /** On a view: the base's `rebases` its history was last derived at. */
  derivedAt?: number;
}

export function autogradMeta(t: Tensor): AutogradMeta {
  let m = t._autogradMeta as AutogradMeta | undefined;
  if (m === undefined) {
    m = {};
    t._autogradMeta = m;
  }
  return m;
}

/** Marks a view whose history was just recorded as current with its base's in-place changes. */
export function markViewCurrent(view: Tensor): void {
  const rebases = (view._base!._autogradMeta as AutogradMeta | undefined)?.rebases;
  if (rebases !== undefined) autogradMeta(view).derivedAt = rebases;
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
