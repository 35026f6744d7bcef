// Cephes-style f32x4 polynomials for exp, sigmoid, tanh and log: plain float32 multiplies and adds,
// no float64 lanes and no tie checks, so within 1 ulp of SLEEF's results (3 for sigmoid) rather
// than bit for bit.
// The softmax line's exp, and exp, sigmoid, tanh and log of contiguous rows under
// wasmBackend({ fastMath: true }). A vector holding a lane outside a polynomial's range (overflow,
// subnormal results or arguments, zero, NaN, infinities) is computed lane by lane with an exact
// scalar function instead.
import { Unary } from './ops';
import { logf } from './sleef-float32';
import { lanewise, pow2OfIntegral } from './sleef-f32x4';

// @ts-ignore: decorator
@inline
function splat(v: f32): v128 {
  return f32x4.splat(v);
}

/** Lanes of x in [lo, hi] (false for NaN). */
// @ts-ignore: decorator
@inline
function within(x: v128, lo: f32, hi: f32): v128 {
  return v128.and(f32x4.ge(x, splat(lo)), f32x4.le(x, splat(hi)));
}

// @ts-ignore: decorator
@inline
function inRange(x: v128, lo: f32, hi: f32): bool {
  return i32x4.all_true(within(x, lo, hi));
}

/** Whether every lane of a, b, c and d is in [lo, hi]: one test for four vectors. */
// @ts-ignore: decorator
@inline
function allInRange(a: v128, b: v128, c: v128, d: v128, lo: f32, hi: f32): bool {
  return i32x4.all_true(v128.and(v128.and(within(a, lo, hi), within(b, lo, hi)), v128.and(within(c, lo, hi), within(d, lo, hi))));
}

/** e^x for x in [-87, 88]. */
// @ts-ignore: decorator
@inline
function expCore(x: v128): v128 {
  // n = round(x / ln2); r = x - n·ln2 in two steps (Cody-Waite); e^x = 2^n · p(r).
  const fx = f32x4.nearest(f32x4.mul(x, splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(fx, splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, splat(-2.12194440e-4)));
  const z = f32x4.mul(r, r);
  let y = splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), r), splat(1));
  return f32x4.mul(y, pow2OfIntegral(fx));
}

const EXP_LO: f32 = -87;
const EXP_HI: f32 = 88;

function exp64(v: f64): f64 {
  return Math.exp(v);
}

/** e^x: the polynomial where every lane is in its range, else the correctly rounded exp lane by lane. */
// @ts-ignore: decorator
@inline
export function expF32x4(x: v128): v128 {
  return inRange(x, EXP_LO, EXP_HI) ? expCore(x) : lanewise(x, exp64);
}

/** 1 / (1 + e^-x), as PyTorch writes sigmoid, for x in [-EXP_HI, -EXP_LO]. */
// @ts-ignore: decorator
@inline
function sigmoidCore(x: v128): v128 {
  return f32x4.div(splat(1), f32x4.add(splat(1), expCore(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline
function sigmoidF32x4(x: v128): v128 {
  return f32x4.div(splat(1), f32x4.add(splat(1), expF32x4(f32x4.neg(x))));
}

/** Where tanh switches from its odd polynomial to 1 - 2 / (e^2|x| + 1) (Cephes' tanhf). */
const TANH_SMALL: f32 = 0.625;
/** tanh rounds to 1 from below 10; clamping there keeps e^2|x| in the polynomial's range. */
const TANH_CLAMP: f32 = 10;

/**
 * tanh on |x| with x's sign put back, so -0 stays -0. No lane needs the scalar path: the clamp
 * bounds e^2|x|, subnormal x pass through the odd polynomial exactly, and NaN propagates.
 */
// @ts-ignore: decorator
@inline
function tanhF32x4(x: v128): v128 {
  const a = f32x4.abs(x);
  const z = f32x4.mul(a, a);
  let p = splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), a), a);
  const e = expCore(f32x4.mul(f32x4.min(a, splat(TANH_CLAMP)), splat(2)));
  const large = f32x4.sub(splat(1), f32x4.div(splat(2), f32x4.add(e, splat(1))));
  const t = v128.bitselect(small, large, f32x4.lt(a, splat(TANH_SMALL)));
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
}

const FLT_MIN: f32 = 1.1754943508222875e-38;
const FLT_MAX: f32 = 3.4028234663852886e38;
const SQRT_HALF: f32 = 0.707106781186547524;

/** log x for positive normal x: x = m·2^e with m in [√½, √2), log x = e·ln2 + log1p(m - 1) by Cephes' polynomial. */
// @ts-ignore: decorator
@inline
function logCore(x: v128): v128 {
  // m in [0.5, 1) from the mantissa bits; below √½ take 2m - 1 and one less in the exponent.
  const m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const below = f32x4.lt(m, splat(SQRT_HALF));
  const e = f32x4.sub(f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(126))), v128.and(below, splat(1)));
  const r = f32x4.sub(f32x4.add(m, v128.and(below, m)), splat(1));
  const z = f32x4.mul(r, r);
  let y = splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, r), splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, r), splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, r), splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, r), splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, r), splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, r), splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, r), splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, r), splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, r), z);
  // ln2 in two parts, the small one added first (Cody-Waite).
  y = f32x4.add(y, f32x4.mul(e, splat(-2.12194440e-4)));
  y = f32x4.add(y, f32x4.mul(z, splat(-0.5)));
  return f32x4.add(f32x4.add(r, y), f32x4.mul(e, splat(0.693359375)));
}

function log64(v: f64): f64 {
  return logf(v);
}

/** log x: the polynomial where every lane is positive and normal, else the scalar SLEEF port lane by lane. */
// @ts-ignore: decorator
@inline
function logF32x4(x: v128): v128 {
  return inRange(x, FLT_MIN, FLT_MAX) ? logCore(x) : lanewise(x, log64);
}

/** Stores four vectors at p. */
// @ts-ignore: decorator
@inline
function store16(p: usize, a: v128, b: v128, c: v128, d: v128): void {
  v128.store(p, a);
  v128.store(p, b, 16);
  v128.store(p, c, 32);
  v128.store(p, d, 48);
}

/** The ops unaryFastF32x4 computes. */
export function hasFastUnary(op: i32): bool {
  return op == Unary.exp || op == Unary.sigmoid || op == Unary.tanh || op == Unary.log;
}

/**
 * Contiguous float32 unary by the polynomials over the first n & ~15 elements, returning that count;
 * the caller finishes the tail. Sixteen lanes a step: one range test and one materialisation of
 * each constant serve four vectors (a step with a lane out of range takes each vector on its own).
 */
export function unaryFastF32x4(op: i32, po: usize, px: usize, n: i32): i32 {
  const end = <usize>(n & ~15) << 2;
  // One loop per op, so no dispatch runs inside a loop.
  switch (op) {
    case Unary.exp:
      for (let i: usize = 0; i < end; i += 64) {
        const a = v128.load(px + i), b = v128.load(px + i, 16), c = v128.load(px + i, 32), d = v128.load(px + i, 48);
        if (allInRange(a, b, c, d, EXP_LO, EXP_HI)) store16(po + i, expCore(a), expCore(b), expCore(c), expCore(d));
        else store16(po + i, expF32x4(a), expF32x4(b), expF32x4(c), expF32x4(d));
      }
      break;
    case Unary.sigmoid:
      for (let i: usize = 0; i < end; i += 64) {
        const a = v128.load(px + i), b = v128.load(px + i, 16), c = v128.load(px + i, 32), d = v128.load(px + i, 48);
        if (allInRange(a, b, c, d, -EXP_HI, -EXP_LO)) store16(po + i, sigmoidCore(a), sigmoidCore(b), sigmoidCore(c), sigmoidCore(d));
        else store16(po + i, sigmoidF32x4(a), sigmoidF32x4(b), sigmoidF32x4(c), sigmoidF32x4(d));
      }
      break;
    case Unary.tanh:
      for (let i: usize = 0; i < end; i += 64) {
        const a = v128.load(px + i), b = v128.load(px + i, 16), c = v128.load(px + i, 32), d = v128.load(px + i, 48);
        store16(po + i, tanhF32x4(a), tanhF32x4(b), tanhF32x4(c), tanhF32x4(d));
      }
      break;
    case Unary.log:
      for (let i: usize = 0; i < end; i += 64) {
        const a = v128.load(px + i), b = v128.load(px + i, 16), c = v128.load(px + i, 32), d = v128.load(px + i, 48);
        if (allInRange(a, b, c, d, FLT_MIN, FLT_MAX)) store16(po + i, logCore(a), logCore(b), logCore(c), logCore(d));
        else store16(po + i, logF32x4(a), logF32x4(b), logF32x4(c), logF32x4(d));
      }
      break;
    default:
      unreachable();
  }
  return n & ~15;
}
