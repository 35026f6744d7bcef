import { F32, F64, loadAs, storeAs } from './dtype';
import { beginRows, nextRow, N, P0, P1, P2, P3, D0, D1, D2, D3, S0, S1, S2, S3 } from './iter';

// a * b + c with a single rounding, as PyTorch's CPU kernels (built with FMA contraction) compute
// addcmul and lerp; the same emulations as @gd/tensor's fused-multiply-add.ts.

/** The float32 one step away from x (a float32) toward +Infinity (up) or -Infinity. */
function stepFloat32(x: f64, up: bool): f64 {
  if (x == 0) {
    const tiny = <f64>reinterpret<f32>(<u32>1);
    return up ? tiny : -tiny;
  }
  const bits = reinterpret<u32>(<f32>x);
  return <f64>reinterpret<f32>(x > 0 == up ? bits + 1 : bits - 1);
}

/** Float32 fma: a·b of two float32s is exact in a double; only a double landing on a float32 tie can misround. */
export function fmaF32(a: f64, b: f64, c: f64): f64 {
  const p = a * b;
  const s = p + c;
  const r = <f64><f32>s;
  if (r == s || !isFinite(s)) return r;
  const cPart = s - p;
  const err = p - (s - cPart) + (c - cPart);
  if (err == 0) return r;
  const other = stepFloat32(r, s > r);
  if ((r + other) / 2 != s) return r;
  return err > 0 == other > r ? other : r;
}

/** Float64 fma by Boldo and Melquiond's emulation: RN(hi + RO(lo terms)). */
function fmaF64(a: f64, b: f64, c: f64): f64 {
  // p + pl = a·b exactly (Dekker's product, Veltkamp splitting).
  const p = a * b;
  if (!isFinite(p)) return p + c;
  let t = 134217729.0 * a;
  const aHi = t - (t - a);
  const aLo = a - aHi;
  t = 134217729.0 * b;
  const bHi = t - (t - b);
  const bLo = b - bHi;
  const pl = aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo;
  // sh + sl = c + p exactly (TwoSum).
  const sh = c + p;
  let v = sh - c;
  const sl = c - (sh - v) + (p - v);
  // sl + pl rounded to odd.
  let s = sl + pl;
  v = s - sl;
  const e = sl - (s - v) + (pl - v);
  if (e != 0 && isFinite(s)) {
    const bits = reinterpret<u64>(s);
    if ((bits & 1) == 0) s = reinterpret<f64>(e > 0 == s > 0 ? bits + 1 : bits - 1);
  }
  return sh + s;
}

// @ts-ignore: decorator
@inline
export function fmaAs(dtype: i32, a: f64, b: f64, c: f64): f64 {
  return dtype == F32 ? fmaF32(a, b, c) : dtype == F64 ? fmaF64(a, b, c) : a * b + c;
}

// @ts-ignore: decorator
@inline
export function roundAs(dtype: i32, v: f64): f64 {
  return dtype == F32 ? <f64><f32>v : v;
}

/** Walk over [out, self, t1, t2]: out = fma(value·t1, t2, self). */
export function addcmul(value: f64): void {
  const rows = beginRows();
  const dt = D0;
  for (let r = 0; r < rows; r++) {
    let po = P0, ps = P1, p1 = P2, p2 = P3;
    for (let i = 0; i < N; i++, po += S0, ps += S1, p1 += S2, p2 += S3)
      storeAs(po, dt, fmaAs(dt, roundAs(dt, value * loadAs(p1, D2)), loadAs(p2, D3), loadAs(ps, D1)));
    nextRow();
  }
}

/**
 * Walk over [out, self, end, weight]: PyTorch's two-sided lerp, exact at weight 0 and 1. With
 * `scalarWeight` the weight is `w` (operand 3 unused).
 */
export function lerp(scalarWeight: bool, w: f64): void {
  const rows = beginRows();
  const dt = D0;
  for (let r = 0; r < rows; r++) {
    let po = P0, ps = P1, pe = P2, pw = P3;
    for (let i = 0; i < N; i++, po += S0, ps += S1, pe += S2, pw += S3) {
      const a = loadAs(ps, D1);
      const b = loadAs(pe, D2);
      const weight = scalarWeight ? w : loadAs(pw, D3);
      const diff = roundAs(dt, b - a);
      storeAs(po, dt, Math.abs(weight) < 0.5 ? fmaAs(dt, weight, diff, a) : fmaAs(dt, -diff, roundAs(dt, 1 - weight), b));
    }
    nextRow();
  }
}
