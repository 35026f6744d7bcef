import { type NestedArray, tensor, zeros } from '@gd/tensor';
import '@gd/autograd';
import { gradcheck } from '@gd/autograd';
import { describe, expect, it } from 'vitest';

const leaf = (data: NestedArray) => tensor(data).requiresGrad_();

// Expected gradients printed by torch 1.13 for the same programs.
describe('in-place changes of views (CopySlices)', () => {
  it('a change through a view reaches the base: x.clone()[0] *= x[1]', () => {
    const x = leaf([1, 2, 3]);
    const y = x.clone();
    y.select(0, 0).mul_(x.select(0, 1));
    expect(y.gradFn?.name).toBe('CopySlices');
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 2, 1]);
  });

  it('copying a result into a slice of a plain tensor makes that tensor require grad', () => {
    const x = leaf([1, 2, 3]);
    const buf = zeros(3);
    buf.slice(0, 1).copy_(x.slice(0, 0, 2).mul(2));
    expect([buf.requiresGrad, buf.gradFn?.name]).toEqual([true, 'CopySlices']);
    buf.sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 2, 0]);
  });

  it('works through a transposed view, and the view itself is re-derived from the base', () => {
    const x = leaf([
      [1, 2],
      [3, 4],
    ]);
    const y = x.mul(1);
    const v = y.t();
    v.select(0, 0).mul_(10);
    expect(v.gradFn?.name).toBe('AsStridedBackward0');
    y.mul(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    )
      .sum()
      .backward();
    expect(x.grad!.tolist()).toEqual([
      [10, 2],
      [30, 4],
    ]);
  });

  it('the changed view carries on in the graph', () => {
    const x = leaf([1, 2, 3]);
    const v = x.mul(1).slice(0, 1);
    v.mul_(2);
    v.mul(v).sum().backward();
    expect(x.grad!.tolist()).toEqual([0, 16, 24]);
  });

  it('a view made before the change sees it when used afterwards', () => {
    const x = leaf([1, 2, 3]);
    const y = x.mul(1);
    const a = y.slice(0, 0, 2);
    const b = y.slice(0, 1);
    a.mul_(2);
    expect(b.gradFn?.name).toBe('AsStridedBackward0');
    b.sum().backward();
    expect(x.grad!.tolist()).toEqual([0, 2, 1]);
  });

  it('refuses a view of a leaf that requires grad', () => {
    const w = leaf([1, 1, 1]);
    expect(() => w.select(0, 0).mul_(2)).toThrowError(
      'a view of a leaf Variable that requires grad is being used in an in-place operation.',
    );
    expect(w.tolist()).toEqual([1, 1, 1]);
  });

  it('gives first and second derivatives that match finite differences', () => {
    const f = (x: ReturnType<typeof leaf>) => {
      const y = x.mul(x);
      y.slice(0, 1, 3).mul_(x.slice(0, 0, 2));
      return y.exp();
    };
    const x = tensor([0.3, -0.2, 0.5], { dtype: 'float64' }).requiresGrad_();
    expect(gradcheck(f, [x])).toBe(true);
  });

  it('refuses an in-place change of an unbind output, which is one of several views of its input', () => {
    const y = leaf([1, 2]).mul(1);
    const [w] = y.unbind();
    expect(() => w!.mul_(2)).toThrowError(
      'Output 0 of UnbindBackward0 is a view and is being modified inplace. This view is the output of a function that returns multiple views.',
    );
    expect(y.tolist()).toEqual([1, 2]);
  });

  it('refuses an in-place change of a split output, like an unbind output', () => {
    const y = leaf([1, 2, 3, 4]).mul(1);
    const [, second] = y.split(2);
    expect(() => second!.add_(1)).toThrowError('Output 1 of SplitBackward0 is a view and is being modified inplace.');
    expect(y.tolist()).toEqual([1, 2, 3, 4]);
  });
});
