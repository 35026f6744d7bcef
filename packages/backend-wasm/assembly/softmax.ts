import { F32, loadAs, storeAs } from './dtype';
import { beginRows, nextRow, N, P0, P1, D0, S0, S1 } from './iter';
import { expF32x4 } from './simd-math';

/**
 * Per line over [out, x] (a float dtype, the same for both): softmax or log-softmax along `size`
 * steps (byte steps so, sx), in the cpu backend's order: m = max (NaN wins), shifted = x - m,
 * e = exp(shifted), s = Σe (float64, then rounded to the dtype); softmax = e / s, log-softmax =
 * shifted - log(s). Values pass through the dtype at each step, as the composed kernels store them.
 */
export function softmax(isLog: bool, size: i32, so: i32, sx: i32): void {
  const rows = beginRows();
  const dt = D0;
  for (let r = 0; r < rows; r++) {
    let lo = P0;
    let lx = P1;
    for (let l = 0; l < N; l++, lo += S0, lx += S1) {
      if (ASC_FEATURE_SIMD && dt == F32 && so == 4 && sx == 4) {
        softmaxLineF32x4(isLog, lo, lx, size);
        continue;
      }
      let m = -Infinity;
      let px = lx;
      for (let k = 0; k < size; k++, px += sx) {
        const v = loadAs(px, dt);
        if (v > m || v != v) m = v;
      }
      // out = exp(x - m), summed in float64.
      let s = 0.0;
      px = lx;
      let po = lo;
      for (let k = 0; k < size; k++, px += sx, po += so) {
        storeAs(po, dt, loadAs(px, dt) - m);
        storeAs(po, dt, Math.exp(loadAs(po, dt)));
        s += loadAs(po, dt);
      }
      s = dt == F32 ? <f64><f32>s : s;
      po = lo;
      px = lx;
      if (isLog) {
        const ls = dt == F32 ? <f64><f32>Math.log(s) : Math.log(s);
        for (let k = 0; k < size; k++, px += sx, po += so) {
          const shifted = dt == F32 ? <f64><f32>(loadAs(px, dt) - m) : loadAs(px, dt) - m;
          storeAs(po, dt, shifted - ls);
        }
      } else for (let k = 0; k < size; k++, po += so) storeAs(po, dt, loadAs(po, dt) / s);
    }
    nextRow();
  }
}

/** A contiguous float32 line: the same steps as above, four lanes at a time. */
function softmaxLineF32x4(isLog: bool, po: usize, px: usize, size: i32): void {
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
    const vls = f32x4.splat(<f32>Math.log(<f64>sum));
    for (let i = 0; i < end; i += 4) {
      const off = <usize>i << 2;
      v128.store(po + off, f32x4.sub(f32x4.sub(v128.load(px + off), vmax), vls));
    }
    const ls = <f32>Math.log(<f64>sum);
    for (let i = end; i < size; i++) store<f32>(po + (<usize>i << 2), load<f32>(px + (<usize>i << 2)) - m - ls);
  } else {
    const vs = f32x4.splat(sum);
    for (let i = 0; i < end; i += 4) v128.store(po + (<usize>i << 2), f32x4.div(v128.load(po + (<usize>i << 2)), vs));
    for (let i = end; i < size; i++) store<f32>(po + (<usize>i << 2), load<f32>(po + (<usize>i << 2)) / sum);
  }
}
