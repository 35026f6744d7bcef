import { RuntimeError } from './errors.js';
import type { Tensor } from './tensor.js';

/** A node of the backward graph, as a tensor shows it (`t.gradFn`). @gd/autograd implements it. */
export interface GradFn {
  /** PyTorch's name for the node: `MulBackward0`, `AccumulateGrad`, … */
  readonly name: string;
  /** The nodes this one passes gradients to, with the input index on that node. */
  readonly nextFunctions: readonly (readonly [GradFn | null, number])[];
}

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
  inputs?: Tensor | readonly Tensor[];
}

export interface HookHandle {
  remove(): void;
}

/** What @gd/autograd installs when it is imported. */
export interface AutogradHooks {
  backward(t: Tensor, gradient: Tensor | null, options: BackwardOptions): void;
  retainGrad(t: Tensor): void;
  registerHook(t: Tensor, hook: (grad: Tensor) => Tensor | void): HookHandle;
  /**
   * After a recorded in-place op wrote `result` into `self`: self takes result's history, and when
   * self is a view, its base's history is rebased (PyTorch's CopySlices) so the base's gradient
   * flows through the change too.
   */
  inplaceHistory(self: Tensor, result: Tensor): void;
  /** Re-derives the history of a view whose base was changed in place since (through another view). */
  refreshView(view: Tensor): void;
  /** The tensors the graphs of `roots` saved for backward (scope() keeps them alive with the roots). */
  savedTensors(roots: readonly Tensor[]): Tensor[];
}

const KEY = Symbol.for('@gd/tensor/autograd-hooks');
const holder = globalThis as unknown as Record<symbol, AutogradHooks | undefined>;

export function installAutograd(hooks: AutogradHooks): void {
  holder[KEY] = hooks;
}

export function autograd(): AutogradHooks {
  const h = holder[KEY];
  if (!h) {
    throw new RuntimeError(
      "backward() needs @gd/autograd: add `import '@gd/autograd';` (or import anything from it) before computing gradients",
    );
  }
  return h;
}

/**
 * Whether a recorded in-place op has ever changed a view (autograd then rebases its base's
 * history, which can leave other views of that base stale). Until then reading a view's history
 * needs no refresh. Shared by every copy of this package, as the hooks are.
 */
export const viewHistories: { rebased: boolean } = ((globalThis as unknown as Record<symbol, { rebased: boolean } | undefined>)[
  Symbol.for('@gd/tensor/view-histories')
] ??= { rebased: false });

export function autogradLoaded(): boolean {
  return holder[KEY] !== undefined;
}
