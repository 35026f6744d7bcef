// f32x4 kernels for the hottest float32 ops. exp/log/tanh/sigmoid use Cephes-style polynomials
// (about 1 ulp of float32); a vector holding a lane outside the polynomial's range (overflow,
// denormals, non-positive logs, NaN) is computed lane by lane with the exact scalar function instead.
import { Unary, Binary, applyUnary } from './ops';

// @ts-ignore: decorator
@inline
function splat(v: f32): v128 {
  return f32x4.splat(v);
}

/** e^x for x in [-87, 88]. */
function expCore(x: v128): v128 {
  const fx = f32x4.floor(f32x4.add(f32x4.mul(x, splat(1.44269504088896341)), splat(0.5)));
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
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(fx), i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2n);
}

/** log(x) for normal positive finite x. */
function logCore(x: v128): v128 {
  const bits = x;
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126)));
  let m = v128.or(v128.and(bits, i32x4.splat(0x807fffff)), i32x4.splat(0x3f000000));
  // m in [0.5, 1): below sqrt(1/2) use 2m - 1 and e - 1, else m - 1.
  const low = f32x4.lt(m, splat(0.707106781186547524));
  e = f32x4.sub(e, v128.and(low, splat(1)));
  m = f32x4.sub(f32x4.add(m, v128.and(low, m)), splat(1));
  const z = f32x4.mul(m, m);
  let y = splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, m), splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, m), splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, m), splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, m), splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, m), splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, m), splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, m), splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, m), splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = f32x4.add(y, f32x4.mul(e, splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, splat(0.5)));
  return f32x4.add(f32x4.add(m, y), f32x4.mul(e, splat(0.693359375)));
}

function tanhCore(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = expCore(f32x4.min(f32x4.add(ax, ax), splat(40)));
  const t = f32x4.sub(splat(1), f32x4.div(splat(2), f32x4.add(e, splat(1))));
  const large = v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, large, f32x4.lt(ax, splat(0.625)));
}

/** e^x lane by lane: the polynomial where every lane is in its range, else the exact scalar exp. */
export function expF32x4(x: v128): v128 {
  if (inRange(x, -87, 88)) return expCore(x);
  let y = x;
  y = f32x4.replace_lane(y, 0, <f32>Math.exp(<f64>f32x4.extract_lane(x, 0)));
  y = f32x4.replace_lane(y, 1, <f32>Math.exp(<f64>f32x4.extract_lane(x, 1)));
  y = f32x4.replace_lane(y, 2, <f32>Math.exp(<f64>f32x4.extract_lane(x, 2)));
  y = f32x4.replace_lane(y, 3, <f32>Math.exp(<f64>f32x4.extract_lane(x, 3)));
  return y;
}

function inRange(x: v128, lo: f32, hi: f32): bool {
  return i32x4.all_true(v128.and(f32x4.ge(x, splat(lo)), f32x4.le(x, splat(hi))));
}

function scalar4(op: i32, po: usize, px: usize): void {
  for (let k: usize = 0; k < 16; k += 4) store<f32>(po + k, <f32>applyUnary(op, <f64>load<f32>(px + k), 0, 0, 0));
}

export function hasSimdUnary(op: i32): bool {
  switch (op) {
    case Unary.neg: case Unary.abs: case Unary.sqrt: case Unary.square: case Unary.reciprocal:
    case Unary.relu: case Unary.floor: case Unary.ceil: case Unary.trunc: case Unary.round:
    case Unary.exp: case Unary.log: case Unary.tanh: case Unary.sigmoid:
      return true;
  }
  return false;
}

/** Contiguous float32 unary over the first n & ~3 elements; the caller finishes the tail. */
export function unaryF32x4(op: i32, po: usize, px: usize, n: i32): i32 {
  const end = n & ~3;
  for (let i = 0; i < end; i += 4) {
    const o = po + (<usize>i << 2);
    const p = px + (<usize>i << 2);
    const x = v128.load(p);
    let y = x;
    switch (op) {
      case Unary.neg: y = f32x4.neg(x); break;
      case Unary.abs: y = f32x4.abs(x); break;
      case Unary.sqrt: y = f32x4.sqrt(x); break;
      case Unary.square: y = f32x4.mul(x, x); break;
      case Unary.reciprocal: y = f32x4.div(splat(1), x); break;
      case Unary.relu: y = f32x4.max(x, splat(0)); break;
      case Unary.floor: y = f32x4.floor(x); break;
      case Unary.ceil: y = f32x4.ceil(x); break;
      case Unary.trunc: y = f32x4.trunc(x); break;
      case Unary.round: y = f32x4.nearest(x); break;
      case Unary.exp: y = expF32x4(x); break;
      case Unary.log: {
        if (!inRange(x, 1.17549435e-38, 3.4028234e38)) { scalar4(op, o, p); continue; }
        y = logCore(x);
        break;
      }
      case Unary.tanh: y = tanhCore(x); break;
      case Unary.sigmoid: {
        if (!inRange(x, -87, 87)) { scalar4(op, o, p); continue; }
        y = f32x4.div(splat(1), f32x4.add(splat(1), expCore(f32x4.neg(x))));
        break;
      }
      default: unreachable();
    }
    v128.store(o, y);
  }
  return end;
}

export function hasSimdBinary(op: i32): bool {
  return op == Binary.add || op == Binary.sub || op == Binary.mul || op == Binary.div || op == Binary.maximum || op == Binary.minimum;
}

/**
 * float32 out = a op (alpha * b) over the first n & ~3 elements, out contiguous, a and b either
 * contiguous (stride 4) or broadcast (stride 0).
 */
export function binaryF32x4(op: i32, po: usize, pa: usize, sa: i32, pb: usize, sb: i32, n: i32, alpha: f32): i32 {
  const end = n & ~3;
  const va0 = f32x4.splat(load<f32>(pa));
  const vb0 = f32x4.splat(load<f32>(pb));
  const scaled = alpha != 1;
  const valpha = f32x4.splat(alpha);
  for (let i = 0; i < end; i += 4) {
    const off = <usize>i << 2;
    const a = sa ? v128.load(pa + off) : va0;
    let b = sb ? v128.load(pb + off) : vb0;
    if (scaled) b = f32x4.mul(b, valpha);
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
