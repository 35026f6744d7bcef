import type { View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { SEQUENTIAL_FMA_MAX_K, sgemmSequentialFma } from './blas-float32.js';
import { forEachOutputRow, type MatmulOperands, matmulOperands } from './matmul-operands.js';

// A 3×3 tile of C is summed over a block of k in locals (float64), then stored: straight into out
// when K fits one block. Operands are packed into contiguous float64 panels first, so transposed
// or strided views cost one pass. 3×3 measured fastest: V8 computes all of a tile's products
// before its sums, so in bigger tiles most sums live on the stack and every k reloads and
// stores them.
const MR = 3;
const NR = 3;
/**
 * K is summed in blocks of KC, each block's sum then added into C in float64: the wasm kernel sums
 * the same blocks in the same order, so both backends agree bit for bit.
 */
const KC = 256;

// Scratch for a float64 C while K spans several blocks (reused: allocating per call dominated small matmuls).
let accBuffer = new Float64Array(0);
function accScratch(size: number): Float64Array {
  if (accBuffer.length < size) accBuffer = new Float64Array(size);
  return accBuffer;
}

/** Batched matmul over strided views: a [B, M, K] × b [B, K, N] → out [B, M, N]. */
export function matmulKernel(out: View, a: View, b: View): void {
  const K = a.shape[2]!;
  if (K <= SEQUENTIAL_FMA_MAX_K && out.dtype === 'float32' && a.dtype === 'float32' && b.dtype === 'float32') {
    sgemmSequentialFma(out, a, b);
    return;
  }
  const op = matmulOperands(out, a, b);
  const { B, M, N, A, Bd, O, asb, asm, ask, bsb, bsk, bsn, osb, osm, osn } = op;
  if (M === 0 || N === 0) return;
  if (M < MR || N < NR) {
    dotProducts(out, a, b, op);
    return;
  }
  const kc = Math.max(1, Math.min(K, KC));
  const nc = Math.min(Math.ceil(N / NR), Math.floor(B_BLOCK / (NR * kc))) * NR;
  // one k block writes C straight into out; more add up in a float64 C first
  const acc = K > KC ? accScratch(M * N) : null;
  for (let batch = 0; batch < B; batch++) {
    const aOff = a.offset + batch * asb;
    const bOff = b.offset + batch * bsb;
    const oOff = out.offset + batch * osb;
    acc?.fill(0, 0, M * N);
    for (let j0 = 0; j0 < N; j0 += nc) {
      const ncur = Math.min(nc, N - j0);
      for (let k0 = 0; k0 < K || k0 === 0; k0 += KC) {
        const kcur = Math.min(KC, K - k0);
        packB(Bd, bOff + k0 * bsk + j0 * bsn, bsk, bsn, kcur, ncur);
        for (let i0 = 0; i0 < M; i0 += MR) {
          const mr = Math.min(MR, M - i0);
          packA(A, aOff + i0 * asm + k0 * ask, asm, ask, kcur, mr);
          for (let jp = 0; jp < ncur; jp += NR) {
            const nr = Math.min(NR, ncur - jp);
            if (acc) microKernel(jp * kcur, kcur, acc, i0 * N + j0 + jp, N, 1, mr, nr, true);
            else microKernel(jp * kcur, kcur, O, oOff + i0 * osm + (j0 + jp) * osn, osm, osn, mr, nr, false);
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
function dotProducts(out: View, a: View, b: View, op: MatmulOperands): void {
  const { K, N, A, Bd, O, ask, bsk, bsn, osn } = op;
  forEachOutputRow(out, a, b, op, (aRow, bCol, oRow) => {
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
  });
}

const EDGE_TILE = new Float64Array(MR * NR);

/**
 * The packed panels and the tile kernel that reads them. The panels are fixed arrays in this
 * closure, so V8 compiles their addresses and lengths into the kernel as constants (no per-load
 * type checks or pointer reloads), and the kernel masks every index to its array's power-of-two
 * length, which keeps the index arithmetic plain int32 (no overflow checks). About 1.2x faster
 * than panels in growable module-level buffers.
 */
const { packA, packB, microKernel, B_BLOCK } = (() => {
  /** Doubles of packed A: one row panel of KC k (an MR × KC panel, 6 KiB). */
  const A_PANEL = 1024;
  /** Doubles of packed B per column block (512 KiB): a block stays in L2 while every row panel of A passes. */
  const B_BLOCK = 65536;
  const aPanel = new Float64Array(A_PANEL);
  const bBlock = new Float64Array(B_BLOCK);

  /**
   * Packs B[k, j] (k < K, j < nc, from `src` with strides bsk, bsn) as column panels of width NR:
   * bBlock[jp*K + k*NR + jj], zero-padded to whole panels. The loops walk B's contiguous direction
   * innermost, so a transposed B (a weight used as Wᵀ) is read in order too.
   */
  function packB(Bd: TypedArray, src: number, bsk: number, bsn: number, K: number, nc: number): void {
    const bp = bBlock;
    for (let jp = 0; jp < nc; jp += NR) {
      const width = Math.min(NR, nc - jp);
      const base = jp * K;
      if (width < NR) bp.fill(0, base, base + K * NR);
      if (Math.abs(bsk) <= Math.abs(bsn)) {
        for (let jj = 0; jj < width; jj++) {
          let p = src + (jp + jj) * bsn;
          for (let k = 0, d = base + jj; k < K; k++, p += bsk, d += NR) bp[d] = Bd[p]!;
        }
      } else if (width === NR) {
        // a whole panel (NR = 3) row by row, without the inner loop
        for (let k = 0, p = src + jp * bsn, d = base; k < K; k++, p += bsk, d += NR) {
          bp[d] = Bd[p]!;
          bp[d + 1] = Bd[p + bsn]!;
          bp[d + 2] = Bd[p + 2 * bsn]!;
        }
      } else {
        for (let k = 0, p = src + jp * bsn, d = base; k < K; k++, p += bsk, d += NR) {
          for (let jj = 0, q = p; jj < width; jj++, q += bsn) bp[d + jj] = Bd[q]!;
        }
      }
    }
  }

  /** Packs rows i < mr (zero-padded to MR) of A[i, k], k < K, as aPanel[k*MR + i]. */
  function packA(A: TypedArray, src: number, asm: number, ask: number, K: number, mr: number): void {
    const ap = aPanel;
    if (mr < MR) ap.fill(0, 0, K * MR);
    if (Math.abs(ask) <= Math.abs(asm)) {
      for (let i = 0; i < mr; i++) {
        let p = src + i * asm;
        for (let k = 0, d = i; k < K; k++, p += ask, d += MR) ap[d] = A[p]!;
      }
    } else {
      for (let k = 0, p = src, d = 0; k < K; k++, p += ask, d += MR) {
        for (let i = 0, q = p; i < mr; i++, q += asm) ap[d + i] = A[q]!;
      }
    }
  }

  /**
   * C[i, j] for i < mr, j < nr (at o + i*osm + j*osn) = the packed A panel times the B panel at
   * bBase, or plus it when `accumulate`. The masks (A_PANEL - 1, B_BLOCK - 1) are literals so
   * they compile to immediates; they never change an index: packing keeps every panel inside.
   */
  // biome-ignore format: the register tile reads best as a grid
  function microKernel(bBase: number, K: number, O: TypedArray, o: number, osm: number, osn: number, mr: number, nr: number, accumulate: boolean): void {
    const ap = aPanel, bp = bBlock;
    let c00 = 0, c01 = 0, c02 = 0;
    let c10 = 0, c11 = 0, c12 = 0;
    let c20 = 0, c21 = 0, c22 = 0;
    for (let k = 0, pa = 0, pb = bBase; k < K; k++, pa = (pa + 3) & 1023, pb = (pb + 3) & 65535) {
      const b0 = bp[pb]!, b1 = bp[(pb + 1) & 65535]!, b2 = bp[(pb + 2) & 65535]!;
      let a = ap[pa]!;
      c00 += a * b0; c01 += a * b1; c02 += a * b2;
      a = ap[(pa + 1) & 1023]!;
      c10 += a * b0; c11 += a * b1; c12 += a * b2;
      a = ap[(pa + 2) & 1023]!;
      c20 += a * b0; c21 += a * b1; c22 += a * b2;
    }
    if (mr === MR && nr === NR) {
      // K spans several blocks: each block's sum adds onto the float64 C in order, as in the wasm kernel
      if (accumulate) {
        O[o] = O[o]! + c00; O[o + osn] = O[o + osn]! + c01; O[o + 2 * osn] = O[o + 2 * osn]! + c02;
        o += osm;
        O[o] = O[o]! + c10; O[o + osn] = O[o + osn]! + c11; O[o + 2 * osn] = O[o + 2 * osn]! + c12;
        o += osm;
        O[o] = O[o]! + c20; O[o + osn] = O[o + osn]! + c21; O[o + 2 * osn] = O[o + 2 * osn]! + c22;
        return;
      }
      O[o] = c00; O[o + osn] = c01; O[o + 2 * osn] = c02;
      o += osm;
      O[o] = c10; O[o + osn] = c11; O[o + 2 * osn] = c12;
      o += osm;
      O[o] = c20; O[o + osn] = c21; O[o + 2 * osn] = c22;
      return;
    }
    // An edge tile: only the first mr rows and nr columns are inside C.
    const t = EDGE_TILE;
    t[0] = c00; t[1] = c01; t[2] = c02;
    t[3] = c10; t[4] = c11; t[5] = c12;
    t[6] = c20; t[7] = c21; t[8] = c22;
    for (let i = 0; i < mr; i++) {
      for (let j = 0, at = o + i * osm; j < nr; j++, at += osn) {
        O[at] = accumulate ? O[at]! + t[i * NR + j]! : t[i * NR + j]!;
      }
    }
  }

  return { packA, packB, microKernel, B_BLOCK };
})();
