import { describe, expect, it } from 'vitest';
import { keep, scope, type Tensor, tensor } from '../src/index.js';

describe('scope(fn) disposes what fn made and did not return', () => {
  it('disposes temporaries and returns the result alive', () => {
    const x = tensor([1, 2, 3]);
    let temp!: Tensor;
    const y = scope(() => {
      temp = x.mul(2);
      return temp.add(1);
    });
    expect(temp.isDisposed).toBe(true);
    expect(y.tolist()).toEqual([3, 5, 7]);
    expect(x.isDisposed).toBe(false);
  });

  it('keeps tensors returned inside arrays, plain objects and Maps', () => {
    const x = tensor([1, 2]);
    const out = scope(() => ({ list: [x.add(1)], map: new Map([['m', x.mul(3)]]), nested: { t: x.neg() } }));
    expect(out.list[0]!.tolist()).toEqual([2, 3]);
    expect(out.map.get('m')!.tolist()).toEqual([3, 6]);
    expect(out.nested.t.tolist()).toEqual([-1, -2]);
  });

  it('keep() exempts a tensor from every enclosing scope', () => {
    const x = tensor([1, 2]);
    let kept!: Tensor;
    scope(() => {
      scope(() => {
        kept = keep(x.add(1));
      });
    });
    expect(kept.tolist()).toEqual([2, 3]);
  });

  it('hands a returned tensor to the enclosing scope, which disposes it unless it returns it too', () => {
    const x = tensor([1, 2]);
    let inner!: Tensor;
    const outer = scope(() => {
      inner = scope(() => x.add(1));
      expect(inner.isDisposed).toBe(false);
      return inner.mul(2);
    });
    expect(inner.isDisposed).toBe(true);
    expect(outer.tolist()).toEqual([4, 6]);
  });

  it('a returned view keeps the storage of the disposed tensor it views', () => {
    const x = tensor([1, 2, 3, 4]);
    const v = scope(() => x.mul(10).view(2, 2).select(0, 1));
    expect(v.tolist()).toEqual([30, 40]);
  });

  it('disposes temporaries when fn throws, and rethrows', () => {
    const x = tensor([1, 2]);
    let temp!: Tensor;
    expect(() =>
      scope(() => {
        temp = x.add(1);
        x.add(tensor([1, 2, 3]));
      }),
    ).toThrowError('The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0');
    expect(temp.isDisposed).toBe(true);
  });

  it('refuses an async function', () => {
    expect(() => scope(async () => tensor([1]))).toThrowError('scope() needs a synchronous function');
  });

  it('keeps new leaves that require grad and tensors assigned to .grad', () => {
    const { w, g } = scope(() => {
      const w = tensor([1, 2]).requiresGrad_();
      w.grad = tensor([0.5, 0.5]);
      return { w: w.detach().requiresGrad_(), g: w.grad };
    });
    expect(w.tolist()).toEqual([1, 2]);
    expect(g.tolist()).toEqual([0.5, 0.5]);
  });
});
