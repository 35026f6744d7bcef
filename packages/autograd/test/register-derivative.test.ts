import { registerDerivative } from '@gd/autograd';
import { dispatch, type Tensor, tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';

/** An op defined outside @gd/tensor: its name is not in OP_NAMES. */
const twice = (x: Tensor): Tensor => dispatch('twiceForTest', [x], { factor: 2 }, () => x.mul(2));

describe('registerDerivative', () => {
  it('an external op without a rule cannot be recorded', () => {
    const x = tensor([1, 2]).requiresGrad_();
    expect(() => dispatch('undefinedForTest', [x], {}, () => x.mul(2))).toThrow(
      "the derivative for 'undefinedForTest' is not implemented.",
    );
  });

  it('gives an external op a node and a gradient, its attrs passed to the rule', () => {
    registerDerivative<{ factor: number }>('twiceForTest', {
      name: 'TwiceBackward0',
      backward: (grad, ctx) => [grad.mul(ctx.attrs.factor)],
    });
    const x = tensor([1, 2]).requiresGrad_();
    const y = twice(x);
    expect(String(y.gradFn)).toBe('<TwiceBackward0>');
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 2]);
  });

  it('refuses every built-in name, differentiable or not, and changes nothing', () => {
    expect(() => registerDerivative('exp', { name: 'ExpBackward0', backward: (g) => [g] })).toThrow(
      "registerDerivative: 'exp' is a built-in op; its derivative cannot be replaced",
    );
    expect(() => registerDerivative('argmax', { name: 'ArgmaxBackward', backward: (g) => [g] })).toThrow(/'argmax' is a built-in op/);
    const x = tensor([0]).requiresGrad_();
    x.exp().backward();
    expect(String(x.exp().gradFn)).toBe('<ExpBackward0>');
    expect(x.grad!.tolist()).toEqual([1]);
  });
});
