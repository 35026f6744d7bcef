import { cat, GdTypeError, RuntimeError, Tensor, withGradMode } from '@gd/tensor';

/** Every parameter flattened and joined into one 1-D tensor (recorded, as in PyTorch). */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  const list = [...parameters];
  checkSameBackend(list);
  return cat(list.map((p) => p.view(-1)));
}

/**
 * Copies consecutive slices of `vec` into the parameters, in order. (PyTorch rebinds each
 * parameter's data to a view of vec; gd copies, so vec and the parameters stay independent.)
 */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) throw new GdTypeError(`expected torch.Tensor, but got: ${typeof vec}`);
  const list = [...parameters];
  checkSameBackend(list);
  const total = list.reduce((n, p) => n + p.numel(), 0);
  if (vec.dim() !== 1 || vec.numel() !== total)
    throw new RuntimeError(`shape '[${vec.shape.join(', ')}]' does not hold the ${total} values the parameters need`);
  withGradMode(false, () => {
    let pointer = 0;
    for (const p of list) {
      const n = p.numel();
      p.copy_(vec.slice(0, pointer, pointer + n).view(p.shape as number[]));
      pointer += n;
    }
  });
}

function checkSameBackend(list: readonly Tensor[]): void {
  const first = list[0]?.device;
  for (const p of list)
    if (p.device !== first) throw new GdTypeError('Found two parameters on different devices, this is currently not supported.');
}
