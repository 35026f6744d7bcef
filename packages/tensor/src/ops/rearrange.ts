import { dispatch } from '../dispatch.js';
import { RuntimeError } from '../errors.js';
import { contiguousStrides, normalizeDim, normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { fromHostValues } from './host-values.js';
import { emptyTensor, viewOf } from './util.js';

/**
 * x tiled `repeats[i]` times along each dim; repeats may have more entries than x has dims
 * (x then gains leading dims).
 * Dispatch: 'repeat', inputs [x], attrs {repeats: number[]}, 1 output.
 */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < x.dim())
    throw new RuntimeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  for (const r of repeats)
    if (!Number.isInteger(r) || r < 0)
      throw new RuntimeError(`Trying to create tensor with negative dimension ${r}: [${repeats.join(', ')}]`);
  const lead = repeats.length - x.dim();
  const sizes = repeats.map((_, i) => (i < lead ? 1 : x.shape[i - lead]!));
  const strides = repeats.map((_, i) => (i < lead ? 0 : x.strides[i - lead]!));
  const shape = repeats.map((r, i) => r * sizes[i]!);
  return dispatch('repeat', [x], { repeats: repeats.slice() }, () => {
    const backend = x.storage.backend;
    const out = emptyTensor(shape, x.dtype, backend);
    // out seen as [r0, s0, r1, s1, ...] is x broadcast along every r dim.
    const pairShape = repeats.flatMap((r, i) => [r, sizes[i]!]);
    const pairStrides = contiguousStrides(pairShape);
    backend.copy(
      viewOf(out, pairShape, pairStrides),
      viewOf(
        x,
        pairShape,
        strides.flatMap((s) => [0, s]),
      ),
    );
    return out;
  });
}

/** torch.tile: `repeat` with missing leading repeats taken as 1. */
export function tile(x: Tensor, dims: readonly number[]): Tensor {
  const padded = dims.length < x.dim() ? [...new Array<number>(x.dim() - dims.length).fill(1), ...dims] : dims;
  return repeat(x, padded);
}

/** The int64 indices size-1, …, 0. */
function reversedIndex(size: number, x: Tensor): Tensor {
  return fromHostValues(
    Array.from({ length: size }, (_, i) => size - 1 - i),
    [size],
    'int64',
    x.storage.backend,
  );
}

/**
 * x with the order of elements reversed along each of `dims` (a copy, as in PyTorch).
 * Dispatch: 'flip', inputs [x], attrs {dims: number[] (normalized)}, 1 output.
 */
export function flip(x: Tensor, dims: readonly number[]): Tensor {
  const nd = normalizeDims(dims, x.dim());
  return dispatch('flip', [x], { dims: nd }, () => {
    const backend = x.storage.backend;
    let cur = x;
    for (const d of nd) {
      const out = emptyTensor(cur.shape, x.dtype, backend);
      backend.indexSelect(out, cur, d, reversedIndex(cur.shape[d]!, x));
      cur = out;
    }
    return nd.length === 0 ? x.clone() : cur;
  });
}

/**
 * x shifted circularly by `shifts` along `dims`; with no dims, x is flattened, rolled and
 * reshaped back.
 * Dispatch: 'roll', inputs [x], attrs {shifts: number[], dims: number[] (normalized; empty = flattened)}, 1 output.
 */
export function roll(x: Tensor, shifts: number | readonly number[], dims: number | readonly number[] | null = null): Tensor {
  const s = typeof shifts === 'number' ? [shifts] : shifts.slice();
  const ds = dims === null ? [] : typeof dims === 'number' ? [dims] : dims.slice();
  if (ds.length === 0 && s.length !== 1) throw new RuntimeError(`shifts and dimensions must align. shifts: ${s.length}, dims:${ds.length}`);
  if (ds.length > 0 && s.length !== ds.length)
    throw new RuntimeError(`shifts and dimensions must align. shifts: ${s.length}, dims:${ds.length}`);
  const nd = ds.map((d) => normalizeDim(d, x.dim()));
  return dispatch('roll', [x], { shifts: s, dims: nd }, () => {
    if (nd.length === 0) return rollAlong(x.reshape(-1), 0, s[0]!).view(x.shape);
    return nd.reduce((cur, d, i) => rollAlong(cur, d, s[i]!), x);
  });
}

/** One circular shift along d: out[(i + shift) mod n] = x[i]. */
function rollAlong(x: Tensor, d: number, shift: number): Tensor {
  const backend = x.storage.backend;
  const n = x.shape[d]!;
  const out = emptyTensor(x.shape, x.dtype, backend);
  if (n === 0) return out;
  const k = ((shift % n) + n) % n;
  const part = (t: Tensor, start: number, len: number) => {
    const shape = t.shape.slice();
    shape[d] = len;
    return viewOf(t, shape, t.strides, t.offset + start * t.strides[d]!);
  };
  backend.copy(part(out, k, n - k), part(x, 0, n - k));
  backend.copy(part(out, 0, k), part(x, n - k, k));
  return out;
}
