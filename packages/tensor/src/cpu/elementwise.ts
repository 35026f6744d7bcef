import type { BinaryOp, UnaryOp, UnaryParams, View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { erf, erfc, erfinv, pyRemainder, roundHalfEven, sigmoid, softplus } from './math.js';
import { expf, expfRun, expfUnrounded, expm1f, log1pf, logf, tanhf } from './sleef-float32.js';
import { numelOf } from '../shape.js';
import { forEachRow, planRows, RUN_CHUNK, singleRowStride } from './strided.js';

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
 * The arithmetic ops' loops over contiguous runs. A run's operands share one index (runs at
 * different offsets are rebased with subarrays), unrolled by sixteen: V8 (up to Node 20) checks
 * every index sum for overflow and re-checks each typed array once per loop iteration, so one
 * index for all operands and long iterations pay both less often (1.4x faster than separate
 * indices unrolled by four).
 */
interface Arithmetic {
  /** o[p] = a[p] op b[p] for p in [from, to). */
  dense(o: Arr, a: Arr, b: Arr, from: number, to: number): void;
  /** o[p] = a[p] op v: v a scalar, or an operand broadcast along the run (stride 0). */
  withValue(o: Arr, a: Arr, v: number, from: number, to: number): void;
  /** o[p] = v op b[p]. */
  valueWith(o: Arr, v: number, b: Arr, from: number, to: number): void;
  /** Any strides. */
  strided: BinaryRow;
  /** The v with a op v = a exactly (-0 and NaN included), and the v with v op a = a, if any (1 for mul). */
  rightIdentity?: number;
  leftIdentity?: number;
}

/** Shorter runs at different offsets take the strided loop: subarrays would cost more than they save. */
const MIN_REBASED_RUN = 256;

/** o = a op b over contiguous runs of n. */
function denseRun(k: Arithmetic, o: Arr, io: number, a: Arr, ia: number, b: Arr, ib: number, n: number): void {
  if (io !== ia || io !== ib) {
    if (n < MIN_REBASED_RUN) {
      k.strided(o, io, 1, a, ia, 1, b, ib, 1, n);
      return;
    }
    o = o.subarray(io, io + n);
    a = a.subarray(ia, ia + n);
    b = b.subarray(ib, ib + n);
    io = 0;
  }
  const end = io + n;
  for (let p = io; p < end; p += RUN_CHUNK) k.dense(o, a, b, p, Math.min(p + RUN_CHUNK, end));
}

/** The scalar operand as a one-element array, so the binary row loops serve scalar ops too (reused: kernels never nest). */
const SCALAR = new Float64Array(1);

/** o = a op v over contiguous runs of n (o = v op a if `reversed`). */
function valueRun(k: Arithmetic, o: Arr, io: number, a: Arr, ia: number, v: number, n: number, reversed: boolean): void {
  if (io !== ia && n < MIN_REBASED_RUN) {
    SCALAR[0] = v;
    if (reversed) k.strided(o, io, 1, SCALAR, 0, 0, a, ia, 1, n);
    else k.strided(o, io, 1, a, ia, 1, SCALAR, 0, 0, n);
    return;
  }
  // an identity (the broadcast ones a sum's gradient starts from, times x) is a bulk copy; n first:
  // comparing v with an absent identity (undefined) is a generic StrictEqual call in optimized code
  if (n > 64 && v === (reversed ? k.leftIdentity : k.rightIdentity) && o.constructor === a.constructor) {
    if (o !== a || io !== ia) o.set(a.subarray(ia, ia + n) as never, io);
    return;
  }
  if (io !== ia) {
    o = o.subarray(io, io + n);
    a = a.subarray(ia, ia + n);
    io = 0;
  }
  const end = io + n;
  for (let p = io; p < end; p += RUN_CHUNK) {
    if (reversed) k.valueWith(o, v, a, p, Math.min(p + RUN_CHUNK, end));
    else k.withValue(o, a, v, p, Math.min(p + RUN_CHUNK, end));
  }
}

function arithmeticRow(k: Arithmetic): BinaryRow {
  return (o, io, so, a, ia, sa, b, ib, sb, n) => {
    if (so !== 1) k.strided(o, io, so, a, ia, sa, b, ib, sb, n);
    else if (sa === 1 && sb === 1) denseRun(k, o, io, a, ia, b, ib, n);
    else if (sa === 1 && sb === 0) valueRun(k, o, io, a, ia, b[ib]!, n, false);
    else if (sa === 0 && sb === 1) valueRun(k, o, io, b, ib, a[ia]!, n, true);
    else k.strided(o, io, so, a, ia, sa, b, ib, sb, n);
  };
}

// biome-ignore format: the unrolled statements read best four to a line
const ADD: Arithmetic = {
  dense(o, a, b, from, to) {
    let p = from;
    for (const end = to - 15; p < end; p += 16) {
      o[p] = a[p]! + b[p]!; o[p + 1] = a[p + 1]! + b[p + 1]!; o[p + 2] = a[p + 2]! + b[p + 2]!; o[p + 3] = a[p + 3]! + b[p + 3]!;
      o[p + 4] = a[p + 4]! + b[p + 4]!; o[p + 5] = a[p + 5]! + b[p + 5]!; o[p + 6] = a[p + 6]! + b[p + 6]!; o[p + 7] = a[p + 7]! + b[p + 7]!;
      o[p + 8] = a[p + 8]! + b[p + 8]!; o[p + 9] = a[p + 9]! + b[p + 9]!; o[p + 10] = a[p + 10]! + b[p + 10]!; o[p + 11] = a[p + 11]! + b[p + 11]!;
      o[p + 12] = a[p + 12]! + b[p + 12]!; o[p + 13] = a[p + 13]! + b[p + 13]!; o[p + 14] = a[p + 14]! + b[p + 14]!; o[p + 15] = a[p + 15]! + b[p + 15]!;
    }
    for (; p < to; p++) o[p] = a[p]! + b[p]!;
  },
  withValue(o, a, v, from, to) {
    let p = from;
    for (const end = to - 15; p < end; p += 16) {
      o[p] = a[p]! + v; o[p + 1] = a[p + 1]! + v; o[p + 2] = a[p + 2]! + v; o[p + 3] = a[p + 3]! + v;
      o[p + 4] = a[p + 4]! + v; o[p + 5] = a[p + 5]! + v; o[p + 6] = a[p + 6]! + v; o[p + 7] = a[p + 7]! + v;
      o[p + 8] = a[p + 8]! + v; o[p + 9] = a[p + 9]! + v; o[p + 10] = a[p + 10]! + v; o[p + 11] = a[p + 11]! + v;
      o[p + 12] = a[p + 12]! + v; o[p + 13] = a[p + 13]! + v; o[p + 14] = a[p + 14]! + v; o[p + 15] = a[p + 15]! + v;
    }
    for (; p < to; p++) o[p] = a[p]! + v;
  },
  valueWith: (o, v, b, from, to) => ADD.withValue(o, b, v, from, to),
  strided(o, io, so, a, ia, sa, b, ib, sb, n) {
    for (let i = 0; i < n; i++, io += so, ia += sa, ib += sb) o[io] = a[ia]! + b[ib]!;
  },
};

// biome-ignore format: the unrolled statements read best four to a line
const SUB: Arithmetic = {
  dense(o, a, b, from, to) {
    let p = from;
    for (const end = to - 15; p < end; p += 16) {
      o[p] = a[p]! - b[p]!; o[p + 1] = a[p + 1]! - b[p + 1]!; o[p + 2] = a[p + 2]! - b[p + 2]!; o[p + 3] = a[p + 3]! - b[p + 3]!;
      o[p + 4] = a[p + 4]! - b[p + 4]!; o[p + 5] = a[p + 5]! - b[p + 5]!; o[p + 6] = a[p + 6]! - b[p + 6]!; o[p + 7] = a[p + 7]! - b[p + 7]!;
      o[p + 8] = a[p + 8]! - b[p + 8]!; o[p + 9] = a[p + 9]! - b[p + 9]!; o[p + 10] = a[p + 10]! - b[p + 10]!; o[p + 11] = a[p + 11]! - b[p + 11]!;
      o[p + 12] = a[p + 12]! - b[p + 12]!; o[p + 13] = a[p + 13]! - b[p + 13]!; o[p + 14] = a[p + 14]! - b[p + 14]!; o[p + 15] = a[p + 15]! - b[p + 15]!;
    }
    for (; p < to; p++) o[p] = a[p]! - b[p]!;
  },
  withValue(o, a, v, from, to) {
    let p = from;
    for (const end = to - 15; p < end; p += 16) {
      o[p] = a[p]! - v; o[p + 1] = a[p + 1]! - v; o[p + 2] = a[p + 2]! - v; o[p + 3] = a[p + 3]! - v;
      o[p + 4] = a[p + 4]! - v; o[p + 5] = a[p + 5]! - v; o[p + 6] = a[p + 6]! - v; o[p + 7] = a[p + 7]! - v;
      o[p + 8] = a[p + 8]! - v; o[p + 9] = a[p + 9]! - v; o[p + 10] = a[p + 10]! - v; o[p + 11] = a[p + 11]! - v;
      o[p + 12] = a[p + 12]! - v; o[p + 13] = a[p + 13]! - v; o[p + 14] = a[p + 14]! - v; o[p + 15] = a[p + 15]! - v;
    }
    for (; p < to; p++) o[p] = a[p]! - v;
  },
  valueWith(o, v, b, from, to) {
    let p = from;
    for (const end = to - 15; p < end; p += 16) {
      o[p] = v - b[p]!; o[p + 1] = v - b[p + 1]!; o[p + 2] = v - b[p + 2]!; o[p + 3] = v - b[p + 3]!;
      o[p + 4] = v - b[p + 4]!; o[p + 5] = v - b[p + 5]!; o[p + 6] = v - b[p + 6]!; o[p + 7] = v - b[p + 7]!;
      o[p + 8] = v - b[p + 8]!; o[p + 9] = v - b[p + 9]!; o[p + 10] = v - b[p + 10]!; o[p + 11] = v - b[p + 11]!;
      o[p + 12] = v - b[p + 12]!; o[p + 13] = v - b[p + 13]!; o[p + 14] = v - b[p + 14]!; o[p + 15] = v - b[p + 15]!;
    }
    for (; p < to; p++) o[p] = v - b[p]!;
  },
  strided(o, io, so, a, ia, sa, b, ib, sb, n) {
    for (let i = 0; i < n; i++, io += so, ia += sa, ib += sb) o[io] = a[ia]! - b[ib]!;
  },
};

// biome-ignore format: the unrolled statements read best four to a line
const MUL: Arithmetic = {
  dense(o, a, b, from, to) {
    let p = from;
    for (const end = to - 15; p < end; p += 16) {
      o[p] = a[p]! * b[p]!; o[p + 1] = a[p + 1]! * b[p + 1]!; o[p + 2] = a[p + 2]! * b[p + 2]!; o[p + 3] = a[p + 3]! * b[p + 3]!;
      o[p + 4] = a[p + 4]! * b[p + 4]!; o[p + 5] = a[p + 5]! * b[p + 5]!; o[p + 6] = a[p + 6]! * b[p + 6]!; o[p + 7] = a[p + 7]! * b[p + 7]!;
      o[p + 8] = a[p + 8]! * b[p + 8]!; o[p + 9] = a[p + 9]! * b[p + 9]!; o[p + 10] = a[p + 10]! * b[p + 10]!; o[p + 11] = a[p + 11]! * b[p + 11]!;
      o[p + 12] = a[p + 12]! * b[p + 12]!; o[p + 13] = a[p + 13]! * b[p + 13]!; o[p + 14] = a[p + 14]! * b[p + 14]!; o[p + 15] = a[p + 15]! * b[p + 15]!;
    }
    for (; p < to; p++) o[p] = a[p]! * b[p]!;
  },
  withValue(o, a, v, from, to) {
    let p = from;
    for (const end = to - 15; p < end; p += 16) {
      o[p] = a[p]! * v; o[p + 1] = a[p + 1]! * v; o[p + 2] = a[p + 2]! * v; o[p + 3] = a[p + 3]! * v;
      o[p + 4] = a[p + 4]! * v; o[p + 5] = a[p + 5]! * v; o[p + 6] = a[p + 6]! * v; o[p + 7] = a[p + 7]! * v;
      o[p + 8] = a[p + 8]! * v; o[p + 9] = a[p + 9]! * v; o[p + 10] = a[p + 10]! * v; o[p + 11] = a[p + 11]! * v;
      o[p + 12] = a[p + 12]! * v; o[p + 13] = a[p + 13]! * v; o[p + 14] = a[p + 14]! * v; o[p + 15] = a[p + 15]! * v;
    }
    for (; p < to; p++) o[p] = a[p]! * v;
  },
  valueWith: (o, v, b, from, to) => MUL.withValue(o, b, v, from, to),
  strided(o, io, so, a, ia, sa, b, ib, sb, n) {
    for (let i = 0; i < n; i++, io += so, ia += sa, ib += sb) o[io] = a[ia]! * b[ib]!;
  },
  rightIdentity: 1,
  leftIdentity: 1,
};

// biome-ignore format: the unrolled statements read best four to a line
const DIV: Arithmetic = {
  dense(o, a, b, from, to) {
    let p = from;
    for (const end = to - 15; p < end; p += 16) {
      o[p] = a[p]! / b[p]!; o[p + 1] = a[p + 1]! / b[p + 1]!; o[p + 2] = a[p + 2]! / b[p + 2]!; o[p + 3] = a[p + 3]! / b[p + 3]!;
      o[p + 4] = a[p + 4]! / b[p + 4]!; o[p + 5] = a[p + 5]! / b[p + 5]!; o[p + 6] = a[p + 6]! / b[p + 6]!; o[p + 7] = a[p + 7]! / b[p + 7]!;
      o[p + 8] = a[p + 8]! / b[p + 8]!; o[p + 9] = a[p + 9]! / b[p + 9]!; o[p + 10] = a[p + 10]! / b[p + 10]!; o[p + 11] = a[p + 11]! / b[p + 11]!;
      o[p + 12] = a[p + 12]! / b[p + 12]!; o[p + 13] = a[p + 13]! / b[p + 13]!; o[p + 14] = a[p + 14]! / b[p + 14]!; o[p + 15] = a[p + 15]! / b[p + 15]!;
    }
    for (; p < to; p++) o[p] = a[p]! / b[p]!;
  },
  withValue(o, a, v, from, to) {
    let p = from;
    for (const end = to - 15; p < end; p += 16) {
      o[p] = a[p]! / v; o[p + 1] = a[p + 1]! / v; o[p + 2] = a[p + 2]! / v; o[p + 3] = a[p + 3]! / v;
      o[p + 4] = a[p + 4]! / v; o[p + 5] = a[p + 5]! / v; o[p + 6] = a[p + 6]! / v; o[p + 7] = a[p + 7]! / v;
      o[p + 8] = a[p + 8]! / v; o[p + 9] = a[p + 9]! / v; o[p + 10] = a[p + 10]! / v; o[p + 11] = a[p + 11]! / v;
      o[p + 12] = a[p + 12]! / v; o[p + 13] = a[p + 13]! / v; o[p + 14] = a[p + 14]! / v; o[p + 15] = a[p + 15]! / v;
    }
    for (; p < to; p++) o[p] = a[p]! / v;
  },
  valueWith(o, v, b, from, to) {
    let p = from;
    for (const end = to - 15; p < end; p += 16) {
      o[p] = v / b[p]!; o[p + 1] = v / b[p + 1]!; o[p + 2] = v / b[p + 2]!; o[p + 3] = v / b[p + 3]!;
      o[p + 4] = v / b[p + 4]!; o[p + 5] = v / b[p + 5]!; o[p + 6] = v / b[p + 6]!; o[p + 7] = v / b[p + 7]!;
      o[p + 8] = v / b[p + 8]!; o[p + 9] = v / b[p + 9]!; o[p + 10] = v / b[p + 10]!; o[p + 11] = v / b[p + 11]!;
      o[p + 12] = v / b[p + 12]!; o[p + 13] = v / b[p + 13]!; o[p + 14] = v / b[p + 14]!; o[p + 15] = v / b[p + 15]!;
    }
    for (; p < to; p++) o[p] = v / b[p]!;
  },
  strided(o, io, so, a, ia, sa, b, ib, sb, n) {
    for (let i = 0; i < n; i++, io += so, ia += sa, ib += sb) o[io] = a[ia]! / b[ib]!;
  },
  rightIdentity: 1,
};

/**
 * The arithmetic of `op`, if it is one of the four. A switch: a lookup by op name in a table is a
 * megamorphic keyed load (the op varies per call), which showed in small-op loops.
 */
function arithmeticOf(op: BinaryOp): Arithmetic | undefined {
  switch (op) {
    case 'add':
      return ADD;
    case 'sub':
      return SUB;
    case 'mul':
      return MUL;
    case 'div':
      return DIV;
    default:
      return undefined;
  }
}

const ADD_ROW = arithmeticRow(ADD);
const SUB_ROW = arithmeticRow(SUB);
const MUL_ROW = arithmeticRow(MUL);
const DIV_ROW = arithmeticRow(DIV);

/** The row function of `op` (a switch for the frequent ones, see arithmeticOf). */
function binaryRow(op: BinaryOp): BinaryRow {
  switch (op) {
    case 'add':
      return ADD_ROW;
    case 'sub':
      return SUB_ROW;
    case 'mul':
      return MUL_ROW;
    case 'div':
      return DIV_ROW;
    default:
      return BINARY[op];
  }
}

const BINARY: Record<BinaryOp, BinaryRow> = {
  add: ADD_ROW,
  sub: SUB_ROW,
  mul: MUL_ROW,
  div: DIV_ROW,
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
  const f = alpha !== 1 && (op === 'add' || op === 'sub') ? scaledAdd(op === 'add' ? alpha : -alpha) : binaryRow(op);
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

export function binaryScalarKernel(op: BinaryOp, out: View, a: View, scalar: number, reversed: boolean): void {
  const o = arr(out);
  const aa = arr(a);
  const k = arithmeticOf(op);
  // Whole contiguous tensors, the usual case, are one run: no rows to plan.
  if (k && singleRowStride(out.shape, out.strides) === 1 && singleRowStride(out.shape, a.strides) === 1) {
    valueRun(k, o, out.offset, aa, a.offset, scalar, numelOf(out.shape), reversed);
    return;
  }
  const plan = planRows(out.shape, [out.strides, a.strides]);
  const [so, sa] = plan.inner as [number, number];
  const n = plan.n;
  if (k && so === 1 && sa === 1) {
    forEachRow(plan, [out.offset, a.offset], (bs) => valueRun(k, o, bs[0]!, aa, bs[1]!, scalar, n, reversed));
    return;
  }
  const s = SCALAR;
  s[0] = scalar;
  const f = binaryRow(op);
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

/** Runs up to this long are filled by a loop rather than TypedArray.prototype.fill (see fillKernel). */
const SHORT_FILL = 32;

export function fillKernel(out: View, value: number): void {
  const o = arr(out);
  // One contiguous run, or a single element (whatever its stride).
  const total = numelOf(out.shape);
  if (total === 1 || singleRowStride(out.shape, out.strides) === 1) {
    // A short run by a loop: TypedArray.prototype.fill is a C++ call (zero_ of a small gradient).
    if (total <= SHORT_FILL) for (let i = out.offset, end = out.offset + total; i < end; i++) o[i] = value;
    else o.fill(value, out.offset, out.offset + total);
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
