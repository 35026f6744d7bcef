// f32x4 kernels for the hottest float32 ops. exp follows SLEEF's expf bit for bit (as @gd/tensor's
// cpu backend and PyTorch); log, tanh and sigmoid do so in the scalar path (sleef-float32.ts). The
// softmax line uses a Cephes-style exp polynomial (about 1 ulp of float32). A vector holding a lane
// outside a polynomial's range (overflow, denormals, NaN) is computed lane by lane with the scalar
// function instead.
import { Unary, Binary } from './ops';
import { expf } from './sleef-float32';

// @ts-ignore: decorator
@inline
function splat(v: f32): v128 {
  return f32x4.splat(v);
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
  // 2^n: adding 1.5·2^23 + 127 leaves n + 127 in the low mantissa bits; shifting them into the
  // exponent field builds the float 2^n without a float-to-int conversion.
  const pow2n = i32x4.shl(f32x4.add(fx, splat(12583039)), 23);
  return f32x4.mul(y, pow2n);
}

/** e^x lane by lane: the polynomial where every lane is in its range, else the exact scalar exp. */
// @ts-ignore: decorator
@inline
function expF32x4(x: v128): v128 {
  if (inRange(x, -87, 88)) return expCore(x);
  let y = x;
  y = f32x4.replace_lane(y, 0, <f32>Math.exp(<f64>f32x4.extract_lane(x, 0)));
  y = f32x4.replace_lane(y, 1, <f32>Math.exp(<f64>f32x4.extract_lane(x, 1)));
  y = f32x4.replace_lane(y, 2, <f32>Math.exp(<f64>f32x4.extract_lane(x, 2)));
  y = f32x4.replace_lane(y, 3, <f32>Math.exp(<f64>f32x4.extract_lane(x, 3)));
  return y;
}

// @ts-ignore: decorator
@inline
function inRange(x: v128, lo: f32, hi: f32): bool {
  return i32x4.all_true(v128.and(f32x4.ge(x, splat(lo)), f32x4.le(x, splat(hi))));
}

/** Rounds float64 lanes to float32 and back. */
// @ts-ignore: decorator
@inline
function round32(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/** Lanes where the float64 s (rounded to r in float32) sits exactly halfway between two float32s. */
// @ts-ignore: decorator
@inline
export function onTie(s: v128, r: v128): v128 {
  const t = f64x2.sub(f64x2.add(s, s), r);
  return v128.and(f64x2.eq(round32(t), t), f64x2.ne(s, r));
}

// SLEEF expf's constants (sleef-float32.ts), as float64 lanes.
const R_LN2: f32 = 1.4426950408889634;
const NEG_L2U: f64 = -<f64><f32>0.693145751953125;
const NEG_L2L: f64 = -<f64><f32>1.428606765330187045e-6;
const EXP_C0: f64 = <f64><f32>0.000198527617612853646278381;
const EXP_C1: f64 = <f64><f32>0.00139304355252534151077271;
const EXP_C2: f64 = <f64><f32>0.00833336077630519866943359;
const EXP_C3: f64 = <f64><f32>0.0416664853692054748535156;
const EXP_C4: f64 = <f64><f32>0.166666671633720397949219;

/** Set when an emulated fma in expHalf landed on a float32 tie (the result may misround). */
let tieFound = false;

/**
 * SLEEF expf's polynomial for two lanes (float32 values in float64 lanes): e^s for the reduced
 * argument s of x = q ln 2 + s. Each fma is the exact float64 product plus one rounding, and
 * records in `tie` a sum that may misround.
 */
// @ts-ignore: decorator
@inline
function expHalf(x: v128, q: v128): v128 {
  // both reduction steps are exact in float64: one rounding each, like the fma
  let s = round32(f64x2.add(f64x2.mul(q, f64x2.splat(NEG_L2U)), x));
  s = round32(f64x2.add(f64x2.mul(q, f64x2.splat(NEG_L2L)), s));
  let sum = f64x2.add(f64x2.mul(f64x2.splat(EXP_C0), s), f64x2.splat(EXP_C1));
  let u = round32(sum);
  let ties = onTie(sum, u);
  sum = f64x2.add(f64x2.mul(u, s), f64x2.splat(EXP_C2));
  u = round32(sum);
  ties = v128.or(ties, onTie(sum, u));
  sum = f64x2.add(f64x2.mul(u, s), f64x2.splat(EXP_C3));
  u = round32(sum);
  ties = v128.or(ties, onTie(sum, u));
  sum = f64x2.add(f64x2.mul(u, s), f64x2.splat(EXP_C4));
  u = round32(sum);
  ties = v128.or(ties, onTie(sum, u));
  sum = f64x2.add(f64x2.mul(u, s), f64x2.splat(0.5));
  u = round32(sum);
  ties = v128.or(ties, onTie(sum, u));
  sum = f64x2.add(f64x2.mul(round32(f64x2.mul(s, s)), u), s);
  u = round32(sum);
  if (v128.any_true(v128.or(ties, onTie(sum, u)))) tieFound = true;
  return f64x2.add(f64x2.splat(1), u);
}

/**
 * SLEEF's expf on four lanes, bit for bit: for every lane in [-86.5, 88] 2^q is a normal float32
 * and the scaling is one float32 multiply; otherwise (or on a possible misrounding) lane by lane.
 */
// @ts-ignore: decorator
@inline
function expSleefF32x4(x: v128): v128 {
  if (inRange(x, -86.5, 88)) {
    const q = f32x4.nearest(f32x4.mul(x, splat(R_LN2)));
    tieFound = false;
    const lo = expHalf(f64x2.promote_low_f32x4(x), f64x2.promote_low_f32x4(q));
    const hi = expHalf(f64x2.promote_low_f32x4(i64x2.shuffle(x, x, 1, 0)), f64x2.promote_low_f32x4(i64x2.shuffle(q, q, 1, 0)));
    if (!tieFound) {
      // 1 + u rounded to float32 (both halves), times 2^q built from its exponent bits
      const u = i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
      return f32x4.mul(u, i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(q), i32x4.splat(127)), 23));
    }
  }
  let y = x;
  y = f32x4.replace_lane(y, 0, <f32>expf(<f64>f32x4.extract_lane(x, 0)));
  y = f32x4.replace_lane(y, 1, <f32>expf(<f64>f32x4.extract_lane(x, 1)));
  y = f32x4.replace_lane(y, 2, <f32>expf(<f64>f32x4.extract_lane(x, 2)));
  y = f32x4.replace_lane(y, 3, <f32>expf(<f64>f32x4.extract_lane(x, 3)));
  return y;
}

export function hasSimdUnary(op: i32): bool {
  switch (op) {
    case Unary.neg: case Unary.abs: case Unary.sqrt: case Unary.square: case Unary.reciprocal:
    case Unary.relu: case Unary.floor: case Unary.ceil: case Unary.trunc: case Unary.round:
    case Unary.exp:
      return true;
  }
  return false;
}

// @ts-ignore: decorator
@inline
function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** Contiguous float32 unary over the first n & ~3 elements; the caller finishes the tail. */
export function unaryF32x4(op: i32, po: usize, px: usize, n: i32): i32 {
  const end = n & ~3;
  // One loop per op, so no dispatch runs inside a loop.
  switch (op) {
    case Unary.neg: for (let i = 0; i < end; i += 4) v128.store(at(po, i), f32x4.neg(v128.load(at(px, i)))); break;
    case Unary.abs: for (let i = 0; i < end; i += 4) v128.store(at(po, i), f32x4.abs(v128.load(at(px, i)))); break;
    case Unary.sqrt: for (let i = 0; i < end; i += 4) v128.store(at(po, i), f32x4.sqrt(v128.load(at(px, i)))); break;
    case Unary.square: for (let i = 0; i < end; i += 4) { const x = v128.load(at(px, i)); v128.store(at(po, i), f32x4.mul(x, x)); } break;
    case Unary.reciprocal: for (let i = 0; i < end; i += 4) v128.store(at(po, i), f32x4.div(splat(1), v128.load(at(px, i)))); break;
    case Unary.relu: for (let i = 0; i < end; i += 4) v128.store(at(po, i), f32x4.max(v128.load(at(px, i)), splat(0))); break;
    case Unary.floor: for (let i = 0; i < end; i += 4) v128.store(at(po, i), f32x4.floor(v128.load(at(px, i)))); break;
    case Unary.ceil: for (let i = 0; i < end; i += 4) v128.store(at(po, i), f32x4.ceil(v128.load(at(px, i)))); break;
    case Unary.trunc: for (let i = 0; i < end; i += 4) v128.store(at(po, i), f32x4.trunc(v128.load(at(px, i)))); break;
    case Unary.round: for (let i = 0; i < end; i += 4) v128.store(at(po, i), f32x4.nearest(v128.load(at(px, i)))); break;
    case Unary.exp: for (let i = 0; i < end; i += 4) v128.store(at(po, i), expSleefF32x4(v128.load(at(px, i)))); break;
    default: unreachable();
  }
  return end;
}

/**
 * PyTorch's vectorised float32 sigmoid, 1 / (1 + expf(-x)) with SLEEF's expf, over the first
 * `count` elements (a multiple of 4) of a contiguous row.
 */
export function sigmoidF32x4(po: usize, px: usize, count: i32): void {
  for (let i = 0; i < count; i += 4)
    v128.store(at(po, i), f32x4.div(splat(1), f32x4.add(splat(1), expSleefF32x4(f32x4.neg(v128.load(at(px, i)))))));
}

export function hasSimdBinary(op: i32): bool {
  return op == Binary.add || op == Binary.sub || op == Binary.mul || op == Binary.div || op == Binary.maximum || op == Binary.minimum;
}

/**
 * float32 out = a op b over the first n & ~3 elements, out contiguous, a and b either contiguous
 * (stride 4) or broadcast (stride 0). With `scaled`, out = a + s·b computed in float64 lanes and
 * rounded once, exactly as the cpu backend computes add/sub with alpha.
 */
export function binaryF32x4(op: i32, po: usize, pa: usize, sa: i32, pb: usize, sb: i32, n: i32, scaled: bool, s: f64): i32 {
  const end = n & ~3;
  const va0 = f32x4.splat(load<f32>(pa));
  const vb0 = f32x4.splat(load<f32>(pb));
  if (scaled) {
    const vs = f64x2.splat(s);
    for (let i = 0; i < end; i += 4) {
      const off = <usize>i << 2;
      const a = sa ? v128.load(pa + off) : va0;
      const b = sb ? v128.load(pb + off) : vb0;
      const lo = f64x2.add(f64x2.promote_low_f32x4(a), f64x2.mul(vs, f64x2.promote_low_f32x4(b)));
      const hi = f64x2.add(f64x2.promote_low_f32x4(i64x2.shuffle(a, a, 1, 0)), f64x2.mul(vs, f64x2.promote_low_f32x4(i64x2.shuffle(b, b, 1, 0))));
      v128.store(po + off, i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2));
    }
    return end;
  }
  for (let i = 0; i < end; i += 4) {
    const off = <usize>i << 2;
    const a = sa ? v128.load(pa + off) : va0;
    const b = sb ? v128.load(pb + off) : vb0;
    let y = a;
    switch (op) {
      case Binary.add: y = f32x4.add(a, b); break;
      case Binary.sub: y = f32x4.sub(a, b); break;
      case Binary.mul: y = f32x4.mul(a, b); break;
      case Binary.div: y = f32x4.div(a, b); break;
      case Binary.maximum: y = f32x4.max(a, b); break;
      case Binary.minimum: y = f32x4.min(a, b); break;
      default: unreachable();
    }
    v128.store(po + off, y);
  }
  return end;
}

/** Softmax (or log-softmax) of a contiguous float32 line, in assembly/softmax.ts's steps, four lanes at a time. */
export function softmaxLineF32x4(isLog: bool, po: usize, px: usize, size: i32): void {
  const end = size & ~3;
  let m: f32 = -Infinity;
  if (end > 0) {
    let vm = v128.load(px);
    for (let i = 4; i < end; i += 4) vm = f32x4.max(vm, v128.load(px + (<usize>i << 2)));
    for (let k = 0; k < 4; k++) {
      const v = f32x4.extract_lane(vm, 0);
      if (v > m || v != v) m = v;
      vm = i32x4.shuffle(vm, vm, 1, 2, 3, 0);
    }
  }
  for (let i = end; i < size; i++) {
    const v = load<f32>(px + (<usize>i << 2));
    if (v > m || v != v) m = v;
  }
  const vmax = f32x4.splat(m);
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  for (let i = 0; i < end; i += 4) {
    const off = <usize>i << 2;
    const e = expF32x4(f32x4.sub(v128.load(px + off), vmax));
    v128.store(po + off, e);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(i64x2.shuffle(e, e, 1, 0)));
  }
  const halves = f64x2.add(lo, hi);
  let s = f64x2.extract_lane(halves, 0) + f64x2.extract_lane(halves, 1);
  for (let i = end; i < size; i++) {
    const off = <usize>i << 2;
    const e = <f32>Math.exp(<f64>(load<f32>(px + off) - m));
    store<f32>(po + off, e);
    s += <f64>e;
  }
  const sum = <f32>s;
  if (isLog) {
    const ls = <f32>Math.log(<f64>sum);
    const vls = f32x4.splat(ls);
    for (let i = 0; i < end; i += 4) {
      const off = <usize>i << 2;
      v128.store(po + off, f32x4.sub(f32x4.sub(v128.load(px + off), vmax), vls));
    }
    for (let i = end; i < size; i++) store<f32>(po + (<usize>i << 2), load<f32>(px + (<usize>i << 2)) - m - ls);
  } else {
    const vs = f32x4.splat(sum);
    for (let i = 0; i < end; i += 4) v128.store(po + (<usize>i << 2), f32x4.div(v128.load(po + (<usize>i << 2)), vs));
    for (let i = end; i < size; i++) store<f32>(po + (<usize>i << 2), load<f32>(po + (<usize>i << 2)) / sum);
  }
}
