import { loadAs, storeAs } from './dtype';
import { beginRows, nextRow, N, P0, P1, P2, D0, D1, D2, S0, S1, S2 } from './iter';

// @ts-ignore: decorator
@inline
function before(a: f64, b: f64, descending: bool): bool {
  // NaN sorts above every number, as in PyTorch.
  if (a != a) return descending && b == b;
  if (b != b) return !descending;
  return descending ? a > b : a < b;
}

/**
 * Per line over [values, indices, x]: a stable sort along `size` steps (byte steps sv, si, sx).
 * `scratch` holds size float64 keys then two int32 orders of size entries.
 */
export function sort(size: i32, sv: i32, si: i32, sx: i32, descending: bool, scratch: usize): void {
  const keys = scratch;
  let order = scratch + (<usize>size << 3);
  let tmp = order + (<usize>size << 2);
  const rows = beginRows();
  for (let r = 0; r < rows; r++) {
    let lv = P0;
    let li = P1;
    let lx = P2;
    for (let l = 0; l < N; l++, lv += S0, li += S1, lx += S2) {
      for (let k = 0; k < size; k++) {
        store<f64>(keys + (<usize>k << 3), loadAs(lx + <usize>(k * sx), D2));
        store<i32>(order + (<usize>k << 2), k);
      }
      // Bottom-up merge sort: stable, O(n log n).
      for (let width = 1; width < size; width <<= 1) {
        for (let lo = 0; lo < size; lo += width << 1) {
          const mid = min(lo + width, size);
          const hi = min(lo + (width << 1), size);
          let i = lo;
          let j = mid;
          let o = lo;
          while (i < mid && j < hi) {
            const oi = load<i32>(order + (<usize>i << 2));
            const oj = load<i32>(order + (<usize>j << 2));
            if (before(load<f64>(keys + (<usize>oj << 3)), load<f64>(keys + (<usize>oi << 3)), descending)) {
              store<i32>(tmp + (<usize>o << 2), oj);
              j++;
            } else {
              store<i32>(tmp + (<usize>o << 2), oi);
              i++;
            }
            o++;
          }
          for (; i < mid; i++, o++) store<i32>(tmp + (<usize>o << 2), load<i32>(order + (<usize>i << 2)));
          for (; j < hi; j++, o++) store<i32>(tmp + (<usize>o << 2), load<i32>(order + (<usize>j << 2)));
        }
        const t = order;
        order = tmp;
        tmp = t;
      }
      for (let k = 0; k < size; k++) {
        const src = load<i32>(order + (<usize>k << 2));
        storeAs(lv + <usize>(k * sv), D0, load<f64>(keys + (<usize>src << 3)));
        storeAs(li + <usize>(k * si), D1, <f64>src);
      }
    }
    nextRow();
  }
}
