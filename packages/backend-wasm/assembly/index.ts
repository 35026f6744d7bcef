// The module's exports: kernels read their operands from the strided-walk descriptor (iter.ts).
export { fill, copy, unary, binary, where } from './elementwise';
export { reduce, argReduce, scan } from './reduce';
export { gather, scatterAdd } from './indexing';
export { sort } from './sort';
export { matmul, matmulScratchBytes } from './matmul';

import { DESC } from './iter';

/** Address of the descriptor the host fills before each kernel call. */
export function descriptor(): usize {
  return DESC;
}

/** First free byte after the module's static data: where the host's heap starts. */
export function heapBase(): usize {
  return __heap_base;
}

/** Whether this is the SIMD build. */
export function simd(): bool {
  return ASC_FEATURE_SIMD;
}

export { im2col, col2im, maxPool2d } from './window';
export { softmax } from './softmax';
export { addcmul, lerp } from './fma';
export { cascadeSum } from './cascade-sum';
export { adam } from './adam';
