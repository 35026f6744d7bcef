import '@gd/autograd';
import { scope, type Tensor, tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';

describe('scope() and autograd', () => {
  it('a returned loss can still be backpropagated: its saved tensors outlive the scope', () => {
    const w = tensor([0.5, -1], { requiresGrad: true });
    const x = tensor([1, 2]);
    let hidden!: Tensor;
    const loss = scope(() => {
      hidden = w.mul(x);
      return hidden.exp().sum();
    });
    loss.backward();
    // d/dw sum(exp(w*x)) = x * exp(w*x), as torch prints it: tensor([1.6487, 0.2707])
    expect((w.grad!.tolist() as number[]).map((v) => v.toFixed(4))).toEqual(['1.6487', '0.2707']);
    expect(hidden.isDisposed).toBe(true);
  });

  it('a whole training step inside a scope keeps the parameters and their gradients', () => {
    const w = tensor([1, 0], { requiresGrad: true });
    const x = tensor([1, 2, 3]);
    for (let step = 0; step < 3; step++) {
      scope(() => {
        w.grad = null;
        const [a, b] = w.unbind();
        a!.mul(x).add(b!).pow(2).mean().backward();
      });
    }
    expect(w.grad!.isDisposed).toBe(false);
    // mean((x + 0)^2) w.r.t. (a, b) at (1, 0): (mean(2x^2), mean(2x)) = (28/3, 4)
    expect((w.grad!.tolist() as number[]).map((v) => v.toFixed(4))).toEqual(['9.3333', '4.0000']);
  });
});
