import { Function, type FunctionCtx, grad } from '@gd/autograd';
import { type Tensor, tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';

class MyExp extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    const y = x.exp();
    ctx.saveForBackward(y);
    return y;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [y] = ctx.savedTensors;
    return g.mul(y!);
  }
}

/** x * k with a number argument, which gets no gradient. */
class Scale extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor, k: number): Tensor {
    ctx.k = k;
    return x.mul(k);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    return [g.mul(ctx.k as number), null];
  }
}

class ForgetsAGradient extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor, _k: number): Tensor {
    return x.mul(2);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(2);
  }
}

class WrongShape extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(2);
  }
  static override backward(): Tensor {
    return tensor([1, 1]);
  }
}

describe('custom Function', () => {
  it('records a <Name>Backward node that calls the static backward', () => {
    const x = tensor([0, 1]).requiresGrad_();
    const y = MyExp.apply<Tensor>(x);
    expect(y.gradFn!.name).toBe('MyExpBackward');
    expect(y.gradFn!.nextFunctions[0]![0]?.name).toBe('AccumulateGrad');
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([1, Math.fround(Math.E)]);
  });

  it('runs forward without recording and passes non-tensor arguments through', () => {
    const x = tensor([1, 2]).requiresGrad_();
    const y = Scale.apply<Tensor>(x, 3);
    expect(y.gradFn!.nextFunctions).toHaveLength(2);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([3, 3]);
  });

  it('is differentiable twice when its backward uses recorded ops', () => {
    const x = tensor([0.5]).requiresGrad_();
    const [g] = grad(MyExp.apply<Tensor>(x).sum(), x, { createGraph: true });
    const [h] = grad(g!.sum(), x);
    expect(h!.item()).toBeCloseTo(Math.exp(0.5), 6);
  });

  it('records nothing when no input requires grad', () => {
    expect(MyExp.apply<Tensor>(tensor([1])).gradFn).toBeNull();
  });

  it('refuses a backward returning the wrong number of gradients', () => {
    const x = tensor([1]).requiresGrad_();
    expect(() => ForgetsAGradient.apply<Tensor>(x, 2).sum().backward()).toThrowError(
      'function ForgetsAGradientBackward returned an incorrect number of gradients (expected 2, got 1)',
    );
  });

  it('refuses a gradient that does not fit the input', () => {
    const x = tensor([1, 2, 3]).requiresGrad_();
    expect(() => WrongShape.apply<Tensor>(x).sum().backward()).toThrowError(
      'Function WrongShapeBackward returned an invalid gradient at index 0 - got [2] but expected shape compatible with [3]',
    );
  });

  it('frees saved tensors after backward', () => {
    const x = tensor([1]).requiresGrad_();
    const y = MyExp.apply<Tensor>(x).sum();
    y.backward();
    expect(() => y.backward()).toThrowError(/^Trying to backward through the graph a second time/);
  });
});
