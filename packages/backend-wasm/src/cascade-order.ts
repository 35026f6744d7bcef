import type { Heap } from './heap.js';

/** One dim of a reduction as TensorIterator walks it: size and input/output strides (elements). */
export interface IterDim {
  size: number;
  in: number;
  out: number;
}

/**
 * TensorIterator's layout of a reduction, as @gd/tensor's cpu cascade sum walks it (so both
 * backends add in PyTorch's order): dims innermost first, reduced dims moved to the front (then by
 * ascending input stride), and neighbours that are one strided run merged.
 */
export function iterationDims(shape: readonly number[], xStrides: readonly number[], outStrides: readonly number[]): IterDim[] {
  const dims: IterDim[] = [];
  for (let d = shape.length - 1; d >= 0; d--) if (shape[d] !== 1) dims.push({ size: shape[d]!, in: xStrides[d]!, out: outStrides[d]! });
  // 1: a goes after b; -1: a stays before b; 0: undecided
  const order = (a: IterDim, b: IterDim): number => {
    if ((a.out === 0) !== (b.out === 0)) return b.out === 0 ? 1 : -1;
    for (const [s0, s1] of [
      [a.out, b.out],
      [a.in, b.in],
    ] as const) {
      if (s0 === 0 || s1 === 0) continue;
      if (s0 !== s1) return s0 < s1 ? -1 : 1;
      if (a.size > b.size) return 1;
    }
    return 0;
  };
  for (let i = 1; i < dims.length; i++) {
    let d1 = i;
    for (let d0 = i - 1; d0 >= 0; d0--) {
      const c = order(dims[d0]!, dims[d1]!);
      if (c > 0) {
        [dims[d0], dims[d1]] = [dims[d1]!, dims[d0]!];
        d1 = d0;
      } else if (c < 0) break;
    }
  }
  const merged: IterDim[] = [];
  for (const d of dims) {
    const prev = merged[merged.length - 1];
    if (prev && prev.size * prev.in === d.in && prev.size * prev.out === d.out) prev.size *= d.size;
    else merged.push({ ...d });
  }
  return merged;
}

/** Writes the dims for assembly/cascade-sum.ts: i32 [count, then size, in, out per dim], strides in bytes. */
export function writeIterationDims(heap: Heap, descriptor: number, dims: readonly IterDim[], bytes: number): void {
  const w = heap.i32;
  let p = descriptor >>> 2;
  w[p++] = dims.length;
  for (const d of dims) {
    w[p++] = d.size;
    w[p++] = d.in * bytes;
    w[p++] = d.out * bytes;
  }
}
