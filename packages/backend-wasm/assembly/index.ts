// The module's exports: kernels read their operands from the strided-walk descriptor (iter.ts).
export { fill, copy, unary, binary, where } from './elementwise';
export { reduce, argReduce, scan } from './reduce';
export { gather, scatterAdd } from './indexing';
export { sort } from './sort';
export { matmul, matmulScratchBytes, matmulPackedBBytes, packMatmulB } from './matmul';

import { DESC, WALK_BYTES } from './iter';
export { useWalkBlock } from './iter';

/** Address of the descriptor the host fills before each kernel call. */
export function descriptor(): usize {
  return DESC;
}

/** Bytes of the walk block a worker thread's instance needs (see useWalkBlock). */
export function walkBlockBytes(): i32 {
  return WALK_BYTES;
}

/** Zeroes `bytes` bytes at `at`: a memset, where the host's TypedArray.fill on a shared memory is slow. */
export function zero(at: usize, bytes: usize): void {
  memory.fill(at, 0, bytes);
}

/** First free byte after the module's static data: where the host's heap starts. */
export function heapBase(): usize {
  return __heap_base;
}

/** Whether this is the SIMD build. */
export function simd(): bool {
  return ASC_FEATURE_SIMD;
}

/** Whether this is a relaxed-SIMD build (fused multiply-add in the float32 matmul kernel). */
export function relaxedSimd(): bool {
  return ASC_FEATURE_RELAXED_SIMD;
}

export { im2col, col2im, maxPool2d } from './window';
export { softmax } from './softmax';
export { addcmul, lerp } from './fma';
export { cascadeSum } from './cascade-sum';
export { adam } from './adam';
