import type { View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { elementOffsets } from './strided.js';

/** Stable sort along dim; NaN sorts above every number, as in PyTorch. */
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
  const line = new Float64Array(size);
  const order = Array.from({ length: size }, (_, i) => i);
  const key = (v: number) => (v !== v ? Infinity : v);
  const cmp = descending
    ? (p: number, q: number) => {
        const a = line[p]!, b = line[q]!;
        if (a !== a) return b !== b ? 0 : -1;
        if (b !== b) return 1;
        return b - a;
      }
    : (p: number, q: number) => {
        const a = line[p]!, b = line[q]!;
        if (a !== a) return b !== b ? 0 : 1;
        if (b !== b) return -1;
        return key(a) - key(b);
      };
  for (let l = 0; l < xs.length; l++) {
    for (let k = 0; k < size; k++) {
      line[k] = xa[xs[l]! + k * sx]!;
      order[k] = k;
    }
    order.sort((p, q) => cmp(p, q) || p - q);
    for (let k = 0; k < size; k++) {
      va[vs[l]! + k * sv] = line[order[k]!]!;
      ia[is[l]! + k * si] = order[k]!;
    }
  }
}
