import { F32, loadAs, storeAs } from './dtype';
import { fmaf } from './sleef-float32';
import { mayMisround, onFloat32Tie } from './simd-math';

// Goto-style blocking: a KC×NC block of B is packed into NR-wide column panels (stays in L2), an
// MC×KC block of A into MR-tall row panels, and an MR×NR tile of C lives in registers through the
// k loop. The float64 path cuts K as the cpu backend does (so it sums in the same order); the
// float32 path takes longer K blocks, which halves its passes over C while a 4×KC A panel (8 KiB)
// still sits in L1 beside the B panel streaming from L2.
const MR: i32 = 4;
const NR: i32 = 8;
const MC: i32 = 64;
const NC: i32 = 512;
const KC_F64: i32 = 256;
const KC_F32: i32 = 512;

// @ts-ignore: decorator
@inline
function roundUp(x: i32, to: i32): i32 {
  return ((x + to - 1) / to) * to;
}

/** Bytes of the packed A block (at most MC rows, whole MR panels) and of the packed B block, for K blocks of at most kc. */
function aPackBytes(m: i32, kc: i32, elem: i32): i32 {
  return min(MC, roundUp(m, MR)) * kc * elem;
}
function bPackBytes(kc: i32, n: i32, elem: i32): i32 {
  return kc * min(NC, roundUp(n, NR)) * elem;
}

/** How a matmul accumulates (the host picks; see src/wasm-backend.ts). */
export const enum Path {
  /** Any dtype mix: float64 accumulation in the cpu backend's order, stored into out's dtype. */
  f64 = 0,
  /** All float32, large: the f32x4 kernel, float32 accumulation. */
  f32 = 1,
  /** All float32 with K < 32: OpenBLAS's order, a sequential float32 fma chain per output. */
  fmaChain = 2,
  /** As f32, with B already packed whole by packMatmulB (threads sharing a matmul by rows pack it once). */
  f32PackedB = 3,
}

/**
 * Bytes of scratch the host must pass: packed panels, an edge tile and, on the float64 path, a
 * float64 C; for the fma chain in the SIMD build, B packed row-major.
 */
export function matmulScratchBytes(m: i32, k: i32, n: i32, path: i32): i32 {
  if (path == Path.fmaChain) return ASC_FEATURE_SIMD ? k * n * 4 : 0;
  if (path == Path.f32PackedB) return aPackBytes(m, min(KC_F32, k), 4) + MR * NR * 4;
  const f32Path = path == Path.f32;
  const elem = f32Path ? 4 : 8;
  const kc = min(f32Path ? KC_F32 : KC_F64, k);
  return aPackBytes(m, kc, elem) + bPackBytes(kc, n, elem) + MR * NR * 8 + (f32Path ? 0 : m * n * 8);
}

/** Bytes of float32 B [K, N] packed whole by packMatmulB: NR-column panels, each all K rows deep. */
export function matmulPackedBBytes(k: i32, n: i32): i32 {
  return k * roundUp(n, NR) * 4;
}

/**
 * Packs float32 B [K, N] (byte strides) whole for Path.f32PackedB. Threads share the packing by
 * blocks of whole panels: columns [j, j + n) go to dst + j·K·4 for j a multiple of NR.
 */
export function packMatmulB(k: i32, n: i32, pb: usize, sbk: i32, sbn: i32, dst: usize): void {
  packBF32(pb, sbk, sbn, k, n, dst);
}

/**
 * Batched a [B, M, K] × b [B, K, N] → out [B, M, N] over strided operands (byte strides); out's rows
 * must be contiguous (column stride = element size). `path` (a Path) picks the accumulation.
 */
export function matmul(
  batches: i32, m: i32, k: i32, n: i32,
  pa: usize, da: i32, sab: i32, sam: i32, sak: i32,
  pb: usize, db: i32, sbb: i32, sbk: i32, sbn: i32,
  po: usize, dout: i32, sob: i32, som: i32,
  scratch: usize, path: i32,
): void {
  for (let b = 0; b < batches; b++) {
    const a0 = pa + <usize>(b * sab);
    const b0 = pb + <usize>(b * sbb);
    const o0 = po + <usize>(b * sob);
    if (path == Path.fmaChain) {
      if (ASC_FEATURE_SIMD) matmulFmaChainF64x2(m, k, n, a0, sam, sak, b0, sbk, sbn, o0, som, scratch);
      else matmulFmaChain(m, k, n, a0, sam, sak, b0, sbk, sbn, o0, som);
    }
    else if (path == Path.f32 || path == Path.f32PackedB) matmulF32(m, k, n, a0, sam, sak, b0, sbk, sbn, o0, som, scratch, path == Path.f32PackedB);
    else matmulF64(m, k, n, a0, da, sam, sak, b0, db, sbk, sbn, o0, dout, som, scratch);
  }
}

/** out[i, j] = the float32 fma chain over p of A[i, p] · B[p, j], as OpenBLAS's sgemm for K < 32. */
function matmulFmaChain(m: i32, k: i32, n: i32, pa: usize, sam: i32, sak: i32, pb: usize, sbk: i32, sbn: i32, po: usize, som: i32): void {
  for (let i = 0; i < m; i++) {
    const aRow = pa + <usize>(i * sam);
    const oRow = po + <usize>(i * som);
    for (let j = 0; j < n; j++) store<f32>(oRow + (<usize>j << 2), <f32>fmaChain(k, aRow, sak, pb + <usize>(j * sbn), sbk));
  }
}

/** One output of the fma chain: Σ over p < k of a[p]·b[p], each step one float32 rounding. */
// @ts-ignore: decorator
@inline
function fmaChain(k: i32, a: usize, sa: i32, b: usize, sb: i32): f64 {
  let acc: f64 = 0;
  for (let p = 0; p < k; p++, a += <usize>sa, b += <usize>sb) acc = fmaf(<f64>load<f32>(a), <f64>load<f32>(b), acc);
  return acc;
}

/** Whether x is nonzero and smaller in size than 2^-60 (see matmulFmaChainF64x2). */
// @ts-ignore: decorator
@inline
function isTiny(x: f32): bool {
  return abs(x) < <f32>8.673617379884035e-19 && x != 0;
}

/**
 * The fma chain eight outputs at a time: B packed row-major into scratch, each step computed as
 * in fmaf (the product exact in float64, one rounding to float32) in f64x2 lanes. A step whose
 * float64 sum may misround has its group redone exactly: a sum on a float32 tie, or, when some
 * input is tiny, one below the normal float32 range. With every input 0 or at least 2^-60 in
 * size, each product is a multiple of 2^-166 and each float32 one of 2^-149, so a sum below
 * 2^-126 takes at most 40 bits: float64 holds it exactly, and only ties remain to check.
 */
function matmulFmaChainF64x2(m: i32, k: i32, n: i32, pa: usize, sam: i32, sak: i32, pb: usize, sbk: i32, sbn: i32, po: usize, som: i32, packed: usize): void {
  let tiny = false;
  for (let p = 0; p < k; p++) {
    const src = pb + <usize>(p * sbk);
    const dst = packed + <usize>(p * n * 4);
    for (let j = 0; j < n; j++) {
      const x = load<f32>(src + <usize>(j * sbn));
      tiny = tiny || isTiny(x);
      store<f32>(dst + (<usize>j << 2), x);
    }
  }
  for (let i = 0; i < m && !tiny; i++) {
    for (let p = 0; p < k; p++) tiny = tiny || isTiny(load<f32>(pa + <usize>(i * sam + p * sak)));
  }
  if (tiny) fmaChainRowsF64x2(true, m, k, n, pa, sam, sak, po, som, packed);
  else fmaChainRowsF64x2(false, m, k, n, pa, sam, sak, po, som, packed);
}

/** matmulFmaChainF64x2 after packing: `checkBelowNormal` (a constant where inlined) adds the check of sums below the normal range. */
// @ts-ignore: decorator
@inline
function fmaChainRowsF64x2(checkBelowNormal: bool, m: i32, k: i32, n: i32, pa: usize, sam: i32, sak: i32, po: usize, som: i32, packed: usize): void {
  const ldb = <usize>(n * 4);
  const end = n & ~7;
  for (let i = 0; i < m; i++) {
    const aRow = pa + <usize>(i * sam);
    const oRow = po + <usize>(i * som);
    // Eight outputs at a time: four independent chains hide the latency of each rounding step.
    for (let j = 0; j < end; j += 8) {
      let c0 = f64x2.splat(0), c1 = f64x2.splat(0), c2 = f64x2.splat(0), c3 = f64x2.splat(0);
      let unsure = i32x4.splat(0);
      let a = aRow;
      let b = packed + (<usize>j << 2);
      for (let p = 0; p < k; p++, a += <usize>sak, b += ldb) {
        const av = f64x2.splat(<f64>load<f32>(a));
        const b0 = v128.load(b);
        const b1 = v128.load(b, 16);
        const s0 = f64x2.add(f64x2.mul(av, f64x2.promote_low_f32x4(b0)), c0);
        const s1 = f64x2.add(f64x2.mul(av, f64x2.promote_low_f32x4(i64x2.shuffle(b0, b0, 1, 0))), c1);
        const s2 = f64x2.add(f64x2.mul(av, f64x2.promote_low_f32x4(b1)), c2);
        const s3 = f64x2.add(f64x2.mul(av, f64x2.promote_low_f32x4(i64x2.shuffle(b1, b1, 1, 0))), c3);
        c0 = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(s0));
        c1 = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(s1));
        c2 = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(s2));
        c3 = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(s3));
        if (checkBelowNormal) unsure = v128.or(unsure, v128.or(v128.or(mayMisround(s0), mayMisround(s1)), v128.or(mayMisround(s2), mayMisround(s3))));
        else unsure = v128.or(unsure, v128.or(v128.or(onFloat32Tie(s0), onFloat32Tie(s1)), v128.or(onFloat32Tie(s2), onFloat32Tie(s3))));
      }
      const o = oRow + (<usize>j << 2);
      if (v128.any_true(unsure)) {
        for (let jj = 0; jj < 8; jj++) store<f32>(o + (<usize>jj << 2), <f32>fmaChain(k, aRow, sak, packed + (<usize>(j + jj) << 2), n * 4));
      } else {
        v128.store(o, i64x2.shuffle(f32x4.demote_f64x2_zero(c0), f32x4.demote_f64x2_zero(c1), 0, 2));
        v128.store(o, i64x2.shuffle(f32x4.demote_f64x2_zero(c2), f32x4.demote_f64x2_zero(c3), 0, 2), 16);
      }
    }
    for (let j = end; j < n; j++) store<f32>(oRow + (<usize>j << 2), <f32>fmaChain(k, aRow, sak, packed + (<usize>j << 2), n * 4));
  }
}

/** `packedB`: pb is B packed whole by packMatmulB (sbk, sbn unused); otherwise each K×N block of B is packed here. */
function matmulF32(m: i32, k: i32, n: i32, pa: usize, sam: i32, sak: i32, pb: usize, sbk: i32, sbn: i32, po: usize, som: i32, scratch: usize, packedB: bool): void {
  // K split into equal blocks of at most KC_F32 (a multiple of 4 but the last), so no block is a short remainder.
  const kBlocks = (k + KC_F32 - 1) / KC_F32;
  const kStep = min(KC_F32, roundUp((k + kBlocks - 1) / kBlocks, 4));
  const aPack = scratch;
  const bPack = aPack + <usize>aPackBytes(m, min(KC_F32, k), 4);
  const tile = packedB ? bPack : bPack + <usize>bPackBytes(min(KC_F32, k), n, 4);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kStep) {
      const kc = min(kStep, k - pc);
      // The first K block stores into C, the others add to it: C needs no zeroing.
      const first = pc == 0;
      // This block's B panels: packed whole beforehand (each panel then all K rows deep), or here.
      const depth = packedB ? k : kc;
      const bBlock = packedB ? pb + <usize>(jc * k * 4 + pc * NR * 4) : bPack;
      if (!packedB) packBF32(pb + <usize>(pc * sbk + jc * sbn), sbk, sbn, kc, nc, bPack);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packAF32(pa + <usize>(ic * sam + pc * sak), sam, sak, mc, kc, aPack);
        // Each A panel stays in L1 while the B panels stream past it, and C is walked along its rows.
        for (let ir = 0; ir < mc; ir += MR) {
          const mr = min(MR, mc - ir);
          const ap = aPack + <usize>(ir * kc * 4);
          const cRow = po + <usize>((ic + ir) * som + (jc << 2));
          for (let jr = 0; jr < nc; jr += NR) {
            const nr = min(NR, nc - jr);
            const bp = bBlock + <usize>(jr * depth * 4);
            const c = cRow + (<usize>jr << 2);
            if (ASC_FEATURE_SIMD) microF32x4(kc, ap, bp, c, som, mr, nr, tile, first);
            else microF32(kc, ap, bp, c, som, mr, nr, tile, first);
          }
        }
      }
    }
  }
}

/** The 4×4 block of rows r0..r3 transposed: row q of the result (r0[q], r1[q], r2[q], r3[q]) stored at dst + q·stride. */
// @ts-ignore: decorator
@inline
function storeTransposed4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i64x2.shuffle(t0, t1, 0, 2));
  v128.store(dst + stride, i64x2.shuffle(t0, t1, 1, 3));
  v128.store(dst + 2 * stride, i64x2.shuffle(t2, t3, 0, 2));
  v128.store(dst + 3 * stride, i64x2.shuffle(t2, t3, 1, 3));
}

/**
 * Panels row-major B is packed PACK_PANELS at a time: each row gives them 128 bytes, two whole
 * cache lines. A whole row at a time writes to every panel at once, a panel apart (often a
 * multiple of 4 KiB, so all in one L1 set), and took two to four times as long; one panel at a
 * time reads a mere 32 bytes of each row.
 */
const PACK_PANELS: i32 = 4;

/**
 * bPack[(jr * kc + p) * NR + jj] = B[p, jr + jj], zero past nc. Row-major B is read a few panels
 * at a time (PACK_PANELS), row after row; B with contiguous columns (a transposed view, as in
 * X @ W^T) is read four rows at a time down each column and transposed in registers. The last,
 * partial panel goes element by element.
 */
function packBF32(src: usize, sbk: i32, sbn: i32, kc: i32, nc: i32, dst: usize): void {
  const whole = ASC_FEATURE_SIMD && (sbn == 4 || sbk == 4) ? nc & ~(NR - 1) : 0;
  const panelBytes = <usize>(kc * NR * 4);
  if (ASC_FEATURE_SIMD && whole > 0 && sbn == 4) {
    for (let jb = 0; jb < whole; jb += PACK_PANELS * NR) {
      const je = min(whole, jb + PACK_PANELS * NR);
      for (let p = 0; p < kc; p++) {
        const sp = src + <usize>(p * sbk);
        let d = dst + <usize>(jb * kc * 4 + p * NR * 4);
        for (let jr = jb; jr < je; jr += NR, d += panelBytes) {
          const s = sp + (<usize>jr << 2);
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
        }
      }
    }
  } else if (ASC_FEATURE_SIMD && whole > 0) {
    const ld = <usize>sbn;
    for (let jr = 0; jr < whole; jr += NR) {
      const s = src + <usize>(jr * sbn);
      let d = dst + <usize>(jr * kc * 4);
      let p = 0;
      for (; p + 4 <= kc; p += 4, d += 4 * NR * 4) {
        const c0 = s + (<usize>p << 2);
        const c4 = c0 + 4 * ld;
        storeTransposed4(v128.load(c0), v128.load(c0 + ld), v128.load(c0 + 2 * ld), v128.load(c0 + 3 * ld), d, NR * 4);
        storeTransposed4(v128.load(c4), v128.load(c4 + ld), v128.load(c4 + 2 * ld), v128.load(c4 + 3 * ld), d + 16, NR * 4);
      }
      for (; p < kc; p++, d += NR * 4) {
        const sp = s + <usize>(p * sbk);
        for (let jj = 0; jj < NR; jj++) store<f32>(d + (<usize>jj << 2), load<f32>(sp + <usize>(jj * sbn)));
      }
    }
  }
  for (let jr = whole; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const s = src + <usize>(jr * sbn);
    let d = dst + <usize>(jr * kc * 4);
    for (let p = 0; p < kc; p++, d += NR * 4) {
      const sp = s + <usize>(p * sbk);
      for (let jj = 0; jj < NR; jj++) store<f32>(d + (<usize>jj << 2), jj < nr ? load<f32>(sp + <usize>(jj * sbn)) : 0);
    }
  }
}

/**
 * aPack[(ir * kc + p) * MR + ii] = A[ir + ii, p], zero past mc. A with contiguous columns (a
 * transposed view, as in X^T @ G) is copied four floats at a time; row-major A is read four
 * columns at a time along each row and transposed in registers.
 */
function packAF32(src: usize, sam: i32, sak: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const s = src + <usize>(ir * sam);
    let d = dst + <usize>(ir * kc * 4);
    let p = 0;
    if (ASC_FEATURE_SIMD && mr == MR && sam == 4) {
      for (; p < kc; p++, d += MR * 4) v128.store(d, v128.load(s + <usize>(p * sak)));
    } else if (ASC_FEATURE_SIMD && mr == MR && sak == 4) {
      const ld = <usize>sam;
      for (; p + 4 <= kc; p += 4, d += 4 * MR * 4) {
        const r0 = s + (<usize>p << 2);
        storeTransposed4(v128.load(r0), v128.load(r0 + ld), v128.load(r0 + 2 * ld), v128.load(r0 + 3 * ld), d, MR * 4);
      }
    }
    for (; p < kc; p++, d += MR * 4) {
      const sp = s + <usize>(p * sak);
      for (let ii = 0; ii < MR; ii++) store<f32>(d + (<usize>ii << 2), ii < mr ? load<f32>(sp + <usize>(ii * sam)) : 0);
    }
  }
}

/**
 * acc + a·b for the float32 micro-kernel. The relaxed-SIMD build uses relaxed_madd, a fused
 * multiply-add where the hardware has one (one instruction instead of two, about 1.3× at N = 1024);
 * its rounding then differs from mul-then-add within float32 accumulation error, so this is the
 * only place it is used: the exact paths (K < 32 chains, float64, reductions) stay as they are.
 */
@inline
function mulAddF32x4(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** C[0:mr, 0:nr] (+)= Apanel · Bpanel with a 4×8 register tile (8 f32x4 accumulators); `first` stores instead of adding. */
function microF32x4(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize, first: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++, ap += 16, bp += 32) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap);
    c00 = mulAddF32x4(c00, a0, b0);
    c01 = mulAddF32x4(c01, a0, b1);
    const a1 = v128.load32_splat(ap, 4);
    c10 = mulAddF32x4(c10, a1, b0);
    c11 = mulAddF32x4(c11, a1, b1);
    const a2 = v128.load32_splat(ap, 8);
    c20 = mulAddF32x4(c20, a2, b0);
    c21 = mulAddF32x4(c21, a2, b1);
    const a3 = v128.load32_splat(ap, 12);
    c30 = mulAddF32x4(c30, a3, b0);
    c31 = mulAddF32x4(c31, a3, b1);
  }
  if (mr == MR && nr == NR) {
    const r1 = c + <usize>ldc;
    const r2 = r1 + <usize>ldc;
    const r3 = r2 + <usize>ldc;
    if (!first) {
      c00 = f32x4.add(v128.load(c), c00);
      c01 = f32x4.add(v128.load(c, 16), c01);
      c10 = f32x4.add(v128.load(r1), c10);
      c11 = f32x4.add(v128.load(r1, 16), c11);
      c20 = f32x4.add(v128.load(r2), c20);
      c21 = f32x4.add(v128.load(r2, 16), c21);
      c30 = f32x4.add(v128.load(r3), c30);
      c31 = f32x4.add(v128.load(r3, 16), c31);
    }
    v128.store(c, c00);
    v128.store(c, c01, 16);
    v128.store(r1, c10);
    v128.store(r1, c11, 16);
    v128.store(r2, c20);
    v128.store(r2, c21, 16);
    v128.store(r3, c30);
    v128.store(r3, c31, 16);
    return;
  }
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
  addTileF32(tile, c, ldc, mr, nr, first);
}

function microF32(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize, first: bool): void {
  memory.fill(tile, 0, <usize>(MR * NR * 4));
  for (let p = 0; p < kc; p++, ap += 16, bp += 32) {
    for (let ii = 0; ii < MR; ii++) {
      const a = load<f32>(ap + (<usize>ii << 2));
      const t = tile + <usize>(ii * NR * 4);
      for (let jj = 0; jj < NR; jj++) {
        const q = t + (<usize>jj << 2);
        store<f32>(q, load<f32>(q) + a * load<f32>(bp + (<usize>jj << 2)));
      }
    }
  }
  addTileF32(tile, c, ldc, mr, nr, first);
}

/** C[0:mr, 0:nr] (+)= the tile; `first` stores instead of adding. */
function addTileF32(tile: usize, c: usize, ldc: i32, mr: i32, nr: i32, first: bool): void {
  for (let ii = 0; ii < mr; ii++) {
    const row = c + <usize>(ii * ldc);
    for (let jj = 0; jj < nr; jj++) {
      const q = row + (<usize>jj << 2);
      const t = load<f32>(tile + <usize>((ii * NR + jj) << 2));
      store<f32>(q, first ? t : load<f32>(q) + t);
    }
  }
}

// ---------------------------------------------------------------- float64 path (any dtype mix)

function matmulF64(
  m: i32, k: i32, n: i32,
  pa: usize, da: i32, sam: i32, sak: i32,
  pb: usize, db: i32, sbk: i32, sbn: i32,
  po: usize, dout: i32, som: i32, scratch: usize,
): void {
  const aPack = scratch;
  const bPack = aPack + <usize>aPackBytes(m, min(KC_F64, k), 8);
  const tile = bPack + <usize>bPackBytes(min(KC_F64, k), n, 8);
  const cBuf = tile + <usize>(MR * NR * 8);
  const ldc = n << 3;
  memory.fill(cBuf, 0, <usize>(m * ldc));
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC_F64) {
      const kc = min(KC_F64, k - pc);
      // Panels as in the float32 path, in float64 and converted from any dtype.
      for (let jr = 0; jr < nc; jr += NR) {
        const nr = min(NR, nc - jr);
        let d = bPack + <usize>(jr * kc * 8);
        for (let p = 0; p < kc; p++, d += NR * 8) {
          const s = pb + <usize>((pc + p) * sbk + (jc + jr) * sbn);
          for (let jj = 0; jj < NR; jj++) store<f64>(d + (<usize>jj << 3), jj < nr ? loadAs(s + <usize>(jj * sbn), db) : 0);
        }
      }
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        for (let ir = 0; ir < mc; ir += MR) {
          const mr = min(MR, mc - ir);
          let d = aPack + <usize>(ir * kc * 8);
          for (let p = 0; p < kc; p++, d += MR * 8) {
            const s = pa + <usize>((ic + ir) * sam + (pc + p) * sak);
            for (let ii = 0; ii < MR; ii++) store<f64>(d + (<usize>ii << 3), ii < mr ? loadAs(s + <usize>(ii * sam), da) : 0);
          }
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = bPack + <usize>(jr * kc * 8);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            if (ASC_FEATURE_SIMD) microF64x2(kc, aPack + <usize>(ir * kc * 8), bp, tile);
            else microF64(kc, aPack + <usize>(ir * kc * 8), bp, tile);
            const c = cBuf + <usize>((ic + ir) * ldc + ((jc + jr) << 3));
            for (let ii = 0; ii < mr; ii++) {
              const row = c + <usize>(ii * ldc);
              for (let jj = 0; jj < nr; jj++) {
                const q = row + (<usize>jj << 3);
                store<f64>(q, load<f64>(q) + load<f64>(tile + <usize>((ii * NR + jj) << 3)));
              }
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < m; i++) {
    const src = cBuf + <usize>(i * ldc);
    const dst = po + <usize>(i * som);
    const size: i32 = dout == 1 ? 8 : dout == 3 ? 1 : 4;
    for (let j = 0; j < n; j++) storeAs(dst + <usize>(j * size), dout, load<f64>(src + (<usize>j << 3)));
  }
}

/** tile (MR×NR float64) = Apanel · Bpanel, two rows of f64x2 per register pair. */
function microF64x2(kc: i32, ap: usize, bp: usize, tile: usize): void {
  for (let half = 0; half < 2; half++) {
    // Columns [4·half, 4·half + 4) of the 4×8 tile: 8 f64x2 accumulators.
    let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
    let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
    let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
    let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
    let a = ap;
    let b = bp + <usize>(half * 32);
    for (let p = 0; p < kc; p++, a += 32, b += 64) {
      const b0 = v128.load(b);
      const b1 = v128.load(b, 16);
      const a0 = v128.load64_splat(a);
      c00 = f64x2.add(c00, f64x2.mul(a0, b0));
      c01 = f64x2.add(c01, f64x2.mul(a0, b1));
      const a1 = v128.load64_splat(a, 8);
      c10 = f64x2.add(c10, f64x2.mul(a1, b0));
      c11 = f64x2.add(c11, f64x2.mul(a1, b1));
      const a2 = v128.load64_splat(a, 16);
      c20 = f64x2.add(c20, f64x2.mul(a2, b0));
      c21 = f64x2.add(c21, f64x2.mul(a2, b1));
      const a3 = v128.load64_splat(a, 24);
      c30 = f64x2.add(c30, f64x2.mul(a3, b0));
      c31 = f64x2.add(c31, f64x2.mul(a3, b1));
    }
    const t = tile + <usize>(half * 32);
    v128.store(t, c00);
    v128.store(t, c01, 16);
    v128.store(t, c10, 64);
    v128.store(t, c11, 80);
    v128.store(t, c20, 128);
    v128.store(t, c21, 144);
    v128.store(t, c30, 192);
    v128.store(t, c31, 208);
  }
}

function microF64(kc: i32, ap: usize, bp: usize, tile: usize): void {
  memory.fill(tile, 0, <usize>(MR * NR * 8));
  for (let p = 0; p < kc; p++, ap += 32, bp += 64) {
    for (let ii = 0; ii < MR; ii++) {
      const a = load<f64>(ap + (<usize>ii << 3));
      const t = tile + <usize>(ii * NR * 8);
      for (let jj = 0; jj < NR; jj++) {
        const q = t + (<usize>jj << 3);
        store<f64>(q, load<f64>(q) + a * load<f64>(bp + (<usize>jj << 3)));
      }
    }
  }
}
