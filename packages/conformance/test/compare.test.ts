import { describe, expect, it } from 'vitest';
import { compareTensor, isClose } from '../src/compare.js';
import { type FixtureTensor, parseTensor } from '../src/fixtures.js';

const tol = { rtol: 1e-5, atol: 1e-6 };
const float = (shape: number[], values: number[]): FixtureTensor => ({
  dtype: 'float32',
  shape,
  values,
  layout: 'contiguous',
  requiresGrad: false,
});

describe('isClose', () => {
  it('accepts |a - e| <= atol + rtol * |e| and rejects just past it', () => {
    expect(isClose(100.001, 100, tol)).toBe(true); // allowed 1e-6 + 1e-3
    expect(isClose(100.0012, 100, tol)).toBe(false);
    expect(isClose(1e-6, 0, tol)).toBe(true);
    expect(isClose(2e-6, 0, tol)).toBe(false);
  });

  it('scales the relative part by the expected value, not the actual one', () => {
    expect(isClose(0, 1, { rtol: 0.5, atol: 0 })).toBe(false);
    expect(isClose(1, 2, { rtol: 0.5, atol: 0 })).toBe(true);
    expect(isClose(2, 1, { rtol: 0.5, atol: 0 })).toBe(false);
  });

  it('matches NaN only with NaN', () => {
    expect(isClose(Number.NaN, Number.NaN, tol)).toBe(true);
    expect(isClose(0, Number.NaN, tol)).toBe(false);
    expect(isClose(Number.NaN, 0, tol)).toBe(false);
  });

  it('matches infinities only exactly', () => {
    expect(isClose(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, tol)).toBe(true);
    expect(isClose(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, tol)).toBe(false);
    expect(isClose(3.4e38, Number.POSITIVE_INFINITY, { rtol: 1, atol: 1 })).toBe(false);
    expect(isClose(Number.POSITIVE_INFINITY, 3.4e38, { rtol: 1, atol: 1 })).toBe(false);
  });
});

describe('compareTensor', () => {
  it('passes values within tolerance', () => {
    expect(compareTensor({ dtype: 'float32', shape: [2], values: [1.000001, -2] }, float([2], [1, -2]), tol)).toBeNull();
  });

  it('names the worst element, how many differ and the allowed error', () => {
    const failure = compareTensor({ dtype: 'float32', shape: [2, 2], values: [1, 2.1, 3.5, 4] }, float([2, 2], [1, 2, 3, 4]), tol);
    expect(failure).toBe(
      '2 of 4 elements differ; worst at [1, 0]: got 3.5, expected 3, |a-e| = 5.00e-1 > 3.10e-5 (atol 0.000001 + rtol 0.00001 * |e|)',
    );
  });

  it('ranks a NaN where a number was expected as the worst error', () => {
    const failure = compareTensor({ dtype: 'float32', shape: [3], values: [9, Number.NaN, 3] }, float([3], [1, 2, 3]), tol);
    expect(failure).toContain('worst at [1]: got NaN, expected 2');
  });

  it('requires the same dtype and shape', () => {
    expect(compareTensor({ dtype: 'float64', shape: [1], values: [1] }, float([1], [1]), tol)).toBe('dtype float64, expected float32');
    expect(compareTensor({ dtype: 'float32', shape: [1, 1], values: [1] }, float([1], [1]), tol)).toBe('shape [1, 1], expected [1]');
  });

  it('compares integers and booleans exactly, ignoring the tolerance', () => {
    const ints = parseTensor({ shape: [2], dtype: 'int64', data: [3, 4] });
    expect(compareTensor({ dtype: 'int64', shape: [2], values: [3, 4] }, ints, { rtol: 1, atol: 1 })).toBeNull();
    expect(compareTensor({ dtype: 'int64', shape: [2], values: [3, 5] }, ints, { rtol: 1, atol: 1 })).toBe(
      '1 of 2 elements differ; worst at [1]: got 5, expected 4',
    );
    const bools = parseTensor({ shape: [2], dtype: 'bool', data: [true, false] });
    expect(compareTensor({ dtype: 'bool', shape: [2], values: new Uint8Array([1, 0]) }, bools, tol)).toBeNull();
    expect(compareTensor({ dtype: 'bool', shape: [2], values: new Uint8Array([1, 1]) }, bools, tol)).toContain('worst at [1]');
  });
});
