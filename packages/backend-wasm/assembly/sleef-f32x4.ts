import { SCRATCH } from './iter';
// The polynomial and reduction constants are the scalar port's (the same SLEEF float32 values, in float64).
import {
  EXP_C0, EXP_C1, EXP_C2, EXP_C3, EXP_C4, EXPK_C0, EXPK_C1, EXPK_C2, EXPK_C3,
  expf, expm1f, LN2_HI, LN2_LO, log1pf, LOG_C0, LOG_C1, LOG_C2, logf, NEG_L2L, NEG_L2U, tanhf,
} from './sleef-float32';

// sleef-float32.ts's SLEEF ports on four float32 lanes, with the same arithmetic lane by lane, so
// the results agree bit for bit. Plain float32 steps run as f32x4 operations (a float64 step
// rounded to float32, as the scalar port writes them, gives the same value). A fused multiply-add
// runs in two f64x2 halves: the product of two float32s is exact in float64, so the one float32
// rounding is right unless an inexact float64 sum landed exactly halfway between two float32s;
// such a vector (about one fma in 2^29) is recomputed lane by lane with the scalar port. The
// halfway test reads the float64 bits, which is valid where the result is a normal float32 or
// exact: each function sends lanes whose intermediate values could be subnormal (tiny or extreme
// arguments, NaN) to the scalar port too.

/** Set when an fma of the current vector may have misrounded (the scalar port then redoes it). */
let tieFound = false;

const HALFWAY_MASK: i64 = 0x1fffffff;
const HALFWAY_BITS: i64 = 0x10000000;

// @ts-ignore: decorator
@inline
function splat(v: f32): v128 {
  return f32x4.splat(v);
}

/** Lanes 0 and 1 as float64. */
// @ts-ignore: decorator
@inline
function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2 and 3 as float64. */
// @ts-ignore: decorator
@inline
function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 1));
}

/** Two float64 halves rounded to float32 lanes 0, 1 and 2, 3. */
// @ts-ignore: decorator
@inline
function narrow(lo: v128, hi: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/** Float64 lanes rounded to float32 precision. */
// @ts-ignore: decorator
@inline
function round32(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/** Lanes where a float64 sits exactly halfway between two normal float32s. */
// @ts-ignore: decorator
@inline
function halfway(s: v128): v128 {
  return i64x2.eq(v128.and(s, i64x2.splat(HALFWAY_MASK)), i64x2.splat(HALFWAY_BITS));
}

/**
 * Lanes where the float64 sum s = p + c may round to float32 differently from p + c itself: s is
 * halfway between two float32s and not exact (TwoSum's error term; only computed on a halfway lane).
 */
// @ts-ignore: decorator
@inline
function misroundable(p: v128, c: v128, s: v128): bool {
  if (!v128.any_true(halfway(s))) return false;
  const v = f64x2.sub(s, p);
  const err = f64x2.add(f64x2.sub(p, f64x2.sub(s, v)), f64x2.sub(c, v));
  return v128.any_true(v128.and(halfway(s), f64x2.ne(err, f64x2.splat(0))));
}

/** Float32 a·b + c with one rounding (SLEEF's fused steps); flags a possible misrounding. */
// @ts-ignore: decorator
@inline
function fma(a: v128, b: v128, c: v128): v128 {
  const pLo = f64x2.mul(low(a), low(b));
  const pHi = f64x2.mul(high(a), high(b));
  const cLo = low(c);
  const cHi = high(c);
  const lo = f64x2.add(pLo, cLo);
  const hi = f64x2.add(pHi, cHi);
  if (misroundable(pLo, cLo, lo) || misroundable(pHi, cHi, hi)) tieFound = true;
  return narrow(lo, hi);
}

/** a·b + c in float64 rounded once to float32: the steps the scalar port writes that way (exact ones). */
// @ts-ignore: decorator
@inline
function mad(a: v128, b: v128, c: v128): v128 {
  return narrow(f64x2.add(f64x2.mul(low(a), low(b)), low(c)), f64x2.add(f64x2.mul(high(a), high(b)), high(c)));
}

/** A Horner step u·x + c on float64 halves holding float32 values; flags a possible misrounding. */
// @ts-ignore: decorator
@inline
function hornerStep(u: v128, x: v128, c: f64): v128 {
  const p = f64x2.mul(u, x);
  const s = f64x2.add(p, f64x2.splat(c));
  if (misroundable(p, f64x2.splat(c), s)) tieFound = true;
  return round32(s);
}

// @ts-ignore: decorator
@inline
function inRange(x: v128, lo: f32, hi: f32): bool {
  return i32x4.all_true(v128.and(f32x4.ge(x, splat(lo)), f32x4.le(x, splat(hi))));
}

/** 2^k as float32 lanes, for int32 lanes -126 <= k <= 127. */
// @ts-ignore: decorator
@inline
function pow2(k: v128): v128 {
  return i32x4.shl(i32x4.add(k, i32x4.splat(127)), 23);
}

/**
 * 2^q as float32 lanes, for integral float32 lanes -126 <= q <= 127: adding 1.5·2^23 + 127 leaves
 * q + 127 in the low mantissa bits, and shifting them into the exponent field builds 2^q without
 * a float-to-int conversion.
 */
// @ts-ignore: decorator
@inline
export function pow2OfIntegral(q: v128): v128 {
  return i32x4.shl(f32x4.add(q, splat(12583039)), 23);
}

/** Each lane of x through the scalar port f. */
// @ts-ignore: decorator
@inline
export function lanewise(x: v128, f: (v: f64) => f64): v128 {
  let y = x;
  y = f32x4.replace_lane(y, 0, <f32>f(<f64>f32x4.extract_lane(x, 0)));
  y = f32x4.replace_lane(y, 1, <f32>f(<f64>f32x4.extract_lane(x, 1)));
  y = f32x4.replace_lane(y, 2, <f32>f(<f64>f32x4.extract_lane(x, 2)));
  y = f32x4.replace_lane(y, 3, <f32>f(<f64>f32x4.extract_lane(x, 3)));
  return y;
}

/** Lanes that are zero or at least 2^-30 in magnitude (below it, fma results may be subnormal). */
// @ts-ignore: decorator
@inline
function zeroOrNotTiny(y: v128): bool {
  return i32x4.all_true(v128.or(f32x4.eq(y, splat(0)), f32x4.ge(y, splat(9.313225746154785e-10))));
}

const R_LN2: f32 = 1.4426950408889634;

/**
 * expf's reduced argument s = x - q ln 2 for two lanes (float64 halves) from s1 = x - q·L2U (float32
 * lanes, q·L2U exact there for |q| <= 126). Both steps are the one rounding of their fma: here
 * q·L2L + s1 is exact in float64, so rounding it to float32 is the fma's rounding.
 */
// @ts-ignore: decorator
@inline
function expReduced(s1: v128, q: v128): v128 {
  return round32(f64x2.add(f64x2.mul(q, f64x2.splat(NEG_L2L)), s1));
}

// Rounding shifters of expf's Horner steps, 1.5·2^(e+29) for a result in the binade [2^e, 2^(e+1)):
// for every reduced argument (|s| < 0.35) each step's result stays in one binade (the fifth's in
// one per sign of s), where adding the shifter to the exact float64 product u·s plus the step's
// constant rounds once, to the float32 grid of that binade, with ties to even. Subtracting it back
// is exact. So each fma costs a multiply, an add and a subtract, with no double rounding. (sleefExp8
// was checked against the scalar port for every float32 in its range, all 2.2e9 of them.)
const SHIFT_C1: f64 = 786432; // 1.5 * 2^19: results in [2^-10, 2^-9)
const SHIFT_C2: f64 = 6291456; // 1.5 * 2^22: [2^-7, 2^-6)
const SHIFT_C3: f64 = 25165824; // 1.5 * 2^24: [2^-5, 2^-4)
const SHIFT_C4: f64 = 100663296; // 1.5 * 2^26: [2^-3, 2^-2)
const SHIFT_HALF_BELOW: f64 = 201326592; // 1.5 * 2^27: s < 0, [2^-2, 2^-1]
const SHIFT_HALF_ABOVE: f64 = 402653184; // 1.5 * 2^28: s >= 0, [2^-1, 1)

/** fma(u, s, c) rounded to float32 for two lanes whose result lies in the binade of `shift`. */
// @ts-ignore: decorator
@inline
function shiftedStep(u: v128, s: v128, cPlusShift: v128, shift: v128): v128 {
  return f64x2.sub(f64x2.add(f64x2.mul(u, s), cPlusShift), shift);
}

/**
 * expf's polynomial for two lanes of the reduced argument s (float64 halves): s + s²·u before the
 * last fma's float32 rounding, whose halfway test the caller makes (its result is in no fixed binade).
 */
// @ts-ignore: decorator
@inline
function expPolynomial(s: v128): v128 {
  let u = shiftedStep(f64x2.splat(EXP_C0), s, f64x2.splat(EXP_C1 + SHIFT_C1), f64x2.splat(SHIFT_C1));
  u = shiftedStep(u, s, f64x2.splat(EXP_C2 + SHIFT_C2), f64x2.splat(SHIFT_C2));
  u = shiftedStep(u, s, f64x2.splat(EXP_C3 + SHIFT_C3), f64x2.splat(SHIFT_C3));
  u = shiftedStep(u, s, f64x2.splat(EXP_C4 + SHIFT_C4), f64x2.splat(SHIFT_C4));
  const shift = v128.bitselect(f64x2.splat(SHIFT_HALF_BELOW), f64x2.splat(SHIFT_HALF_ABOVE), f64x2.lt(s, f64x2.splat(0)));
  u = shiftedStep(u, s, f64x2.add(shift, f64x2.splat(0.5)), shift);
  return f64x2.add(f64x2.mul(round32(f64x2.mul(s, s)), u), s);
}

/**
 * SLEEF's expf of the 8 lanes of x and y, stored at po and po + 16. Where every lane is in
 * [-86.5, 88], 2^q is a normal float32 and the scaling is one float32 multiply (the polynomial's
 * values are normal or exact, even for subnormal x). Only the last fma can misround (see
 * expPolynomial); a halfway sum there sends the 8 lanes to the scalar port (exact halfway sums
 * count too: they are rare, and the scalar port then decides).
 */
// @ts-ignore: decorator
@inline
export function sleefExp8(po: usize, x: v128, y: v128): void {
  if (inRange(x, -86.5, 88) && inRange(y, -86.5, 88)) {
    const qx = f32x4.nearest(f32x4.mul(x, splat(R_LN2)));
    const qy = f32x4.nearest(f32x4.mul(y, splat(R_LN2)));
    const rx = f32x4.add(f32x4.mul(qx, splat(<f32>NEG_L2U)), x);
    const ry = f32x4.add(f32x4.mul(qy, splat(<f32>NEG_L2U)), y);
    const a = expPolynomial(expReduced(low(rx), low(qx)));
    const b = expPolynomial(expReduced(high(rx), high(qx)));
    const c = expPolynomial(expReduced(low(ry), low(qy)));
    const d = expPolynomial(expReduced(high(ry), high(qy)));
    if (!v128.any_true(v128.or(v128.or(halfway(a), halfway(b)), v128.or(halfway(c), halfway(d))))) {
      v128.store(po, f32x4.mul(f32x4.add(splat(1), narrow(a, b)), pow2OfIntegral(qx)));
      v128.store(po + 16, f32x4.mul(f32x4.add(splat(1), narrow(c, d)), pow2OfIntegral(qy)));
      return;
    }
  }
  v128.store(po, lanewise(x, expf));
  v128.store(po + 16, lanewise(y, expf));
}

const INV_0_75: f32 = <f32>(1.0 / 0.75);
const FLT_MIN: f32 = 1.1754943508222875e-38;

/** The exponent e of SLEEF's reduction d = m·2^e, m in [0.75, 1.5), as int32 lanes. */
// @ts-ignore: decorator
@inline
function reductionExponent(d: v128): v128 {
  return i32x4.sub(i32x4.shr_u(f32x4.mul(d, splat(INV_0_75)), 23), i32x4.splat(0x7f));
}

/** sLo of logOfParts for two lanes: LN2_LO·e + (LN2_HI·e - sHi) rounded once. */
// @ts-ignore: decorator
@inline
function ln2Tail(e: v128, sHi: v128): v128 {
  return f64x2.add(f64x2.mul(f64x2.splat(LN2_LO), e), f64x2.sub(f64x2.mul(f64x2.splat(LN2_HI), e), sHi));
}

/** e ln 2 + 2 atanh(x) for x = xHi + xLo (the tail of logf and log1pf); e as int32 lanes. */
// @ts-ignore: decorator
@inline
function logOfParts(ei: v128, xHi: v128, xLo: v128): v128 {
  const e = f32x4.convert_i32x4_s(ei);
  const sHi = f32x4.mul(splat(<f32>LN2_HI), e);
  let sLo = narrow(ln2Tail(low(e), low(sHi)), ln2Tail(high(e), high(sHi)));
  const x2 = f32x4.mul(xHi, xHi);
  const x2Lo = low(x2);
  const x2Hi = high(x2);
  const p = narrow(
    hornerStep(hornerStep(f64x2.splat(LOG_C0), x2Lo, LOG_C1), x2Lo, LOG_C2),
    hornerStep(hornerStep(f64x2.splat(LOG_C0), x2Hi, LOG_C1), x2Hi, LOG_C2),
  );
  const twoXHi = f32x4.add(xHi, xHi);
  let hi = f32x4.add(sHi, twoXHi);
  sLo = f32x4.add(f32x4.add(f32x4.add(f32x4.sub(sHi, hi), twoXHi), sLo), f32x4.add(xLo, xLo));
  const tail = f32x4.mul(f32x4.mul(x2, xHi), p);
  const hi2 = f32x4.add(hi, tail);
  sLo = f32x4.add(f32x4.add(f32x4.sub(hi, hi2), tail), sLo);
  return f32x4.add(hi2, sLo);
}

/**
 * SLEEF's logf, for lanes in [FLT_MIN, 2^126] (subnormal, huge, negative and special arguments go
 * to the scalar port).
 */
// @ts-ignore: decorator
@inline
export function sleefLog(d: v128): v128 {
  if (inRange(d, FLT_MIN, 8.507059173023462e37)) {
    tieFound = false;
    const e = reductionExponent(d);
    const m = f32x4.mul(d, pow2(i32x4.neg(e)));
    const one = splat(1);
    const nHi = f32x4.sub(m, one);
    const dHi = f32x4.add(one, m);
    const dV = f32x4.sub(dHi, one);
    const dLo = f32x4.add(f32x4.sub(one, f32x4.sub(dHi, dV)), f32x4.sub(m, dV));
    const t = f32x4.div(one, dHi);
    const xHi = f32x4.mul(nHi, t);
    const v = mad(f32x4.neg(dLo), t, mad(f32x4.neg(dHi), t, one));
    const r = logOfParts(e, xHi, fma(xHi, v, mad(t, nHi, f32x4.neg(xHi))));
    if (!tieFound) return r;
  }
  return lanewise(d, logf);
}

/** SLEEF's log1pf, for lanes in (-1, 1e38] that are zero or not tiny. */
// @ts-ignore: decorator
@inline
export function sleefLog1p(d: v128): v128 {
  if (i32x4.all_true(v128.and(f32x4.gt(d, splat(-1)), f32x4.le(d, splat(1e38)))) && zeroOrNotTiny(f32x4.abs(d))) {
    tieFound = false;
    const e = reductionExponent(f32x4.add(d, splat(1)));
    const t = pow2(i32x4.neg(e));
    const m = fma(d, t, f32x4.sub(t, splat(1)));
    const two = splat(2);
    const dHi = f32x4.add(two, m);
    const dLo = f32x4.add(f32x4.sub(two, dHi), m);
    const r = f32x4.div(splat(1), dHi);
    const xHi = f32x4.mul(m, r);
    const v = fma(f32x4.neg(dLo), r, fma(f32x4.neg(dHi), r, splat(1)));
    const y = logOfParts(e, xHi, fma(xHi, v, mad(r, m, f32x4.neg(xHi))));
    // log1p(±0) = ±0
    if (!tieFound) return v128.bitselect(d, y, f32x4.eq(d, splat(0)));
  }
  return lanewise(d, log1pf);
}

const EXPK_C4: f32 = 0.166666659414234244790680580464;
const TANH_ONE_ABOVE: f32 = 8.664339742;


/** expk2's Horner polynomial for two lanes of the reduced argument. */
// @ts-ignore: decorator
@inline
function expk2Poly(s: v128): v128 {
  return hornerStep(hornerStep(hornerStep(f64x2.splat(EXPK_C0), s, EXPK_C1), s, EXPK_C2), s, EXPK_C3);
}

/** SLEEF's expk2f for lanes -17 < y <= 88: e^y as the float32 pair result + the lanes at SCRATCH (a v128 global would not compile in the baseline build). */
// @ts-ignore: decorator
@inline
function expk2(y: v128): v128 {
  const q = f32x4.nearest(f32x4.mul(y, splat(R_LN2)));
  let c = f32x4.mul(q, splat(<f32>NEG_L2U));
  let sx = f32x4.add(y, c);
  let v = f32x4.sub(sx, y);
  let sy = f32x4.add(f32x4.sub(y, f32x4.sub(sx, v)), f32x4.sub(c, v));
  c = f32x4.mul(q, splat(<f32>NEG_L2L));
  let hi = f32x4.add(sx, c);
  v = f32x4.sub(hi, sx);
  sy = f32x4.add(f32x4.add(f32x4.sub(sx, f32x4.sub(hi, v)), f32x4.sub(c, v)), sy);
  sx = hi;
  const u = narrow(expk2Poly(low(sx)), expk2Poly(high(sx)));
  let px = f32x4.mul(sx, u);
  let py = fma(sy, u, mad(sx, u, f32x4.neg(px)));
  let tx = f32x4.add(px, splat(EXPK_C4));
  v = f32x4.sub(tx, px);
  let ty = f32x4.add(f32x4.add(f32x4.sub(px, f32x4.sub(tx, v)), f32x4.sub(splat(EXPK_C4), v)), py);
  px = f32x4.mul(sx, tx);
  py = fma(sx, ty, fma(sy, tx, mad(sx, tx, f32x4.neg(px))));
  const half = splat(0.5);
  tx = f32x4.add(px, half);
  v = f32x4.sub(tx, px);
  ty = f32x4.add(f32x4.add(f32x4.sub(px, f32x4.sub(tx, v)), f32x4.sub(half, v)), py);
  const qx = f32x4.mul(sx, sx);
  const qy = fma(f32x4.add(sx, sx), sy, mad(sx, sx, f32x4.neg(qx)));
  px = f32x4.mul(qx, tx);
  py = fma(qx, ty, fma(qy, tx, mad(qx, tx, f32x4.neg(px))));
  hi = f32x4.add(sx, px);
  v = f32x4.sub(hi, sx);
  ty = f32x4.add(f32x4.add(f32x4.sub(sx, f32x4.sub(hi, v)), f32x4.sub(px, v)), f32x4.add(sy, py));
  tx = hi;
  const one = splat(1);
  hi = f32x4.add(one, tx);
  const scale = pow2(i32x4.trunc_sat_f32x4_s(q));
  v128.store(SCRATCH, f32x4.mul(f32x4.add(f32x4.add(f32x4.sub(one, hi), tx), ty), scale));
  return f32x4.mul(hi, scale);
}

/** SLEEF's tanhf, for lanes that are zero or not tiny (NaN goes to the scalar port). */
// @ts-ignore: decorator
@inline
export function sleefTanh(x: v128): v128 {
  const y = f32x4.abs(x);
  if (zeroOrNotTiny(y)) {
    tieFound = false;
    // lanes beyond TANH_ONE_ABOVE are 1 whatever expk2 gives
    const ex = expk2(f32x4.min(y, splat(9)));
    const ey = v128.load(SCRATCH);
    const one = splat(1);
    const rx = f32x4.div(one, ex);
    const ry = f32x4.mul(rx, fma(f32x4.neg(ey), rx, fma(f32x4.neg(ex), rx, one)));
    const nx = f32x4.sub(ex, rx);
    const ny = f32x4.sub(f32x4.add(f32x4.sub(f32x4.sub(ex, nx), rx), ey), ry);
    const dx = f32x4.add(ex, rx);
    const dy = f32x4.add(f32x4.add(f32x4.add(f32x4.sub(ex, dx), rx), ey), ry);
    const t = f32x4.div(one, dx);
    const s = f32x4.mul(nx, t);
    const w = fma(f32x4.neg(dy), t, fma(f32x4.neg(dx), t, one));
    let r = f32x4.add(s, fma(s, w, fma(ny, t, mad(t, nx, f32x4.neg(s)))));
    r = v128.bitselect(one, r, f32x4.gt(y, splat(TANH_ONE_ABOVE)));
    r = v128.bitselect(y, r, f32x4.eq(y, splat(0)));
    // the sign of x (tanh(±0) = ±0)
    if (!tieFound) return v128.or(r, v128.and(x, i32x4.splat(0x80000000)));
  }
  return lanewise(x, tanhf);
}

const EXPM1_NEG_ONE_BELOW: f32 = -16.63553233343868742601357;
const EXPM1_INF_ABOVE: f32 = 88.72283172607421875;

/** SLEEF's expm1f, for lanes that are zero or not tiny and not in (88, EXPM1_INF_ABOVE] (2^128 is no float32). */
// @ts-ignore: decorator
@inline
export function sleefExpm1(a: v128): v128 {
  const finiteScale = v128.or(f32x4.le(a, splat(88)), f32x4.gt(a, splat(EXPM1_INF_ABOVE)));
  if (i32x4.all_true(finiteScale) && zeroOrNotTiny(f32x4.abs(a))) {
    tieFound = false;
    const ex = expk2(f32x4.max(f32x4.min(a, splat(88)), splat(-17)));
    const one = splat(1);
    const hi = f32x4.sub(ex, one);
    const v = f32x4.sub(hi, ex);
    const lo = f32x4.add(f32x4.add(f32x4.sub(ex, f32x4.sub(hi, v)), f32x4.sub(f32x4.neg(one), v)), v128.load(SCRATCH));
    let r = f32x4.add(hi, lo);
    r = v128.bitselect(splat(Infinity), r, f32x4.gt(a, splat(EXPM1_INF_ABOVE)));
    r = v128.bitselect(f32x4.neg(one), r, f32x4.lt(a, splat(EXPM1_NEG_ONE_BELOW)));
    r = v128.bitselect(a, r, f32x4.eq(a, splat(0)));
    if (!tieFound) return r;
  }
  return lanewise(a, expm1f);
}
