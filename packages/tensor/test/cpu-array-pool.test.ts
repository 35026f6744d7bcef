import { describe, expect, it } from 'vitest';
import { full, scope, tensor, zeros } from '../src/index.js';

describe('the cpu backend reuses the arrays of disposed storages', () => {
  it('a disposed storage lends its array to the next storage of its size, zero-filled', () => {
    const a = full([20000], 7);
    const array = a.storage.data;
    a.dispose();
    const b = zeros([20000]);
    expect(b.storage.data).toBe(array);
    expect(b.sum().item()).toBe(0);
    expect(() => a.tolist()).toThrowError('Tensor has been disposed');
  });

  it('an op output taking a reused array holds exactly its own values', () => {
    const x = full([3, 10000], 2);
    scope(() => x.mul(5).exp());
    const y = x.add(tensor([1, 2, 3]).view(3, 1));
    expect(y.select(1, 9999).tolist()).toEqual([3, 4, 5]);
    expect(y.sum().item()).toBe(120000);
  });

  it('small arrays are not pooled', () => {
    const a = zeros([100]);
    const array = a.storage.data;
    a.dispose();
    expect(zeros([100]).storage.data).not.toBe(array);
  });
});
