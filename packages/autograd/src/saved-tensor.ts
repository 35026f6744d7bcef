import { RuntimeError, scalarTypeName, type Tensor } from '@gd/tensor';
import { nullSlots } from './slots.js';

export const FREED_GRAPH_MESSAGE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
  'Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). ' +
  'Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

/**
 * A tensor kept for backward, with the storage version it had when saved: unpacking it after an
 * in-place change would silently give a wrong gradient, so it raises PyTorch's error instead.
 */
export class SavedTensor {
  // Declared and assigned in the constructor, not class fields (see GradNode).
  declare readonly tensor: Tensor;
  declare private readonly producerName: string | undefined;
  declare private readonly producerOutputNr: number;
  declare private readonly version: number;

  /**
   * `producer` is given for an op's own saved outputs: PyTorch's error then names the op that made
   * them even if a later in-place op gave the tensor a new grad_fn (for saved inputs it names the
   * tensor's current grad_fn).
   */
  constructor(tensor: Tensor, producerName?: string, producerOutputNr = 0) {
    this.tensor = tensor;
    this.producerName = producerName;
    this.producerOutputNr = producerOutputNr;
    this.version = tensor.storage.version;
  }

  unpack(): Tensor {
    const t = this.tensor;
    if (t.storage.version !== this.version) this.throwModified();
    return t;
  }

  /** PyTorch's error for a saved tensor changed in place since (apart from unpack, to keep it small enough to inline). */
  private throwModified(): never {
    const t = this.tensor;
    const now = t.storage.version;
    const node =
      this.producerName !== undefined
        ? { name: this.producerName, outputNr: this.producerOutputNr }
        : t.gradFn
          ? { name: t.gradFn.name, outputNr: t.outputNr }
          : null;
    const producer = node ? `, which is output ${node.outputNr} of ${node.name},` : '';
    throw new RuntimeError(
      `one of the variables needed for gradient computation has been modified by an inplace operation: ` +
        `[torch.${scalarTypeName(t.dtype)}Tensor [${t.shape.join(', ')}]]${producer} is at version ${now}; expected version ${this.version} instead. ` +
        'Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).',
    );
  }
}

/** Saves the tensors at `positions` of `from` (null elsewhere); null when nothing is saved. */
export function saveAt(
  from: readonly (Tensor | null)[],
  positions: readonly number[] | undefined,
  producerName?: string,
): (SavedTensor | null)[] | null {
  if (positions === undefined || positions.length === 0) return null;
  const out = nullSlots<SavedTensor>(from.length);
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    const t = from[p];
    if (t) out[p] = new SavedTensor(t, producerName, p);
  }
  return out;
}

/** Shared all-null `ctx.inputs` / `ctx.outputs`; not frozen, for the reason given at SHARED_NEEDS_GRAD (node.ts). */
const NOTHING_SAVED: (readonly null[])[] = [];

/** The saved tensors, version-checked, at their positions among `length` slots (null elsewhere). */
export function unpackAll(saved: readonly (SavedTensor | null)[] | null, length: number): readonly (Tensor | null)[] {
  if (saved === null) return (NOTHING_SAVED[length] ??= nullSlots<never>(length));
  const out = nullSlots<Tensor>(length);
  for (let i = 0; i < saved.length; i++) out[i] = saved[i]?.unpack() ?? null;
  return out;
}
