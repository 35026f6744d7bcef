import { loadAs, storeAs } from './dtype';
import { beginRows, nextRow, N, P0, P1, P2, D0, D1, S0, S1, S2 } from './iter';

/**
 * Walk over the index's shape with [out, x (stride 0 along dim), indices (float64, already
 * validated and made non-negative by the host)]: out = x[index * step].
 */
export function gather(step: i32): void {
  const rows = beginRows();
  for (let r = 0; r < rows; r++) {
    let po = P0;
    let px = P1;
    let pi = P2;
    for (let i = 0; i < N; i++, po += S0, px += S1, pi += S2) storeAs(po, D0, loadAs(px + <usize>(<i32>load<f64>(pi) * step), D1));
    nextRow();
  }
}

/** Walk over the index's shape with [out (stride 0 along dim), src, indices]: out[index * step] += src. */
export function scatterAdd(step: i32): void {
  const rows = beginRows();
  for (let r = 0; r < rows; r++) {
    let po = P0;
    let ps = P1;
    let pi = P2;
    for (let i = 0; i < N; i++, po += S0, ps += S1, pi += S2) {
      const p = po + <usize>(<i32>load<f64>(pi) * step);
      storeAs(p, D0, loadAs(p, D0) + loadAs(ps, D1));
    }
    nextRow();
  }
}
