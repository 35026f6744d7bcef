import type { View } from '../backend/backend.js';
import { isContiguousLayout, numelOf } from '../shape.js';

/**
 * Float sums in PyTorch's CPU order (SumKernel.cpp's cascade_sum, serial path), so float32 and
 * float64 sums agree with it bit for bit. The sum accumulates in the input's own precision in a
 * fixed pattern: runs of elements in 4 interleaved partial sums, SIMD-wide (8 float32 lanes or
 * 4 float64 lanes, as on AVX2) along a contiguous axis, and every run of 16 or more partial sums
 * is folded into the next of 4 levels, so only numbers of similar size meet.
 */

type Floats = Float32Array | Float64Array;
type FloatsCtor = Float32ArrayConstructor | Float64ArrayConstructor;

const fround = Math.fround;
const LEVELS = 4;
const ILP = 4;

/** llvm's CeilLog2 as PyTorch uses it: 1 for x <= 2. */
function ceilLog2(x: number): number {
  return x <= 2 ? 1 : 32 - Math.clz32(x - 1);
}

/** LEVELS accumulator rows of ILP SIMD registers each; `lanes` holds one register plus a scalar. */
interface Scratch {
  levels: Floats[];
  lanes: Floats;
}
function scratch(Ctor: FloatsCtor, vec: number): Scratch {
  return { levels: Array.from({ length: LEVELS }, () => new Ctor(ILP * vec)), lanes: new Ctor(vec + 1) };
}
// Reused across calls (sums are never nested): allocating per call dominated small sums.
const SCRATCH32 = scratch(Float32Array, 8);
const SCRATCH64 = scratch(Float64Array, 4);

/**
 * Sums `size` steps of `nrows` side-by-side accumulators (each `width` lanes wide): step i adds
 * x[base + i*rowStride + k*colStride + lane] to accumulator k. Result in `acc[0]`.
 */
function multiRowSum(
  x: Floats,
  base: number,
  rowStride: number,
  colStride: number,
  size: number,
  nrows: number,
  width: number,
  acc: Floats[],
): void {
  const lanes = nrows * width;
  const levelPower = Math.max(4, Math.trunc(ceilLog2(size) / LEVELS));
  const levelStep = 2 ** levelPower;
  if (width === 8 && x instanceof Float32Array && acc[0] instanceof Float32Array) {
    for (const a of acc) a.fill(0, 0, lanes);
    // A block of steps at a time (its loads stay in cache), column by column.
    const block = levelStep * Math.max(1, Math.trunc(256 / levelStep));
    for (let i = 0; i < size; i += block) {
      const end = Math.min(size, i + block);
      for (let k = 0; k < nrows; k++)
        columnSteps8(x, base + i * rowStride + k * colStride, rowStride, i, end, levelStep, acc as Float32Array[], k * 8);
    }
    foldLevels(acc, lanes);
    return;
  }
  if (size < levelStep) {
    // Short sums (most small tensors) never fold a level: the higher levels stay zero, and
    // folding them in is adding +0 (which turns a -0 sum into +0, as it does in PyTorch).
    const a0 = acc[0]!;
    a0.fill(0, 0, lanes);
    addSteps(a0, x, base, rowStride, colStride, size, nrows, width);
    for (let l = 0; l < lanes; l++) a0[l]! += 0;
    return;
  }
  for (const a of acc) a.fill(0, 0, lanes);
  let i = 0;
  while (i + levelStep <= size) {
    addSteps(acc[0]!, x, base + i * rowStride, rowStride, colStride, levelStep, nrows, width);
    i += levelStep;
    for (let j = 1; j < LEVELS; j++) {
      const lo = acc[j - 1]!;
      const hi = acc[j]!;
      for (let l = 0; l < lanes; l++) {
        hi[l]! += lo[l]!;
        lo[l] = 0;
      }
      if (Math.floor(i / 2 ** (j * levelPower)) % levelStep !== 0) break;
    }
  }
  addSteps(acc[0]!, x, base + i * rowStride, rowStride, colStride, size - i, nrows, width);
  foldLevels(acc, lanes);
}

/** The higher levels added into level 0, lowest first. */
function foldLevels(acc: Floats[], lanes: number): void {
  const a0 = acc[0]!;
  for (let j = 1; j < LEVELS; j++) {
    const hi = acc[j]!;
    for (let l = 0; l < lanes; l++) a0[l]! += hi[l]!;
  }
}

/**
 * Steps [from, to) of one 8-lane float32 accumulator (an AVX2 register) at lanes at..at+8 of
 * `acc`: each full `levelStep` steps (counted from step 0) in locals, then folded up the levels.
 * Lanes are independent, so a column running on its own adds in the same order as SIMD would;
 * eight independent float32 roundings then overlap.
 */
function columnSteps8(
  x: Float32Array,
  q: number,
  rowStride: number,
  from: number,
  to: number,
  levelStep: number,
  acc: Float32Array[],
  at: number,
): void {
  const [a0, a1, a2, a3] = acc as [Float32Array, Float32Array, Float32Array, Float32Array];
  let s0 = a0[at]!,
    s1 = a0[at + 1]!,
    s2 = a0[at + 2]!,
    s3 = a0[at + 3]!;
  let s4 = a0[at + 4]!,
    s5 = a0[at + 5]!,
    s6 = a0[at + 6]!,
    s7 = a0[at + 7]!;
  for (let i = from; i < to; ) {
    const stop = Math.min(to, i + levelStep);
    for (; i < stop; i++, q += rowStride) {
      s0 = fround(s0 + x[q]!);
      s1 = fround(s1 + x[q + 1]!);
      s2 = fround(s2 + x[q + 2]!);
      s3 = fround(s3 + x[q + 3]!);
      s4 = fround(s4 + x[q + 4]!);
      s5 = fround(s5 + x[q + 5]!);
      s6 = fround(s6 + x[q + 6]!);
      s7 = fround(s7 + x[q + 7]!);
    }
    if (i % levelStep !== 0) break;
    // a full level-0 run: into level 1, and level 1 into level 2 every levelStep runs, ...
    a1[at]! += s0;
    a1[at + 1]! += s1;
    a1[at + 2]! += s2;
    a1[at + 3]! += s3;
    a1[at + 4]! += s4;
    a1[at + 5]! += s5;
    a1[at + 6]! += s6;
    a1[at + 7]! += s7;
    s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0;
    if (i % (levelStep * levelStep) !== 0) continue;
    for (let l = at; l < at + 8; l++) {
      a2[l]! += a1[l]!;
      a1[l] = 0;
    }
    if (i % (levelStep * levelStep * levelStep) !== 0) continue;
    for (let l = at; l < at + 8; l++) {
      a3[l]! += a2[l]!;
      a2[l] = 0;
    }
  }
  a0[at] = s0;
  a0[at + 1] = s1;
  a0[at + 2] = s2;
  a0[at + 3] = s3;
  a0[at + 4] = s4;
  a0[at + 5] = s5;
  a0[at + 6] = s6;
  a0[at + 7] = s7;
}

/**
 * `steps` steps into the level-0 accumulators. Lanes are independent, so each group runs on its
 * own, its partial sums in locals: several independent float32 roundings then overlap.
 */
function addSteps(
  a0: Floats,
  x: Floats,
  p: number,
  rowStride: number,
  colStride: number,
  steps: number,
  nrows: number,
  width: number,
): void {
  if (!(a0 instanceof Float32Array)) {
    for (let j = 0; j < steps; j++, p += rowStride)
      for (let k = 0, lane = 0; k < nrows; k++) for (let w = 0, q = p + k * colStride; w < width; w++, lane++) a0[lane]! += x[q + w]!;
  } else if (width === 1 && nrows === 4) {
    let s0 = a0[0]!,
      s1 = a0[1]!,
      s2 = a0[2]!,
      s3 = a0[3]!;
    for (let j = 0, q = p; j < steps; j++, q += rowStride) {
      s0 = fround(s0 + x[q]!);
      s1 = fround(s1 + x[q + colStride]!);
      s2 = fround(s2 + x[q + 2 * colStride]!);
      s3 = fround(s3 + x[q + 3 * colStride]!);
    }
    a0[0] = s0;
    a0[1] = s1;
    a0[2] = s2;
    a0[3] = s3;
  } else {
    for (let k = 0; k < nrows; k++) {
      let s = a0[k]!;
      for (let j = 0, q = p + k * colStride; j < steps; j++, q += rowStride) s = fround(s + x[q]!);
      a0[k] = s;
    }
  }
}

/**
 * One `width`-lane sum of `size` steps `stride` apart, into `into[0..width)`: 4 interleaved
 * partial sums, the leftover steps added to the first, then the partials folded in order.
 */
function rowSum(x: Floats, base: number, stride: number, size: number, width: number, levels: Floats[], into: Floats): void {
  const sizeIlp = Math.trunc(size / ILP);
  if (sizeIlp === 0) {
    // Fewer steps than partial sums: each lane is a plain running sum (then + 0 from the empty partials).
    const f32 = into instanceof Float32Array;
    for (let w = 0; w < width; w++) {
      let s = 0;
      for (let i = 0, p = base + w; i < size; i++, p += stride) s = f32 ? fround(s + x[p]!) : s + x[p]!;
      into[w] = s + 0;
    }
    return;
  }
  multiRowSum(x, base, stride * ILP, stride, sizeIlp, ILP, width, levels);
  const ps = levels[0]!;
  for (let i = sizeIlp * ILP; i < size; i++) {
    const p = base + i * stride;
    for (let w = 0; w < width; w++) ps[w]! += x[p + w]!;
  }
  for (let k = 1; k < ILP; k++) for (let w = 0; w < width; w++) ps[w]! += ps[k * width + w]!;
  for (let w = 0; w < width; w++) into[w] = ps[w]!;
}

/**
 * loop2d's contiguous row of `n` elements when each of the `vec` lanes gets fewer than ILP of
 * them (the small sums of a training loop: a loss, a bias gradient): the same order, the lanes
 * as plain running sums added to the tail's sum, without scratch arrays.
 */
function shortRowSum(x: Floats, base: number, n: number, vec: number, f32: boolean): number {
  const steps = Math.trunc(n / vec);
  let total = 0;
  for (let k = base + steps * vec; k < base + n; k++) total = f32 ? fround(total + x[k]!) : total + x[k]!;
  for (let w = 0; w < vec; w++) {
    let lane = 0;
    for (let i = 0, p = base + w; i < steps; i++, p += vec) lane = f32 ? fround(lane + x[p]!) : lane + x[p]!;
    total = f32 ? fround(total + lane) : total + lane;
  }
  return total;
}

interface Loop2d extends Scratch {
  x: Floats;
  acc: Floats;
  vec: number;
}

/** cascade_sum's 2-D inner loop: size0 x size1 elements; out (`acc`) accumulates with `+=`. */
function loop2d(
  s: Loop2d,
  xBase: number,
  oBase: number,
  in0: number,
  in1: number,
  out0: number,
  out1: number,
  size0: number,
  size1: number,
): void {
  const { x, acc, vec, levels, lanes } = s;
  if (out0 !== 0 && out1 === 0) {
    [in0, in1, out0, out1, size0, size1] = [in1, in0, out1, out0, size1, size0];
  }
  if (out0 !== 0) {
    // not a reduction (every reduced dim has size 1): out += x
    for (let j = 0; j < size1; j++) for (let i = 0; i < size0; i++) acc[oBase + j * out1 + i * out0]! += x[xBase + j * in1 + i * in0]!;
    return;
  }
  if (in0 === 1 && size0 >= vec) {
    // contiguous rows: SIMD partial sums, then the scalar tail, then the lanes in order
    const vecSize = Math.trunc(size0 / vec);
    for (let j = 0; j < size1; j++) {
      const row = xBase + j * in1;
      rowSum(x, row, vec, vecSize, vec, levels, lanes);
      lanes[vec] = 0;
      for (let k = vecSize * vec; k < size0; k++) lanes[vec]! += x[row + k]!;
      for (let k = 0; k < vec; k++) lanes[vec]! += lanes[k]!;
      acc[oBase + j * out1]! += lanes[vec]!;
    }
  } else if (in1 === 1 && size1 >= vec) {
    // contiguous columns: 4 SIMD columns at a time, then single SIMD columns, then scalars
    let j = 0;
    for (; j + ILP * vec <= size1; j += ILP * vec) {
      multiRowSum(x, xBase + j, in0, vec, size0, ILP, vec, levels);
      const sums = levels[0]!;
      for (let l = 0; l < ILP * vec; l++) acc[oBase + (j + l) * out1]! += sums[l]!;
    }
    for (; j + vec <= size1; j += vec) {
      rowSum(x, xBase + j, in0, size0, vec, levels, lanes);
      for (let l = 0; l < vec; l++) acc[oBase + (j + l) * out1]! += lanes[l]!;
    }
    for (; j < size1; j++) {
      rowSum(x, xBase + j, in0, size0, 1, levels, lanes);
      acc[oBase + j * out1]! += lanes[0]!;
    }
  } else if (in0 < in1) {
    for (let j = 0; j < size1; j++) {
      rowSum(x, xBase + j * in1, in0, size0, 1, levels, lanes);
      acc[oBase + j * out1]! += lanes[0]!;
    }
  } else {
    let j = 0;
    for (; j + ILP - 1 < size1; j += ILP) {
      multiRowSum(x, xBase + j * in1, in0, in1, size0, ILP, 1, levels);
      const sums = levels[0]!;
      for (let k = 0; k < ILP; k++) acc[oBase + (j + k) * out1]! += sums[k]!;
    }
    for (; j < size1; j++) {
      rowSum(x, xBase + j * in1, in0, size0, 1, levels, lanes);
      acc[oBase + j * out1]! += lanes[0]!;
    }
  }
}

interface IterDim {
  size: number;
  in: number;
  out: number;
}

const UNDECIDED = 2;

/** One stride comparison of TensorIterator's dim ordering: -1 / 1, or UNDECIDED (look further). */
function strideOrder(s0: number, s1: number, size0: number, size1: number): number {
  if (s0 === 0 || s1 === 0) return UNDECIDED;
  if (s0 !== s1) return s0 < s1 ? -1 : 1;
  return size0 > size1 ? 1 : UNDECIDED;
}

/**
 * TensorIterator's layout of a reduction: dims innermost first, reduced dims moved to the front
 * (then by ascending input stride), and neighbours that are one strided run merged.
 */
function iterationDims(shape: readonly number[], xStrides: readonly number[], outStrides: readonly number[]): IterDim[] {
  const dims: IterDim[] = [];
  for (let d = shape.length - 1; d >= 0; d--) if (shape[d] !== 1) dims.push({ size: shape[d]!, in: xStrides[d]!, out: outStrides[d]! });
  // 1: a goes after b; -1: a stays before b; 0: undecided
  const order = (a: IterDim, b: IterDim): number => {
    if ((a.out === 0) !== (b.out === 0)) return b.out === 0 ? 1 : -1;
    const byOut = strideOrder(a.out, b.out, a.size, b.size);
    if (byOut !== UNDECIDED) return byOut;
    const byIn = strideOrder(a.in, b.in, a.size, b.size);
    return byIn !== UNDECIDED ? byIn : 0;
  };
  for (let i = 1; i < dims.length; i++) {
    let d1 = i;
    for (let d0 = i - 1; d0 >= 0; d0--) {
      const c = order(dims[d0]!, dims[d1]!);
      if (c > 0) {
        const t = dims[d0]!;
        dims[d0] = dims[d1]!;
        dims[d1] = t;
        d1 = d0;
      } else if (c < 0) break;
    }
  }
  const merged: IterDim[] = [];
  for (const d of dims) {
    const prev = merged[merged.length - 1];
    if (prev && prev.size * prev.in === d.in && prev.size * prev.out === d.out) prev.size *= d.size;
    else merged.push({ size: d.size, in: d.in, out: d.out });
  }
  return merged;
}

/** loop2d's state over the shared scratch of acc's precision. */
function loop2dState(x: Floats, acc: Floats, vec: number): Loop2d {
  const scratch = acc instanceof Float32Array ? SCRATCH32 : SCRATCH64;
  return { x, acc, vec, levels: scratch.levels, lanes: scratch.lanes };
}

/** out (contiguous, keepdim shape, float32 or float64 like x) = x summed over `dims`. */
export function cascadeSum(out: Floats, x: View, dims: readonly number[]): void {
  const xa = x.storage.data as Floats;
  const f32 = out instanceof Float32Array;
  const vec = f32 ? 8 : 4;
  if (out.length === 1 && isContiguousLayout(x.shape, x.strides)) {
    // A full sum of a contiguous tensor is one dim for TensorIterator: skip the layout work.
    const n = numelOf(x.shape);
    if (n >= vec && n < ILP * vec) out[0]! += shortRowSum(xa, x.offset, n, vec, f32);
    else if (n > 0) loop2d(loop2dState(xa, out, vec), x.offset, 0, 1, 0, 0, 0, n, 1);
    return;
  }
  const state = loop2dState(xa, out, vec);
  const outStrides = new Array<number>(x.shape.length);
  for (let d = x.shape.length - 1, s = 1; d >= 0; d--) {
    outStrides[d] = dims.includes(d) ? 0 : s;
    if (!dims.includes(d)) s *= x.shape[d]!;
  }
  if (x.shape.some((s) => s === 0)) return;
  const it = iterationDims(x.shape, x.strides, outStrides);
  const d0 = it[0] ?? { size: 1, in: 0, out: 0 };
  const d1 = it[1] ?? { size: 1, in: 0, out: 0 };
  const outer = it.slice(2);
  const counter = new Array<number>(outer.length).fill(0);
  let xBase = x.offset;
  let oBase = 0;
  for (;;) {
    loop2d(state, xBase, oBase, d0.in, d1.in, d0.out, d1.out, d0.size, d1.size);
    let k = 0;
    for (; k < outer.length; k++) {
      const d = outer[k]!;
      xBase += d.in;
      oBase += d.out;
      if (++counter[k]! < d.size) break;
      xBase -= d.in * d.size;
      oBase -= d.out * d.size;
      counter[k] = 0;
    }
    if (k === outer.length) return;
  }
}
