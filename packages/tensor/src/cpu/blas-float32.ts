import type { View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { fmaf } from './fma-float32.js';
import { matmulKernel } from './matmul.js';
import { matmulOperands } from './matmul-operands.js';

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
  const { B, M, K, N, A, Bd, O, asb, asm, ask, bsb, bsk, bsn, osb, osm, osn } = matmulOperands(out, a, b);
  for (let batch = 0; batch < B; batch++) {
    const aOff = a.offset + batch * asb;
    const bOff = b.offset + batch * bsb;
    const oOff = out.offset + batch * osb;
    let i = 0;
    // two rows by four columns: eight independent chains share every load and their roundings overlap
    for (; i + 1 < M; i += 2) {
      let j = 0;
      for (; j + 3 < N; j += 4) {
        let c00 = 0;
        let c01 = 0;
        let c02 = 0;
        let c03 = 0;
        let c10 = 0;
        let c11 = 0;
        let c12 = 0;
        let c13 = 0;
        for (let k = 0, pa = aOff + i * asm, pb = bOff + j * bsn; k < K; k++, pa += ask, pb += bsk) {
          const b0 = Bd[pb]!;
          const b1 = Bd[pb + bsn]!;
          const b2 = Bd[pb + 2 * bsn]!;
          const b3 = Bd[pb + 3 * bsn]!;
          let x = A[pa]!;
          c00 = fmaf(x, b0, c00);
          c01 = fmaf(x, b1, c01);
          c02 = fmaf(x, b2, c02);
          c03 = fmaf(x, b3, c03);
          x = A[pa + asm]!;
          c10 = fmaf(x, b0, c10);
          c11 = fmaf(x, b1, c11);
          c12 = fmaf(x, b2, c12);
          c13 = fmaf(x, b3, c13);
        }
        const o = oOff + i * osm + j * osn;
        O[o] = c00;
        O[o + osn] = c01;
        O[o + 2 * osn] = c02;
        O[o + 3 * osn] = c03;
        O[o + osm] = c10;
        O[o + osm + osn] = c11;
        O[o + osm + 2 * osn] = c12;
        O[o + osm + 3 * osn] = c13;
      }
      for (; j < N; j++) {
        for (let r = i; r < i + 2; r++) O[oOff + r * osm + j * osn] = fmaChain(A, aOff + r * asm, ask, Bd, bOff + j * bsn, bsk, K);
      }
    }
    for (; i < M; i++) {
      for (let j = 0; j < N; j++) O[oOff + i * osm + j * osn] = fmaChain(A, aOff + i * asm, ask, Bd, bOff + j * bsn, bsk, K);
    }
  }
}

/** One output's float32 fma chain over K products of A (from pa, stride ask) and B (from pb, stride bsk). */
function fmaChain(A: TypedArray, pa: number, ask: number, Bd: TypedArray, pb: number, bsk: number, K: number): number {
  let acc = 0;
  for (let k = 0; k < K; k++, pa += ask, pb += bsk) acc = fmaf(A[pa]!, Bd[pb]!, acc);
  return acc;
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
