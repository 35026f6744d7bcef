import { describe, expect, it } from 'vitest';
import { parseArg, parseTensor, toTensor, transposeLastTwo } from '../src/fixtures.js';

describe('parseTensor', () => {
  it('defaults to float32 and reads the non-finite strings', () => {
    const t = parseTensor({ shape: [4], data: [1.5, 'NaN', 'Infinity', '-Infinity'] });
    expect(t.dtype).toBe('float32');
    expect(t.values).toEqual([1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(t.layout).toBe('contiguous');
    expect(t.requiresGrad).toBe(false);
  });

  it('reads 0-d, empty, int64 and bool tensors', () => {
    expect(parseTensor({ shape: [], data: [2] }).values).toEqual([2]);
    expect(parseTensor({ shape: [2, 0], data: [] }).values).toEqual([]);
    expect(parseTensor({ shape: [2], dtype: 'int64', data: [0, 3] })).toMatchObject({ dtype: 'int64', values: [0, 3] });
    expect(parseTensor({ shape: [2], dtype: 'bool', data: [true, false] })).toMatchObject({ dtype: 'bool', values: [1, 0] });
  });

  it('rejects data that does not fill the shape', () => {
    expect(() => parseTensor({ shape: [2, 3], data: [1, 2] })).toThrow('fixture tensor of shape [2, 3] has 2 values');
  });
});

describe('parseArg', () => {
  it('tells tensors, Python scalars, tensor lists and absent arguments apart', () => {
    expect(parseArg({ scalar: 2.5 })).toEqual({ kind: 'scalar', value: 2.5 });
    expect(parseArg(null)).toEqual({ kind: 'absent' });
    const list = parseArg({
      tensors: [
        { shape: [1], data: [1] },
        { shape: [1], data: [2] },
      ],
    });
    expect(list.kind === 'tensors' && list.tensors.map((t) => t.values)).toEqual([[1], [2]]);
    expect(parseArg({ shape: [1], data: [3], requiresGrad: true })).toMatchObject({ kind: 'tensor', tensor: { requiresGrad: true } });
  });
});

describe('transposed layout', () => {
  const logical = { shape: [2, 3], data: [1, 2, 3, 4, 5, 6], layout: 'transposed', requiresGrad: true };

  it('stores the transpose of the last two dims contiguously, batch by batch', () => {
    expect(transposeLastTwo([1, 2, 3, 4, 5, 6], [2, 3])).toEqual([1, 4, 2, 5, 3, 6]);
    expect(transposeLastTwo([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])).toEqual([1, 3, 2, 4, 5, 7, 6, 8]);
  });

  it('builds a non-contiguous leaf whose logical values are the fixture data', () => {
    const t = toTensor(parseTensor(logical));
    expect(t.shape).toEqual([2, 3]);
    expect(t.isContiguous()).toBe(false);
    expect(t.strides).toEqual([1, 2]);
    expect(t.tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.isLeaf).toBe(true);
    expect(t.requiresGrad).toBe(true);
  });

  it('builds contiguous tensors of every dtype', () => {
    expect(toTensor(parseTensor({ shape: [2], dtype: 'int64', data: [1, 2] })).dtype).toBe('int64');
    expect(toTensor(parseTensor({ shape: [2], dtype: 'bool', data: [true, false] })).tolist()).toEqual([true, false]);
    expect(toTensor(parseTensor({ shape: [], data: ['NaN'] })).item()).toBeNaN();
  });
});
