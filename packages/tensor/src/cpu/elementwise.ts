import type { BinaryOp, UnaryOp, UnaryParams, View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { erf, erfc, erfinv, pyRemainder, roundHalfEven, sigmoid, softplus } from './math.js';
import { expf, expfRun, expfUnrounded, expm1f, log1pf, logf, tanhf } from './sleef-float32.js';
import { numelOf } from '../shape.js';
import { forEachRow, planRows, singleRowStride } from './strided.js';

type Arr = TypedArray;

// Each op is its own small row loop, so V8 sees one arithmetic shape per loop and keeps it fast.
type UnaryRow = (o: Arr, io: number, so: number, x: Arr, ix: number, sx: number, n: number, p: UnaryParams) => void;
type BinaryRow = (o: Arr, io: number, so: number, a: Arr, ia: number, sa: number, b: Arr, ib: number, sb: number, n: number) => void;

const map = (f: (v: number, p: UnaryParams) => number): UnaryRow =>
  function row(o, io, so, x, ix, sx, n, p) {
    for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = f(x[ix]!, p);
  };

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_PI = Math.sqrt(2 / Math.PI);

const UNARY: Record<UnaryOp, UnaryRow> = {
  neg(o, io, so, x, ix, sx, n) {
    for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = -x[ix]!;
  },
  abs: map((v) => Math.abs(v)),
  sign: map((v) => (v > 0 ? 1 : v < 0 ? -1 : v)),
  exp(o, io, so, x, ix, sx, n) {
    for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = Math.exp(x[ix]!);
  },
  expm1: map((v) => Math.expm1(v)),
  exp2: map((v) => 2 ** v),
  log(o, io, so, x, ix, sx, n) {
    for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = Math.log(x[ix]!);
  },
  log1p: map((v) => Math.log1p(v)),
  log2: map((v) => Math.log2(v)),
  log10: map((v) => Math.log10(v)),
  // Hot in optimizers (Adam's denominator): its own loop, so the call is not through `map`'s shared one.
  sqrt(o, io, so, x, ix, sx, n) {
    for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = Math.sqrt(x[ix]!);
  },
  rsqrt: map((v) => 1 / Math.sqrt(v)),
  reciprocal: map((v) => 1 / v),
  square: map((v) => v * v),
  sin: map((v) => Math.sin(v)),
  cos: map((v) => Math.cos(v)),
  tan: map((v) => Math.tan(v)),
  asin: map((v) => Math.asin(v)),
  acos: map((v) => Math.acos(v)),
  atan: map((v) => Math.atan(v)),
  sinh: map((v) => Math.sinh(v)),
  cosh: map((v) => Math.cosh(v)),
  tanh: map((v) => Math.tanh(v)),
  asinh: map((v) => Math.asinh(v)),
  acosh: map((v) => Math.acosh(v)),
  atanh: map((v) => Math.atanh(v)),
  sigmoid: map(sigmoid),
  logSigmoid: map((v) => (v < 0 ? v - Math.log1p(Math.exp(v)) : -Math.log1p(Math.exp(-v)))),
  relu(o, io, so, x, ix, sx, n) {
    for (let i = 0; i < n; i++, io += so, ix += sx) {
      const v = x[ix]!;
      o[io] = v > 0 ? v : v !== v ? v : 0;
    }
  },
  floor: map((v) => Math.floor(v)),
  ceil: map((v) => Math.ceil(v)),
  round: map(roundHalfEven),
  trunc: map((v) => Math.trunc(v)),
  frac: map((v) => v - Math.trunc(v)),
  erf: map(erf),
  erfc: map(erfc),
  erfinv: map(erfinv),
  logicalNot: map((v) => (v === 0 ? 1 : 0)),
  isnan: map((v) => (v !== v ? 1 : 0)),
  isinf: map((v) => (v === Infinity || v === -Infinity ? 1 : 0)),
  isfinite: map((v) => (Number.isFinite(v) ? 1 : 0)),
  bitwiseNot: map((v) => ~v),
  leakyRelu: map((v, p) => (v > 0 ? v : v * p.a!)),
  elu: map((v, p) => (v > 0 ? v : p.a! * Math.expm1(v))),
  selu: map((v) => 1.0507009873554804934193349852946 * (v > 0 ? v : 1.6732632423543772848170429916717 * Math.expm1(v))),
  celu: map((v, p) => (v > 0 ? v : p.a! * Math.expm1(v / p.a!))),
  gelu: map((v) => 0.5 * v * (1 + erf(v * SQRT1_2))),
  geluTanh: map((v) => 0.5 * v * (1 + Math.tanh(SQRT_2_PI * (v + 0.044715 * v * v * v)))),
  silu: map((v) => v * sigmoid(v)),
  mish: map((v) => v * Math.tanh(softplus(v, 1, 20))),
  softplus: map((v, p) => softplus(v, p.a!, p.b!)),
  // Like clamp: the upper bound wins when min > max.
  hardtanh: map((v, p) => {
    const r = v < p.a! ? p.a! : v;
    return r > p.b! ? p.b! : r;
  }),
  hardsigmoid: map((v) => (v <= -3 ? 0 : v >= 3 ? 1 : v / 6 + 0.5)),
  hardswish: map((v) => (v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6)),
  // clamp: a = min (or NaN for none), b = max (or NaN for none); NaN input stays NaN.
  clamp: map((v, p) => {
    let r = v;
    if (p.a === p.a && r < p.a!) r = p.a!;
    if (p.b === p.b && r > p.b!) r = p.b!;
    return r;
  }),
  powScalar(o, io, so, x, ix, sx, n, p) {
    const e = p.a!;
    if (e === 2) for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = x[ix]! * x[ix]!;
    else for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = x[ix]! ** e;
  },
  rpowScalar: map((v, p) => p.a! ** v),
  nanToNum: map((v, p) => (v !== v ? p.a! : v === Infinity ? p.b! : v === -Infinity ? p.c! : v)),
};

const fround = Math.fround;
/** Elements per step of PyTorch's vectorised loops (two AVX2 float32 registers). */
const VEC_STEP_FLOAT32 = 16;

/** Float32 versions of the ops PyTorch computes with SLEEF, so float32 results match it bit for bit. */
const UNARY_FLOAT32: Partial<Record<UnaryOp, UnaryRow>> = {
  // The float32 store is expf's final rounding.
  exp(o, io, so, x, ix, sx, n) {
    if (so === 1 && sx === 1) expfRun(o as Float32Array, io, x as Float32Array, ix, n);
    else for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = expfUnrounded(x[ix]!);
  },
  log(o, io, so, x, ix, sx, n) {
    for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = logf(x[ix]!);
  },
  expm1(o, io, so, x, ix, sx, n) {
    for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = expm1f(x[ix]!);
  },
  log1p(o, io, so, x, ix, sx, n) {
    for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = log1pf(x[ix]!);
  },
  tanh(o, io, so, x, ix, sx, n) {
    for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = tanhf(x[ix]!);
  },
  // 1 / sqrt(x) with both steps rounded to float32, as PyTorch's vectorised rsqrt
  rsqrt(o, io, so, x, ix, sx, n) {
    for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = 1 / fround(Math.sqrt(x[ix]!));
  },
  // PyTorch vectorises contiguous runs in steps of 16 with SLEEF's exp; the leftover elements
  // (and strided runs) take its scalar path, whose std::exp is correctly rounded.
  sigmoid(o, io, so, x, ix, sx, n) {
    const vectorised = so === 1 && sx === 1 ? n - (n % VEC_STEP_FLOAT32) : 0;
    let i = 0;
    for (; i < vectorised; i++, io++, ix++) o[io] = 1 / fround(1 + expf(-x[ix]!));
    for (; i < n; i++, io += so, ix += sx) o[io] = 1 / fround(1 + fround(Math.exp(-x[ix]!)));
  },
};

const zip = (f: (a: number, b: number) => number): BinaryRow =>
  function row(o, io, so, a, ia, sa, b, ib, sb, n) {
    for (let i = 0; i < n; i++, io += so, ia += sa, ib += sb) o[io] = f(a[ia]!, b[ib]!);
  };

/**
 * The arithmetic ops' loops over contiguous runs, unrolled by four: V8 (up to Node 20) re-checks
 * each typed array once per loop iteration, so longer iterations pay that less often.
 */
interface Arithmetic {
  /** o = a op b, all three contiguous. */
  dense(o: Arr, io: number, a: Arr, ia: number, b: Arr, ib: number, n: number): void;
  /** o = a op v: a scalar, or an operand broadcast along the run (stride 0). */
  withValue(o: Arr, io: number, a: Arr, ia: number, v: number, n: number): void;
  /** o = v op b. */
  valueWith(o: Arr, io: number, v: number, b: Arr, ib: number, n: number): void;
  /** Any strides. */
  strided: BinaryRow;
}

function arithmeticRow(k: Arithmetic): BinaryRow {
  return (o, io, so, a, ia, sa, b, ib, sb, n) => {
    if (so !== 1) k.strided(o, io, so, a, ia, sa, b, ib, sb, n);
    else if (sa === 1 && sb === 1) k.dense(o, io, a, ia, b, ib, n);
    else if (sa === 1 && sb === 0) k.withValue(o, io, a, ia, b[ib]!, n);
    else if (sa === 0 && sb === 1) k.valueWith(o, io, a[ia]!, b, ib, n);
    else k.strided(o, io, so, a, ia, sa, b, ib, sb, n);
  };
}

const ADD: Arithmetic = {
  dense(o, io, a, ia, b, ib, n) {
    for (const end = io + n - 3; io < end; io += 4, ia += 4, ib += 4) {
      o[io] = a[ia]! + b[ib]!;
      o[io + 1] = a[ia + 1]! + b[ib + 1]!;
      o[io + 2] = a[ia + 2]! + b[ib + 2]!;
      o[io + 3] = a[ia + 3]! + b[ib + 3]!;
    }
    for (let i = 0; i < n % 4; i++) o[io + i] = a[ia + i]! + b[ib + i]!;
  },
  withValue(o, io, a, ia, v, n) {
    for (const end = io + n - 3; io < end; io += 4, ia += 4) {
      o[io] = a[ia]! + v;
      o[io + 1] = a[ia + 1]! + v;
      o[io + 2] = a[ia + 2]! + v;
      o[io + 3] = a[ia + 3]! + v;
    }
    for (let i = 0; i < n % 4; i++) o[io + i] = a[ia + i]! + v;
  },
  valueWith: (o, io, v, b, ib, n) => ADD.withValue(o, io, b, ib, v, n),
  strided(o, io, so, a, ia, sa, b, ib, sb, n) {
    for (let i = 0; i < n; i++, io += so, ia += sa, ib += sb) o[io] = a[ia]! + b[ib]!;
  },
};

const SUB: Arithmetic = {
  dense(o, io, a, ia, b, ib, n) {
    for (const end = io + n - 3; io < end; io += 4, ia += 4, ib += 4) {
      o[io] = a[ia]! - b[ib]!;
      o[io + 1] = a[ia + 1]! - b[ib + 1]!;
      o[io + 2] = a[ia + 2]! - b[ib + 2]!;
      o[io + 3] = a[ia + 3]! - b[ib + 3]!;
    }
    for (let i = 0; i < n % 4; i++) o[io + i] = a[ia + i]! - b[ib + i]!;
  },
  withValue(o, io, a, ia, v, n) {
    for (const end = io + n - 3; io < end; io += 4, ia += 4) {
      o[io] = a[ia]! - v;
      o[io + 1] = a[ia + 1]! - v;
      o[io + 2] = a[ia + 2]! - v;
      o[io + 3] = a[ia + 3]! - v;
    }
    for (let i = 0; i < n % 4; i++) o[io + i] = a[ia + i]! - v;
  },
  valueWith(o, io, v, b, ib, n) {
    for (const end = io + n - 3; io < end; io += 4, ib += 4) {
      o[io] = v - b[ib]!;
      o[io + 1] = v - b[ib + 1]!;
      o[io + 2] = v - b[ib + 2]!;
      o[io + 3] = v - b[ib + 3]!;
    }
    for (let i = 0; i < n % 4; i++) o[io + i] = v - b[ib + i]!;
  },
  strided(o, io, so, a, ia, sa, b, ib, sb, n) {
    for (let i = 0; i < n; i++, io += so, ia += sa, ib += sb) o[io] = a[ia]! - b[ib]!;
  },
};

const MUL: Arithmetic = {
  dense(o, io, a, ia, b, ib, n) {
    for (const end = io + n - 3; io < end; io += 4, ia += 4, ib += 4) {
      o[io] = a[ia]! * b[ib]!;
      o[io + 1] = a[ia + 1]! * b[ib + 1]!;
      o[io + 2] = a[ia + 2]! * b[ib + 2]!;
      o[io + 3] = a[ia + 3]! * b[ib + 3]!;
    }
    for (let i = 0; i < n % 4; i++) o[io + i] = a[ia + i]! * b[ib + i]!;
  },
  withValue(o, io, a, ia, v, n) {
    // x * 1 is x exactly: the broadcast ones a sum's gradient starts from become a bulk copy
    if (v === 1 && n > 64 && o.constructor === a.constructor) {
      if (o !== a || io !== ia) o.set(a.subarray(ia, ia + n) as never, io);
      return;
    }
    for (const end = io + n - 3; io < end; io += 4, ia += 4) {
      o[io] = a[ia]! * v;
      o[io + 1] = a[ia + 1]! * v;
      o[io + 2] = a[ia + 2]! * v;
      o[io + 3] = a[ia + 3]! * v;
    }
    for (let i = 0; i < n % 4; i++) o[io + i] = a[ia + i]! * v;
  },
  valueWith: (o, io, v, b, ib, n) => MUL.withValue(o, io, b, ib, v, n),
  strided(o, io, so, a, ia, sa, b, ib, sb, n) {
    for (let i = 0; i < n; i++, io += so, ia += sa, ib += sb) o[io] = a[ia]! * b[ib]!;
  },
};

const DIV: Arithmetic = {
  dense(o, io, a, ia, b, ib, n) {
    for (const end = io + n - 3; io < end; io += 4, ia += 4, ib += 4) {
      o[io] = a[ia]! / b[ib]!;
      o[io + 1] = a[ia + 1]! / b[ib + 1]!;
      o[io + 2] = a[ia + 2]! / b[ib + 2]!;
      o[io + 3] = a[ia + 3]! / b[ib + 3]!;
    }
    for (let i = 0; i < n % 4; i++) o[io + i] = a[ia + i]! / b[ib + i]!;
  },
  withValue(o, io, a, ia, v, n) {
    for (const end = io + n - 3; io < end; io += 4, ia += 4) {
      o[io] = a[ia]! / v;
      o[io + 1] = a[ia + 1]! / v;
      o[io + 2] = a[ia + 2]! / v;
      o[io + 3] = a[ia + 3]! / v;
    }
    for (let i = 0; i < n % 4; i++) o[io + i] = a[ia + i]! / v;
  },
  valueWith(o, io, v, b, ib, n) {
    for (const end = io + n - 3; io < end; io += 4, ib += 4) {
      o[io] = v / b[ib]!;
      o[io + 1] = v / b[ib + 1]!;
      o[io + 2] = v / b[ib + 2]!;
      o[io + 3] = v / b[ib + 3]!;
    }
    for (let i = 0; i < n % 4; i++) o[io + i] = v / b[ib + i]!;
  },
  strided(o, io, so, a, ia, sa, b, ib, sb, n) {
    for (let i = 0; i < n; i++, io += so, ia += sa, ib += sb) o[io] = a[ia]! / b[ib]!;
  },
};

const ARITHMETIC: Partial<Record<BinaryOp, Arithmetic>> = { add: ADD, sub: SUB, mul: MUL, div: DIV };

const BINARY: Record<BinaryOp, BinaryRow> = {
  add: arithmeticRow(ADD),
  sub: arithmeticRow(SUB),
  mul: arithmeticRow(MUL),
  div: arithmeticRow(DIV),
  pow: zip((a, b) => (b === 2 ? a * a : a ** b)),
  maximum: zip((a, b) => (a !== a || b !== b ? NaN : a > b ? a : b)),
  minimum: zip((a, b) => (a !== a || b !== b ? NaN : a < b ? a : b)),
  fmax: zip((a, b) => (a !== a ? b : b !== b ? a : a > b ? a : b)),
  fmin: zip((a, b) => (a !== a ? b : b !== b ? a : a < b ? a : b)),
  atan2: zip(Math.atan2),
  remainder: zip(pyRemainder),
  fmod: zip((a, b) => a % b),
  floorDivide: zip((a, b) => Math.floor(a / b)),
  truncDivide: zip((a, b) => Math.trunc(a / b)),
  hypot: zip(Math.hypot),
  copysign: zip((a, b) => (b < 0 || Object.is(b, -0) ? -Math.abs(a) : Math.abs(a))),
  xlogy: zip((a, b) => (b !== b ? NaN : a === 0 ? 0 : a * Math.log(b))),
  eq: zip((a, b) => (a === b ? 1 : 0)),
  ne: zip((a, b) => (a !== b ? 1 : 0)),
  lt: zip((a, b) => (a < b ? 1 : 0)),
  le: zip((a, b) => (a <= b ? 1 : 0)),
  gt: zip((a, b) => (a > b ? 1 : 0)),
  ge: zip((a, b) => (a >= b ? 1 : 0)),
  logicalAnd: zip((a, b) => (a !== 0 && b !== 0 ? 1 : 0)),
  logicalOr: zip((a, b) => (a !== 0 || b !== 0 ? 1 : 0)),
  logicalXor: zip((a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0)),
  bitwiseAnd: zip((a, b) => a & b),
  bitwiseOr: zip((a, b) => a | b),
  bitwiseXor: zip((a, b) => a ^ b),
};

const arr = (v: View): Arr => v.storage.data as Arr;

export function unaryKernel(op: UnaryOp, out: View, x: View, params: UnaryParams = {}): void {
  const f = (out.dtype === 'float32' && x.dtype === 'float32' && UNARY_FLOAT32[op]) || UNARY[op];
  const o = arr(out);
  const xa = arr(x);
  const so1 = singleRowStride(out.shape, out.strides);
  const sx1 = singleRowStride(out.shape, x.strides);
  if (so1 !== null && sx1 !== null) {
    f(o, out.offset, so1, xa, x.offset, sx1, numelOf(out.shape), params);
    return;
  }
  const plan = planRows(out.shape, [out.strides, x.strides]);
  const [so, sx] = plan.inner as [number, number];
  // A single row (contiguous or 1-d operands) skips the row walker's closure and arrays.
  if (plan.outerShape.length === 0) f(o, out.offset, so, xa, x.offset, sx, plan.n, params);
  else forEachRow(plan, [out.offset, x.offset], (b) => f(o, b[0]!, so, xa, b[1]!, sx, plan.n, params));
}

export function binaryKernel(op: BinaryOp, out: View, a: View, b: View, alpha = 1): void {
  const o = arr(out);
  const aa = arr(a);
  const ba = arr(b);
  const f = alpha !== 1 && (op === 'add' || op === 'sub') ? scaledAdd(op === 'add' ? alpha : -alpha) : BINARY[op];
  const so1 = singleRowStride(out.shape, out.strides);
  const sa1 = singleRowStride(out.shape, a.strides);
  const sb1 = singleRowStride(out.shape, b.strides);
  if (so1 !== null && sa1 !== null && sb1 !== null) {
    f(o, out.offset, so1, aa, a.offset, sa1, ba, b.offset, sb1, numelOf(out.shape));
    return;
  }
  const plan = planRows(out.shape, [out.strides, a.strides, b.strides]);
  const [so, sa, sb] = plan.inner as [number, number, number];
  const n = plan.n;
  if (plan.outerShape.length === 0) f(o, out.offset, so, aa, a.offset, sa, ba, b.offset, sb, n);
  else forEachRow(plan, [out.offset, a.offset, b.offset], (bs) => f(o, bs[0]!, so, aa, bs[1]!, sa, ba, bs[2]!, sb, n));
}

/** a + alpha * b, the form optimizers use (`p.add_(g, { alpha: -lr })`). */
function scaledAdd(alpha: number): BinaryRow {
  return (o, io, so, a, ia, sa, b, ib, sb, n) => {
    for (let i = 0; i < n; i++, io += so, ia += sa, ib += sb) o[io] = a[ia]! + alpha * b[ib]!;
  };
}

/** The scalar operand as a one-element array, so the binary row loops serve scalar ops too (reused: kernels never nest). */
const SCALAR = new Float64Array(1);

export function binaryScalarKernel(op: BinaryOp, out: View, a: View, scalar: number, reversed: boolean): void {
  const o = arr(out);
  const aa = arr(a);
  const k = ARITHMETIC[op];
  // Whole contiguous tensors, the usual case, are one run: no rows to plan.
  if (k && singleRowStride(out.shape, out.strides) === 1 && singleRowStride(out.shape, a.strides) === 1) {
    const n = numelOf(out.shape);
    if (reversed) k.valueWith(o, out.offset, scalar, aa, a.offset, n);
    else k.withValue(o, out.offset, aa, a.offset, scalar, n);
    return;
  }
  const plan = planRows(out.shape, [out.strides, a.strides]);
  const [so, sa] = plan.inner as [number, number];
  const n = plan.n;
  if (k && so === 1 && sa === 1) {
    const row = reversed
      ? (bs: number[]) => k.valueWith(o, bs[0]!, scalar, aa, bs[1]!, n)
      : (bs: number[]) => k.withValue(o, bs[0]!, aa, bs[1]!, scalar, n);
    forEachRow(plan, [out.offset, a.offset], row);
    return;
  }
  const s = SCALAR;
  s[0] = scalar;
  const f = BINARY[op];
  if (plan.outerShape.length === 0) {
    if (reversed) f(o, out.offset, so, s, 0, 0, aa, a.offset, sa, n);
    else f(o, out.offset, so, aa, a.offset, sa, s, 0, 0, n);
  } else if (reversed) forEachRow(plan, [out.offset, a.offset], (bs) => f(o, bs[0]!, so, s, 0, 0, aa, bs[1]!, sa, n));
  else forEachRow(plan, [out.offset, a.offset], (bs) => f(o, bs[0]!, so, aa, bs[1]!, sa, s, 0, 0, n));
}

export function whereKernel(out: View, cond: View, a: View, b: View): void {
  const o = arr(out);
  const c = arr(cond);
  const aa = arr(a);
  const ba = arr(b);
  const plan = planRows(out.shape, [out.strides, cond.strides, a.strides, b.strides]);
  const [so, sc, sa, sb] = plan.inner as [number, number, number, number];
  const n = plan.n;
  forEachRow(plan, [out.offset, cond.offset, a.offset, b.offset], (bs) => {
    let io = bs[0]!,
      ic = bs[1]!,
      ia = bs[2]!,
      ib = bs[3]!;
    for (let i = 0; i < n; i++, io += so, ic += sc, ia += sa, ib += sb) o[io] = c[ic] ? aa[ia]! : ba[ib]!;
  });
}

export function copyKernel(out: View, x: View): void {
  const o = arr(out);
  const xa = arr(x);
  const toBool = out.dtype === 'bool' && x.dtype !== 'bool';
  const so1 = singleRowStride(out.shape, out.strides);
  const sx1 = singleRowStride(out.shape, x.strides);
  if (so1 !== null && sx1 !== null) {
    copyRow(o, out.offset, so1, xa, x.offset, sx1, numelOf(out.shape), toBool);
    return;
  }
  const plan = planRows(out.shape, [out.strides, x.strides]);
  const [so, sx] = plan.inner as [number, number];
  const n = plan.n;
  if (plan.outerShape.length === 0) copyRow(o, out.offset, so, xa, x.offset, sx, n, toBool);
  else forEachRow(plan, [out.offset, x.offset], (bs) => copyRow(o, bs[0]!, so, xa, bs[1]!, sx, n, toBool));
}

function copyRow(o: Arr, io: number, so: number, x: Arr, ix: number, sx: number, n: number, toBool: boolean): void {
  if (toBool) for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = x[ix] !== 0 ? 1 : 0;
  // Short rows copy element by element: a subarray for set() costs more than it saves.
  else if (so === 1 && sx === 1 && n > 64 && o.constructor === x.constructor) o.set(x.subarray(ix, ix + n) as never, io);
  else for (let i = 0; i < n; i++, io += so, ix += sx) o[io] = x[ix]!;
}

export function fillKernel(out: View, value: number): void {
  const o = arr(out);
  // One contiguous run, or a single element (whatever its stride).
  const total = numelOf(out.shape);
  if (total === 1 || singleRowStride(out.shape, out.strides) === 1) {
    o.fill(value, out.offset, out.offset + total);
    return;
  }
  const plan = planRows(out.shape, [out.strides]);
  const so = plan.inner[0]!;
  const n = plan.n;
  forEachRow(plan, [out.offset], (bs) => {
    if (so === 1) o.fill(value, bs[0]!, bs[0]! + n);
    else for (let i = 0, io = bs[0]!; i < n; i++, io += so) o[io] = value;
  });
}
