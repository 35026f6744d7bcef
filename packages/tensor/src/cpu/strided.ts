import { isContiguousLayout } from '../shape.js';

/**
 * Walks a shape row by row for several strided operands at once. Dimensions are first
 * coalesced (size-1 dims dropped, adjacent dims merged where every operand is contiguous across
 * them), so a contiguous tensor is a single row and the per-op inner loops run over long rows.
 */
export interface RowPlan {
  /** Length of each inner row. */
  readonly n: number;
  /** Inner stride of each operand. */
  readonly inner: number[];
  /** Outer dims (sizes) and each operand's strides over them. */
  readonly outerShape: number[];
  readonly outerStrides: number[][];
}

/**
 * Long contiguous runs go to their loop functions this many elements at a time: a loop function
 * called often is optimised as a whole after a few calls (constants as immediates, every branch
 * with type feedback), while one long call runs in the interpreter until V8 swaps in
 * on-stack-replacement code, which keeps constants in stack slots and deoptimises at the first
 * branch the interpreter never reached.
 */
export const RUN_CHUNK = 1 << 10;

// Shared by every single-row plan (nothing may write to a plan's arrays).
const NO_OUTER: number[] = [];
const NO_OUTER_STRIDES: number[][][] = [0, 1, 2, 3, 4, 5].map((k) => Array.from({ length: k }, () => NO_OUTER));
/** Inner strides that are each 0 (a broadcast operand) or 1, by [operand count][bit mask of the 1s]. */
const UNIT_OR_ZERO_STRIDES: number[][][] = [0, 1, 2, 3, 4, 5].map((k) =>
  Array.from({ length: 1 << k }, (_, mask) => Array.from({ length: k }, (_, j) => (mask >> j) & 1)),
);
const unitStrides = (k: number): number[] => UNIT_OR_ZERO_STRIDES[k]![(1 << k) - 1]!;
const zeroStrides = (k: number): number[] => UNIT_OR_ZERO_STRIDES[k]![0]!;

/**
 * The stride that walks a view of `shape` as one row of all its elements in logical order: its
 * own stride in 1-d (0 for a single element), 1 when contiguous; null when it needs several rows.
 * Elementwise kernels try it first, so a small op on whole tensors plans no rows (no arrays).
 */
export function singleRowStride(shape: readonly number[], strides: readonly number[]): number | null {
  if (shape.length === 1) return shape[0] === 1 ? 0 : strides[0]!;
  return isContiguousLayout(shape, strides) ? 1 : null;
}

export function planRows(shape: readonly number[], strides: readonly (readonly number[])[]): RowPlan {
  const k = strides.length;
  // Fast paths for the common cases of small-op loops: one dim, or every operand contiguous.
  if (k < NO_OUTER_STRIDES.length) {
    if (shape.length <= 1) {
      const n = shape.length === 0 ? 1 : shape[0]!;
      return { n, inner: n === 1 ? zeroStrides(k) : innerStrides(strides), outerShape: NO_OUTER, outerStrides: NO_OUTER_STRIDES[k]! };
    }
    let contiguous = true;
    for (let j = 0; j < k && contiguous; j++) contiguous = isContiguousLayout(shape, strides[j]!);
    if (contiguous) {
      let n = 1;
      for (let d = 0; d < shape.length; d++) n *= shape[d]!;
      return { n, inner: unitStrides(k), outerShape: NO_OUTER, outerStrides: NO_OUTER_STRIDES[k]! };
    }
  }
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    dims.push(shape[d]!);
    for (let j = 0; j < k; j++) st[j]!.push(strides[j]![d]!);
  }
  // Merge from the innermost dim outwards.
  const mDims: number[] = [];
  const mSt: number[][] = strides.map(() => []);
  for (let d = dims.length - 1; d >= 0; d--) {
    const last = mDims.length - 1;
    if (last >= 0) {
      let ok = true;
      for (let j = 0; j < k; j++) if (st[j]![d] !== mSt[j]![last]! * mDims[last]!) ok = false;
      if (ok) {
        mDims[last] = mDims[last]! * dims[d]!;
        continue;
      }
    }
    mDims.push(dims[d]!);
    for (let j = 0; j < k; j++) mSt[j]!.push(st[j]![d]!);
  }
  mDims.reverse();
  for (const s of mSt) s.reverse();
  if (mDims.length === 0) return { n: 1, inner: strides.map(() => 0), outerShape: [], outerStrides: strides.map(() => []) };
  const n = mDims.pop()!;
  const inner = mSt.map((s) => s.pop()!);
  return { n, inner, outerShape: mDims, outerStrides: mSt };
}

/** The 1-d operands' strides: a shared array when each is contiguous or broadcast (the usual cases). */
function innerStrides(strides: readonly (readonly number[])[]): number[] {
  const k = strides.length;
  let mask = 0;
  for (let j = 0; j < k && mask >= 0; j++) {
    const s = strides[j]![0]!;
    mask = s === 1 ? mask | (1 << j) : s === 0 ? mask : -1;
  }
  if (mask >= 0) return UNIT_OR_ZERO_STRIDES[k]![mask]!;
  const inner = new Array<number>(k);
  for (let j = 0; j < k; j++) inner[j] = strides[j]![0]!;
  return inner;
}

/**
 * Calls `row(bases)` once per inner row with each operand's starting offset in `bases`
 * (the same array, updated in place).
 */
export function forEachRow(plan: RowPlan, offsets: readonly number[], row: (bases: number[]) => void): void {
  const k = offsets.length;
  const bases = offsets.slice();
  const outer = plan.outerShape;
  const nd = outer.length;
  if (nd === 0) {
    row(bases);
    return;
  }
  if (nd === 1) {
    const size = outer[0]!;
    const s = plan.outerStrides.map((x) => x[0]!);
    for (let i = 0; i < size; i++) {
      row(bases);
      for (let j = 0; j < k; j++) bases[j]! += s[j]!;
    }
    return;
  }
  const idx = new Array<number>(nd).fill(0);
  let total = 1;
  for (const s of outer) total *= s;
  for (let t = 0; t < total; t++) {
    row(bases);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      for (let j = 0; j < k; j++) bases[j]! += plan.outerStrides[j]![d]!;
      if (idx[d]! < outer[d]!) break;
      for (let j = 0; j < k; j++) bases[j]! -= plan.outerStrides[j]![d]! * outer[d]!;
      idx[d] = 0;
    }
  }
}

/** Offsets of every element of a strided view in row-major logical order. */
export function elementOffsets(shape: readonly number[], strides: readonly number[], offset: number): Int32Array | Float64Array {
  let total = 1;
  for (const s of shape) total *= s;
  const out = total < 2 ** 31 ? new Int32Array(total) : new Float64Array(total);
  let p = 0;
  const plan = planRows(shape, [strides]);
  const n = plan.n;
  const s = plan.inner[0]!;
  forEachRow(plan, [offset], (b) => {
    let o = b[0]!;
    for (let i = 0; i < n; i++, o += s) out[p++] = o;
  });
  return out;
}
