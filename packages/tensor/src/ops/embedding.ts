import { dispatch } from '../dispatch.js';
import { scalarTypeName } from '../dtype.js';
import { AssertionError, RuntimeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { mul, ne } from './arithmetic.js';
import { fromHostValues, hostValues } from './host-values.js';
import { indexAdd, indexSelect } from './indexing.js';
import { emptyTensor } from './util.js';

/**
 * F.embedding(input, weight, padding_idx=None): the rows of weight [V, D] at the int64/int32
 * indices, shaped [...input.shape, D]. The padding row receives no gradient.
 */
export function embedding(input: Tensor, weight: Tensor, paddingIdx: number | null | { paddingIdx?: number | null } = null): Tensor {
  let pad = typeof paddingIdx === 'object' && paddingIdx !== null ? (paddingIdx.paddingIdx ?? null) : paddingIdx;
  if (weight.dim() !== 2) throw new RuntimeError("'weight' must be 2-D");
  if (input.dtype !== 'int64' && input.dtype !== 'int32')
    throw new RuntimeError(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${scalarTypeName(input.dtype)}Tensor instead (while checking arguments for embedding)`,
    );
  const rows = weight.shape[0]!;
  if (pad !== null) {
    if (pad >= rows || pad < -rows) throw new AssertionError('Padding_idx must be within num_embeddings');
    if (pad < 0) pad += rows;
  }
  return dispatch('embedding', [input, weight], { paddingIdx: pad }, () =>
    indexSelect(weight, 0, input.reshape([-1])).view([...input.shape, weight.shape[1]!]),
  );
}

/** The weight gradient of embedding: each index's output gradient summed into its row (none into paddingIdx). */
export function embeddingBackward(grad: Tensor, input: Tensor, numWeights: number, paddingIdx: number | null): Tensor {
  const dim = grad.shape[grad.dim() - 1]!;
  const index = input.reshape([-1]);
  let rows = grad.reshape([-1, dim]);
  if (paddingIdx !== null) rows = mul(rows, ne(index, paddingIdx).unsqueeze(1));
  return indexAdd(emptyTensor([numWeights, dim], grad.dtype, grad.storage.backend), 0, index, rows);
}

/** F.one_hot(tensor, num_classes=-1): int64 [..., numClasses] with a 1 at each class index. */
export function oneHot(x: Tensor, numClasses = -1): Tensor {
  if (x.dtype !== 'int64') throw new RuntimeError('one_hot is only applicable to index tensor.');
  const values = hostValues(x);
  let classes = numClasses;
  if (classes === -1) {
    if (values.length === 0) throw new RuntimeError('Can not infer total number of classes from empty tensor.');
    classes = values.reduce((m, v) => Math.max(m, v), 0) + 1;
  }
  const out = new Float64Array(values.length * classes);
  values.forEach((v, i) => {
    if (v < 0) throw new RuntimeError('Class values must be non-negative.');
    if (v >= classes) throw new RuntimeError('Class values must be smaller than num_classes.');
    out[i * classes + v] = 1;
  });
  return fromHostValues(out, [...x.shape, classes], 'int64', x.storage.backend);
}
