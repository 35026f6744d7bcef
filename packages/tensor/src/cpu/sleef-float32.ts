import { fmafDominant as fmaf } from './fma-float32.js';

/**
 * PyTorch's CPU float32 math as its vectorised kernels compute it: SLEEF's u10 functions in their
 * AVX2 build (multiply-adds fused), which are faithfully but not correctly rounded. Each step
 * below rounds to float32 exactly where SLEEF's does, so the results agree bit for bit.
 */

const fround = Math.fround;

/** Adding and subtracting 1.5 * 2^52 rounds |v| < 2^51 to an integer, ties to even (as cvtps2dq). */
const ROUND_EVEN = 6755399441055744;
/** 2^k at POW2[k + 150] for the k an exponent split can take: a multiply, not a Math.pow. */
const POW2 = Float64Array.from({ length: 300 }, (_, i) => 2 ** (i - 150));

const R_LN2 = fround(1.442695040888963407359924681001892137426645954152985934135449406931);
/** ln 2 in two parts: q * L2U is exact for the q that matter. */
const NEG_L2U = -fround(0.693145751953125);
const NEG_L2L = -fround(1.428606765330187045e-6);
const EXP_C0 = fround(0.000198527617612853646278381);
const EXP_C1 = fround(0.00139304355252534151077271);
const EXP_C2 = fround(0.00833336077630519866943359);
const EXP_C3 = fround(0.0416664853692054748535156);
const EXP_C4 = fround(0.166666671633720397949219);

/** SLEEF's expf (u10): e^d = 2^q * e^s with |s| <= ln(2)/2, e^s by a degree-7 polynomial. */
export function expf(d: number): number {
  if (d < -104) return 0;
  if (d > 100) return Infinity;
  if (d !== d) return d;
  const q = fround(d * R_LN2) + ROUND_EVEN - ROUND_EVEN;
  // |q| <= 150, so both reduction steps are exact in a double: one rounding each, like the fma
  let s = fround(q * NEG_L2U + d);
  s = fround(q * NEG_L2L + s);
  let u = fmaf(EXP_C0, s, EXP_C1);
  u = fmaf(u, s, EXP_C2);
  u = fmaf(u, s, EXP_C3);
  u = fmaf(u, s, EXP_C4);
  u = fmaf(u, s, 0.5);
  u = fround(1 + fmaf(fround(s * s), u, s));
  if (q > -126) return fround(u * POW2[q + 150]!);
  // a subnormal result: SLEEF scales in two halves, rounding after each
  const h = q >> 1;
  return fround(fround(u * POW2[h + 150]!) * POW2[q - h + 150]!);
}
