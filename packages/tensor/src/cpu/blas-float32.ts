import type { View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { fmaf } from './fma-float32.js';
import { matmulKernel } from './matmul.js';
import { forEachOutputRow, matmulOperands } from './matmul-operands.js';

/**
 * PyTorch's CPU float32 matmul and dot go to OpenBLAS, whose summation order decides the last
 * bit. Measured against torch 1.13 with OpenBLAS on x86-64 (AVX2):
 * - sgemm with K < 32 accumulates each output as a sequential float32 fma chain over k (from 32 on,
 *   its edge kernels split k, so longer products keep gd's float64 accumulation);
 * - sdot of n < 32 elements rounds each product to float32 and sums them in double.
 * These paths reproduce those orders bit for bit; longer reductions keep gd's float64 accumulation.
 */
export const SEQUENTIAL_FMA_MAX_K = 31;
export const DOUBLE_SUM_DOT_MAX_N = 31;

/** out[b, i, j] = fma-chain over k of a[b, i, k] * b[b, k, j], in float32. */
export function sgemmSequentialFma(out: View, a: View, b: View): void {
  const op = matmulOperands(out, a, b);
  const { K, N, A, Bd, O, ask, bsk, bsn, osn } = op;
  forEachOutputRow(out, a, b, op, (aRow, bCol, oRow) => {
    let j = 0;
    // four columns at once: their chains are independent, so the roundings overlap
    for (; j + 3 < N; j += 4) {
      let acc0 = 0;
      let acc1 = 0;
      let acc2 = 0;
      let acc3 = 0;
      for (let k = 0, pa = aRow, pb = bCol + j * bsn; k < K; k++, pa += ask, pb += bsk) {
        const x = A[pa]!;
        acc0 = fmaf(x, Bd[pb]!, acc0);
        acc1 = fmaf(x, Bd[pb + bsn]!, acc1);
        acc2 = fmaf(x, Bd[pb + 2 * bsn]!, acc2);
        acc3 = fmaf(x, Bd[pb + 3 * bsn]!, acc3);
      }
      O[oRow + j * osn] = acc0;
      O[oRow + (j + 1) * osn] = acc1;
      O[oRow + (j + 2) * osn] = acc2;
      O[oRow + (j + 3) * osn] = acc3;
    }
    for (; j < N; j++) {
      let acc = 0;
      for (let k = 0, pa = aRow, pb = bCol + j * bsn; k < K; k++, pa += ask, pb += bsk) acc = fmaf(A[pa]!, Bd[pb]!, acc);
      O[oRow + j * osn] = acc;
    }
  });
}

/** sdot for n < 32: float32 products summed in double, rounded to float32 once. */
export function sdotDoubleSum(a: View, b: View): number {
  const A = a.storage.data as TypedArray;
  const Bd = b.storage.data as TypedArray;
  const n = a.shape[0]!;
  const sa = a.strides[0]!;
  const sb = b.strides[0]!;
  let acc = 0;
  for (let i = 0, pa = a.offset, pb = b.offset; i < n; i++, pa += sa, pb += sb) acc += Math.fround(A[pa]! * Bd[pb]!);
  return Math.fround(acc);
}

/** torch.dot into a 0-d out: OpenBLAS's order for short float32 vectors, the matmul kernel otherwise. */
export function dotKernel(out: View, a: View, b: View): void {
  if (a.dtype === 'float32' && b.dtype === 'float32' && out.dtype === 'float32' && a.shape[0]! <= DOUBLE_SUM_DOT_MAX_N) {
    (out.storage.data as TypedArray)[out.offset] = sdotDoubleSum(a, b);
    return;
  }
  const n = a.shape[0]!;
  matmulKernel(
    { storage: out.storage, shape: [1, 1, 1], strides: [0, 0, 0], offset: out.offset, dtype: out.dtype },
    { storage: a.storage, shape: [1, 1, n], strides: [0, 0, a.strides[0]!], offset: a.offset, dtype: a.dtype },
    { storage: b.storage, shape: [1, n, 1], strides: [0, b.strides[0]!, 0], offset: b.offset, dtype: b.dtype },
  );
}
