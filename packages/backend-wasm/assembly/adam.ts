import { F32, loadAs, storeAs } from './dtype';
import { fmaAs, roundAs } from './fma';
import { beginRows, nextRow, N, P0, P1, P2, P3, D0, S0, S1, S2, S3, SCRATCH } from './iter';
import { mayMisround } from './simd-math';

// One Adam step per element, fused: the same operations, in the same order and with the same
// roundings, as @gd/optim's op-by-op update (lerp_, mul_, addcmul_, sqrt, div_, add_, addcdiv_),
// so the result is bit for bit that of the unfused path.

// The step's scalars, already rounded to the parameter's dtype (set by adam()).
let W1: f64 = 0; // lerp weight 1 - beta1
let OMW1: f64 = 0; // 1 - W1, the weight of lerp's other side
let B2: f64 = 0;
let OMB2: f64 = 0; // addcmul's value 1 - beta2
let BC2: f64 = 0; // sqrt of the second bias correction
let EPS: f64 = 0;
let NEG_STEP: f64 = 0; // addcdiv's value -lr / (1 - beta1^step)

/** PyTorch's two-sided lerp from a to b (exact at both ends). */
// @ts-ignore: decorator
@inline
function lerpAs(dt: i32, a: f64, b: f64): f64 {
  const diff = roundAs(dt, b - a);
  return W1 < 0.5 ? fmaAs(dt, W1, diff, a) : fmaAs(dt, -diff, OMW1, b);
}

/** The update of one element: param at pp, grad at pg, exp_avg at pm, exp_avg_sq at pv. */
// @ts-ignore: decorator
@inline
function stepElement(dt: i32, pp: usize, pg: usize, pm: usize, pv: usize): void {
  const g = loadAs(pg, dt);
  const m = lerpAs(dt, loadAs(pm, dt), g);
  const v = fmaAs(dt, roundAs(dt, OMB2 * g), g, roundAs(dt, loadAs(pv, dt) * B2));
  const denom = roundAs(dt, roundAs(dt, roundAs(dt, Math.sqrt(v)) / BC2) + EPS);
  storeAs(pm, dt, m);
  storeAs(pv, dt, v);
  storeAs(pp, dt, loadAs(pp, dt) + roundAs(dt, roundAs(dt, NEG_STEP * m) / denom));
}

/** Float32 lanes 0, 1 (half 0) or 2, 3 (half 1) of v as float64. */
// @ts-ignore: decorator
@inline
function half(v: v128, h: i32): v128 {
  return f64x2.promote_low_f32x4(h == 0 ? v : i64x2.shuffle(v, v, 1, 0));
}

/** a·b + c for two lanes in float64: the product of float32s is exact, the sum rounds once. */
// @ts-ignore: decorator
@inline
function fmaSum(a: v128, b: v128, c: v128, h: i32): v128 {
  return f64x2.add(f64x2.mul(half(a, h), half(b, h)), half(c, h));
}

/** The float64 lanes lo (0, 1) and hi (2, 3) rounded to float32. */
// @ts-ignore: decorator
@inline
function demote(lo: v128, hi: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/**
 * Adam over the groups of four contiguous float32 elements from the given addresses, up to
 * `groups` of them; returns how many it updated, stopping before the first group it cannot do
 * exactly (left untouched for the caller to do element by element). The two fused multiply-adds
 * are emulated in float64 lanes, whose one rounding is exact unless a sum may misround (a float32
 * tie, or a subnormal result).
 */
function stepGroupsF32x4(pp: usize, pg: usize, pm: usize, pv: usize, groups: i32): i32 {
  return W1 < 0.5 ? stepGroupsLerpF32x4(true, pp, pg, pm, pv, groups) : stepGroupsLerpF32x4(false, pp, pg, pm, pv, groups);
}

/** stepGroupsF32x4 with lerp's side fixed (`fromStart` is a constant where inlined, so the loop holds no branch on it). */
// @ts-ignore: decorator
@inline
function stepGroupsLerpF32x4(fromStart: bool, pp: usize, pg: usize, pm: usize, pv: usize, groups: i32): i32 {
  // lerp as a·b + c: w1·(g - m0) + m0 from the start, or -(g - m0)·(1 - w1) + g from the end.
  const weight = f64x2.splat(fromStart ? W1 : OMW1);
  // The other scalars' splats wait in SCRATCH, read each time as memory operands: held in
  // variables, they crowd the registers and V8 rebuilds them from spilled float64s every group.
  const splats = SCRATCH;
  v128.store(splats, f32x4.splat(<f32>OMB2));
  v128.store(splats, f32x4.splat(<f32>B2), 16);
  v128.store(splats, f32x4.splat(<f32>BC2), 32);
  v128.store(splats, f32x4.splat(<f32>EPS), 48);
  v128.store(splats, f32x4.splat(<f32>NEG_STEP), 64);
  for (let k = 0; k < groups; k++, pp += 16, pg += 16, pm += 16, pv += 16) {
    const omb2 = v128.load(splats);
    const b2 = v128.load(splats, 16);
    const bc2 = v128.load(splats, 32);
    const eps = v128.load(splats, 48);
    const negStep = v128.load(splats, 64);
    const g = v128.load(pg);
    const m0 = v128.load(pm);
    const diff = f32x4.sub(g, m0);
    const lb = fromStart ? diff : f32x4.neg(diff);
    const lc = fromStart ? m0 : g;
    const mLo = f64x2.add(f64x2.mul(weight, half(lb, 0)), half(lc, 0));
    const mHi = f64x2.add(f64x2.mul(weight, half(lb, 1)), half(lc, 1));
    const va = f32x4.mul(omb2, g);
    const vc = f32x4.mul(v128.load(pv), b2);
    const vLo = fmaSum(va, g, vc, 0);
    const vHi = fmaSum(va, g, vc, 1);
    if (v128.any_true(v128.or(v128.or(mayMisround(mLo), mayMisround(mHi)), v128.or(mayMisround(vLo), mayMisround(vHi))))) return k;
    const m = demote(mLo, mHi);
    const v = demote(vLo, vHi);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(v), bc2), eps);
    v128.store(pm, m);
    v128.store(pv, v);
    v128.store(pp, f32x4.add(v128.load(pp), f32x4.div(f32x4.mul(negStep, m), denom)));
  }
  return groups;
}

/**
 * Walk over [param, grad, exp_avg, exp_avg_sq] (one float dtype): Adam's update in place, from
 * beta1, beta2, the square root of the second bias correction, eps and the step size.
 */
export function adam(beta1: f64, beta2: f64, biasCorrection2Sqrt: f64, eps: f64, stepSize: f64): void {
  const rows = beginRows();
  const dt = D0;
  W1 = roundAs(dt, 1 - beta1);
  OMW1 = roundAs(dt, 1 - W1);
  B2 = roundAs(dt, beta2);
  OMB2 = roundAs(dt, 1 - beta2);
  BC2 = roundAs(dt, biasCorrection2Sqrt);
  EPS = roundAs(dt, eps);
  NEG_STEP = roundAs(dt, -stepSize);
  for (let r = 0; r < rows; r++) {
    let pp = P0, pg = P1, pm = P2, pv = P3;
    let i = 0;
    if (ASC_FEATURE_SIMD && dt == F32 && S0 == 4 && S1 == 4 && S2 == 4 && S3 == 4) {
      const groups = N >> 2;
      for (let done = 0; done < groups; ) {
        const at = <usize>done << 4;
        done += stepGroupsF32x4(pp + at, pg + at, pm + at, pv + at, groups - done);
        if (done == groups) break;
        const stop = <usize>done << 4;
        for (let j: usize = 0; j < 16; j += 4) stepElement(F32, pp + stop + j, pg + stop + j, pm + stop + j, pv + stop + j);
        done++;
      }
      i = groups << 2;
      const past = <usize>i << 2;
      pp += past;
      pg += past;
      pm += past;
      pv += past;
    }
    for (; i < N; i++, pp += S0, pg += S1, pm += S2, pv += S3) stepElement(dt, pp, pg, pm, pv);
    nextRow();
  }
}
