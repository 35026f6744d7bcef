import { fmaFloat32 } from './fused-multiply-add.js';

/**
 * Float32 log and sin/cos as PyTorch's AVX2 normal sampler evaluates them (Cephes polynomials,
 * via avx_mathfun), step for step: every operation rounds to float32, and the multiply-adds are
 * fused as the compiler fuses them. Only this exact sequence reproduces torch.randn bit for bit.
 */

const fr = Math.fround;
const view = new Float32Array(1);
const bits = new Int32Array(view.buffer);

function toBits(x: number): number {
  view[0] = x;
  return bits[0]!;
}
function fromBits(b: number): number {
  bits[0] = b;
  return view[0]!;
}

const SMALLEST_NORMAL = fromBits(0x00800000);
const HALF_BITS = toBits(0.5);
const SQRT_HALF = fr(0.707106781186547524);
/** Cephes logf's polynomial for log(1 + x) on [sqrt(1/2) - 1, sqrt(2) - 1], highest power first. */
const LOG_POLY = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
  3.3333331174e-1,
].map(fr);
/** ln 2 split in two for an exact e * ln 2. */
const LN2_LO = fr(-2.1219444e-4);
const LN2_HI = fr(0.693359375);

/** Natural log of a positive float32; NaN for x <= 0. */
export function logFloat32(input: number): number {
  let x = Math.max(input, SMALLEST_NORMAL);
  // x = m * 2^e with m in [0.5, 1)
  let e = (toBits(x) >>> 23) - 0x7f + 1;
  x = fromBits((toBits(x) & ~0x7f800000) | HALF_BITS);
  const small = x < SQRT_HALF;
  // small m: use 2m - 1 and e - 1, keeping the polynomial's argument in [sqrt(1/2) - 1, sqrt(2) - 1)
  const extra = small ? x : 0;
  x = fr(x - 1);
  if (small) e -= 1;
  x = fr(x + extra);
  const z = fr(x * x);
  let y = LOG_POLY[0]!;
  for (let i = 1; i < LOG_POLY.length; i++) y = fmaFloat32(y, x, LOG_POLY[i]!);
  y = fr(y * x);
  y = fmaFloat32(y, z, fr(e * LN2_LO));
  y = fr(y - fr(z * 0.5));
  x = fr(x + y);
  x = fmaFloat32(e, LN2_HI, x);
  return input <= 0 ? NaN : x;
}

/** pi/4 in three parts, for Cody–Waite reduction. */
const MINUS_PI4_A = fr(-0.78515625);
const MINUS_PI4_B = fr(-2.4187564849853515625e-4);
const MINUS_PI4_C = fr(-3.77489497744594108e-8);
const FOUR_OVER_PI = fr(1.27323954473516);
const SIN_POLY = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1].map(fr);
const COS_POLY = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2].map(fr);

/** Writes sin(x) to out[0] and cos(x) to out[1]. */
export function sinCosFloat32(x: number, out: Float32Array | number[]): void {
  let a = Math.abs(x);
  // octant j (rounded up to even) and the reduced argument a - j*pi/4
  let j = Math.trunc(fr(a * FOUR_OVER_PI));
  j = (j + 1) & ~1;
  const y = fr(j);
  a = fmaFloat32(y, MINUS_PI4_A, a);
  a = fmaFloat32(y, MINUS_PI4_B, a);
  a = fmaFloat32(y, MINUS_PI4_C, a);
  const z = fr(a * a);

  let c = COS_POLY[0]!;
  c = fmaFloat32(c, z, COS_POLY[1]!);
  c = fmaFloat32(c, z, COS_POLY[2]!);
  c = fr(c * z);
  c = fmaFloat32(c, z, -fr(z * 0.5));
  c = fr(c + 1);

  let s = SIN_POLY[0]!;
  s = fmaFloat32(s, z, SIN_POLY[1]!);
  s = fmaFloat32(s, z, SIN_POLY[2]!);
  s = fr(s * z);
  s = fmaFloat32(s, a, a);

  const sinFirst = (j & 2) === 0;
  const sinNegative = (x < 0 || Object.is(x, -0)) !== ((j & 4) !== 0);
  const cosNegative = (~(j - 2) & 4) !== 0;
  const sin = sinFirst ? s : c;
  const cos = sinFirst ? c : s;
  out[0] = sinNegative ? -sin : sin;
  out[1] = cosNegative ? -cos : cos;
}
