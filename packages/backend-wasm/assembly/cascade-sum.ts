import { DESC } from './iter';

/**
 * Float sums in PyTorch's CPU order (SumKernel.cpp's cascade_sum, serial path), bit for bit as
 * @gd/tensor's cpu backend computes them (cpu/cascade-sum.ts): accumulation in the input's own
 * precision, runs of elements in 4 interleaved partial sums, SIMD-wide (8 float32 lanes or 4
 * float64 lanes, as on AVX2) along a contiguous axis, and runs of 16 or more partial sums folded
 * into the next of 4 levels. Strides here are in bytes.
 */

const LEVELS = 4;
const ILP = 4;
const MAX_LANES = ILP * 8;
const LEVEL_MEM: usize = memory.data(LEVELS * MAX_LANES * 8, 16);
const LANES_MEM: usize = memory.data(16 * 8, 16);

// @ts-ignore: decorator
@inline
function level<T>(j: i32): usize {
  return LEVEL_MEM + <usize>(j * MAX_LANES * sizeof<T>());
}

// @ts-ignore: decorator
@inline
function el<T>(base: usize, i: i32): usize {
  return base + <usize>(i * sizeof<T>());
}

function ceilLog2(x: i32): i32 {
  return x <= 2 ? 1 : 32 - clz(x - 1);
}

/** Each lane (row k, lane w) of level 0 += `steps` elements `rowStride` apart. */
function addSteps<T>(p: usize, rowStride: i32, colStride: i32, steps: i32, nrows: i32, width: i32): void {
  const a0 = level<T>(0);
  for (let k = 0; k < nrows; k++) {
    const q0 = p + <usize>(k * colStride);
    const lane0 = k * width;
    let w = 0;
    if (ASC_FEATURE_SIMD && width * sizeof<T>() == 32) {
      // One AVX2 register's lanes as two v128 accumulators.
      let s0 = v128.load(el<T>(a0, lane0));
      let s1 = v128.load(el<T>(a0, lane0), 16);
      let q = q0;
      for (let j = 0; j < steps; j++, q += <usize>rowStride) {
        if (isFloat<T>() && sizeof<T>() == 4) {
          s0 = f32x4.add(s0, v128.load(q));
          s1 = f32x4.add(s1, v128.load(q, 16));
        } else {
          s0 = f64x2.add(s0, v128.load(q));
          s1 = f64x2.add(s1, v128.load(q, 16));
        }
      }
      v128.store(el<T>(a0, lane0), s0);
      v128.store(el<T>(a0, lane0), s1, 16);
      w = width;
    }
    for (; w < width; w++) {
      const lane = el<T>(a0, lane0 + w);
      let s = load<T>(lane);
      let q = el<T>(q0, w);
      for (let j = 0; j < steps; j++, q += <usize>rowStride) s += load<T>(q);
      store<T>(lane, s);
    }
  }
}

/** `nrows` side-by-side `width`-lane accumulators over `size` steps; result in level 0. */
function multiRowSum<T>(p: usize, rowStride: i32, colStride: i32, size: i32, nrows: i32, width: i32): void {
  const lanes = nrows * width;
  // Zeroed by a store loop, not memory.fill: V8 makes that a call out of the module, which on
  // rows of a few elements cost more than the sums. No steps (a row shorter than one step of
  // every lane) leaves the zeros, as the folds below would.
  const levelBytes = <usize>(lanes * sizeof<T>());
  for (let j = 0; j < (size == 0 ? 1 : LEVELS); j++) {
    const at = level<T>(j);
    for (let b: usize = 0; b < levelBytes; b += 8) store<u64>(at + b, 0);
  }
  if (size == 0) return;
  const levelPower = max(4, ceilLog2(size) / LEVELS);
  const levelStep = 1 << levelPower;
  let i = 0;
  while (i + levelStep <= size) {
    addSteps<T>(p + <usize>(i * rowStride), rowStride, colStride, levelStep, nrows, width);
    i += levelStep;
    for (let j = 1; j < LEVELS; j++) {
      const lo = level<T>(j - 1);
      const hi = level<T>(j);
      for (let l = 0; l < lanes; l++) {
        store<T>(el<T>(hi, l), load<T>(el<T>(hi, l)) + load<T>(el<T>(lo, l)));
        store<T>(el<T>(lo, l), <T>0);
      }
      if ((i >> (j * levelPower)) % levelStep != 0) break;
    }
  }
  addSteps<T>(p + <usize>(i * rowStride), rowStride, colStride, size - i, nrows, width);
  const a0 = level<T>(0);
  for (let j = 1; j < LEVELS; j++) {
    const hi = level<T>(j);
    for (let l = 0; l < lanes; l++) store<T>(el<T>(a0, l), load<T>(el<T>(a0, l)) + load<T>(el<T>(hi, l)));
  }
}

/** One `width`-lane sum of `size` steps `stride` apart into `into[0..width)`. */
function rowSum<T>(p: usize, stride: i32, size: i32, width: i32, into: usize): void {
  const sizeIlp = size / ILP;
  multiRowSum<T>(p, stride * ILP, stride, sizeIlp, ILP, width);
  const ps = level<T>(0);
  for (let i = sizeIlp * ILP; i < size; i++) {
    const q = p + <usize>(i * stride);
    for (let w = 0; w < width; w++) store<T>(el<T>(ps, w), load<T>(el<T>(ps, w)) + load<T>(el<T>(q, w)));
  }
  for (let k = 1; k < ILP; k++) for (let w = 0; w < width; w++) store<T>(el<T>(ps, w), load<T>(el<T>(ps, w)) + load<T>(el<T>(ps, k * width + w)));
  for (let w = 0; w < width; w++) store<T>(el<T>(into, w), load<T>(el<T>(ps, w)));
}

// @ts-ignore: decorator
@inline
function addTo<T>(p: usize, v: T): void {
  store<T>(p, load<T>(p) + v);
}

/** cascade_sum's 2-D inner loop over size0 × size1 elements; acc accumulates with +=. */
function loop2d<T>(px: usize, po: usize, in0: i32, in1: i32, out0: i32, out1: i32, size0: i32, size1: i32): void {
  const sz = <i32>sizeof<T>();
  const vec = 32 / sz;
  const lanes = LANES_MEM;
  if (out0 != 0 && out1 == 0) {
    let t = in0; in0 = in1; in1 = t;
    t = out0; out0 = out1; out1 = t;
    t = size0; size0 = size1; size1 = t;
  }
  if (out0 != 0) {
    for (let j = 0; j < size1; j++)
      for (let i = 0; i < size0; i++) addTo<T>(po + <usize>(j * out1 + i * out0), load<T>(px + <usize>(j * in1 + i * in0)));
    return;
  }
  if (in0 == sz && size0 >= vec) {
    const vecSize = size0 / vec;
    for (let j = 0; j < size1; j++) {
      const row = px + <usize>(j * in1);
      rowSum<T>(row, vec * sz, vecSize, vec, lanes);
      const total = el<T>(lanes, vec);
      store<T>(total, <T>0);
      for (let k = vecSize * vec; k < size0; k++) addTo<T>(total, load<T>(el<T>(row, k)));
      for (let k = 0; k < vec; k++) addTo<T>(total, load<T>(el<T>(lanes, k)));
      addTo<T>(po + <usize>(j * out1), load<T>(total));
    }
  } else if (in1 == sz && size1 >= vec) {
    let j = 0;
    for (; j + ILP * vec <= size1; j += ILP * vec) {
      multiRowSum<T>(el<T>(px, j), in0, vec * sz, size0, ILP, vec);
      const sums = level<T>(0);
      for (let l = 0; l < ILP * vec; l++) addTo<T>(po + <usize>((j + l) * out1), load<T>(el<T>(sums, l)));
    }
    for (; j + vec <= size1; j += vec) {
      rowSum<T>(el<T>(px, j), in0, size0, vec, lanes);
      for (let l = 0; l < vec; l++) addTo<T>(po + <usize>((j + l) * out1), load<T>(el<T>(lanes, l)));
    }
    for (; j < size1; j++) {
      rowSum<T>(el<T>(px, j), in0, size0, 1, lanes);
      addTo<T>(po + <usize>(j * out1), load<T>(lanes));
    }
  } else if (in0 < in1) {
    for (let j = 0; j < size1; j++) {
      rowSum<T>(px + <usize>(j * in1), in0, size0, 1, lanes);
      addTo<T>(po + <usize>(j * out1), load<T>(lanes));
    }
  } else {
    let j = 0;
    for (; j + ILP - 1 < size1; j += ILP) {
      multiRowSum<T>(px + <usize>(j * in1), in0, in1, size0, ILP, 1);
      const sums = level<T>(0);
      for (let k = 0; k < ILP; k++) addTo<T>(po + <usize>((j + k) * out1), load<T>(el<T>(sums, k)));
    }
    for (; j < size1; j++) {
      rowSum<T>(px + <usize>(j * in1), in0, size0, 1, lanes);
      addTo<T>(po + <usize>(j * out1), load<T>(lanes));
    }
  }
}

// @ts-ignore: decorator
@inline
function dimField(d: i32, f: i32): i32 {
  return load<i32>(DESC + <usize>((1 + d * 3 + f) << 2));
}

const COUNTER: usize = memory.data(4 * 64, 16);

function cascade<T>(px: usize, po: usize, count: i32): void {
  const size0 = count > 0 ? dimField(0, 0) : 1;
  const in0 = count > 0 ? dimField(0, 1) : 0;
  const out0 = count > 0 ? dimField(0, 2) : 0;
  const size1 = count > 1 ? dimField(1, 0) : 1;
  const in1 = count > 1 ? dimField(1, 1) : 0;
  const out1 = count > 1 ? dimField(1, 2) : 0;
  for (let k = 2; k < count; k++) store<i32>(COUNTER + (<usize>k << 2), 0);
  for (;;) {
    loop2d<T>(px, po, in0, in1, out0, out1, size0, size1);
    let k = 2;
    for (; k < count; k++) {
      const size = dimField(k, 0);
      const sIn = dimField(k, 1);
      const sOut = dimField(k, 2);
      px += <usize>sIn;
      po += <usize>sOut;
      const c = load<i32>(COUNTER + (<usize>k << 2)) + 1;
      if (c < size) {
        store<i32>(COUNTER + (<usize>k << 2), c);
        break;
      }
      px -= <usize>(sIn * size);
      po -= <usize>(sOut * size);
      store<i32>(COUNTER + (<usize>k << 2), 0);
    }
    if (k >= count) return;
  }
}

/**
 * acc (zeroed, contiguous, x's dtype) += x summed in cascade order. The host writes the iteration
 * dims, innermost first, into DESC as i32 [count, then size, inStride, outStride per dim] (strides
 * in bytes), already ordered and merged as TensorIterator does.
 */
export function cascadeSum(isF32: bool, px: usize, pacc: usize): void {
  const count = load<i32>(DESC);
  if (isF32) cascade<f32>(px, pacc, count);
  else cascade<f64>(px, pacc, count);
}
