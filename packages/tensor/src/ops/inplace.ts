import { autograd, autogradLoaded, viewHistories } from '../autograd-hooks.js';
import { canCast, type DType, scalarTypeName } from '../dtype.js';
import { canRecord } from '../dispatch.js';
import { RuntimeError } from '../errors.js';
import { isGradEnabled } from '../grad-mode.js';
import { formatShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** PyTorch's refusal to change a leaf that requires grad while grad mode is on. */
export function checkInplaceAllowed(self: Tensor): void {
  if (!isGradEnabled()) return;
  if (self.requiresGrad && self.isLeaf) {
    throw new RuntimeError('a leaf Variable that requires grad is being used in an in-place operation.');
  }
  const base = self._base;
  if (base?.requiresGrad && base.isLeaf) {
    throw new RuntimeError('a view of a leaf Variable that requires grad is being used in an in-place operation.');
  }
  const fn = self.gradFn;
  if (base !== null && fn !== null && MULTI_VIEW_NODES.has(fn.name)) {
    throw new RuntimeError(
      `Output ${self.outputNr} of ${fn.name} is a view and is being modified inplace. This view is the output of a function that returns multiple views. ` +
        'Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.',
    );
  }
}

/** Nodes of ops returning several views of one tensor: one history cannot be rebased for all of them. */
const MULTI_VIEW_NODES = new Set(['UnbindBackward0', 'SplitBackward0', 'SplitWithSizesBackward0']);

/** Whether an in-place op on self with `others` is recorded by autograd (canRecord first: it is false under noGrad). */
export function inplaceRecordable(self: Tensor, others: readonly (Tensor | null)[]): boolean {
  if (!canRecord()) return false;
  if (self.requiresGrad) return true;
  for (let i = 0; i < others.length; i++) if (others[i]?.requiresGrad) return true;
  return false;
}

/**
 * Runs an in-place op. Outside autograd it lets `fast` write straight into self. When the call
 * must be recorded it computes the out-of-place result from a recorded clone of self (so the
 * old values that backward may need are kept), copies it in, and moves self's history onto it.
 * Every check runs before anything is written, so a refused call leaves self unchanged.
 */
export function applyInplace(
  self: Tensor,
  others: readonly (Tensor | null)[],
  resultDtype: DType,
  resultShape: readonly number[],
  outOfPlace: (selfValue: Tensor) => Tensor,
  fast: () => void,
): Tensor {
  checkInplaceAllowed(self);
  if (!canCast(resultDtype, self.dtype)) {
    throw new RuntimeError(
      `result type ${scalarTypeName(resultDtype)} can't be cast to the desired output type ${scalarTypeName(self.dtype)}`,
    );
  }
  if (!shapesEqual(resultShape, self.shape)) {
    throw new RuntimeError(`output with shape ${formatShape(self.shape)} doesn't match the broadcast shape ${formatShape(resultShape)}`);
  }
  if (inplaceRecordable(self, others)) {
    const result = outOfPlace(self.clone());
    self.storage.backend.copy(self, result);
    self.storage.version++;
    // Autograd gives self the result's history (and, for a view, rebases its base's history).
    if (self._base !== null) viewHistories.rebased = true;
    if (autogradLoaded()) autograd().inplaceHistory(self, result);
    return self;
  }
  fast();
  self.storage.version++;
  return self;
}
