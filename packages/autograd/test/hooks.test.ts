import { type NestedArray, type Tensor, tensor } from '@gd/tensor';
import '@gd/autograd';
import { describe, expect, it } from 'vitest';

const leaf = (data: NestedArray) => tensor(data).requiresGrad_();

describe('tensor hooks', () => {
  it('see the gradient of a non-leaf and may replace it for what comes before', () => {
    const x = leaf([1, 2]);
    const y = x.mul(3);
    const seen: number[][] = [];
    y.registerHook((g) => {
      seen.push(g.tolist() as number[]);
      return g.mul(10);
    });
    y.sum().backward();
    expect(seen).toEqual([[1, 1]]);
    expect(x.grad!.tolist()).toEqual([30, 30]);
  });

  it('on a leaf change what is accumulated into .grad', () => {
    const x = leaf([1, 2]);
    x.registerHook((g) => g.add(1));
    x.mul(2).sum().backward();
    expect(x.grad!.tolist()).toEqual([3, 3]);
  });

  it('stop running once removed', () => {
    const x = leaf([1]);
    let calls = 0;
    const handle = x.registerHook(() => {
      calls++;
    });
    x.mul(2).sum().backward();
    handle.remove();
    x.mul(2).sum().backward();
    expect(calls).toBe(1);
    expect(x.grad!.tolist()).toEqual([4]);
  });

  it('run in registration order, each seeing the previous one’s result', () => {
    const x = leaf([1]);
    const y = x.mul(1);
    const order: string[] = [];
    y.registerHook((g) => {
      order.push(`a${g.item()}`);
      return g.mul(2);
    });
    y.registerHook((g) => {
      order.push(`b${g.item()}`);
    });
    y.sum().backward();
    expect(order).toEqual(['a1', 'b2']);
  });

  it('refuse a replacement of another shape', () => {
    const x = leaf([1, 2, 3]);
    const y = x.mul(2);
    y.registerHook(function hook(): Tensor {
      return tensor([1, 2]);
    });
    expect(() => y.sum().backward()).toThrowError("hook 'hook' has changed the size of value");
    expect(x.grad).toBeNull();
  });

  it('cannot be registered on a tensor that does not require grad', () => {
    expect(() => tensor([1]).registerHook(() => undefined)).toThrowError(
      "cannot register a hook on a tensor that doesn't require gradient",
    );
  });
});
