import type { View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { SEQUENTIAL_FMA_MAX_K, sgemmSequentialFma } from './blas-float32.js';

// An 8×8 tile of C is summed over a block of k in locals (float64), then stored: straight into out
// when K fits one block. Operands are packed into contiguous float64 panels first, so transposed
// or strided views cost one pass.
const MR = 8;
const NR = 8;
/**
 * K is summed in blocks of KC, each block's sum then added into C in float64: the wasm kernel sums
 * the same blocks in the same order, so both backends agree bit for bit.
 */
const KC = 256;
/** Doubles of packed B per column block (1 MiB): a block stays in L2 while every row panel of A passes. */
const B_BLOCK = 1 << 17;

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
  if (M === 0 || N === 0) return;
  if (M < MR || N < NR) {
    dotProducts(out, a, b);
    return;
  }
  const A = a.storage.data as TypedArray;
  const Bd = b.storage.data as TypedArray;
  const O = out.storage.data as TypedArray;
  const [asb, asm, ask] = a.strides as [number, number, number];
  const [bsb, bsk, bsn] = b.strides as [number, number, number];
  const [osb, osm, osn] = out.strides as [number, number, number];
  const kc = Math.max(1, Math.min(K, KC));
  const nc = Math.min(Math.ceil(N / NR), Math.max(1, Math.floor(B_BLOCK / (NR * kc)))) * NR;
  const bPack = scratch(0, kc * nc);
  const aPack = scratch(1, kc * MR);
  // one k block writes C straight into out; more add up in a float64 C first
  const acc = K > KC ? scratch(2, M * N) : null;
  for (let batch = 0; batch < B; batch++) {
    const aOff = a.offset + batch * asb;
    const bOff = b.offset + batch * bsb;
    const oOff = out.offset + batch * osb;
    acc?.fill(0, 0, M * N);
    for (let j0 = 0; j0 < N; j0 += nc) {
      const ncur = Math.min(nc, N - j0);
      for (let k0 = 0; k0 < K || k0 === 0; k0 += KC) {
        const kcur = Math.min(KC, K - k0);
        packB(bPack, Bd, bOff + k0 * bsk + j0 * bsn, bsk, bsn, kcur, ncur);
        for (let i0 = 0; i0 < M; i0 += MR) {
          const mr = Math.min(MR, M - i0);
          packA(aPack, A, aOff + i0 * asm + k0 * ask, asm, ask, kcur, mr);
          for (let jp = 0; jp < ncur; jp += NR) {
            const nr = Math.min(NR, ncur - jp);
            if (acc) microKernel(aPack, bPack, jp * kcur, kcur, acc, i0 * N + j0 + jp, N, 1, mr, nr, true);
            else microKernel(aPack, bPack, jp * kcur, kcur, O, oOff + i0 * osm + (j0 + jp) * osn, osm, osn, mr, nr, false);
          }
        }
      }
    }
    if (acc) for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) O[oOff + i * osm + j * osn] = acc[i * N + j]!;
  }
}

/**
 * Shapes thinner than a tile (a vector on either side, or a few rows) as plain dot products, four
 * columns at a time, each summed in float64 by the tiles' blocks of k.
 */
function dotProducts(out: View, a: View, b: View): void {
  const [B, M, K] = a.shape as [number, number, number];
  const N = b.shape[2]!;
  const A = a.storage.data as TypedArray;
  const Bd = b.storage.data as TypedArray;
  const O = out.storage.data as TypedArray;
  const [asb, asm, ask] = a.strides as [number, number, number];
  const [bsb, bsk, bsn] = b.strides as [number, number, number];
  const [osb, osm, osn] = out.strides as [number, number, number];
  for (let batch = 0; batch < B; batch++) {
    for (let i = 0; i < M; i++) {
      const aRow = a.offset + batch * asb + i * asm;
      const bCol = b.offset + batch * bsb;
      const oRow = out.offset + batch * osb + i * osm;
      let j = 0;
      for (; j + 3 < N; j += 4) {
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let k0 = 0; k0 < K; k0 += KC) {
          let p0 = 0;
          let p1 = 0;
          let p2 = 0;
          let p3 = 0;
          const end = Math.min(K, k0 + KC);
          for (let k = k0, pa = aRow + k0 * ask, pb = bCol + j * bsn + k0 * bsk; k < end; k++, pa += ask, pb += bsk) {
            const x = A[pa]!;
            p0 += x * Bd[pb]!;
            p1 += x * Bd[pb + bsn]!;
            p2 += x * Bd[pb + 2 * bsn]!;
            p3 += x * Bd[pb + 3 * bsn]!;
          }
          s0 += p0;
          s1 += p1;
          s2 += p2;
          s3 += p3;
        }
        O[oRow + j * osn] = s0;
        O[oRow + (j + 1) * osn] = s1;
        O[oRow + (j + 2) * osn] = s2;
        O[oRow + (j + 3) * osn] = s3;
      }
      for (; j < N; j++) {
        let s = 0;
        for (let k0 = 0; k0 < K; k0 += KC) {
          let p = 0;
          const end = Math.min(K, k0 + KC);
          for (let k = k0, pa = aRow + k0 * ask, pb = bCol + j * bsn + k0 * bsk; k < end; k++, pa += ask, pb += bsk) p += A[pa]! * Bd[pb]!;
          s += p;
        }
        O[oRow + j * osn] = s;
      }
    }
  }
}

/**
 * Packs B[k, j] (k < K, j < nc, from `src` with strides bsk, bsn) as column panels of width NR:
 * bPack[jp*K + k*NR + jj], zero-padded to whole panels. The loops walk B's contiguous direction
 * innermost, so a transposed B (a weight used as Wᵀ) is read in order too.
 */
function packB(bPack: Float64Array, Bd: TypedArray, src: number, bsk: number, bsn: number, K: number, nc: number): void {
  for (let jp = 0; jp < nc; jp += NR) {
    const width = Math.min(NR, nc - jp);
    const base = jp * K;
    if (width < NR) bPack.fill(0, base, base + K * NR);
    if (Math.abs(bsk) <= Math.abs(bsn)) {
      for (let jj = 0; jj < width; jj++) {
        let p = src + (jp + jj) * bsn;
        for (let k = 0, d = base + jj; k < K; k++, p += bsk, d += NR) bPack[d] = Bd[p]!;
      }
    } else {
      for (let k = 0, p = src + jp * bsn, d = base; k < K; k++, p += bsk, d += NR) {
        for (let jj = 0, q = p; jj < width; jj++, q += bsn) bPack[d + jj] = Bd[q]!;
      }
    }
  }
}

/** Packs rows i < mr (zero-padded to MR) of A[i, k], k < K, as aPack[k*MR + i]. */
function packA(aPack: Float64Array, A: TypedArray, src: number, asm: number, ask: number, K: number, mr: number): void {
  if (mr < MR) aPack.fill(0, 0, K * MR);
  if (Math.abs(ask) <= Math.abs(asm)) {
    for (let i = 0; i < mr; i++) {
      let p = src + i * asm;
      for (let k = 0, d = i; k < K; k++, p += ask, d += MR) aPack[d] = A[p]!;
    }
  } else {
    for (let k = 0, p = src, d = 0; k < K; k++, p += ask, d += MR) {
      for (let i = 0, q = p; i < mr; i++, q += asm) aPack[d + i] = A[q]!;
    }
  }
}

const EDGE_TILE = new Float64Array(MR * NR);

/**
 * C[i, j] for i < mr, j < nr (at o + i*osm + j*osn) = the packed A panel times the B panel at bBase,
 * or plus it when `accumulate`.
 */
// biome-ignore format: the register tile reads best as a grid
function microKernel(ap: Float64Array, bp: Float64Array, bBase: number, K: number, O: TypedArray, o: number, osm: number, osn: number, mr: number, nr: number, accumulate: boolean): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0;
  let c40 = 0, c41 = 0, c42 = 0, c43 = 0, c44 = 0, c45 = 0, c46 = 0, c47 = 0;
  let c50 = 0, c51 = 0, c52 = 0, c53 = 0, c54 = 0, c55 = 0, c56 = 0, c57 = 0;
  let c60 = 0, c61 = 0, c62 = 0, c63 = 0, c64 = 0, c65 = 0, c66 = 0, c67 = 0;
  let c70 = 0, c71 = 0, c72 = 0, c73 = 0, c74 = 0, c75 = 0, c76 = 0, c77 = 0;
  for (let k = 0, pa = 0, pb = bBase; k < K; k++, pa += 8, pb += 8) {
    const b0 = bp[pb]!, b1 = bp[pb + 1]!, b2 = bp[pb + 2]!, b3 = bp[pb + 3]!;
    const b4 = bp[pb + 4]!, b5 = bp[pb + 5]!, b6 = bp[pb + 6]!, b7 = bp[pb + 7]!;
    let a = ap[pa]!;
    c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3; c04 += a * b4; c05 += a * b5; c06 += a * b6; c07 += a * b7;
    a = ap[pa + 1]!;
    c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3; c14 += a * b4; c15 += a * b5; c16 += a * b6; c17 += a * b7;
    a = ap[pa + 2]!;
    c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3; c24 += a * b4; c25 += a * b5; c26 += a * b6; c27 += a * b7;
    a = ap[pa + 3]!;
    c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3; c34 += a * b4; c35 += a * b5; c36 += a * b6; c37 += a * b7;
    a = ap[pa + 4]!;
    c40 += a * b0; c41 += a * b1; c42 += a * b2; c43 += a * b3; c44 += a * b4; c45 += a * b5; c46 += a * b6; c47 += a * b7;
    a = ap[pa + 5]!;
    c50 += a * b0; c51 += a * b1; c52 += a * b2; c53 += a * b3; c54 += a * b4; c55 += a * b5; c56 += a * b6; c57 += a * b7;
    a = ap[pa + 6]!;
    c60 += a * b0; c61 += a * b1; c62 += a * b2; c63 += a * b3; c64 += a * b4; c65 += a * b5; c66 += a * b6; c67 += a * b7;
    a = ap[pa + 7]!;
    c70 += a * b0; c71 += a * b1; c72 += a * b2; c73 += a * b3; c74 += a * b4; c75 += a * b5; c76 += a * b6; c77 += a * b7;
  }
  if (mr === MR && nr === NR && osn === 1 && !accumulate) {
    O[o] = c00; O[o + 1] = c01; O[o + 2] = c02; O[o + 3] = c03; O[o + 4] = c04; O[o + 5] = c05; O[o + 6] = c06; O[o + 7] = c07;
    o += osm;
    O[o] = c10; O[o + 1] = c11; O[o + 2] = c12; O[o + 3] = c13; O[o + 4] = c14; O[o + 5] = c15; O[o + 6] = c16; O[o + 7] = c17;
    o += osm;
    O[o] = c20; O[o + 1] = c21; O[o + 2] = c22; O[o + 3] = c23; O[o + 4] = c24; O[o + 5] = c25; O[o + 6] = c26; O[o + 7] = c27;
    o += osm;
    O[o] = c30; O[o + 1] = c31; O[o + 2] = c32; O[o + 3] = c33; O[o + 4] = c34; O[o + 5] = c35; O[o + 6] = c36; O[o + 7] = c37;
    o += osm;
    O[o] = c40; O[o + 1] = c41; O[o + 2] = c42; O[o + 3] = c43; O[o + 4] = c44; O[o + 5] = c45; O[o + 6] = c46; O[o + 7] = c47;
    o += osm;
    O[o] = c50; O[o + 1] = c51; O[o + 2] = c52; O[o + 3] = c53; O[o + 4] = c54; O[o + 5] = c55; O[o + 6] = c56; O[o + 7] = c57;
    o += osm;
    O[o] = c60; O[o + 1] = c61; O[o + 2] = c62; O[o + 3] = c63; O[o + 4] = c64; O[o + 5] = c65; O[o + 6] = c66; O[o + 7] = c67;
    o += osm;
    O[o] = c70; O[o + 1] = c71; O[o + 2] = c72; O[o + 3] = c73; O[o + 4] = c74; O[o + 5] = c75; O[o + 6] = c76; O[o + 7] = c77;
    return;
  }
  // An edge tile, a strided out or a k block to add: only the first mr rows and nr columns are inside C.
  const t = EDGE_TILE;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03; t[4] = c04; t[5] = c05; t[6] = c06; t[7] = c07;
  t[8] = c10; t[9] = c11; t[10] = c12; t[11] = c13; t[12] = c14; t[13] = c15; t[14] = c16; t[15] = c17;
  t[16] = c20; t[17] = c21; t[18] = c22; t[19] = c23; t[20] = c24; t[21] = c25; t[22] = c26; t[23] = c27;
  t[24] = c30; t[25] = c31; t[26] = c32; t[27] = c33; t[28] = c34; t[29] = c35; t[30] = c36; t[31] = c37;
  t[32] = c40; t[33] = c41; t[34] = c42; t[35] = c43; t[36] = c44; t[37] = c45; t[38] = c46; t[39] = c47;
  t[40] = c50; t[41] = c51; t[42] = c52; t[43] = c53; t[44] = c54; t[45] = c55; t[46] = c56; t[47] = c57;
  t[48] = c60; t[49] = c61; t[50] = c62; t[51] = c63; t[52] = c64; t[53] = c65; t[54] = c66; t[55] = c67;
  t[56] = c70; t[57] = c71; t[58] = c72; t[59] = c73; t[60] = c74; t[61] = c75; t[62] = c76; t[63] = c77;
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) {
      const at = o + i * osm + j * osn;
      O[at] = accumulate ? O[at]! + t[i * NR + j]! : t[i * NR + j]!;
    }
  }
}
