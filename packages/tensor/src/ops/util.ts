import type { Backend, View } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { type DType, scalarTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { contiguousStrides, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';

export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | Scalar;

/** A new contiguous tensor of the given shape and dtype, on `backend` (default: the current one). */
/**
 * A new contiguous tensor. Zero-filled unless `uninitialized` (for an op's output that its kernel
 * overwrites entirely: on backends that reuse memory, the fill is a pass over the data saved).
 */
export function emptyTensor(shape: readonly number[], dtype: DType, backend: Backend = getBackend(), uninitialized = false): Tensor {
  // One pass for the tensor's own shape copy, its contiguous strides and its size (called per op).
  const rank = shape.length;
  const own = new Array<number>(rank);
  const strides = new Array<number>(rank);
  let size = 1;
  for (let d = rank - 1; d >= 0; d--) {
    const s = shape[d]!;
    own[d] = s;
    strides[d] = size;
    size *= s;
  }
  const storage = uninitialized && backend.allocUninitialized ? backend.allocUninitialized(dtype, size) : backend.alloc(dtype, size);
  return new Tensor(storage, own, strides, 0, dtype);
}

/**
 * emptyTensor with the shape of `like`, sharing its shape array (no tensor ever writes its own)
 * and, when `like` is laid out contiguously, its strides too: the most frequent outputs (those of
 * elementwise ops) then need no arrays of their own.
 */
export function emptyTensorLike(like: Pick<View, 'shape' | 'strides'>, dtype: DType, backend: Backend, uninitialized = false): Tensor {
  const shape = like.shape;
  const strides = like.strides;
  let size = 1;
  let contiguous = true;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (strides[d] !== size) contiguous = false;
    size *= shape[d]!;
  }
  const storage = uninitialized && backend.allocUninitialized ? backend.allocUninitialized(dtype, size) : backend.alloc(dtype, size);
  return new Tensor(storage, shape, contiguous ? strides : contiguousStrides(shape), 0, dtype);
}

/**
 * For an op that fills its fresh output `out` without dispatch's scope: frees `out` when the kernel
 * throws (its memory may be one the garbage collector cannot see), then rethrows.
 */
export function disposeAndRethrow(out: Tensor, error: unknown): never {
  out.dispose();
  throw error;
}

/** A tensor over x's storage that remembers its base, so autograd can follow in-place changes of it. */
export function viewTensor(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return viewTensorOver(x, shape.slice(), strides.slice(), offset);
}

/** viewTensor taking `shape` and `strides` as they are, for callers whose arrays nothing else writes. */
export function viewTensorOver(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  const v = new Tensor(x.storage, shape, strides, offset, x.dtype);
  v._base = x._base ?? x;
  return v;
}

/** The one backend all tensor arguments live on; mixing backends is an error naming both. */
export function commonBackend(...ts: readonly (Tensor | null | undefined)[]): Backend {
  let b: Backend | undefined;
  for (const t of ts) {
    if (!t) continue;
    const tb = t.storage.backend;
    if (b === undefined) b = tb;
    else if (b !== tb)
      throw new RuntimeError(
        `Expected all tensors to be on the same backend, but found at least two backends, ${b.name} and ${tb.name}! Move one with t.to('${b.name}').`,
      );
  }
  return b ?? getBackend();
}

/** A scalar as a 0-d tensor on the given backend (for kernels that take only tensors). */
export function scalarTensor(value: number, dtype: DType, backend: Backend): Tensor {
  const t = emptyTensor([], dtype, backend);
  backend.fill(t, value);
  return t;
}

/** A view of `t` with the given shape and strides (no copy). */
export function viewOf(t: View, shape: readonly number[], strides: readonly number[], offset = t.offset): View {
  return { storage: t.storage, shape, strides, offset, dtype: t.dtype };
}

/** Strides of `t` broadcast (zero stride) to `shape`. */
export function broadcastStrides(t: View, shape: readonly number[]): number[] {
  const n = shape.length;
  // Filled by a loop: Array.prototype.fill is a C++ builtin, slow for the few dims of a shape.
  const out = new Array<number>(n);
  for (let d = 0; d < n; d++) out[d] = 0;
  const k = t.shape.length;
  for (let i = 0; i < k; i++) {
    const d = n - k + i;
    out[d] = t.shape[i] === 1 && shape[d] !== 1 ? 0 : t.strides[i]!;
  }
  return out;
}

export function broadcastView(t: View, shape: readonly number[]): View {
  // An operand that already has the shape is its own view (the common case: no allocation).
  if (shapesEqual(t.shape, shape)) return t;
  return viewOf(t, shape, broadcastStrides(t, shape));
}

export function checkCast(result: DType, into: DType): void {
  const rank = (d: DType) => (d === 'bool' ? 0 : d === 'int32' || d === 'int64' ? 1 : 2);
  if (rank(result) > rank(into))
    throw new RuntimeError(`result type ${scalarTypeName(result)} can't be cast to the desired output type ${scalarTypeName(into)}`);
}

/** PyTorch's refusal of a weight or bias whose dtype differs from the input's. */
export function checkSameDtype(x: Tensor, other: Tensor | null): void {
  if (other !== null && other.dtype !== x.dtype)
    throw new RuntimeError(`expected scalar type ${scalarTypeName(x.dtype)} but found ${scalarTypeName(other.dtype)}`);
}
