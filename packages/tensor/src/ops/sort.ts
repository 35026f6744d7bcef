import { dispatch } from '../dispatch.js';
import { RuntimeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { fromHostValues } from './host-values.js';
import { emptyTensor } from './util.js';
import { ValuesIndices } from './values-indices.js';

export type SortOptions = {
  dim?: number;
  descending?: boolean;
  /** Accepted for PyTorch compatibility: gd's sort is always stable. */
  stable?: boolean;
};

/** Values and int64 indices of x sorted along d (stable; NaN counts as the largest). */
function sortAlong(x: Tensor, d: number, descending: boolean): [Tensor, Tensor] {
  const backend = x.storage.backend;
  const values = emptyTensor(x.shape, x.dtype, backend);
  const indices = emptyTensor(x.shape, 'int64', backend);
  backend.sort(values, indices, x, d, descending);
  return [values, indices];
}

/**
 * Sorts along `dim` (default -1), stably: equal elements keep their order; NaN sorts as the largest.
 * Dispatch: 'sort', inputs [x], attrs {dim: number (normalized), descending}, 2 outputs [values, indices].
 */
export function sort(x: Tensor, o: SortOptions = {}): ValuesIndices {
  const d = normalizeDim(o.dim ?? -1, x.dim());
  const descending = o.descending ?? false;
  const [values, indices] = dispatch('sort', [x], { dim: d, descending }, () => sortAlong(x, d, descending));
  return new ValuesIndices('sort', values!, indices!);
}

/** The indices that sort x along dim (int64). */
export function argsort(x: Tensor, o: SortOptions = {}): Tensor {
  return sort(x, o).indices;
}

export type TopkOptions = {
  dim?: number;
  /** The k largest (default) or the k smallest. */
  largest?: boolean;
  /** Accepted for PyTorch compatibility: the result is always sorted. */
  sorted?: boolean;
};

/** The first `count` entries along d of a sorted pair, as contiguous tensors. */
function leading(t: Tensor, d: number, count: number): Tensor {
  return t.narrow(d, 0, count).contiguous();
}

/**
 * The k largest (or smallest) elements along dim (default -1), sorted, with their int64 indices.
 * Among equal values the lower index comes first (PyTorch leaves that order to its selection
 * algorithm, so its indices for ties can differ).
 * Dispatch: 'topk', inputs [x], attrs {k, dim: number (normalized), largest, sorted}, 2 outputs [values, indices].
 */
export function topk(x: Tensor, k: number, o: TopkOptions = {}): ValuesIndices {
  const d = normalizeDim(o.dim ?? -1, x.dim());
  const size = x.shape[d] ?? 1;
  if (!Number.isInteger(k) || k < 0 || k > size) throw new RuntimeError('selected index k out of range');
  const largest = o.largest ?? true;
  const [values, indices] = dispatch('topk', [x], { k, dim: d, largest, sorted: o.sorted ?? true }, () => {
    if (x.dim() === 0) return sortAlong(x, d, largest);
    const [v, i] = sortAlong(x, d, largest);
    return [leading(v, d, k), leading(i, d, k)];
  });
  return new ValuesIndices('topk', values!, indices!);
}

/**
 * The k-th smallest element (1-based) along dim (default -1) and its int64 index.
 * Dispatch: 'kthvalue', inputs [x], attrs {k, dim: number (normalized), keepdim}, 2 outputs [values, indices].
 */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): ValuesIndices {
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d] ?? 1;
  if (!Number.isInteger(k) || k < 1 || k > size) throw new RuntimeError(`kthvalue(): selected number k out of range for dimension ${d}`);
  const [values, indices] = dispatch('kthvalue', [x], { k, dim: d, keepdim }, () => {
    const [v, i] = sortAlong(x, d, false);
    if (x.dim() === 0) return [v, i];
    const pick = (t: Tensor) => (keepdim ? t.narrow(d, k - 1, 1) : t.select(d, k - 1)).contiguous();
    return [pick(v), pick(i)];
  });
  return new ValuesIndices('kthvalue', values!, indices!);
}

export type UniqueOptions = {
  /** Accepted for PyTorch compatibility: the values always come out sorted. */
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
};

/**
 * The distinct values of x (flattened), sorted; with `returnInverse` / `returnCounts` also the
 * int64 position of each element in the result and the count of each value, as an array
 * [values, inverse?, counts?] in that order. Not differentiable.
 */
export function unique(x: Tensor, o: UniqueOptions = {}): Tensor | Tensor[] {
  const data = x.detach().dataSync();
  const order = Array.from(data.keys()).sort((p, q) => {
    const a = data[p]!,
      b = data[q]!;
    if (a !== a) return b !== b ? p - q : 1;
    if (b !== b) return -1;
    return a - b || p - q;
  });
  const values: number[] = [];
  const counts: number[] = [];
  const inverse = new Float64Array(data.length);
  for (const p of order) {
    const v = data[p]!;
    if (values.length === 0 || values[values.length - 1] !== v) {
      values.push(v);
      counts.push(0);
    }
    counts[counts.length - 1]!++;
    inverse[p] = values.length - 1;
  }
  const backend = x.storage.backend;
  return dispatch('unique', [x], { returnInverse: o.returnInverse ?? false, returnCounts: o.returnCounts ?? false }, () => {
    const out = fromHostValues(values, [values.length], x.dtype, backend);
    if (!o.returnInverse && !o.returnCounts) return out;
    const result = [out];
    if (o.returnInverse) result.push(fromHostValues(inverse, x.shape, 'int64', backend));
    if (o.returnCounts) result.push(fromHostValues(counts, [counts.length], 'int64', backend));
    return result;
  });
}
