import type { View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { SEQUENTIAL_FMA_MAX_K, sgemmSequentialFma } from './blas-float32.js';

// Cache blocking: a KC×NC block of B (256 KiB as float64) stays in L2 while 4-row panels of A
// stream past it; a 4×4 tile of C lives in registers through the k loop.
const MR = 4;
const NR = 4;
const KC = 256;
const NC = 128;

// Packing buffers are reused across calls: allocating them per call dominated small matmuls.
const buffers: Float64Array[] = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];
function scratch(slot: number, size: number): Float64Array {
  if (buffers[slot]!.length < size) buffers[slot] = new Float64Array(size);
  return buffers[slot]!;
}

/** Batched matmul over strided views: a [B, M, K] × b [B, K, N] → out [B, M, N]. */
export function matmulKernel(out: View, a: View, b: View): void {
  const [B, M, K] = a.shape as [number, number, number];
  if (K <= SEQUENTIAL_FMA_MAX_K && out.dtype === 'float32' && a.dtype === 'float32' && b.dtype === 'float32') {
    sgemmSequentialFma(out, a, b);
    return;
  }
  const N = b.shape[2]!;
  const A = a.storage.data as TypedArray;
  const Bd = b.storage.data as TypedArray;
  const O = out.storage.data as TypedArray;
  const c = scratch(0, M * N);
  const bPack = scratch(1, Math.min(KC, K) * (Math.ceil(Math.min(NC, N) / NR) * NR));
  const aPack = scratch(2, MR * Math.min(KC, K));
  for (let batch = 0; batch < B; batch++) {
    const aOff = a.offset + batch * a.strides[0]!;
    const bOff = b.offset + batch * b.strides[0]!;
    const [, asm, ask] = a.strides as [number, number, number];
    const [, bsk, bsn] = b.strides as [number, number, number];
    c.fill(0, 0, M * N);
    for (let j0 = 0; j0 < N; j0 += NC) {
      const nc = Math.min(NC, N - j0);
      const ncPad = Math.ceil(nc / NR) * NR;
      for (let k0 = 0; k0 < K; k0 += KC) {
        const kc = Math.min(KC, K - k0);
        packB(bPack, Bd, bOff + k0 * bsk + j0 * bsn, bsk, bsn, kc, nc);
        for (let i0 = 0; i0 < M; i0 += MR) {
          const mr = Math.min(MR, M - i0);
          packA(aPack, A, aOff + i0 * asm + k0 * ask, asm, ask, kc, mr);
          for (let jp = 0; jp < ncPad; jp += NR) microKernel(aPack, bPack, jp * kc, kc, c, i0, j0 + jp, N, mr, Math.min(NR, nc - jp));
        }
      }
    }
    const oOff = out.offset + batch * out.strides[0]!;
    const [, osm, osn] = out.strides as [number, number, number];
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) O[oOff + i * osm + j * osn] = c[i * N + j]!;
  }
}

/**
 * Packs B[k, j] (k < kc, j < nc, from `src` with strides bsk, bsn) as column panels of width NR:
 * bPack[(jp*kc + k)*NR + jj], zero-padded to whole panels. The loop walks B's contiguous
 * direction innermost, so a transposed B (a weight used as Wᵀ) is read in order too.
 */
function packB(bPack: Float64Array, Bd: TypedArray, src: number, bsk: number, bsn: number, kc: number, nc: number): void {
  const full = nc - (nc % NR);
  if (Math.abs(bsk) <= Math.abs(bsn)) {
    for (let jp = 0; jp < full; jp += NR) {
      const base = jp * kc;
      for (let jj = 0; jj < NR; jj++) {
        let p = src + (jp + jj) * bsn;
        for (let k = 0, d = base + jj; k < kc; k++, p += bsk, d += NR) bPack[d] = Bd[p]!;
      }
    }
  } else {
    for (let jp = 0; jp < full; jp += NR) {
      const base = jp * kc;
      let p = src + jp * bsn;
      for (let k = 0, d = base; k < kc; k++, p += bsk, d += NR) {
        bPack[d] = Bd[p]!;
        bPack[d + 1] = Bd[p + bsn]!;
        bPack[d + 2] = Bd[p + 2 * bsn]!;
        bPack[d + 3] = Bd[p + 3 * bsn]!;
      }
    }
  }
  if (full === nc) return;
  const base = full * kc;
  for (let k = 0; k < kc; k++) {
    for (let jj = 0; jj < NR; jj++) bPack[base + k * NR + jj] = full + jj < nc ? Bd[src + k * bsk + (full + jj) * bsn]! : 0;
  }
}

/** Packs rows i < mr (zero-padded to MR) of A[i, k], k < kc, as aPack[k*MR + i]. */
function packA(aPack: Float64Array, A: TypedArray, src: number, asm: number, ask: number, kc: number, mr: number): void {
  if (mr === MR) {
    for (let k = 0, p = src, d = 0; k < kc; k++, p += ask, d += MR) {
      aPack[d] = A[p]!;
      aPack[d + 1] = A[p + asm]!;
      aPack[d + 2] = A[p + 2 * asm]!;
      aPack[d + 3] = A[p + 3 * asm]!;
    }
    return;
  }
  for (let k = 0; k < kc; k++) for (let ii = 0; ii < MR; ii++) aPack[k * MR + ii] = ii < mr ? A[src + ii * asm + k * ask]! : 0;
}

const EDGE_TILE = new Float64Array(MR * NR);

// biome-ignore format: the 4x4 register tile reads best as a grid
function microKernel(ap: Float64Array, bp: Float64Array, bBase: number, kc: number, c: Float64Array, i0: number, j0: number, ldc: number, mr: number, nr: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let pa = 0;
  let pb = bBase;
  for (let k = 0; k < kc; k++, pa += 4, pb += 4) {
    const a0 = ap[pa]!, a1 = ap[pa + 1]!, a2 = ap[pa + 2]!, a3 = ap[pa + 3]!;
    const b0 = bp[pb]!, b1 = bp[pb + 1]!, b2 = bp[pb + 2]!, b3 = bp[pb + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (mr === MR && nr === NR) {
    let r = i0 * ldc + j0;
    c[r] = c[r]! + c00; c[r + 1] = c[r + 1]! + c01; c[r + 2] = c[r + 2]! + c02; c[r + 3] = c[r + 3]! + c03;
    r += ldc;
    c[r] = c[r]! + c10; c[r + 1] = c[r + 1]! + c11; c[r + 2] = c[r + 2]! + c12; c[r + 3] = c[r + 3]! + c13;
    r += ldc;
    c[r] = c[r]! + c20; c[r + 1] = c[r + 1]! + c21; c[r + 2] = c[r + 2]! + c22; c[r + 3] = c[r + 3]! + c23;
    r += ldc;
    c[r] = c[r]! + c30; c[r + 1] = c[r + 1]! + c31; c[r + 2] = c[r + 2]! + c32; c[r + 3] = c[r + 3]! + c33;
    return;
  }
  // Edge tile: only the first mr rows and nr columns are inside C.
  const tile = EDGE_TILE;
  tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
  tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
  tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
  tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
  for (let ii = 0; ii < mr; ii++) {
    const row = (i0 + ii) * ldc + j0;
    for (let jj = 0; jj < nr; jj++) c[row + jj]! += tile[ii * 4 + jj]!;
  }
}
