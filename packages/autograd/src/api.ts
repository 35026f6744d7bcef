import { RuntimeError, type HookHandle, type Tensor } from '@gd/tensor';
import { runBackward } from './engine.js';
import type { GradNode, TensorHook } from './node.js';
import { autogradMeta, gradientEdge } from './tensor-meta.js';

export interface BackwardOptions {
  /** Keep saved tensors so the graph can be backpropagated again (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order derivatives. */
  createGraph?: boolean;
  /** Accumulate only into these tensors' `.grad`. */
  inputs?: Tensor | readonly Tensor[];
}

export interface GradOptions {
  /** The vector of the vector-Jacobian product, one per output (needed for non-scalar outputs). */
  gradOutputs?: Tensor | readonly (Tensor | null)[] | null;
  retainGraph?: boolean;
  createGraph?: boolean;
  /** Return null for an input the outputs do not depend on, instead of raising. */
  allowUnused?: boolean;
}

const asList = <T>(x: T | readonly T[]): readonly T[] => (Array.isArray(x) ? (x as readonly T[]) : [x as T]);

/**
 * torch.autograd.backward: accumulates d(sum of outputs · gradTensors)/d(leaf) into every leaf's
 * `.grad` (or only into `inputs`).
 */
export function backward(
  tensors: Tensor | readonly Tensor[],
  gradTensors?: Tensor | readonly (Tensor | null)[] | null,
  options: BackwardOptions = {},
): void {
  const outputs = asList(tensors);
  const grads = gradTensors === undefined || gradTensors === null ? [] : asList(gradTensors);
  let inputs: readonly Tensor[] | null = null;
  if (options.inputs !== undefined) {
    inputs = asList(options.inputs);
    if (inputs.length === 0) throw new RuntimeError("'inputs' argument to backward() cannot be empty.");
  }
  const createGraph = options.createGraph ?? false;
  runBackward(outputs, grads, { retainGraph: options.retainGraph ?? createGraph, createGraph, inputs, capture: false, allowUnused: true });
}

/**
 * torch.autograd.grad: the gradients of `outputs` with respect to `inputs`, returned rather than
 * accumulated (no `.grad` is touched). With `createGraph` they are differentiable themselves.
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): (Tensor | null)[] {
  const outs = asList(outputs);
  const ins = asList(inputs);
  const g = options.gradOutputs;
  const grads = g === undefined || g === null ? [] : asList(g);
  const createGraph = options.createGraph ?? false;
  return runBackward(outs, grads, {
    retainGraph: options.retainGraph ?? createGraph,
    createGraph,
    inputs: ins,
    capture: true,
    allowUnused: options.allowUnused ?? false,
  });
}

/** Tensor.registerHook: the hook sees (and may replace) the gradient of t in every backward. */
export function registerHook(t: Tensor, hook: TensorHook): HookHandle {
  const edge = gradientEdge(t);
  if (edge === null) throw new RuntimeError("cannot register a hook on a tensor that doesn't require gradient");
  const hooks = edge[0].hooksOf(edge[1]).hooks;
  hooks.push(hook);
  return {
    remove() {
      const i = hooks.indexOf(hook);
      if (i >= 0) hooks.splice(i, 1);
    },
  };
}

/** Tensor.retainGrad: a non-leaf keeps its gradient in `.grad` (a no-op on leaves). */
export function retainGrad(t: Tensor): void {
  if (!t.requiresGrad) throw new RuntimeError("can't retain_grad on Tensor that has requires_grad=False");
  if (t.isLeaf) return;
  (t.gradFn as GradNode).hooksOf(t.outputNr).retained = t;
  autogradMeta(t).retainsGrad = true;
}
