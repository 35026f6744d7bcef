import { F32, loadAs, storeAs } from './dtype';
import { beginRows, nextRow, N, P0, P1, D0, S0, S1 } from './iter';
import { softmaxLineF32x4 } from './simd-math';

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

