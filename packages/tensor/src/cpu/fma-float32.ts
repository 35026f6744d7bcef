import { fmaFloat32 } from '../fused-multiply-add.js';

const fround = Math.fround;

/**
 * Float32 a * b + c with one rounding, for polynomial steps where |c| >= |a * b| (Horner's rule
 * on a convergent series). The product of two float32s is exact in a double; when the double
 * sum is exact too (Fast2Sum's error is zero) one float32 rounding is the fma. Otherwise the
 * double sum can misround only if it sits exactly halfway between two float32s (then
 * r + 2 (s - r) is the other one); those rare cases take the exact path.
 */
export function fmafDominant(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = fround(s);
  if (p - (s - c) === 0) return r;
  const t = 2 * s - r;
  if (fround(t) !== t || s === r) return r;
  return fmaFloat32(a, b, c);
}

/**
 * Float32 a * b + c with one rounding, any operands: the double sum of the exact product can
 * misround only when it lands exactly halfway between two float32s (then r + 2 (s - r) is the
 * other one), and those take the exact path.
 */
export function fmaf(a: number, b: number, c: number): number {
  const s = a * b + c;
  const r = fround(s);
  const t = 2 * s - r;
  if (fround(t) !== t || s === r) return r;
  return fmaFloat32(a, b, c);
}
