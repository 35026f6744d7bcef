import { fmaf, fmafDominant } from './fma-float32.js';
import { RUN_CHUNK } from './strided.js';

/**
 * PyTorch's CPU float32 math as its vectorised kernels compute it: SLEEF's u10 functions in their
 * AVX2 build (multiply-adds fused), which are faithfully but not correctly rounded. Each step
 * below rounds to float32 exactly where SLEEF's does, so the results agree bit for bit. A double
 * holds a float32 product exactly, so SLEEF's fused x*y - round(x*y) is one rounding here too
 * (needed only when it is subnormal).
 */

const fround = Math.fround;

/** Adding and subtracting 1.5 * 2^52 rounds |v| < 2^51 to an integer, ties to even (as cvtps2dq). */
const ROUND_EVEN = 6755399441055744;
/** 2^k at POW2[k + 150] for the k an exponent split can take: a multiply, not a Math.pow. */
const POW2 = Float64Array.from({ length: 300 }, (_, i) => 2 ** (i - 150));

const R_LN2 = fround(Math.LOG2E);
/** ln 2 in two parts: q * L2U is exact for the q that matter. */
const NEG_L2U = -fround(0.693145751953125);
const NEG_L2L = -fround(1.428606765330187045e-6);

/**
 * The constant K = C + 1.5 * 2^(e+29) for a Horner step p + C whose result lies in [2^e, 2^(e+1)):
 * the double grid at K is float32's grid there, so (p + K) - (K - C) is p + C rounded once to
 * float32, a true fma (p, a product of float32s, is exact), at the latency of two adds where
 * Math.fround's two conversions take several times longer.
 */
const stepConstant = (c: number, e: number): number => c + 1.5 * 2 ** (e + 29);

/**
 * SLEEF's expf (u10) before its final rounding to float32, which the caller applies (a store into
 * a Float32Array rounds too): e^d = 2^q * e^s with |s| <= ln(2)/2, e^s by a degree-7 polynomial.
 * The last two fmas round their double sums to float32 without fmaf's tie check: that matches
 * the true fma for every float32 input (checked exhaustively against the fully emulated steps).
 *
 * Its constants live in a closure: bundlers turn module-level consts into vars, whose numbers V8
 * reloads and unboxes on every use, while a closure's consts compile to immediates.
 */
export const expfUnrounded = ((): ((d: number) => number) => {
  const rLn2 = R_LN2;
  const negL2U = NEG_L2U;
  const negL2L = NEG_L2L;
  const roundEven = ROUND_EVEN;
  const pow2 = POW2;
  const c0 = fround(0.000198527617612853646278381);
  // |s| <= ln(2)/2 keeps each of these steps in one binade: ~0.0014, 0.0083, 0.042, 0.17
  const c1 = fround(0.00139304355252534151077271);
  const k1 = stepConstant(c1, -10);
  const m1 = k1 - c1;
  const c2 = fround(0.00833336077630519866943359);
  const k2 = stepConstant(c2, -7);
  const m2 = k2 - c2;
  const c3 = fround(0.0416664853692054748535156);
  const k3 = stepConstant(c3, -5);
  const m3 = k3 - c3;
  const c4 = fround(0.166666671633720397949219);
  const k4 = stepConstant(c4, -3);
  const m4 = k4 - c4;
  return (d) => {
    if (!(d >= -104 && d <= 100)) return d !== d ? d : d < 0 ? 0 : Infinity;
    const q = fround(d * rLn2) + roundEven - roundEven;
    // Cody-Waite: q * L2U has few bits, so d - q * L2U is exact in float32; the second step is
    // exact in a double (|q| <= 150), so its rounding is the fma's one
    const s = fround(q * negL2L + (q * negL2U + d));
    let u = c0 * s + k1 - m1;
    u = u * s + k2 - m2;
    u = u * s + k3 - m3;
    u = u * s + k4 - m4;
    u = fround(u * s + 0.5);
    const w = fround(fround(s * s) * u + s);
    const k = q | 0;
    // scaling by 2^k commutes with rounding 1 + w to float32 while the result stays normal
    if (k > -126) return (1 + w) * pow2[k + 150]!;
    // a subnormal result: SLEEF scales in two halves, rounding after each
    const h = k >> 1;
    return fround(fround(fround(1 + w) * pow2[h + 150]!) * pow2[k - h + 150]!);
  };
})();

/** Shorter runs at different offsets in o and x go element by element rather than through two subarrays. */
const MIN_REBASED_RUN = 64;

/** o[io + i] = expf(x[ix + i]) for i < n (contiguous runs): expfLanes over one shared index. */
export function expfRun(o: Float32Array, io: number, x: Float32Array, ix: number, n: number): void {
  if (io !== ix) {
    if (n < MIN_REBASED_RUN) {
      for (let i = 0; i < n; i++) o[io + i] = expfUnrounded(x[ix + i]!);
      return;
    }
    o = o.subarray(io, io + n);
    x = x.subarray(ix, ix + n);
    io = 0;
  }
  const end = io + n;
  for (let p = io; p < end; p += RUN_CHUNK) expfLanes(o, x, p, Math.min(p + RUN_CHUNK, end));
}

/**
 * o[p] = expf(x[p]) for p in [from, to): expfUnrounded's steps for eight elements side by side.
 * One element is a chain of ~40 dependent float64 operations and roundings, too long for the CPU
 * to overlap the next element's; eight independent chains in one basic block keep its units busy
 * (1.6x faster than one at a time, 1.2x faster than four). Groups with an element outside
 * [-86, 88] (where the result may overflow, underflow or be subnormal) take the scalar function.
 * One index for both arrays: V8 checks every index sum for overflow.
 *
 * The constants are expfUnrounded's, written as literals: V8 compiles literals in the function to
 * immediates, but reloads and unboxes values from a closure or module on every iteration here.
 */
// biome-ignore format: the lanes read best side by side
function expfLanes(o: Float32Array, x: Float32Array, from: number, to: number): void {
  const f = Math.fround;
  const pow2 = POW2;
  const rLn2 = 1.4426950216293335; // R_LN2
  const negL2U = -0.693145751953125; // NEG_L2U
  const negL2L = -0.000001428606765330187; // NEG_L2L
  const roundEven = 6755399441055744; // ROUND_EVEN
  const c0 = 0.00019852761761285365;
  // stepConstant(c, e) = c + m with m = 1.5 * 2^(e + 29)
  const m1 = 786432, k1 = 0.0013930435525253415 + m1;
  const m2 = 6291456, k2 = 0.008333360776305199 + m2;
  const m3 = 25165824, k3 = 0.041666485369205475 + m3;
  const m4 = 100663296, k4 = 0.1666666716337204 + m4;
  let p = from;
  for (const end = to - 7; p < end; p += 8) {
    const d0 = x[p]!, d1 = x[p + 1]!, d2 = x[p + 2]!, d3 = x[p + 3]!;
    const d4 = x[p + 4]!, d5 = x[p + 5]!, d6 = x[p + 6]!, d7 = x[p + 7]!;
    if (!(d0 >= -86 && d0 <= 88 && d1 >= -86 && d1 <= 88 && d2 >= -86 && d2 <= 88 && d3 >= -86 && d3 <= 88 &&
        d4 >= -86 && d4 <= 88 && d5 >= -86 && d5 <= 88 && d6 >= -86 && d6 <= 88 && d7 >= -86 && d7 <= 88)) {
      for (let j = p; j < p + 8; j++) o[j] = expfUnrounded(x[j]!);
      continue;
    }
    const q0 = f(d0 * rLn2) + roundEven - roundEven, q1 = f(d1 * rLn2) + roundEven - roundEven;
    const q2 = f(d2 * rLn2) + roundEven - roundEven, q3 = f(d3 * rLn2) + roundEven - roundEven;
    const q4 = f(d4 * rLn2) + roundEven - roundEven, q5 = f(d5 * rLn2) + roundEven - roundEven;
    const q6 = f(d6 * rLn2) + roundEven - roundEven, q7 = f(d7 * rLn2) + roundEven - roundEven;
    const s0 = f(q0 * negL2L + (q0 * negL2U + d0)), s1 = f(q1 * negL2L + (q1 * negL2U + d1));
    const s2 = f(q2 * negL2L + (q2 * negL2U + d2)), s3 = f(q3 * negL2L + (q3 * negL2U + d3));
    const s4 = f(q4 * negL2L + (q4 * negL2U + d4)), s5 = f(q5 * negL2L + (q5 * negL2U + d5));
    const s6 = f(q6 * negL2L + (q6 * negL2U + d6)), s7 = f(q7 * negL2L + (q7 * negL2U + d7));
    let u0 = c0 * s0 + k1 - m1, u1 = c0 * s1 + k1 - m1, u2 = c0 * s2 + k1 - m1, u3 = c0 * s3 + k1 - m1;
    let u4 = c0 * s4 + k1 - m1, u5 = c0 * s5 + k1 - m1, u6 = c0 * s6 + k1 - m1, u7 = c0 * s7 + k1 - m1;
    u0 = u0 * s0 + k2 - m2; u1 = u1 * s1 + k2 - m2; u2 = u2 * s2 + k2 - m2; u3 = u3 * s3 + k2 - m2;
    u4 = u4 * s4 + k2 - m2; u5 = u5 * s5 + k2 - m2; u6 = u6 * s6 + k2 - m2; u7 = u7 * s7 + k2 - m2;
    u0 = u0 * s0 + k3 - m3; u1 = u1 * s1 + k3 - m3; u2 = u2 * s2 + k3 - m3; u3 = u3 * s3 + k3 - m3;
    u4 = u4 * s4 + k3 - m3; u5 = u5 * s5 + k3 - m3; u6 = u6 * s6 + k3 - m3; u7 = u7 * s7 + k3 - m3;
    u0 = u0 * s0 + k4 - m4; u1 = u1 * s1 + k4 - m4; u2 = u2 * s2 + k4 - m4; u3 = u3 * s3 + k4 - m4;
    u4 = u4 * s4 + k4 - m4; u5 = u5 * s5 + k4 - m4; u6 = u6 * s6 + k4 - m4; u7 = u7 * s7 + k4 - m4;
    u0 = f(u0 * s0 + 0.5); u1 = f(u1 * s1 + 0.5); u2 = f(u2 * s2 + 0.5); u3 = f(u3 * s3 + 0.5);
    u4 = f(u4 * s4 + 0.5); u5 = f(u5 * s5 + 0.5); u6 = f(u6 * s6 + 0.5); u7 = f(u7 * s7 + 0.5);
    const w0 = f(f(s0 * s0) * u0 + s0), w1 = f(f(s1 * s1) * u1 + s1), w2 = f(f(s2 * s2) * u2 + s2), w3 = f(f(s3 * s3) * u3 + s3);
    const w4 = f(f(s4 * s4) * u4 + s4), w5 = f(f(s5 * s5) * u5 + s5), w6 = f(f(s6 * s6) * u6 + s6), w7 = f(f(s7 * s7) * u7 + s7);
    // q >= -124 here, so every result is normal: scale 1 + w by 2^q, rounded by the store
    o[p] = (1 + w0) * pow2[(q0 | 0) + 150]!;
    o[p + 1] = (1 + w1) * pow2[(q1 | 0) + 150]!;
    o[p + 2] = (1 + w2) * pow2[(q2 | 0) + 150]!;
    o[p + 3] = (1 + w3) * pow2[(q3 | 0) + 150]!;
    o[p + 4] = (1 + w4) * pow2[(q4 | 0) + 150]!;
    o[p + 5] = (1 + w5) * pow2[(q5 | 0) + 150]!;
    o[p + 6] = (1 + w6) * pow2[(q6 | 0) + 150]!;
    o[p + 7] = (1 + w7) * pow2[(q7 | 0) + 150]!;
  }
  for (; p < to; p++) o[p] = expfUnrounded(x[p]!);
}

/** SLEEF's expf (u10), bit for bit. */
export function expf(d: number): number {
  return fround(expfUnrounded(d));
}

const bitsView = new Float32Array(1);
const bitsInt = new Int32Array(bitsView.buffer);

const FLT_MIN = 1.1754943508222875e-38;
const INV_0_75 = fround(1 / 0.75);
const LN2_HI = fround(0.69314718246459960938);
const LN2_LO = fround(-1.904654323148236017e-9);
const LOG_C0 = fround(0.3027294874);
const LOG_C1 = fround(0.3996108174);
const LOG_C2 = fround(0.666669488);

/**
 * SLEEF's logf (u10): d = m * 2^e with m in [0.75, 1.5); log m = 2 atanh((m - 1)/(m + 1)), the
 * quotient and the sum kept as unevaluated float32 pairs (hi + lo) for the last bit.
 */
export function logf(input: number): number {
  if (!(input > 0)) return input === 0 ? -Infinity : NaN;
  if (input === Infinity) return Infinity;
  const tiny = input < FLT_MIN;
  const d = tiny ? input * 2 ** 64 : input;
  let e = reductionExponent(d);
  const m = d * POW2[150 - e]!;
  if (tiny) e -= 64;
  // (m - 1) / (m + 1) as a pair (dfadd2 twice, then dfdiv); m - 1 is exact, so its low part is 0
  const nHi = m - 1;
  const dHi = fround(1 + m);
  const dV = fround(dHi - 1);
  const dLo = fround(fround(1 - fround(dHi - dV)) + fround(m - dV));
  const t = fround(1 / dHi);
  const xHi = fround(nHi * t);
  // 1 - dHi t cancels exactly, and dLo is 0 or a power of two: both fmas are exact in a double
  const v = fround(fround(1 - dHi * t) - dLo * t);
  return logOfParts(e, xHi, fmaf(xHi, v, fround(t * nHi - xHi)));
}

/** e ln 2 + 2 atanh(x) for x = xHi + xLo, in SLEEF's pair arithmetic (its logf and log1pf tail). */
function logOfParts(e: number, xHi: number, xLo: number): number {
  // e * ln 2 as a pair (dfmul). Its fma is exact in a double: |e| <= 150 keeps every term on 2^-52.
  const sHi = fround(LN2_HI * e);
  let sLo = fround(LN2_LO * e + (LN2_HI * e - sHi));
  const x2 = fround(xHi * xHi);
  let p = fmafDominant(LOG_C0, x2, LOG_C1);
  p = fmafDominant(p, x2, LOG_C2);
  // s += 2x (dfadd, |s| >= |2x| or s = 0), then s += x^3 p
  let hi = fround(sHi + 2 * xHi);
  sLo = fround(fround(fround(fround(sHi - hi) + 2 * xHi) + sLo) + 2 * xLo);
  const tail = fround(fround(x2 * xHi) * p);
  const hi2 = fround(hi + tail);
  sLo = fround(fround(fround(hi - hi2) + tail) + sLo);
  hi = hi2;
  return fround(hi + sLo);
}

/** The exponent e of SLEEF's reduction d = m * 2^e, m in [0.75, 1.5) (vilogb2k of d / 0.75). */
function reductionExponent(d: number): number {
  bitsView[0] = fround(d * INV_0_75);
  return ((bitsInt[0]! >>> 23) & 0xff) - 0x7f;
}

/** SLEEF's log1pf (u10): as logf, with m = (1 + d) 2^-e - 1 formed by one fma so small d keep their bits. */
export function log1pf(d: number): number {
  if (d > 1e38) return Infinity;
  if (!(d >= -1)) return NaN;
  if (d === -1) return -Infinity;
  if (d === 0) return d;
  const e = reductionExponent(fround(d + 1));
  const t = POW2[150 - e]!;
  const m = fmaf(d, t, fround(t - 1));
  // m / (2 + m) as a pair (dfadd, dfdiv)
  const dHi = fround(2 + m);
  const dLo = fround(fround(2 - dHi) + m);
  const r = fround(1 / dHi);
  const xHi = fround(m * r);
  const v = fmaf(-dLo, r, fmaf(-dHi, r, 1));
  return logOfParts(e, xHi, fmaf(xHi, v, fround(r * m - xHi)));
}

const EXPK_C0 = fround(0.1980960224e-3);
const EXPK_C1 = fround(0.1394256484e-2);
const EXPK_C2 = fround(0.8333456703e-2);
const EXPK_C3 = fround(0.4166637361e-1);
const EXPK_C4 = fround(0.166666659414234244790680580464);
const TANH_ONE_ABOVE = fround(8.664339742);

/** expk2's result: e^y as the float32 pair expHi + expLo. */
let expHi = 0;
let expLo = 0;

/**
 * SLEEF's expk2f for -17 < y <= 89: e^y as a float32 pair, e^s = 1 + s + s^2 (1/2 + s (1/6 + s u))
 * with s = y - q ln 2 and the last terms in pair arithmetic.
 */
function expk2(y: number): void {
  // q = round(y / ln 2), s = y - q ln 2 as a pair (two dfadd2 steps)
  const q = fround(y * R_LN2) + ROUND_EVEN - ROUND_EVEN;
  let c = fround(q * NEG_L2U);
  let sx = fround(y + c);
  let v = fround(sx - y);
  let sy = fround(fround(y - fround(sx - v)) + fround(c - v));
  c = fround(q * NEG_L2L);
  let hi = fround(sx + c);
  v = fround(hi - sx);
  sy = fround(fround(fround(sx - fround(hi - v)) + fround(c - v)) + sy);
  sx = hi;
  let u = fmafDominant(EXPK_C0, sx, EXPK_C1);
  u = fmafDominant(u, sx, EXPK_C2);
  u = fmafDominant(u, sx, EXPK_C3);
  // t = s * u + C4 (dfmul, dfadd2)
  let px = fround(sx * u);
  let py = fmaf(sy, u, fround(sx * u - px));
  let tx = fround(px + EXPK_C4);
  v = fround(tx - px);
  let ty = fround(fround(fround(px - fround(tx - v)) + fround(EXPK_C4 - v)) + py);
  // t = s * t + 0.5 (dfmul of pairs, dfadd2)
  px = fround(sx * tx);
  py = fmaf(sx, ty, fmaf(sy, tx, fround(sx * tx - px)));
  tx = fround(px + 0.5);
  v = fround(tx - px);
  ty = fround(fround(fround(px - fround(tx - v)) + fround(0.5 - v)) + py);
  // t = s + s^2 * t (dfsqu, dfmul of pairs, dfadd2 of pairs)
  const qx = fround(sx * sx);
  const qy = fmaf(fround(sx + sx), sy, fround(sx * sx - qx));
  px = fround(qx * tx);
  py = fmaf(qx, ty, fmaf(qy, tx, fround(qx * tx - px)));
  hi = fround(sx + px);
  v = fround(hi - sx);
  ty = fround(fround(fround(sx - fround(hi - v)) + fround(px - v)) + fround(sy + py));
  tx = hi;
  // (1 + t) * 2^q (dfadd, then both halves scaled: exact for the q here, or an overflow as SLEEF's)
  hi = fround(1 + tx);
  const scale = POW2[q + 150]!;
  expHi = fround(hi * scale);
  expLo = fround(fround(fround(fround(1 - hi) + tx) + ty) * scale);
}

/**
 * SLEEF's tanhf (u10): with E = e^|x| as a float32 pair (expk2f), tanh |x| = (E - 1/E) / (E + 1/E)
 * in pair arithmetic (SLEEF's df.h), then the sign of x.
 */
export function tanhf(x: number): number {
  if (x !== x) return x;
  const y = Math.abs(x);
  if (y > TANH_ONE_ABOVE) return x > 0 ? 1 : -1;
  if (y === 0) return x;
  expk2(y);
  const ex = expHi;
  const ey = expLo;
  // 1/E as a pair (dfrec)
  const rx = fround(1 / ex);
  const ry = fround(rx * fmaf(-ey, rx, fmaf(-ex, rx, 1)));
  // (E - 1/E) / (E + 1/E) (dfadd of pairs twice, dfdiv)
  const nx = fround(ex - rx);
  const ny = fround(fround(fround(fround(ex - nx) - rx) + ey) - ry);
  const dx = fround(ex + rx);
  const dy = fround(fround(fround(fround(ex - dx) + rx) + ey) + ry);
  const t = fround(1 / dx);
  const s = fround(nx * t);
  const w = fmaf(-dy, t, fmaf(-dx, t, 1));
  const r = fround(s + fmaf(s, w, fmaf(ny, t, fround(t * nx - s))));
  return x < 0 ? -r : r;
}

const EXPM1_NEG_ONE_BELOW = fround(-16.63553233343868742601357);
const EXPM1_INF_ABOVE = fround(88.72283172607421875);

/** SLEEF's expm1f (u10): the pair e^a minus 1 (dfadd2), summed once. */
export function expm1f(a: number): number {
  if (a > EXPM1_INF_ABOVE) return Infinity;
  if (a < EXPM1_NEG_ONE_BELOW) return -1;
  if (a === 0 || a !== a) return a;
  expk2(a);
  const hi = fround(expHi - 1);
  const v = fround(hi - expHi);
  const lo = fround(fround(fround(expHi - fround(hi - v)) + fround(-1 - v)) + expLo);
  return fround(hi + lo);
}
