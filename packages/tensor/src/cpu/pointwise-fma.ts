import type { View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';
import { fmaFloat32, fmaFloat64 } from '../fused-multiply-add.js';
import { forEachRow, planRows } from './strided.js';

// PyTorch's CPU kernels for addcmul and lerp are compiled with FMA contraction, so their last
// multiply-add rounds once. These kernels reproduce that; operands arrive broadcast to out's
// shape and in out's dtype.

type Fma = (a: number, b: number, c: number) => number;

function fmaFor(out: View): { fma: Fma; round: (v: number) => number } {
  if (out.dtype === 'float32') return { fma: fmaFloat32, round: Math.fround };
  if (out.dtype === 'float64') return { fma: fmaFloat64, round: (v) => v };
  return { fma: (a, b, c) => a * b + c, round: (v) => v };
}

const data = (v: View): TypedArray => v.storage.data as TypedArray;

/** Runs `f(o, i1, i2, i3)` over every element with the offsets of out and three operands. */
function each4(out: View, a: View, b: View, c: View, f: (o: number, i: number, j: number, k: number) => void): void {
  const plan = planRows(out.shape, [out.strides, a.strides, b.strides, c.strides]);
  const [so, sa, sb, sc] = plan.inner as [number, number, number, number];
  const n = plan.n;
  if (out.shape.some((s) => s === 0)) return;
  forEachRow(plan, [out.offset, a.offset, b.offset, c.offset], (base) => {
    let o = base[0]!,
      i = base[1]!,
      j = base[2]!,
      k = base[3]!;
    for (let e = 0; e < n; e++, o += so, i += sa, j += sb, k += sc) f(o, i, j, k);
  });
}

/** out = self + (value * t1) * t2, the last multiply-add fused. */
export function addcmulKernel(out: View, self: View, t1: View, t2: View, value: number): void {
  const { fma, round } = fmaFor(out);
  const o = data(out),
    s = data(self),
    x = data(t1),
    y = data(t2);
  each4(out, self, t1, t2, (p, i, j, k) => {
    o[p] = fma(round(value * x[j]!), y[k]!, s[i]!);
  });
}

/** PyTorch's two-sided lerp with fused multiply-adds: exact at weight 0 and 1. */
function lerpValue(fma: Fma, round: (v: number) => number, a: number, b: number, w: number): number {
  const diff = round(b - a);
  return Math.abs(w) < 0.5 ? fma(w, diff, a) : fma(-diff, round(1 - w), b);
}

/** out = lerp(self, end, weight) with weight a number (already in out's dtype) or a view. */
export function lerpKernel(out: View, self: View, end: View, weight: View | number): void {
  const { fma, round } = fmaFor(out);
  const o = data(out),
    s = data(self),
    e = data(end);
  if (typeof weight === 'number') {
    each4(out, self, end, self, (p, i, j) => {
      o[p] = lerpValue(fma, round, s[i]!, e[j]!, weight);
    });
    return;
  }
  const w = data(weight);
  each4(out, self, end, weight, (p, i, j, k) => {
    o[p] = lerpValue(fma, round, s[i]!, e[j]!, w[k]!);
  });
}
