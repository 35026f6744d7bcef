import type { View } from '../backend/backend.js';
import { dispatch } from '../dispatch.js';
import { type DType, scalarTypeName } from '../dtype.js';
import { IndexError, RuntimeError } from '../errors.js';
import { broadcastShapes, formatShape, normalizeDim, numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { castScalar } from './elementwise.js';
import { fromHostValues, hostValues } from './host-values.js';
import { applyInplace } from './inplace.js';
import { broadcastView, commonBackend, emptyTensor, scalarTensor, viewOf } from './util.js';

// ------------------------------------------------------------ helpers

/** A 0-d view seen as shape [1], since the gather/scatter kernels index along a real dim. */
function atLeast1d(v: View): View {
  return v.shape.length === 0 ? viewOf(v, [1], [1]) : v;
}

function checkLong(op: string, index: Tensor): void {
  if (index.dtype !== 'int64') throw new RuntimeError(`${op}(): Expected dtype int64 for index`);
}

/** PyTorch counts a 0-d tensor as having one dim in the gather/scatter shape checks. */
const rankOf = (t: Tensor): number => Math.max(t.dim(), 1);
const sizeAt = (t: Tensor, d: number): number => t.shape[d] ?? 1;

function checkBounds(values: Float64Array, size: number, d: number): void {
  for (const v of values)
    if (v < 0 || v >= size) throw new RuntimeError(`index ${v} is out of bounds for dimension ${d} with size ${size}`);
}

// ------------------------------------------------------------ index_select, gather, take

/**
 * The entries of x at `index` (a 1-d int32/int64 tensor) along dim.
 * Dispatch: 'indexSelect', inputs [x, index], attrs {dim: number (normalized)}, 1 output.
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new RuntimeError('index_select(): Expected dtype int32 or int64 for index');
  if (index.dim() > 1) throw new IndexError('index_select(): Index is supposed to be a vector');
  const d = normalizeDim(dim, x.dim());
  const size = sizeAt(x, d);
  for (const v of hostValues(index)) if (v < 0 || v >= size) throw new IndexError('index out of range in self');
  const shape = x.shape.slice();
  if (x.dim() > 0) shape[d] = index.numel();
  const backend = commonBackend(x, index);
  return dispatch('indexSelect', [x, index], { dim: d }, () => {
    const out = emptyTensor(shape, x.dtype, backend);
    const outView = x.dim() === 0 ? viewOf(out, [index.numel()], [1]) : out;
    backend.indexSelect(outView, atLeast1d(x), d, atLeast1d(index));
    return out;
  });
}

/**
 * out[i][j] = x[i][index[i][j]] for dim 1 (and likewise for other dims); index is int64 with
 * x's number of dims and no larger than x outside dim.
 * Dispatch: 'gather', inputs [x, index], attrs {dim: number (normalized)}, 1 output.
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkLong('gather', index);
  const d = normalizeDim(dim, x.dim());
  if (rankOf(index) !== rankOf(x)) throw new RuntimeError('Index tensor must have the same number of dimensions as input tensor');
  for (let k = 0; k < index.dim(); k++)
    if (k !== d && index.shape[k]! > sizeAt(x, k))
      throw new RuntimeError(
        `Size does not match at dimension ${k} expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(x.shape)} apart from dimension ${d}`,
      );
  checkBounds(hostValues(index), sizeAt(x, d), d);
  const backend = commonBackend(x, index);
  return dispatch('gather', [x, index], { dim: d }, () => {
    const out = emptyTensor(index.shape, x.dtype, backend);
    backend.gather(atLeast1d(out), atLeast1d(x), d, atLeast1d(index));
    return out;
  });
}

/**
 * x viewed as 1-d, read at `index` (int64, any shape; negative indices count from the end).
 * Dispatch: 'take', inputs [x, index], attrs {}, 1 output (index's shape).
 */
export function take(x: Tensor, index: Tensor): Tensor {
  if (index.dtype !== 'int64') throw new RuntimeError(`take(): Expected a long tensor for index, but got ${scalarTypeName(index.dtype)}`);
  const n = x.numel();
  const wrapped = hostValues(index).map((v) => {
    if (v < -n || v >= n) throw new IndexError(`out of range: tried to access index ${v} on a tensor of ${n} elements.`);
    return v < 0 ? v + n : v;
  });
  const backend = commonBackend(x, index);
  return dispatch('take', [x, index], {}, () => {
    const flatIndex = fromHostValues(wrapped, [wrapped.length], 'int64', backend);
    const out = emptyTensor([wrapped.length], x.dtype, backend);
    backend.indexSelect(out, x.reshape(-1), 0, flatIndex);
    return out.view(index.shape);
  });
}

// ------------------------------------------------------------ scatter family

/** PyTorch's scatter shape check: index fits in self (outside dim) and in src (everywhere). */
function checkScatterShapes(x: Tensor, d: number, index: Tensor, src: Tensor | null): void {
  if (rankOf(index) !== rankOf(x)) throw new RuntimeError('Index tensor must have the same number of dimensions as self tensor');
  if (src && rankOf(src) !== rankOf(x)) throw new RuntimeError('Index tensor must have the same number of dimensions as src tensor');
  for (let k = 0; k < index.dim(); k++) {
    const tooBig = (k !== d && index.shape[k]! > sizeAt(x, k)) || (src !== null && index.shape[k]! > sizeAt(src, k));
    if (tooBig) {
      const srcPart = src ? ` and to be smaller size than src ${formatShape(src.shape)}` : '';
      throw new RuntimeError(
        `Expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(x.shape)} apart from dimension ${d}${srcPart}`,
      );
    }
  }
}

/** Validates a scatter-family call (before anything is written); returns dim and the index values. */
function checkScatterArgs(x: Tensor, dim: number, index: Tensor, src: Tensor | null): { d: number; values: Float64Array } {
  checkLong('scatter', index);
  if (src && src.dtype !== x.dtype) throw new RuntimeError('scatter(): Expected self.dtype to be equal to src.dtype');
  const d = normalizeDim(dim, x.dim());
  checkScatterShapes(x, d, index, src);
  const values = hostValues(index);
  checkBounds(values, sizeAt(x, d), d);
  commonBackend(x, index, src);
  return { d, values };
}

/** src's leading corner of the given shape (scatter reads src only where index has entries). */
function cutTo(src: Tensor, shape: readonly number[]): View {
  const s = atLeast1d(src);
  return viewOf(s, shape, s.strides.slice(0, shape.length));
}

/**
 * Which index entries win when several write the same place: the last one in row-major order,
 * as PyTorch's sequential CPU loop does.
 */
function lastWriters(x: Tensor, d: number, index: Tensor, values: Float64Array): Uint8Array {
  const keep = new Uint8Array(values.length);
  const winner = new Map<number, number>();
  const shape = index.shape;
  const coord = new Array<number>(shape.length).fill(0);
  const xStrides = x.shape.map((_, k) => numelOf(x.shape.slice(k + 1)));
  for (let j = 0; j < values.length; j++) {
    let key = 0;
    for (let k = 0; k < shape.length; k++) key += (k === d ? values[j]! : coord[k]!) * xStrides[k]!;
    winner.set(key, j);
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++coord[k]! < shape[k]!) break;
      coord[k] = 0;
    }
  }
  for (const j of winner.values()) keep[j] = 1;
  return keep;
}

/** x with src (or the scalar `value`) written at index along d; src is cut to index's shape. */
function scatterValues(x: Tensor, d: number, index: Tensor, values: Float64Array, src: Tensor | number): Tensor {
  const backend = x.storage.backend;
  const keep = fromHostValues(lastWriters(x, d, index, values), index.shape, 'bool', backend);
  const zero = scalarTensor(0, x.dtype, backend);
  const source =
    typeof src === 'number'
      ? broadcastView(scalarTensor(castScalar(src, x.dtype), x.dtype, backend), index.shape)
      : cutTo(src, index.shape);
  const kept = emptyTensor(index.shape, x.dtype, backend);
  backend.where(kept, keep, source, broadcastView(zero, index.shape));
  const hits = emptyTensor(x.shape, 'float32', backend);
  const keptMask = emptyTensor(index.shape, 'float32', backend);
  backend.copy(keptMask, keep);
  backend.scatterAdd(atLeast1d(hits), d, atLeast1d(index), atLeast1d(keptMask));
  const written = emptyTensor(x.shape, x.dtype, backend);
  backend.scatterAdd(atLeast1d(written), d, atLeast1d(index), atLeast1d(kept));
  const isHit = emptyTensor(x.shape, 'bool', backend);
  backend.binaryScalar('ne', isHit, hits, 0, false);
  const out = emptyTensor(x.shape, x.dtype, backend);
  backend.where(out, isHit, written, x);
  return out;
}

/**
 * x with `src` (a tensor of x's dtype, or a number) written at `index` along dim:
 * out[i][index[i][j]] = src[i][j] for dim 1. Where indices repeat, the last write wins.
 * Dispatch: 'scatter', inputs [x, index, src or null], attrs {dim: number (normalized), value?: number}, 1 output.
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  const srcT = src instanceof Tensor ? src : null;
  const { d, values } = checkScatterArgs(x, dim, index, srcT);
  const attrs = srcT ? { dim: d } : { dim: d, value: src };
  return dispatch('scatter', [x, index, srcT], attrs, () => scatterValues(x, d, index, values, src));
}

/** In-place `scatter`. */
export function scatter_(x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  const srcT = src instanceof Tensor ? src : null;
  const { d, values } = checkScatterArgs(x, dim, index, srcT);
  return applyInplace(
    x,
    [index, srcT],
    x.dtype,
    x.shape,
    (s) => scatter(s, d, index, src),
    () => x.storage.backend.copy(x, scatterValues(x, d, index, values, src)),
  );
}

/**
 * x plus src added at index along dim (repeated indices accumulate).
 * Dispatch: 'scatterAdd', inputs [x, index, src], attrs {dim: number (normalized)}, 1 output.
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const { d } = checkScatterArgs(x, dim, index, src);
  return dispatch('scatterAdd', [x, index, src], { dim: d }, () => {
    const out = emptyTensor(x.shape, x.dtype, x.storage.backend);
    x.storage.backend.copy(out, x);
    x.storage.backend.scatterAdd(atLeast1d(out), d, atLeast1d(index), atLeast1d(src));
    return out;
  });
}

/** In-place `scatterAdd`. */
export function scatterAdd_(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const { d } = checkScatterArgs(x, dim, index, src);
  return applyInplace(
    x,
    [index, src],
    x.dtype,
    x.shape,
    (s) => scatterAdd(s, d, index, src),
    () => x.storage.backend.scatterAdd(atLeast1d(x), d, atLeast1d(index), atLeast1d(src)),
  );
}

// ------------------------------------------------------------ index_add

/** Validates index_add's arguments; returns dim and `source` broadcast to x's shape with index.numel() at dim. */
function indexAddArgs(x: Tensor, dim: number, index: Tensor, source: Tensor): { d: number; src: View } {
  if (index.dtype !== 'int64' && index.dtype !== 'int32')
    throw new RuntimeError(`index_add_(): Expected dtype int32/int64 for index but got: ${scalarTypeName(index.dtype)}`);
  if (index.dim() > 1)
    throw new IndexError(
      `index_add_(): Index is supposed to be a vector, but got dim: ${index.dim()} with type: ${scalarTypeName(index.dtype)} and size: ${formatShape(index.shape)}`,
    );
  if (source.dtype !== x.dtype)
    throw new RuntimeError(
      `index_add_(): self (${scalarTypeName(x.dtype)}) and source (${scalarTypeName(source.dtype)}) must have the same scalar type`,
    );
  const d = normalizeDim(dim, x.dim());
  const n = index.numel();
  const sd = source.dim() === 0 ? -1 : normalizeDim(dim, source.dim());
  const count = sd < 0 ? 1 : source.shape[sd]!;
  if (count !== n)
    throw new RuntimeError(`index_add_(): Number of indices (${n}) should be equal to source.size(dim): (${count}), for dim: ${d}`);
  for (const v of hostValues(index)) if (v < 0 || v >= sizeAt(x, d)) throw new IndexError('index out of range in self');
  commonBackend(x, index, source);
  // Each source slice is added to a self slice, broadcasting like add_.
  const without = (s: readonly number[], k: number) => s.filter((_, i) => i !== k);
  const selfSlice = without(x.shape, d);
  const srcSlice = sd < 0 ? [] : without(source.shape, sd);
  const srcSliceStrides = sd < 0 ? [] : without(source.strides, sd);
  const merged = broadcastShapes(selfSlice, srcSlice);
  if (merged.length !== selfSlice.length || merged.some((s, i) => s !== selfSlice[i]))
    throw new RuntimeError(`output with shape ${formatShape(selfSlice)} doesn't match the broadcast shape ${formatShape(merged)}`);
  const sliceStrides = broadcastView(viewOf(source, srcSlice, srcSliceStrides), selfSlice).strides.slice();
  const shape = x.shape.slice();
  if (x.dim() > 0) shape[d] = n;
  sliceStrides.splice(d, 0, sd < 0 ? 0 : source.strides[sd]!);
  return { d, src: viewOf(source, x.dim() === 0 ? [n] : shape, sliceStrides) };
}

/**
 * x with source's slices added at `index` along dim (repeated indices accumulate), times `alpha`.
 * Dispatch: 'indexAdd', inputs [x, index, source], attrs {dim: number (normalized)}, 1 output;
 * alpha != 1 is applied by a recorded `mul` of source first.
 */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, o: { alpha?: number } = {}): Tensor {
  const scaled = o.alpha === undefined || o.alpha === 1 ? source : source.mul(o.alpha);
  const { d, src } = indexAddArgs(x, dim, index, scaled);
  return dispatch('indexAdd', [x, index, scaled], { dim: d }, () => {
    const out = emptyTensor(x.shape, x.dtype, x.storage.backend);
    x.storage.backend.copy(out, x);
    x.storage.backend.indexAdd(atLeast1d(out), d, atLeast1d(index), src);
    return out;
  });
}

/** In-place `indexAdd`. */
export function indexAdd_(x: Tensor, dim: number, index: Tensor, source: Tensor, o: { alpha?: number } = {}): Tensor {
  const scaled = o.alpha === undefined || o.alpha === 1 ? source : source.mul(o.alpha);
  const { d, src } = indexAddArgs(x, dim, index, scaled);
  return applyInplace(
    x,
    [index, scaled],
    x.dtype,
    x.shape,
    (s) => indexAdd(s, d, index, scaled),
    () => x.storage.backend.indexAdd(atLeast1d(x), d, atLeast1d(index), src),
  );
}

// ------------------------------------------------------------ masks

/** PyTorch's C++ type names, which its mask messages print. */
function cppTypeName(dtype: DType): string {
  return { float32: 'float', float64: 'double', int32: 'int', int64: 'long int', bool: 'bool' }[dtype];
}

function fillValue(x: Tensor, value: number | boolean | Tensor): Tensor {
  const backend = x.storage.backend;
  if (!(value instanceof Tensor)) return scalarTensor(castScalar(value, x.dtype), x.dtype, backend);
  if (value.dim() !== 0)
    throw new RuntimeError(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.dim()} dimension(s).`);
  if (value.dtype === x.dtype) return value;
  const v = emptyTensor([], x.dtype, backend);
  backend.copy(v, value);
  return v;
}

function checkMask(mask: Tensor): void {
  if (mask.dtype !== 'bool')
    throw new RuntimeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${cppTypeName(mask.dtype)}`);
}

/**
 * x with `value` (a number or a 0-d tensor) where the bool `mask` (broadcast) is true.
 * Dispatch: 'maskedFill', inputs [x, mask, value tensor or null], attrs {value?: number}, 1 output.
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | boolean | Tensor): Tensor {
  checkMask(mask);
  const backend = commonBackend(x, mask, value instanceof Tensor ? value : null);
  const v = fillValue(x, value);
  const shape = broadcastShapes(x.shape, mask.shape);
  const valueT = value instanceof Tensor ? value : null;
  return dispatch('maskedFill', [x, mask, valueT], valueT ? {} : { value }, () => {
    const out = emptyTensor(shape, x.dtype, backend);
    backend.where(out, broadcastView(mask, shape), broadcastView(v, shape), broadcastView(x, shape));
    return out;
  });
}

/** In-place `maskedFill`; the mask must broadcast to x's shape. */
export function maskedFill_(x: Tensor, mask: Tensor, value: number | boolean | Tensor): Tensor {
  checkMask(mask);
  commonBackend(x, mask, value instanceof Tensor ? value : null);
  const v = fillValue(x, value);
  const shape = broadcastShapes(x.shape, mask.shape);
  return applyInplace(
    x,
    [mask, value instanceof Tensor ? value : null],
    x.dtype,
    shape,
    (s) => maskedFill(s, mask, value),
    () => x.storage.backend.where(x, broadcastView(mask, x.shape), broadcastView(v, x.shape), x),
  );
}

/**
 * The elements of x where the bool mask (broadcast with x) is true, as a 1-d tensor.
 * Dispatch: 'maskedSelect', inputs [x, mask], attrs {}, 1 output.
 */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== 'bool') throw new RuntimeError('masked_select: expected BoolTensor or ByteTensor for mask');
  const backend = commonBackend(x, mask);
  const shape = broadcastShapes(x.shape, mask.shape);
  const flags = mask.detach().expand(shape).dataSync();
  const positions: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) positions.push(i);
  return dispatch('maskedSelect', [x, mask], {}, () => {
    const index = fromHostValues(positions, [positions.length], 'int64', backend);
    const out = emptyTensor([positions.length], x.dtype, backend);
    backend.indexSelect(out, x.expand(shape).reshape(-1), 0, index);
    return out;
  });
}

/**
 * Coordinates of the non-zero elements: an int64 [n, ndim] tensor, or with `asTuple` one 1-d
 * tensor per dim. Not differentiable.
 */
export function nonzero(x: Tensor, o: { asTuple?: boolean } = {}): Tensor | Tensor[] {
  const values = x.detach().dataSync();
  const rank = x.dim();
  const coords: number[][] = [];
  const coord = new Array<number>(rank).fill(0);
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== 0) coords.push(coord.slice());
    for (let k = rank - 1; k >= 0; k--) {
      if (++coord[k]! < x.shape[k]!) break;
      coord[k] = 0;
    }
  }
  const backend = x.storage.backend;
  const n = coords.length;
  const result = dispatch('nonzero', [x], {}, () => {
    const flat = new Float64Array(n * rank);
    coords.forEach((c, i) => flat.set(c, i * rank));
    return fromHostValues(flat, [n, rank], 'int64', backend);
  });
  if (!o.asTuple) return result;
  // A 0-d tensor reads as 1-d here, as in PyTorch: one index, 0, per non-zero.
  return rank === 0 ? [emptyTensor([n], 'int64', backend)] : result.unbind(1);
}

/** `nonzero` as an [n, ndim] tensor (torch.argwhere). */
export function argwhere(x: Tensor): Tensor {
  return nonzero(x) as Tensor;
}
