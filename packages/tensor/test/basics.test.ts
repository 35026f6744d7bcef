import { describe, expect, it } from 'vitest';
import { arange, ones, tensor, zeros } from '../src/index.js';

describe('basic ops', () => {
  it('adds and reduces', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = a.add(1).mul(a);
    expect(b.tolist()).toEqual([
      [2, 6],
      [12, 20],
    ]);
    expect(b.sum().item()).toBe(40);
    expect(b.sum(0).tolist()).toEqual([14, 26]);
    expect(a.t().contiguous().tolist()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(a.matmul(a).tolist()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    expect(arange(6).view(2, 3).tolist()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(zeros(2).add(ones(3, 1)).shape).toEqual([3, 2]);
    expect(() => zeros(3).add(zeros(4))).toThrow(
      'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0',
    );
  });
});

describe('views', () => {
  it('a 0-d tensor views as any shape of one element', () => {
    const x = tensor(3);
    expect(x.view(1, 1).shape).toEqual([1, 1]);
    expect(x.view(1, 1).storage).toBe(x.storage);
    expect(x.reshape(-1).tolist()).toEqual([3]);
  });
});
