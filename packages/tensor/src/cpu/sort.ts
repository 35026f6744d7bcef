import type { View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { elementOffsets } from './strided.js';

const RUN = 8;

/**
 * Sorts `order[0, m)` (positions into `keys`) by ascending key, stably: a bottom-up merge sort over
 * insertion-sorted runs. Returns whichever of order / tmp holds the result.
 */
function mergeSort(keys: Float64Array, order: Uint32Array, tmp: Uint32Array, m: number): Uint32Array {
  for (let lo = 0; lo < m; lo += RUN) {
    const hi = Math.min(lo + RUN, m);
    for (let i = lo + 1; i < hi; i++) {
      const p = order[i]!;
      const key = keys[p]!;
      let j = i - 1;
      while (j >= lo && key < keys[order[j]!]!) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = p;
    }
  }
  let src = order;
  let dst = tmp;
  for (let width = RUN; width < m; width *= 2) {
    for (let lo = 0; lo < m; lo += 2 * width) {
      const mid = Math.min(lo + width, m);
      const hi = Math.min(lo + 2 * width, m);
      let i = lo;
      let j = mid;
      let o = lo;
      // Take from the right run only when strictly smaller: ties keep their order.
      while (i < mid && j < hi) dst[o++] = keys[src[j]!]! < keys[src[i]!]! ? src[j++]! : src[i++]!;
      while (i < mid) dst[o++] = src[i++]!;
      while (j < hi) dst[o++] = src[j++]!;
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/**
 * Stable sort along dim into values and int64 indices. NaN counts as larger than every number (last
 * ascending, first descending, in their original order), as in PyTorch; -0 and 0 are equal.
 */
export function sortKernel(values: View, indices: View, x: View, dim: number, descending: boolean): void {
  const lineShape = x.shape.slice();
  const size = lineShape[dim] ?? 1;
  if (x.shape.length > 0) lineShape[dim] = 1;
  const xs = elementOffsets(lineShape, x.strides, x.offset);
  const vs = elementOffsets(lineShape, values.strides, values.offset);
  const is = elementOffsets(lineShape, indices.strides, indices.offset);
  const xa = x.storage.data as TypedArray;
  const va = values.storage.data as TypedArray;
  const ia = indices.storage.data as TypedArray;
  const sx = x.strides[dim] ?? 0;
  const sv = values.strides[dim] ?? 0;
  const si = indices.strides[dim] ?? 0;
  // Descending sorts ascending on negated keys (still stable); values are read back from x.
  const keys = new Float64Array(size);
  const sign = descending ? -1 : 1;
  const order = new Uint32Array(size);
  const tmp = new Uint32Array(size);
  const nans = new Uint32Array(size);
  for (let l = 0; l < xs.length; l++) {
    let m = 0;
    let nanCount = 0;
    for (let k = 0; k < size; k++) {
      const v = xa[xs[l]! + k * sx]!;
      keys[k] = sign * v;
      if (v !== v) nans[nanCount++] = k;
      else order[m++] = k;
    }
    const sorted = mergeSort(keys, order, tmp, m);
    // NaNs go after the numbers ascending, before them descending.
    const nanStart = descending ? 0 : m;
    const numStart = descending ? nanCount : 0;
    for (let k = 0; k < nanCount; k++) {
      va[vs[l]! + (nanStart + k) * sv] = NaN;
      ia[is[l]! + (nanStart + k) * si] = nans[k]!;
    }
    for (let k = 0; k < m; k++) {
      const p = sorted[k]!;
      va[vs[l]! + (numStart + k) * sv] = xa[xs[l]! + p * sx]!;
      ia[is[l]! + (numStart + k) * si] = p;
    }
  }
}
