import { fmaF32 } from './fma';

// PyTorch's CPU float32 math as its vectorised kernels compute it: SLEEF's u10 functions (AVX2
// build, multiply-adds fused). A line-by-line port of @gd/tensor's cpu/sleef-float32.ts, so both
// backends agree bit for bit; see there for the reasoning behind each step. Values are float32s
// held in f64; `fr` rounds to float32 exactly where SLEEF does.

// @ts-ignore: decorator
@inline
function fr(x: f64): f64 {
  return <f64><f32>x;
}

/** 2^k for -1022 <= k <= 1023, built from its bits: a multiply, not a Math.pow. */
// @ts-ignore: decorator
@inline
function pow2(k: i32): f64 {
  return reinterpret<f64>(<u64>(k + 1023) << 52);
}

/**
 * Float32 a·b + c with one rounding where |c| >= |a·b| (Horner steps): when the double sum is
 * exact, one float32 rounding is the fma; otherwise only a double on a float32 tie can misround.
 */
// @ts-ignore: decorator
@inline
function fmafDominant(a: f64, b: f64, c: f64): f64 {
  const p = a * b;
  const s = p + c;
  const r = fr(s);
  if (p - (s - c) == 0) return r;
  const t = 2 * s - r;
  if (fr(t) != t || s == r) return r;
  return fmaF32(a, b, c);
}

/** Float32 a·b + c with one rounding, any operands (the tie check of fmafDominant alone). */
// @ts-ignore: decorator
@inline
export function fmaf(a: f64, b: f64, c: f64): f64 {
  const s = a * b + c;
  const r = fr(s);
  const t = 2 * s - r;
  if (fr(t) != t || s == r) return r;
  return fmaF32(a, b, c);
}

const R_LN2: f64 = <f64><f32>1.4426950408889634;
export const NEG_L2U: f64 = -<f64><f32>0.693145751953125;
export const NEG_L2L: f64 = -<f64><f32>1.428606765330187045e-6;
export const EXP_C0: f64 = <f64><f32>0.000198527617612853646278381;
export const EXP_C1: f64 = <f64><f32>0.00139304355252534151077271;
export const EXP_C2: f64 = <f64><f32>0.00833336077630519866943359;
export const EXP_C3: f64 = <f64><f32>0.0416664853692054748535156;
export const EXP_C4: f64 = <f64><f32>0.166666671633720397949219;

/** SLEEF's expf (u10). */
export function expf(d: f64): f64 {
  if (d < -104) return 0;
  if (d > 100) return Infinity;
  if (d != d) return d;
  const q = nearest<f64>(fr(d * R_LN2));
  let s = fr(q * NEG_L2U + d);
  s = fr(q * NEG_L2L + s);
  let u = fmafDominant(EXP_C0, s, EXP_C1);
  u = fmafDominant(u, s, EXP_C2);
  u = fmafDominant(u, s, EXP_C3);
  u = fmafDominant(u, s, EXP_C4);
  u = fmafDominant(u, s, 0.5);
  u = fr(1 + fmafDominant(fr(s * s), u, s));
  const qi = <i32>q;
  if (qi > -126) return fr(u * pow2(qi));
  const h = qi >> 1;
  return fr(fr(u * pow2(h)) * pow2(qi - h));
}

const FLT_MIN: f64 = 1.1754943508222875e-38;
const INV_0_75: f64 = <f64><f32>(1.0 / 0.75);
export const LN2_HI: f64 = <f64><f32>0.69314718246459960938;
export const LN2_LO: f64 = <f64><f32>-1.904654323148236017e-9;
export const LOG_C0: f64 = <f64><f32>0.3027294874;
export const LOG_C1: f64 = <f64><f32>0.3996108174;
export const LOG_C2: f64 = <f64><f32>0.666669488;

/** The exponent e of SLEEF's reduction d = m·2^e, m in [0.75, 1.5). */
// @ts-ignore: decorator
@inline
function reductionExponent(d: f64): i32 {
  return <i32>((reinterpret<u32>(<f32>(d * INV_0_75)) >>> 23) & 0xff) - 0x7f;
}

/** SLEEF's logf (u10). */
export function logf(input: f64): f64 {
  if (!(input > 0)) return input == 0 ? -Infinity : NaN;
  if (input == Infinity) return Infinity;
  const tiny = input < FLT_MIN;
  const d = tiny ? input * 18446744073709551616.0 : input;
  let e = reductionExponent(d);
  const m = d * pow2(-e);
  if (tiny) e -= 64;
  const nHi = m - 1;
  const dHi = fr(1 + m);
  const dV = fr(dHi - 1);
  const dLo = fr(fr(1 - fr(dHi - dV)) + fr(m - dV));
  const t = fr(1 / dHi);
  const xHi = fr(nHi * t);
  const v = fr(fr(1 - dHi * t) - dLo * t);
  return logOfParts(e, xHi, fmaf(xHi, v, fr(t * nHi - xHi)));
}

/** e ln 2 + 2 atanh(x) for x = xHi + xLo (the tail of logf and log1pf). */
function logOfParts(ei: i32, xHi: f64, xLo: f64): f64 {
  const e = <f64>ei;
  const sHi = fr(LN2_HI * e);
  let sLo = fr(LN2_LO * e + (LN2_HI * e - sHi));
  const x2 = fr(xHi * xHi);
  let p = fmafDominant(LOG_C0, x2, LOG_C1);
  p = fmafDominant(p, x2, LOG_C2);
  let hi = fr(sHi + 2 * xHi);
  sLo = fr(fr(fr(fr(sHi - hi) + 2 * xHi) + sLo) + 2 * xLo);
  const tail = fr(fr(x2 * xHi) * p);
  const hi2 = fr(hi + tail);
  sLo = fr(fr(fr(hi - hi2) + tail) + sLo);
  hi = hi2;
  return fr(hi + sLo);
}

/** SLEEF's log1pf (u10). */
export function log1pf(d: f64): f64 {
  if (d > 1e38) return Infinity;
  if (!(d >= -1)) return NaN;
  if (d == -1) return -Infinity;
  if (d == 0) return d;
  const e = reductionExponent(fr(d + 1));
  const t = pow2(-e);
  const m = fmaf(d, t, fr(t - 1));
  const dHi = fr(2 + m);
  const dLo = fr(fr(2 - dHi) + m);
  const r = fr(1 / dHi);
  const xHi = fr(m * r);
  const v = fmaf(-dLo, r, fmaf(-dHi, r, 1));
  return logOfParts(e, xHi, fmaf(xHi, v, fr(r * m - xHi)));
}

export const EXPK_C0: f64 = <f64><f32>0.1980960224e-3;
export const EXPK_C1: f64 = <f64><f32>0.1394256484e-2;
export const EXPK_C2: f64 = <f64><f32>0.8333456703e-2;
export const EXPK_C3: f64 = <f64><f32>0.4166637361e-1;
const EXPK_C4: f64 = <f64><f32>0.166666659414234244790680580464;
const TANH_ONE_ABOVE: f64 = <f64><f32>8.664339742;

/** expk2's result: e^y as the float32 pair expHi + expLo. */
let expHi: f64 = 0;
let expLo: f64 = 0;

/** SLEEF's expk2f for -17 < y <= 89: e^y as a float32 pair. */
function expk2(y: f64): void {
  const q = nearest<f64>(fr(y * R_LN2));
  let c = fr(q * NEG_L2U);
  let sx = fr(y + c);
  let v = fr(sx - y);
  let sy = fr(fr(y - fr(sx - v)) + fr(c - v));
  c = fr(q * NEG_L2L);
  let hi = fr(sx + c);
  v = fr(hi - sx);
  sy = fr(fr(fr(sx - fr(hi - v)) + fr(c - v)) + sy);
  sx = hi;
  let u = fmafDominant(EXPK_C0, sx, EXPK_C1);
  u = fmafDominant(u, sx, EXPK_C2);
  u = fmafDominant(u, sx, EXPK_C3);
  let px = fr(sx * u);
  let py = fmaf(sy, u, fr(sx * u - px));
  let tx = fr(px + EXPK_C4);
  v = fr(tx - px);
  let ty = fr(fr(fr(px - fr(tx - v)) + fr(EXPK_C4 - v)) + py);
  px = fr(sx * tx);
  py = fmaf(sx, ty, fmaf(sy, tx, fr(sx * tx - px)));
  tx = fr(px + 0.5);
  v = fr(tx - px);
  ty = fr(fr(fr(px - fr(tx - v)) + fr(0.5 - v)) + py);
  const qx = fr(sx * sx);
  const qy = fmaf(fr(sx + sx), sy, fr(sx * sx - qx));
  px = fr(qx * tx);
  py = fmaf(qx, ty, fmaf(qy, tx, fr(qx * tx - px)));
  hi = fr(sx + px);
  v = fr(hi - sx);
  ty = fr(fr(fr(sx - fr(hi - v)) + fr(px - v)) + fr(sy + py));
  tx = hi;
  hi = fr(1 + tx);
  const scale = pow2(<i32>q);
  expHi = fr(hi * scale);
  expLo = fr(fr(fr(fr(1 - hi) + tx) + ty) * scale);
}

/** SLEEF's tanhf (u10). */
export function tanhf(x: f64): f64 {
  if (x != x) return x;
  const y = Math.abs(x);
  if (y > TANH_ONE_ABOVE) return x > 0 ? 1 : -1;
  if (y == 0) return x;
  expk2(y);
  const ex = expHi;
  const ey = expLo;
  const rx = fr(1 / ex);
  const ry = fr(rx * fmaf(-ey, rx, fmaf(-ex, rx, 1)));
  const nx = fr(ex - rx);
  const ny = fr(fr(fr(fr(ex - nx) - rx) + ey) - ry);
  const dx = fr(ex + rx);
  const dy = fr(fr(fr(fr(ex - dx) + rx) + ey) + ry);
  const t = fr(1 / dx);
  const s = fr(nx * t);
  const w = fmaf(-dy, t, fmaf(-dx, t, 1));
  const r = fr(s + fmaf(s, w, fmaf(ny, t, fr(t * nx - s))));
  return x < 0 ? -r : r;
}

const EXPM1_NEG_ONE_BELOW: f64 = <f64><f32>-16.63553233343868742601357;
const EXPM1_INF_ABOVE: f64 = <f64><f32>88.72283172607421875;

/** SLEEF's expm1f (u10). */
export function expm1f(a: f64): f64 {
  if (a > EXPM1_INF_ABOVE) return Infinity;
  if (a < EXPM1_NEG_ONE_BELOW) return -1;
  if (a == 0 || a != a) return a;
  expk2(a);
  const hi = fr(expHi - 1);
  const v = fr(hi - expHi);
  const lo = fr(fr(fr(expHi - fr(hi - v)) + fr(-1 - v)) + expLo);
  return fr(hi + lo);
}
