import { asStrided, RuntimeError, type Tensor, withGradMode } from '@gd/tensor';
import { recordNode } from './recorder.js';
import { type AutogradMeta, autogradMeta } from './tensor-meta.js';

/**
 * The history of a tensor written in place by a recorded op (the `inplaceHistory` hook of
 * @gd/tensor): it becomes the result's. When the tensor is a view, its base changed too, so the
 * base gets a CopySlices node (the old base with the view's region replaced by the result), and
 * the view is then re-derived from the new base, as in PyTorch.
 */
export function inplaceHistory(self: Tensor, result: Tensor): void {
  const base = self._base;
  if (base === null) {
    self._setHistory(result.gradFn, result.outputNr);
    return;
  }
  if (!base.isContiguous()) {
    throw new RuntimeError(
      'autograd cannot follow an in-place change of a view of a non-contiguous tensor: make the base contiguous first',
    );
  }
  const region = { size: self.shape, stride: self.strides, storageOffset: self.offset - base.offset, copySlices: true };
  recordNode('asStridedScatter', [base, result], region, [base]);
  const baseMeta = autogradMeta(base);
  baseMeta.rebases = (baseMeta.rebases ?? 0) + 1;
  rederive(self, base, baseMeta.rebases);
}

/**
 * The `refreshView` hook: other views of a base changed in place keep a stale history until they
 * are next used; then they are re-derived from the base's current history.
 */
export function refreshView(view: Tensor): void {
  const base = view._base!;
  const rebases = (base._autogradMeta as AutogradMeta | undefined)?.rebases;
  if (rebases === undefined || (view._autogradMeta as AutogradMeta | undefined)?.derivedAt === rebases) return;
  rederive(view, base, rebases);
}

function rederive(view: Tensor, base: Tensor, rebases: number): void {
  autogradMeta(view).derivedAt = rebases;
  // Recording marks `fresh` current, so reading its history below does not re-derive it again.
  const fresh = withGradMode(true, () => asStrided(base, view.shape, view.strides, view.offset));
  view._setHistory(fresh.gradFn, fresh.outputNr);
}
