import { fmaFloat32 } from '../fused-multiply-add.js';

const fround = Math.fround;

/**
 * Float32 a * b + c with one rounding, fast enough for per-element kernels. The product of two
 * float32s is exact in a double, so the double sum is off only when it lands exactly halfway
 * between two float32s (then r + 2 (s - r) is that other float32); those rare ties take the
 * exact path.
 */
export function fmaf(a: number, b: number, c: number): number {
  const s = a * b + c;
  const r = fround(s);
  const t = 2 * s - r;
  if (fround(t) !== t || s === r) return r;
  return fmaFloat32(a, b, c);
}
