import type { View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { SEQUENTIAL_FMA_MAX_K, sgemmSequentialFma } from './blas-float32.js';
import { forEachOutputRow, type MatmulOperands, matmulOperands } from './matmul-operands.js';

// A 2×3 tile of C is summed over a block of k in locals (float64), then stored: straight into out
// when K fits one block. Operands are packed into float64 panels first, so transposed or strided
// views cost one pass. V8 computes all of a tile's products before its sums, so a tile needs two
// registers per element: 2×3 is the largest that keeps every sum in a register (3×3 kept four on
// the stack, reloaded and stored every k).
const MR = 2;
const NR = 3;
/**
 * K is summed in blocks of KC, each block's sum then added into C in float64: the wasm kernel sums
 * the same blocks in the same order, so both backends agree bit for bit.
 */
const KC = 256;
/**
 * A block of A at least this fraction zeros (ReLU's gradients are about half) is multiplied row by
 * row over its nonzeros only. Exact: a float64 sum starts at +0 and adding a zero product (of a
 * finite B) never changes it, so the sums see the same nonzero products in the same order.
 */
const SPARSE_MIN_ZEROS = 0.3;

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
  // one k block writes C straight into out; more add up in a float64 C first
  const acc = K > KC ? accScratch(M * N) : null;
  for (let batch = 0; batch < B; batch++) {
    const aOff = a.offset + batch * asb;
    const bOff = b.offset + batch * bsb;
    const oOff = out.offset + batch * osb;
    acc?.fill(0, 0, M * N);
    for (let k0 = 0; k0 < K || k0 === 0; k0 += KC) {
      const kc = Math.min(KC, K - k0);
      let sparse = false;
      for (let j0 = 0; j0 < N; j0 += NC) {
        const nc = Math.min(NC, N - j0);
        packB(Bd, bOff + k0 * bsk + j0 * bsn, bsk, bsn, kc, nc);
        let bFinite: boolean | undefined;
        for (let i0 = 0; i0 < M; i0 += MC) {
          const mc = Math.min(MC, M - i0);
          // A within one block stays packed for every block of B
          if (j0 === 0 || M > MC) {
            const zeros = packA(A, aOff + (i0 * asm + k0 * ask), asm, ask, kc, mc);
            sparse = zeros >= SPARSE_MIN_ZEROS * mc * kc;
            if (sparse) compressRows(mc, kc);
          }
          // Skipping A's zeros is exact only while every product it skips is a zero.
          const tiles = sparse && (bFinite ??= isFinitePacked(nc, kc)) ? sparseTiles : denseTiles;
          if (acc) tiles(mc, nc, kc, acc, i0 * N + j0, N, 1, true);
          else tiles(mc, nc, kc, O, oOff + i0 * osm + j0 * osn, osm, osn, false);
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
 * The packed blocks and the tile kernel that reads them. Each block is planar: row i of every row
 * panel of A in array A_ROWS[i] (panel p at p * KC), column j of every column panel of B in
 * B_COLS[j]. So one index per operand reads all of a tile's values at a k: V8 checks it against
 * the arrays' common length once, and the arrays, fixed in this closure, are compiled into the
 * kernel as constants. The kernel masks each index to that power-of-two length, which keeps the
 * index arithmetic plain int32 (no overflow checks); the masks never change an index: packing
 * keeps every panel inside.
 */
const { packA, packB, compressRows, isFinitePacked, denseTiles, sparseTiles, MC, NC } = (() => {
  /** Panels per block: KC k of each, 128 KiB per array. */
  const PANELS = 64;
  const LENGTH = PANELS * KC;
  const a0 = new Float64Array(LENGTH);
  const a1 = new Float64Array(LENGTH);
  const b0 = new Float64Array(LENGTH);
  const b1 = new Float64Array(LENGTH);
  const b2 = new Float64Array(LENGTH);
  const A_ROWS = [a0, a1];
  const B_COLS = [b0, b1, b2];
  /** The compressed rows of a sparse A block (compressRows). */
  const SPARSE_LENGTH = PANELS * MR * KC;
  const kIndex = new Int32Array(SPARSE_LENGTH);
  const kValue = new Float64Array(SPARSE_LENGTH);
  const rowStart = new Int32Array(PANELS * MR + 1);
  const SPARSE_TILE = new Float64Array(2 * NR);

  /**
   * Packs B[k, j] (k < K, j < nc, from `src` with strides bsk, bsn) into B_COLS[j % NR] at
   * (j / NR) * KC + k, zero-padded to whole panels. The loops walk B's contiguous direction
   * innermost, so a transposed B (a weight used as Wᵀ) is read in order too.
   */
  function packB(Bd: TypedArray, src: number, bsk: number, bsn: number, K: number, nc: number): void {
    const padded = Math.ceil(nc / NR) * NR;
    for (let j = nc; j < padded; j++) B_COLS[j % NR]!.fill(0, ((j / NR) | 0) * KC, ((j / NR) | 0) * KC + K);
    if (Math.abs(bsk) <= Math.abs(bsn)) {
      for (let j = 0; j < nc; j++) {
        const col = B_COLS[j % NR]!;
        for (let k = 0, p = src + j * bsn, d = ((j / NR) | 0) * KC; k < K; k++, p += bsk, d++) col[d] = Bd[p]!;
      }
    } else {
      for (let k = 0, p = src; k < K; k++, p += bsk) {
        let j = 0;
        for (let q = p, d = k; j + NR <= nc; j += NR, q += NR * bsn, d += KC) {
          b0[d] = Bd[q]!;
          b1[d] = Bd[q + bsn]!;
          b2[d] = Bd[q + 2 * bsn]!;
        }
        for (let q = p + j * bsn; j < nc; j++, q += bsn) B_COLS[j % NR]![((j / NR) | 0) * KC + k] = Bd[q]!;
      }
    }
  }

  /**
   * Packs rows i < mc of A[i, k], k < K, into A_ROWS[i % MR] at (i / MR) * KC + k, zero-padded to
   * whole panels; returns how many of the packed values are zero.
   */
  function packA(A: TypedArray, src: number, asm: number, ask: number, K: number, mc: number): number {
    const padded = Math.ceil(mc / MR) * MR;
    for (let i = mc; i < padded; i++) A_ROWS[i % MR]!.fill(0, ((i / MR) | 0) * KC, ((i / MR) | 0) * KC + K);
    let zeros = 0;
    if (Math.abs(ask) <= Math.abs(asm)) {
      for (let i = 0; i < mc; i++) {
        const row = A_ROWS[i % MR]!;
        for (let k = 0, p = src + i * asm, d = ((i / MR) | 0) * KC; k < K; k++, p += ask, d++) {
          const x = A[p]!;
          row[d] = x;
          zeros += x === 0 ? 1 : 0;
        }
      }
    } else {
      for (let k = 0, p = src; k < K; k++, p += ask) {
        let i = 0;
        for (let q = p, d = k; i + MR <= mc; i += MR, q += MR * asm, d += KC) {
          const x0 = A[q]!;
          const x1 = A[q + asm]!;
          a0[d] = x0;
          a1[d] = x1;
          zeros += (x0 === 0 ? 1 : 0) + (x1 === 0 ? 1 : 0);
        }
        for (let q = p + i * asm; i < mc; i++, q += asm) {
          const x = A[q]!;
          A_ROWS[i % MR]![((i / MR) | 0) * KC + k] = x;
          zeros += x === 0 ? 1 : 0;
        }
      }
    }
    return zeros;
  }

  /** The packed A block's rows i < mc as lists of their nonzeros: k in kIndex, A[i, k] in kValue, row i at rowStart[i] .. rowStart[i + 1]. */
  function compressRows(mc: number, K: number): void {
    let t = 0;
    for (let i = 0; i < mc; i++) {
      rowStart[i] = t;
      const row = A_ROWS[i % MR]!;
      for (let k = 0, d = ((i / MR) | 0) * KC; k < K; k++, d++) {
        const x = row[d]!;
        // written always, kept when nonzero: no branch to mispredict
        kIndex[t] = k;
        kValue[t] = x;
        t += x === 0 ? 0 : 1;
      }
    }
    rowStart[mc] = t;
  }

  /** Whether the packed B block (nc columns of K) holds only finite values. */
  function isFinitePacked(nc: number, K: number): boolean {
    // x * 0 is 0 for every finite x and NaN otherwise
    let probe = 0;
    for (let j = 0; j < nc; j++) {
      const col = B_COLS[j % NR]!;
      for (let k = 0, d = ((j / NR) | 0) * KC; k < K; k++, d++) probe += col[d]! * 0;
    }
    return probe === 0;
  }

  /**
   * C[row, j] for j < nr (at o + j*osn) = the nonzeros of the sparse A block's row times the two
   * column panels of B at bAt and bAt + KC, or plus it when `accumulate`. With nr <= NR the second
   * panel's sums are not stored. The masks (SPARSE_LENGTH - 1, LENGTH - 1) are literals.
   */
  // biome-ignore format: the register tile reads best as a grid
  function sparseKernel(row: number, bAt: number, O: TypedArray, o: number, osn: number, nr: number, accumulate: boolean): void {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
    for (let t = rowStart[row]!, end = rowStart[row + 1]!; t < end; t++) {
      const at = t & 32767;
      const k = kIndex[at]!;
      const y = kValue[at]!;
      const p = (bAt + k) & 16383, q = (bAt + KC + k) & 16383;
      c0 += y * b0[p]!; c1 += y * b1[p]!; c2 += y * b2[p]!;
      c3 += y * b0[q]!; c4 += y * b1[q]!; c5 += y * b2[q]!;
    }
    const t = SPARSE_TILE;
    t[0] = c0; t[1] = c1; t[2] = c2; t[3] = c3; t[4] = c4; t[5] = c5;
    for (let j = 0, at = o; j < nr; j++, at += osn) O[at] = accumulate ? O[at]! + t[j]! : t[j]!;
  }

  /**
   * C[i, j] for i < mr, j < nr (at o + i*osm + j*osn) = the A panel at aAt times the B panel at
   * bAt over K, or plus it when `accumulate`. The mask (LENGTH - 1) is a literal so it compiles
   * to an immediate.
   */
  // biome-ignore format: the register tile reads best as a grid
  function microKernel(aAt: number, bAt: number, K: number, O: TypedArray, o: number, osm: number, osn: number, mr: number, nr: number, accumulate: boolean): void {
    let c00 = 0, c01 = 0, c02 = 0;
    let c10 = 0, c11 = 0, c12 = 0;
    for (let k = 0; k < K; k++) {
      const pa = (aAt + k) & 16383, pb = (bAt + k) & 16383;
      const x0 = b0[pb]!, x1 = b1[pb]!, x2 = b2[pb]!;
      let y = a0[pa]!;
      c00 += y * x0; c01 += y * x1; c02 += y * x2;
      y = a1[pa]!;
      c10 += y * x0; c11 += y * x1; c12 += y * x2;
    }
    if (mr === MR && nr === NR) {
      // K spans several blocks: each block's sum adds onto the float64 C in order, as in the wasm kernel
      if (accumulate) {
        O[o] = O[o]! + c00; O[o + osn] = O[o + osn]! + c01; O[o + 2 * osn] = O[o + 2 * osn]! + c02;
        o += osm;
        O[o] = O[o]! + c10; O[o + osn] = O[o + osn]! + c11; O[o + 2 * osn] = O[o + 2 * osn]! + c12;
        return;
      }
      O[o] = c00; O[o + osn] = c01; O[o + 2 * osn] = c02;
      o += osm;
      O[o] = c10; O[o + osn] = c11; O[o + 2 * osn] = c12;
      return;
    }
    // An edge tile: only the first mr rows and nr columns are inside C.
    const t = EDGE_TILE;
    t[0] = c00; t[1] = c01; t[2] = c02;
    t[3] = c10; t[4] = c11; t[5] = c12;
    for (let i = 0; i < mr; i++) {
      for (let j = 0, at = o + i * osm; j < nr; j++, at += osn) {
        O[at] = accumulate ? O[at]! + t[i * NR + j]! : t[i * NR + j]!;
      }
    }
  }

  /** C (at o, strides osm, osn) = or += the packed A block (mc rows) times the packed B block (nc columns) over K, tile by tile. */
  function denseTiles(mc: number, nc: number, K: number, O: TypedArray, o: number, osm: number, osn: number, accumulate: boolean): void {
    for (let i = 0; i < mc; i += MR) {
      const mr = Math.min(MR, mc - i);
      for (let j = 0; j < nc; j += NR) {
        // panel p of a block starts at p * KC in its arrays
        microKernel((i / MR) * KC, (j / NR) * KC, K, O, o + i * osm + j * osn, osm, osn, mr, Math.min(NR, nc - j), accumulate);
      }
    }
  }

  /** As denseTiles, from the compressed rows of a sparse A block. */
  function sparseTiles(mc: number, nc: number, _K: number, O: TypedArray, o: number, osm: number, osn: number, accumulate: boolean): void {
    for (let i = 0; i < mc; i++) {
      for (let j = 0; j < nc; j += 2 * NR)
        sparseKernel(i, (j / NR) * KC, O, o + i * osm + j * osn, osn, Math.min(2 * NR, nc - j), accumulate);
    }
  }

  return { packA, packB, compressRows, isFinitePacked, denseTiles, sparseTiles, MC: PANELS * MR, NC: PANELS * NR };
})();
