import { F32, loadAs, storeAs } from './dtype';
import { beginRows, nextRow, N, P0, P1, P2, D0, D1, D2, S0, S1, S2 } from './iter';

// Reduce op codes: the order of ReduceOp in @gd/tensor's backend.ts.
export const enum Reduce { sum, prod, amax, amin, all, any, nansum }

/**
 * Operand 0 is a float64 accumulator (already holding the op's identity) laid over x's shape with
 * stride 0 along the reduced dims; operand 1 is x. Accumulating in float64 matches the cpu backend.
 */
export function reduce(op: i32): void {
  const rows = beginRows();
  for (let r = 0; r < rows; r++) {
    if (S0 == 0) reduceRowToOne(op, P0, P1, S1, D1, N);
    else reduceRowElementwise(op, P0, S0, P1, S1, D1, N);
    nextRow();
  }
}

function reduceRowToOne(op: i32, pa: usize, px: usize, sx: i32, dx: i32, n: i32): void {
  let acc = load<f64>(pa);
  let i = 0;
  if (ASC_FEATURE_SIMD && dx == F32 && sx == 4) {
    if (op == Reduce.sum) {
      acc += sumF32x4(px, n);
      i = n & ~3;
    } else if (op == Reduce.amax || op == Reduce.amin) {
      acc = extremeF32x4(op == Reduce.amax, acc, px, n);
      i = n & ~3;
    }
    px += <usize>(i << 2);
  }
  switch (op) {
    case Reduce.sum: for (; i < n; i++, px += sx) acc += loadAs(px, dx); break;
    case Reduce.nansum: for (; i < n; i++, px += sx) { const v = loadAs(px, dx); if (v == v) acc += v; } break;
    case Reduce.prod: for (; i < n; i++, px += sx) acc *= loadAs(px, dx); break;
    case Reduce.amax: for (; i < n; i++, px += sx) { const v = loadAs(px, dx); if (v > acc || v != v) acc = v; } break;
    case Reduce.amin: for (; i < n; i++, px += sx) { const v = loadAs(px, dx); if (v < acc || v != v) acc = v; } break;
    case Reduce.all: for (; i < n; i++, px += sx) if (loadAs(px, dx) == 0) acc = 0; break;
    case Reduce.any: for (; i < n; i++, px += sx) if (loadAs(px, dx) != 0) acc = 1; break;
  }
  store<f64>(pa, acc);
}

function reduceRowElementwise(op: i32, pa: usize, sa: i32, px: usize, sx: i32, dx: i32, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD && op == Reduce.sum && dx == F32 && sx == 4 && sa == 8) {
    // A sum over an outer dim: acc[i] += x[i] across contiguous rows, two float64 lanes at a time.
    i = accumulateF32x4(pa, px, n);
    pa += <usize>(i << 3);
    px += <usize>(i << 2);
  }
  for (; i < n; i++, pa += sa, px += sx) {
    const v = loadAs(px, dx);
    const acc = load<f64>(pa);
    let r = acc;
    switch (op) {
      case Reduce.sum: r = acc + v; break;
      case Reduce.nansum: if (v == v) r = acc + v; break;
      case Reduce.prod: r = acc * v; break;
      case Reduce.amax: if (v > acc || v != v) r = v; break;
      case Reduce.amin: if (v < acc || v != v) r = v; break;
      case Reduce.all: if (v == 0) r = 0; break;
      case Reduce.any: if (v != 0) r = 1; break;
    }
    store<f64>(pa, r);
  }
}

/** Sum of the first n & ~3 float32s, accumulated in float64 lanes. */
function sumF32x4(px: usize, n: i32): f64 {
  const end = n & ~3;
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  for (let i = 0; i < end; i += 4) {
    const v = v128.load(px + (<usize>i << 2));
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)));
  }
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** acc[i] += x[i] (float64 acc, float32 x) over the first n & ~3 elements; returns that count. */
function accumulateF32x4(pa: usize, px: usize, n: i32): i32 {
  const end = n & ~3;
  for (let i = 0; i < end; i += 4) {
    const v = v128.load(px + (<usize>i << 2));
    const a = pa + (<usize>i << 3);
    v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(v)));
    v128.store(a, f64x2.add(v128.load(a, 16), f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0))), 16);
  }
  return end;
}

/** max/min of acc and the first n & ~3 float32s; NaN wins, as in torch. */
function extremeF32x4(isMax: bool, acc: f64, px: usize, n: i32): f64 {
  const end = n & ~3;
  if (end == 0) return acc;
  let m = v128.load(px);
  for (let i = 4; i < end; i += 4) {
    const v = v128.load(px + (<usize>i << 2));
    m = isMax ? f32x4.max(m, v) : f32x4.min(m, v);
  }
  for (let k = 0; k < 4; k++) {
    const v = <f64>f32x4.extract_lane(m, 0);
    if (isMax ? v > acc || v != v : v < acc || v != v) acc = v;
    m = i32x4.shuffle(m, m, 1, 2, 3, 0);
  }
  return acc;
}

/** Per line (an element of the row walk over [out, x]): index of the max/min along `size` steps of `step` bytes. */
export function argReduce(isMax: bool, size: i32, step: i32): void {
  const rows = beginRows();
  for (let r = 0; r < rows; r++) {
    let po = P0;
    let px = P1;
    for (let l = 0; l < N; l++, po += S0, px += S1) {
      let p = px;
      let best = loadAs(p, D1);
      let bi = 0;
      if (best == best) {
        for (let k = 1; k < size; k++) {
          p += step;
          const v = loadAs(p, D1);
          if (v != v) {
            bi = k;
            break;
          }
          if (isMax ? v > best : v < best) {
            best = v;
            bi = k;
          }
        }
      }
      storeAs(po, D0, <f64>bi);
    }
    nextRow();
  }
}

// Scan op codes: the order of ScanOp in @gd/tensor's backend.ts.
export const enum Scan { cumsum, cumprod, cummax, cummin, logcumsumexp }

/** Per line over [out, x, indices]: inclusive scan along `size` steps (byte steps so, sx, si). */
export function scan(op: i32, size: i32, so: i32, sx: i32, si: i32, withIndices: bool): void {
  const rows = beginRows();
  for (let r = 0; r < rows; r++) {
    let lo = P0;
    let lx = P1;
    let li = P2;
    for (let l = 0; l < N; l++, lo += S0, lx += S1, li += S2) {
      let po = lo;
      let px = lx;
      let pi = li;
      let acc: f64 = op == Scan.cumprod ? 1 : op == Scan.cumsum ? 0 : NaN;
      let best = 0;
      for (let k = 0; k < size; k++, po += so, px += sx, pi += si) {
        const v = loadAs(px, D1);
        switch (op) {
          case Scan.cumsum: acc += v; break;
          case Scan.cumprod: acc *= v; break;
          case Scan.logcumsumexp: {
            if (k == 0) acc = v;
            else {
              const m = Math.max(acc, v);
              acc = m == -Infinity ? -Infinity : m + Math.log(Math.exp(acc - m) + Math.exp(v - m));
            }
            break;
          }
          default: {
            // PyTorch's rule: a NaN always takes over (a later NaN moves the index); ties move it too.
            const better = op == Scan.cummax ? v >= acc : v <= acc;
            if (k == 0 || v != v || (acc == acc && better)) {
              acc = v;
              best = k;
            }
            if (withIndices) storeAs(pi, D2, <f64>best);
          }
        }
        storeAs(po, D0, acc);
      }
    }
    nextRow();
  }
}
