// f32x4 kernels for the hottest float32 ops. exp, expm1, log, log1p, tanh and sigmoid follow
// SLEEF bit for bit (sleef-f32x4.ts, as @gd/tensor's cpu backend and PyTorch). The softmax line
// uses fast-math.ts's exp polynomial (about 1 ulp of float32).
import { expF32x4 } from './fast-math';
import { Unary, Binary } from './ops';
import { sleefExp8, sleefExpm1, sleefLog, sleefLog1p, sleefTanh } from './sleef-f32x4';

// @ts-ignore: decorator
@inline
function splat(v: f32): v128 {
  return f32x4.splat(v);
}

/**
 * Lanes where rounding the float64 s to float32 may differ from rounding the exact value s was
 * rounded from: s exactly halfway between two float32s (its low 29 bits 1 followed by zeros),
 * or nonzero below the normal float32 range, where the float32 grid is coarser. Elsewhere both
 * round alike, since every float32 midpoint there is a float64.
 */
// @ts-ignore: decorator
@inline
export function mayMisround(s: v128): v128 {
  const a = f64x2.abs(s);
  return v128.or(onFloat32Tie(s), v128.and(f64x2.lt(a, f64x2.splat(1.1754943508222875e-38)), f64x2.gt(a, f64x2.splat(0))));
}

/** Lanes where the float64 s lies exactly halfway between two normal float32s: mayMisround's first case alone. */
// @ts-ignore: decorator
@inline
export function onFloat32Tie(s: v128): v128 {
  return i64x2.eq(v128.and(s, i64x2.splat(0x1fffffff)), i64x2.splat(0x10000000));
}

export function hasSimdUnary(op: i32): bool {
  switch (op) {
    case Unary.neg: case Unary.abs: case Unary.sqrt: case Unary.square: case Unary.reciprocal:
    case Unary.relu: case Unary.floor: case Unary.ceil: case Unary.trunc: case Unary.round:
    case Unary.exp: case Unary.expm1: case Unary.log: case Unary.log1p: case Unary.tanh:
      return true;
  }
  return false;
}

// @ts-ignore: decorator
@inline
function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** Contiguous float32 unary over the first n & ~3 elements (n & ~7 for exp), returning that count; the caller finishes the tail. */
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
    case Unary.exp: {
      // eight at a time: the caller's scalar loop takes a last group of four
      const pairs = n & ~7;
      for (let i = 0; i < pairs; i += 8) sleefExp8(at(po, i), v128.load(at(px, i)), v128.load(at(px, i + 4)));
      return pairs;
    }
    case Unary.expm1: for (let i = 0; i < end; i += 4) v128.store(at(po, i), sleefExpm1(v128.load(at(px, i)))); break;
    case Unary.log: for (let i = 0; i < end; i += 4) v128.store(at(po, i), sleefLog(v128.load(at(px, i)))); break;
    case Unary.log1p: for (let i = 0; i < end; i += 4) v128.store(at(po, i), sleefLog1p(v128.load(at(px, i)))); break;
    case Unary.tanh: for (let i = 0; i < end; i += 4) v128.store(at(po, i), sleefTanh(v128.load(at(px, i)))); break;
    default: unreachable();
  }
  return end;
}

/**
 * PyTorch's vectorised float32 sigmoid, 1 / (1 + expf(-x)) with SLEEF's expf, over the first
 * `count` elements (a multiple of 8) of a contiguous row.
 */
export function sigmoidF32x4(po: usize, px: usize, count: i32): void {
  for (let i = 0; i < count; i += 8) {
    sleefExp8(at(po, i), f32x4.neg(v128.load(at(px, i))), f32x4.neg(v128.load(at(px, i + 4))));
    v128.store(at(po, i), f32x4.div(splat(1), f32x4.add(splat(1), v128.load(at(po, i)))));
    v128.store(at(po, i + 4), f32x4.div(splat(1), f32x4.add(splat(1), v128.load(at(po, i + 4)))));
  }
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

export function isComparison(op: i32): bool {
  return op >= Binary.eq && op <= Binary.ge;
}

/** Four bool bytes (0 or 1) from the all-ones / all-zeros lanes of an i32x4 mask. */
// @ts-ignore: decorator
@inline
function maskBytes(m: v128): v128 {
  const halves = i16x8.narrow_i32x4_s(m, m);
  return v128.and(i8x16.narrow_i16x8_s(halves, halves), i8x16.splat(1));
}

/**
 * bool out = a cmp b for float32 a and b over the first n & ~3 elements, out contiguous, a and b
 * contiguous (stride 4) or broadcast (stride 0); NaN compares as in the scalar kernel (false, but
 * true for ne). Returns the count done.
 */
export function compareF32x4(op: i32, po: usize, pa: usize, sa: i32, pb: usize, sb: i32, n: i32): i32 {
  const end = n & ~3;
  const va0 = f32x4.splat(load<f32>(pa));
  const vb0 = f32x4.splat(load<f32>(pb));
  for (let i = 0; i < end; i += 4) {
    const off = <usize>i << 2;
    const a = sa ? v128.load(pa + off) : va0;
    const b = sb ? v128.load(pb + off) : vb0;
    let m = a;
    switch (op) {
      case Binary.eq: m = f32x4.eq(a, b); break;
      case Binary.ne: m = f32x4.ne(a, b); break;
      case Binary.lt: m = f32x4.lt(a, b); break;
      case Binary.le: m = f32x4.le(a, b); break;
      case Binary.gt: m = f32x4.gt(a, b); break;
      case Binary.ge: m = f32x4.ge(a, b); break;
      default: unreachable();
    }
    v128.store32_lane(po + <usize>i, maskBytes(m), 0);
  }
  return end;
}

/**
 * float32 out = cond ? a : b over the first n & ~3 elements: cond bool and contiguous, out
 * contiguous, a and b contiguous (stride 4) or broadcast (stride 0). Returns the count done.
 */
export function selectF32x4(po: usize, pc: usize, pa: usize, sa: i32, pb: usize, sb: i32, n: i32): i32 {
  const end = n & ~3;
  const va0 = f32x4.splat(load<f32>(pa));
  const vb0 = f32x4.splat(load<f32>(pb));
  for (let i = 0; i < end; i += 4) {
    const off = <usize>i << 2;
    const c = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(pc + <usize>i)));
    const a = sa ? v128.load(pa + off) : va0;
    const b = sb ? v128.load(pb + off) : vb0;
    v128.store(po + off, v128.bitselect(a, b, i32x4.ne(c, i32x4.splat(0))));
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
