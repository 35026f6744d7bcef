import type { Tensor } from '@gd/tensor';
import type { FixtureTensor } from './fixtures.js';

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** What a comparison needs to know about a computed tensor. */
export interface ActualTensor {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly values: ArrayLike<number>;
}

export function actualOf(t: Tensor): ActualTensor {
  return { dtype: t.dtype, shape: t.shape, values: t.dataSync() };
}

const isExact = (dtype: string): boolean => dtype === 'bool' || dtype.startsWith('int');

/**
 * numpy.isclose without equal_nan's asymmetry: |a - e| <= atol + rtol * |e|, NaN matches only NaN,
 * an infinity only the same infinity.
 */
export function isClose(a: number, e: number, tol: Tolerance): boolean {
  if (Number.isNaN(e) || Number.isNaN(a)) return Number.isNaN(e) && Number.isNaN(a);
  if (!Number.isFinite(e) || !Number.isFinite(a)) return a === e;
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
}

/** How far a mismatching `a` is from `e` in units of the allowed error (Infinity for a NaN or infinity mismatch). */
function errorRatio(a: number, e: number, tol: Tolerance): number {
  if (!Number.isFinite(a) || !Number.isFinite(e)) return Number.POSITIVE_INFINITY;
  return Math.abs(a - e) / (tol.atol + tol.rtol * Math.abs(e));
}

function indexOf(flat: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return `[${idx.join(', ')}]`;
}

/**
 * Null when `actual` matches the fixture's dtype, shape and values (ints and bools exactly,
 * floats within the tolerance); otherwise one line naming the worst element and how many differ.
 */
export function compareTensor(actual: ActualTensor, expected: FixtureTensor, tol: Tolerance): string | null {
  if (actual.dtype !== expected.dtype) return `dtype ${actual.dtype}, expected ${expected.dtype}`;
  if (actual.shape.length !== expected.shape.length || actual.shape.some((s, i) => s !== expected.shape[i]))
    return `shape [${actual.shape.join(', ')}], expected [${expected.shape.join(', ')}]`;
  const exact = isExact(expected.dtype);
  let bad = 0;
  let worst = -1;
  let worstRatio = -1;
  for (let i = 0; i < expected.values.length; i++) {
    const a = Number(actual.values[i]);
    const e = expected.values[i]!;
    const ok = exact ? a === e : isClose(a, e, tol);
    if (ok) continue;
    bad++;
    const ratio = exact ? Math.abs(a - e) : errorRatio(a, e, tol);
    if (ratio > worstRatio || worst < 0) {
      worst = i;
      worstRatio = ratio;
    }
  }
  if (bad === 0) return null;
  const a = Number(actual.values[worst]);
  const e = expected.values[worst]!;
  const where = `${bad} of ${expected.values.length} elements differ; worst at ${indexOf(worst, expected.shape)}: got ${a}, expected ${e}`;
  if (exact) return where;
  const allowed = tol.atol + tol.rtol * Math.abs(e);
  return `${where}, |a-e| = ${Math.abs(a - e).toExponential(2)} > ${allowed.toExponential(2)} (atol ${tol.atol} + rtol ${tol.rtol} * |e|)`;
}
