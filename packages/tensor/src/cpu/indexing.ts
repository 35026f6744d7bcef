import type { View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { IndexError } from '../errors.js';
import { elementOffsets, forEachRow, planRows } from './strided.js';

const arr = (v: View): TypedArray => v.storage.data as TypedArray;

function checkIndex(i: number, size: number, dim: number): number {
  if (i < -size || i >= size) throw new IndexError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  return i < 0 ? i + size : i;
}

function withDimZero(strides: readonly number[], dim: number): number[] {
  const s = strides.slice();
  s[dim] = 0;
  return s;
}

/** Reads every index first so a bad one throws before anything is written. */
function readIndices(index: View, size: number, dim: number): Float64Array {
  const offs = elementOffsets(index.shape, index.strides, index.offset);
  const ia = arr(index);
  const out = new Float64Array(offs.length);
  for (let i = 0; i < offs.length; i++) out[i] = checkIndex(ia[offs[i]!]!, size, dim);
  return out;
}

function contiguousOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = s;
    s *= shape[i]!;
  }
  return st;
}

export function gatherKernel(out: View, x: View, dim: number, index: View): void {
  const idx = readIndices(index, x.shape[dim]!, dim);
  const o = arr(out);
  const xa = arr(x);
  const xsd = x.strides[dim]!;
  const plan = planRows(index.shape, [out.strides, withDimZero(x.strides, dim), contiguousOf(index.shape)]);
  const [so, sx, si] = plan.inner as [number, number, number];
  const n = plan.n;
  forEachRow(plan, [out.offset, x.offset, 0], (b) => {
    let io = b[0]!,
      ix = b[1]!,
      ii = b[2]!;
    for (let i = 0; i < n; i++, io += so, ix += sx, ii += si) o[io] = xa[ix + idx[ii]! * xsd]!;
  });
}

export function scatterAddKernel(out: View, dim: number, index: View, src: View): void {
  const idx = readIndices(index, out.shape[dim]!, dim);
  const o = arr(out);
  const sa = arr(src);
  const osd = out.strides[dim]!;
  const plan = planRows(index.shape, [withDimZero(out.strides, dim), src.strides, contiguousOf(index.shape)]);
  const [so, ss, si] = plan.inner as [number, number, number];
  const n = plan.n;
  forEachRow(plan, [out.offset, src.offset, 0], (b) => {
    let io = b[0]!,
      is = b[1]!,
      ii = b[2]!;
    for (let i = 0; i < n; i++, io += so, is += ss, ii += si) o[io + idx[ii]! * osd]! += sa[is]!;
  });
}

/** Strides that walk `index` (1-d, read into a contiguous array) along `dim` and stay put elsewhere. */
function alongDim(rank: number, dim: number): number[] {
  const s = new Array<number>(rank).fill(0);
  s[dim] = 1;
  return s;
}

/** out[..., k, ...] = x[..., index[k], ...] along dim. */
export function indexSelectKernel(out: View, x: View, dim: number, index: View): void {
  const idx = readIndices(index, x.shape[dim]!, dim);
  const o = arr(out);
  const xa = arr(x);
  const xsd = x.strides[dim]!;
  const plan = planRows(out.shape, [out.strides, withDimZero(x.strides, dim), alongDim(out.shape.length, dim)]);
  const [so, sx, si] = plan.inner as [number, number, number];
  const n = plan.n;
  if (idx.length === 0) return;
  forEachRow(plan, [out.offset, x.offset, 0], (b) => {
    let io = b[0]!,
      ix = b[1]!,
      ii = b[2]!;
    for (let i = 0; i < n; i++, io += so, ix += sx, ii += si) o[io] = xa[ix + idx[ii]! * xsd]!;
  });
}

/** out[..., index[k], ...] += src[..., k, ...] along dim, in index order (as PyTorch accumulates). */
export function indexAddKernel(out: View, dim: number, index: View, src: View): void {
  const idx = readIndices(index, out.shape[dim]!, dim);
  const o = arr(out);
  const sa = arr(src);
  const osd = out.strides[dim]!;
  const plan = planRows(src.shape, [withDimZero(out.strides, dim), src.strides, alongDim(src.shape.length, dim)]);
  const [so, ss, si] = plan.inner as [number, number, number];
  const n = plan.n;
  if (idx.length === 0) return;
  forEachRow(plan, [out.offset, src.offset, 0], (b) => {
    let io = b[0]!,
      is = b[1]!,
      ii = b[2]!;
    for (let i = 0; i < n; i++, io += so, is += ss, ii += si) o[io + idx[ii]! * osd]! += sa[is]!;
  });
}
