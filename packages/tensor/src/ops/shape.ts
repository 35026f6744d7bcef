import { dispatch, dispatchedParts, dispatchedUnary } from '../dispatch.js';
import { scalarTypeName } from '../dtype.js';
import { GdTypeError, IndexError, RuntimeError } from '../errors.js';
import { contiguousStrides, formatShape, inferShape, isContiguousLayout, normalizeDim, numelOf, removeAt, viewStrides } from '../shape.js';
import { Tensor } from '../tensor.js';
import { emptyTensor, viewTensorOver } from './util.js';

/** A tensor sharing x's storage with another shape/strides/offset; recorded as `op`. */
function makeView(
  op: string,
  x: Tensor,
  attrs: Record<string, unknown>,
  shape: readonly number[],
  strides: readonly number[],
  offset = x.offset,
): Tensor {
  // shape and strides are this call's own fresh arrays: the view takes them without a copy. A view
  // is made without any other op or storage, so it needs no dispatch closure.
  x.storage.checkLive();
  return dispatchedUnary(op, x, attrs, viewTensorOver(x, shape, strides, offset));
}

export function clone(x: Tensor): Tensor {
  return dispatch('clone', [x], {}, () => {
    const out = emptyTensor(x.shape, x.dtype, x.storage.backend);
    x.storage.backend.copy(out, x);
    return out;
  });
}

export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : clone(x);
}

export function view(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, x.numel());
  const strides = viewStrides(x.shape, x.strides, target);
  if (!strides)
    throw new RuntimeError(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  return makeView('view', x, { shape: target }, target, strides);
}

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, x.numel());
  const strides = viewStrides(x.shape, x.strides, target);
  if (strides) return makeView('view', x, { shape: target }, target, strides);
  return dispatch('reshape', [x], { shape: target }, () => {
    const out = emptyTensor(target, x.dtype, x.storage.backend);
    x.storage.backend.copy(new Tensor(out.storage, x.shape.slice(), contiguousStrides(x.shape), 0, x.dtype), x);
    return out;
  });
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.dim() === 0) return reshape(x, [1]);
  const s = normalizeDim(startDim, x.dim());
  const e = normalizeDim(endDim, x.dim());
  if (s > e) throw new RuntimeError('flatten() has invalid args: start_dim cannot come after end_dim');
  if (s === e) return x;
  const shape = [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normalizeDim(dim, x.dim());
  const inner = inferShape(sizes, x.shape[d]!);
  return view(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const r = x.dim();
  const a = normalizeDim(dim0, r);
  const b = normalizeDim(dim1, r);
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  if (r > 0) {
    [shape[a], shape[b]] = [shape[b]!, shape[a]!];
    [strides[a], strides[b]] = [strides[b]!, strides[a]!];
  }
  return makeView('transpose', x, { dim0: a, dim1: b }, shape, strides);
}

export function t(x: Tensor): Tensor {
  if (x.dim() > 2) throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${x.dim()}D`);
  if (x.dim() < 2) return x;
  // Recorded as 'transpose' with `t` set, so that autograd names the node TBackward0 as PyTorch does.
  return makeView('transpose', x, { dim0: 0, dim1: 1, t: true }, [x.shape[1]!, x.shape[0]!], [x.strides[1]!, x.strides[0]!]);
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const r = x.dim();
  if (dims.length !== r)
    throw new RuntimeError(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${r} is not equal to len(dims) = ${dims.length}`.replace(
        '(sparse_coo)',
        '',
      ),
    );
  const nd = dims.map((d) => normalizeDim(d, r));
  if (new Set(nd).size !== nd.length) throw new RuntimeError('permute(): duplicate dims are not allowed.');
  return makeView(
    'permute',
    x,
    { dims: nd },
    nd.map((d) => x.shape[d]!),
    nd.map((d) => x.strides[d]!),
  );
}

export function movedim(x: Tensor, source: number, destination: number): Tensor {
  const r = x.dim();
  const s = normalizeDim(source, r);
  const d = normalizeDim(destination, r);
  const order = Array.from({ length: r }, (_, i) => i).filter((i) => i !== s);
  order.splice(d, 0, s);
  return permute(x, order);
}

export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  const n = sizes.length;
  const k = x.dim();
  if (n < k)
    throw new RuntimeError(
      `expand(torch.${scalarTypeName(x.dtype)}Tensor{${formatShape(x.shape)}}, size=${formatShape(sizes)}): the number of sizes provided (${n}) must be greater or equal to the number of dimensions in the tensor (${k})`,
    );
  const shape = new Array<number>(n);
  const strides = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    const j = i - (n - k);
    const want = sizes[i]!;
    if (j < 0) {
      if (want < 0)
        throw new RuntimeError(`The expanded size of the tensor (${want}) isn't allowed in a leading, non-existing dimension ${i}`);
      shape[i] = want;
      strides[i] = 0;
      continue;
    }
    const have = x.shape[j]!;
    if (want === -1 || want === have) {
      shape[i] = have;
      strides[i] = x.strides[j]!;
    } else if (have === 1) {
      shape[i] = want;
      strides[i] = 0;
    } else {
      throw new RuntimeError(
        `The expanded size of the tensor (${want}) must match the existing size (${have}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(sizes)}.  Tensor sizes: ${formatShape(x.shape)}`,
      );
    }
  }
  return makeView('expand', x, { size: shape }, shape, strides);
}

export function squeeze(x: Tensor, dim?: number | readonly number[] | null): Tensor {
  const r = x.dim();
  let dims: Set<number>;
  if (dim === undefined || dim === null) dims = new Set(x.shape.map((s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0));
  else dims = new Set((typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim(d, r)).filter((d) => x.shape[d] === 1));
  const shape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < r; i++) {
    if (dims.has(i)) continue;
    shape.push(x.shape[i]!);
    strides.push(x.strides[i]!);
  }
  return makeView('squeeze', x, { dim: dim ?? null }, shape, strides);
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.dim() + 1);
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  const stride = d < x.dim() ? x.shape[d]! * x.strides[d]! : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, stride);
  return makeView('unsqueeze', x, { dim: d }, shape, strides);
}

/** Python's x[..., start:end:step] on one dim (steps >= 1; negative and out-of-range bounds clamp). */
export function slice(x: Tensor, dim = 0, start: number | null = null, end: number | null = null, step = 1): Tensor {
  if (x.dim() === 0) throw new IndexError('slice() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, x.dim());
  if (!Number.isInteger(step) || step <= 0) throw new RuntimeError('slice step must be positive');
  if ((start !== null && !Number.isInteger(start)) || (end !== null && !Number.isInteger(end)))
    throw new GdTypeError('slice indices must be integers or None or have an __index__ method');
  const size = x.shape[d]!;
  const clampIdx = (v: number | null, dflt: number) => {
    if (v === null) return dflt;
    const w = v < 0 ? v + size : v;
    return Math.min(Math.max(w, 0), size);
  };
  const s = clampIdx(start, 0);
  const e = Math.max(clampIdx(end, size), s);
  const len = Math.ceil((e - s) / step);
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape[d] = len;
  strides[d] = x.strides[d]! * step;
  return makeView('slice', x, { dim: d, start: s, end: e, step }, shape, strides, x.offset + s * x.strides[d]!);
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d]!;
  const s = start < 0 ? start + size : start;
  if (s < 0 || s > size) throw new IndexError(`start out of range (expected to be in range of [${-size}, ${size}], but got ${start})`);
  if (length < 0 || s + length > size) throw new RuntimeError(`start (${s}) + length (${length}) exceeds dimension size (${size}).`);
  return slice(x, d, s, s + length, 1);
}

export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.dim() === 0) throw new IndexError('select() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d]!;
  if (!Number.isInteger(index) || index < -size || index >= size)
    throw new IndexError(`select(): index ${index} out of range for tensor of size [${x.shape.join(', ')}] at dimension ${d}`);
  const i = index < 0 ? index + size : index;
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape.splice(d, 1);
  strides.splice(d, 1);
  return makeView('select', x, { dim: d, index: i }, shape, strides, x.offset + i * x.strides[d]!);
}

/** The views `x.select(dim, i)` for every i, recorded as one op (UnbindBackward0), as PyTorch does. */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  const d = normalizeDim(dim, x.dim());
  x.storage.checkLive();
  // select(x, d, i) for every i, without its checks (every i is in range): the parts share one shape and strides.
  const shape = removeAt(x.shape, d);
  const strides = removeAt(x.strides, d);
  const parts = new Array<Tensor>(x.shape[d]!);
  for (let i = 0; i < parts.length; i++) parts[i] = viewTensorOver(x, shape, strides, x.offset + i * x.strides[d]!);
  return dispatchedParts('unbind', x, { dim: d }, parts);
}

export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim(dim, x.dim());
  const size = x.shape[d]!;
  const sizes: number[] = [];
  if (typeof splitSize === 'number') {
    if (splitSize <= 0 && size > 0) throw new RuntimeError(`split expects split_size be non-negative, but got split_size=${splitSize}`);
    for (let s = 0; s < size; s += splitSize) sizes.push(Math.min(splitSize, size - s));
    if (size === 0) sizes.push(0);
  } else {
    const total = splitSize.reduce((p, q) => p + q, 0);
    if (total !== size)
      throw new RuntimeError(
        `split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=${formatShape(splitSize)}`,
      );
    sizes.push(...splitSize);
  }
  // One recorded op whose outputs are views, as PyTorch's SplitBackward0 / SplitWithSizesBackward0.
  return dispatch('split', [x], { dim: d, sizes, withSizes: typeof splitSize !== 'number' }, () => {
    let start = 0;
    return sizes.map((len) => {
      const part = narrow(x, d, start, len);
      start += len;
      return part;
    });
  });
}

export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (x.dim() === 0) throw new RuntimeError('chunk expects at least a 1-dimensional tensor');
  if (!Number.isInteger(chunks) || chunks <= 0) throw new RuntimeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = normalizeDim(dim, x.dim());
  // PyTorch gives `chunks` empty pieces of an empty dim.
  if (x.shape[d] === 0) return split(x, new Array<number>(chunks).fill(0), d);
  return split(x, Math.max(1, Math.ceil(x.shape[d]! / chunks)), d);
}

export function isContiguousTensor(x: Tensor): boolean {
  return isContiguousLayout(x.shape, x.strides);
}
