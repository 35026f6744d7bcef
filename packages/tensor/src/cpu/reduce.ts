import type { ArgReduceOp, ReduceOp, View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { numelOf } from '../shape.js';
import { cascadeSum } from './cascade-sum.js';
import { copyKernel } from './elementwise.js';
import { elementOffsets, forEachRow, planRows } from './strided.js';

type Acc = Float64Array;
type ReduceRow = (acc: Acc, ia: number, sa: number, x: TypedArray, ix: number, sx: number, n: number) => void;

// Accumulation happens in float64 (float sums take PyTorch's own order: cascade-sum.ts).
const ROWS: Record<ReduceOp, { init: number; row: ReduceRow }> = {
  sum: {
    init: 0,
    row(acc, ia, sa, x, ix, sx, n) {
      if (sa === 0) {
        let s = acc[ia]!;
        for (let i = 0; i < n; i++, ix += sx) s += x[ix]!;
        acc[ia] = s;
      } else for (let i = 0; i < n; i++, ia += sa, ix += sx) acc[ia]! += x[ix]!;
    },
  },
  nansum: {
    init: 0,
    row(acc, ia, sa, x, ix, sx, n) {
      for (let i = 0; i < n; i++, ia += sa, ix += sx) {
        const v = x[ix]!;
        if (v === v) acc[ia]! += v;
      }
    },
  },
  prod: {
    init: 1,
    row(acc, ia, sa, x, ix, sx, n) {
      for (let i = 0; i < n; i++, ia += sa, ix += sx) acc[ia]! *= x[ix]!;
    },
  },
  amax: {
    init: -Infinity,
    row(acc, ia, sa, x, ix, sx, n) {
      for (let i = 0; i < n; i++, ia += sa, ix += sx) {
        const v = x[ix]!;
        if (v > acc[ia]! || v !== v) acc[ia] = v;
      }
    },
  },
  amin: {
    init: Infinity,
    row(acc, ia, sa, x, ix, sx, n) {
      for (let i = 0; i < n; i++, ia += sa, ix += sx) {
        const v = x[ix]!;
        if (v < acc[ia]! || v !== v) acc[ia] = v;
      }
    },
  },
  all: {
    init: 1,
    row(acc, ia, sa, x, ix, sx, n) {
      for (let i = 0; i < n; i++, ia += sa, ix += sx) if (x[ix] === 0) acc[ia] = 0;
    },
  },
  any: {
    init: 0,
    row(acc, ia, sa, x, ix, sx, n) {
      for (let i = 0; i < n; i++, ia += sa, ix += sx) if (x[ix] !== 0) acc[ia] = 1;
    },
  },
};

function contiguousStrides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = s;
    s *= shape[i]!;
  }
  return st;
}

const isFloat = (dtype: string): dtype is 'float32' | 'float64' => dtype === 'float32' || dtype === 'float64';

/** x with every NaN read as 0 (PyTorch's nansum loads), same layout. */
function nanAsZero(x: View): View {
  const data = (x.storage.data as Float32Array | Float64Array).map((v) => (v === v ? v : 0));
  return { ...x, storage: { data } as never };
}

// One-element accumulators reused by full float sums (kernels never nest).
const ONE_FLOAT32 = new Float32Array(1);
const ONE_FLOAT64 = new Float64Array(1);

export function reduceKernel(op: ReduceOp, out: View, x: View, dims: readonly number[]): void {
  if ((op === 'sum' || op === 'nansum') && isFloat(x.dtype) && x.dtype === out.dtype) {
    const outNumel = numelOf(out.shape);
    const f32 = x.dtype === 'float32';
    const from = op === 'nansum' ? nanAsZero(x) : x;
    if (outNumel === 1) {
      // Full reductions (a loss, a bias gradient) are the common small case: no buffers.
      const one = f32 ? ONE_FLOAT32 : ONE_FLOAT64;
      one[0] = 0;
      cascadeSum(one, from, dims);
      (out.storage.data as Float32Array | Float64Array)[out.offset] = one[0]!;
      return;
    }
    const acc = new (f32 ? Float32Array : Float64Array)(outNumel);
    cascadeSum(acc, from, dims);
    copyKernel(out, {
      storage: { data: acc } as never,
      shape: out.shape,
      strides: contiguousStrides(out.shape),
      offset: 0,
      dtype: out.dtype,
    });
    return;
  }
  const { init, row } = ROWS[op];
  const acc = new Float64Array(numelOf(out.shape)).fill(init);
  const accStrides = contiguousStrides(out.shape);
  for (const d of dims) accStrides[d] = 0;
  const xa = x.storage.data as TypedArray;
  const plan = planRows(x.shape, [accStrides, x.strides]);
  const [sa, sx] = plan.inner as [number, number];
  const n = plan.n;
  if (numelOf(x.shape) > 0) forEachRow(plan, [0, x.offset], (b) => row(acc, b[0]!, sa, xa, b[1]!, sx, n));
  copyKernel(out, {
    storage: { data: acc } as never,
    shape: out.shape,
    strides: contiguousStrides(out.shape),
    offset: 0,
    dtype: 'float64',
  });
}

export function argReduceKernel(op: ArgReduceOp, out: View, x: View, dim: number): void {
  const lineShape = x.shape.slice();
  const size = lineShape[dim]!;
  lineShape[dim] = 1;
  const starts = elementOffsets(lineShape, x.strides, x.offset);
  const outOffsets = elementOffsets(out.shape, out.strides, out.offset);
  const xa = x.storage.data as TypedArray;
  const o = out.storage.data as TypedArray;
  const step = x.strides[dim] ?? 1;
  const better = op === 'argmax' ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
  for (let l = 0; l < starts.length; l++) {
    let p = starts[l]!;
    let best = xa[p]!;
    let bi = 0;
    if (best === best) {
      for (let k = 1; k < size; k++) {
        p += step;
        const v = xa[p]!;
        if (v !== v) {
          bi = k;
          break;
        }
        if (better(v, best)) {
          best = v;
          bi = k;
        }
      }
    }
    o[outOffsets[l]!] = bi;
  }
}
