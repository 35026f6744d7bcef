import type { ScanOp, View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { elementOffsets } from './strided.js';

/** Inclusive scans along one dim, accumulated in float64. */
export function scanKernel(op: ScanOp, out: View, x: View, dim: number, indices?: View): void {
  const lineShape = x.shape.slice();
  const size = lineShape[dim] ?? 1;
  if (x.shape.length > 0) lineShape[dim] = 1;
  const xs = elementOffsets(lineShape, x.strides, x.offset);
  const os = elementOffsets(lineShape, out.strides, out.offset);
  const is = indices ? elementOffsets(lineShape, indices.strides, indices.offset) : null;
  const xa = x.storage.data as TypedArray;
  const o = out.storage.data as TypedArray;
  const ind = indices ? (indices.storage.data as TypedArray) : null;
  const sx = x.strides[dim] ?? 0;
  const so = out.strides[dim] ?? 0;
  const si = indices ? (indices.strides[dim] ?? 0) : 0;
  for (let l = 0; l < xs.length; l++) {
    let px = xs[l]!,
      po = os[l]!,
      pi = is ? is[l]! : 0;
    let acc = op === 'cumprod' ? 1 : op === 'cumsum' ? 0 : NaN;
    let best = 0;
    for (let k = 0; k < size; k++, px += sx, po += so, pi += si) {
      const v = xa[px]!;
      switch (op) {
        case 'cumsum':
          acc += v;
          break;
        case 'cumprod':
          acc *= v;
          break;
        case 'logcumsumexp': {
          if (k === 0) acc = v;
          else {
            const m = Math.max(acc, v);
            acc = m === -Infinity ? -Infinity : m + Math.log(Math.exp(acc - m) + Math.exp(v - m));
          }
          break;
        }
        case 'cummax':
        case 'cummin': {
          // PyTorch's rule: a NaN always takes over (so a later NaN moves the index); ties move it too.
          const better = op === 'cummax' ? v >= acc : v <= acc;
          if (k === 0 || v !== v || (acc === acc && better)) {
            acc = v;
            best = k;
          }
          if (ind) ind[pi] = best;
          break;
        }
      }
      o[po] = acc;
    }
  }
}
