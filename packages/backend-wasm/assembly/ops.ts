import { toInt32 } from './dtype';
import { erf, erfc, erfinv, jsPow, sigmoid, softplus } from './special';
import { expf, expm1f, log1pf, logf, tanhf } from './sleef-float32';

// Op codes: the order of UnaryOp and BinaryOp in @gd/tensor's backend.ts (src/op-codes.ts maps names).
export const enum Unary {
  neg, abs, sign, exp, expm1, exp2, log, log1p, log2, log10,
  sqrt, rsqrt, reciprocal, square, sin, cos, tan, asin, acos, atan,
  sinh, cosh, tanh, asinh, acosh, atanh, sigmoid, logSigmoid, relu,
  floor, ceil, round, trunc, frac, erf, erfc, erfinv,
  logicalNot, isnan, isinf, isfinite, bitwiseNot,
  leakyRelu, elu, selu, celu, gelu, geluTanh, silu, mish, softplus, hardtanh, hardsigmoid, hardswish,
  clamp, powScalar, rpowScalar, nanToNum,
}

export const enum Binary {
  add, sub, mul, div, pow, maximum, minimum, fmax, fmin, atan2,
  remainder, fmod, floorDivide, truncDivide, hypot, copysign, xlogy,
  eq, ne, lt, le, gt, ge,
  logicalAnd, logicalOr, logicalXor, bitwiseAnd, bitwiseOr, bitwiseXor,
}

const SQRT_2_PI: f64 = 0.7978845608028654;

/** One element of a unary op, computed in float64 as the cpu backend computes it. */
export function applyUnary(op: i32, v: f64, a: f64, b: f64, c: f64): f64 {
  switch (op) {
    case Unary.neg: return -v;
    case Unary.abs: return Math.abs(v);
    case Unary.sign: return v > 0 ? 1 : v < 0 ? -1 : v;
    case Unary.exp: return Math.exp(v);
    case Unary.expm1: return Math.expm1(v);
    case Unary.exp2: return jsPow(2, v);
    case Unary.log: return Math.log(v);
    case Unary.log1p: return Math.log1p(v);
    case Unary.log2: return Math.log2(v);
    case Unary.log10: return Math.log10(v);
    case Unary.sqrt: return Math.sqrt(v);
    case Unary.rsqrt: return 1 / Math.sqrt(v);
    case Unary.reciprocal: return 1 / v;
    case Unary.square: return v * v;
    case Unary.sin: return Math.sin(v);
    case Unary.cos: return Math.cos(v);
    case Unary.tan: return Math.tan(v);
    case Unary.asin: return Math.asin(v);
    case Unary.acos: return Math.acos(v);
    case Unary.atan: return Math.atan(v);
    case Unary.sinh: return Math.sinh(v);
    case Unary.cosh: return Math.cosh(v);
    case Unary.tanh: return Math.tanh(v);
    case Unary.asinh: return Math.asinh(v);
    case Unary.acosh: return Math.acosh(v);
    case Unary.atanh: return Math.atanh(v);
    case Unary.sigmoid: return sigmoid(v);
    case Unary.logSigmoid: return v < 0 ? v - Math.log1p(Math.exp(v)) : -Math.log1p(Math.exp(-v));
    case Unary.relu: return v > 0 ? v : isNaN(v) ? v : 0;
    case Unary.floor: return Math.floor(v);
    case Unary.ceil: return Math.ceil(v);
    case Unary.round: return nearest<f64>(v);
    case Unary.trunc: return Math.trunc(v);
    case Unary.frac: return v - Math.trunc(v);
    case Unary.erf: return erf(v);
    case Unary.erfc: return erfc(v);
    case Unary.erfinv: return erfinv(v);
    case Unary.logicalNot: return v == 0 ? 1 : 0;
    case Unary.isnan: return isNaN(v) ? 1 : 0;
    case Unary.isinf: return v == Infinity || v == -Infinity ? 1 : 0;
    case Unary.isfinite: return isFinite(v) ? 1 : 0;
    case Unary.bitwiseNot: return <f64>~toInt32(v);
    case Unary.leakyRelu: return v > 0 ? v : v * a;
    case Unary.elu: return v > 0 ? v : a * Math.expm1(v);
    case Unary.selu: return 1.0507009873554804934193349852946 * (v > 0 ? v : 1.6732632423543772848170429916717 * Math.expm1(v));
    case Unary.celu: return v > 0 ? v : a * Math.expm1(v / a);
    case Unary.gelu: return 0.5 * v * (1 + erf(v * Math.SQRT1_2));
    case Unary.geluTanh: return 0.5 * v * (1 + Math.tanh(SQRT_2_PI * (v + 0.044715 * v * v * v)));
    case Unary.silu: return v * sigmoid(v);
    case Unary.mish: return v * Math.tanh(softplus(v, 1, 20));
    case Unary.softplus: return softplus(v, a, b);
    case Unary.hardtanh: return v < a ? a : v > b ? b : v;
    case Unary.hardsigmoid: return v <= -3 ? 0 : v >= 3 ? 1 : v / 6 + 0.5;
    case Unary.hardswish: return v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6;
    case Unary.clamp: {
      // a = min, b = max; NaN means no bound.
      let r = v;
      if (a == a && r < a) r = a;
      if (b == b && r > b) r = b;
      return r;
    }
    case Unary.powScalar: return a == 2 ? v * v : jsPow(v, a);
    case Unary.rpowScalar: return jsPow(a, v);
    case Unary.nanToNum: return isNaN(v) ? a : v == Infinity ? b : v == -Infinity ? c : v;
  }
  return NaN;
}

/**
 * One element of a float32 unary op: the ops PyTorch computes with SLEEF (and rsqrt, rounded after
 * the square root) as it does, so float32 results match it bit for bit; the rest as applyUnary.
 * (sigmoid depends on the element's place in its row: the unary kernel handles it.)
 */
export function applyUnaryF32(op: i32, v: f64, a: f64, b: f64, c: f64): f64 {
  switch (op) {
    case Unary.exp: return expf(v);
    case Unary.log: return logf(v);
    case Unary.expm1: return expm1f(v);
    case Unary.log1p: return log1pf(v);
    case Unary.tanh: return tanhf(v);
    case Unary.rsqrt: return 1 / <f64><f32>Math.sqrt(v);
  }
  return applyUnary(op, v, a, b, c);
}

function pyRemainder(a: f64, b: f64): f64 {
  const r = a % b;
  return r != 0 && r < 0 != b < 0 ? r + b : r;
}

/** One element of a binary op, computed in float64 as the cpu backend computes it. */
export function applyBinary(op: i32, a: f64, b: f64): f64 {
  switch (op) {
    case Binary.add: return a + b;
    case Binary.sub: return a - b;
    case Binary.mul: return a * b;
    case Binary.div: return a / b;
    case Binary.pow: return b == 2 ? a * a : jsPow(a, b);
    case Binary.maximum: return isNaN(a) || isNaN(b) ? NaN : a > b ? a : b;
    case Binary.minimum: return isNaN(a) || isNaN(b) ? NaN : a < b ? a : b;
    case Binary.fmax: return isNaN(a) ? b : isNaN(b) ? a : a > b ? a : b;
    case Binary.fmin: return isNaN(a) ? b : isNaN(b) ? a : a < b ? a : b;
    case Binary.atan2: return Math.atan2(a, b);
    case Binary.remainder: return pyRemainder(a, b);
    case Binary.fmod: return a % b;
    case Binary.floorDivide: return Math.floor(a / b);
    case Binary.truncDivide: return Math.trunc(a / b);
    case Binary.hypot: return Math.hypot(a, b);
    case Binary.copysign: return b < 0 || (b == 0 && 1 / b < 0) ? -Math.abs(a) : Math.abs(a);
    case Binary.xlogy: return isNaN(b) ? NaN : a == 0 ? 0 : a * Math.log(b);
    case Binary.eq: return a == b ? 1 : 0;
    case Binary.ne: return a != b ? 1 : 0;
    case Binary.lt: return a < b ? 1 : 0;
    case Binary.le: return a <= b ? 1 : 0;
    case Binary.gt: return a > b ? 1 : 0;
    case Binary.ge: return a >= b ? 1 : 0;
    case Binary.logicalAnd: return a != 0 && b != 0 ? 1 : 0;
    case Binary.logicalOr: return a != 0 || b != 0 ? 1 : 0;
    case Binary.logicalXor: return (a != 0) != (b != 0) ? 1 : 0;
    case Binary.bitwiseAnd: return <f64>(toInt32(a) & toInt32(b));
    case Binary.bitwiseOr: return <f64>(toInt32(a) | toInt32(b));
    case Binary.bitwiseXor: return <f64>(toInt32(a) ^ toInt32(b));
  }
  return NaN;
}
