import { grad } from '@gd/autograd';
import { matmul, type NestedArray, tanh, type Tensor, tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';

const leaf = (data: NestedArray) => tensor(data).requiresGrad_();
const values = (t: Tensor | null) => Array.from(t!.dataSync());
const near = (actual: Tensor | null, expected: number[]) => values(actual).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));

describe('grad (torch.autograd.grad)', () => {
  it('returns gradients without touching .grad', () => {
    const x = leaf([1, 2, 3]);
    const [g] = grad(x.mul(x).sum(), x);
    expect(g!.tolist()).toEqual([2, 4, 6]);
    expect(x.grad).toBeNull();
  });

  it('takes gradOutputs for non-scalar outputs', () => {
    const x = leaf([1, 2]);
    expect(grad(x.mul(3), x, { gradOutputs: tensor([1, 10]) })[0]!.tolist()).toEqual([3, 30]);
    expect(() => grad(x.mul(3), x)).toThrowError('grad can be implicitly created only for scalar outputs');
  });

  it('gives gradients with respect to intermediate tensors', () => {
    const x = leaf([1, 2]);
    const y = x.mul(2);
    const [gy, gx] = grad(y.mul(y).sum(), [y, x]);
    expect(gy!.tolist()).toEqual([4, 8]);
    expect(gx!.tolist()).toEqual([8, 16]);
  });

  it('refuses an input the outputs do not depend on, unless allowUnused', () => {
    const x = leaf([1]);
    const unused = leaf([1]);
    expect(() => grad(x.mul(2).sum(), [x, unused])).toThrowError(
      'One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.',
    );
    const [gx, gu] = grad(x.mul(2).sum(), [x, unused], { allowUnused: true });
    expect([gx!.tolist(), gu]).toEqual([[2], null]);
    expect(() => grad(x.mul(2).sum(), tensor([1]))).toThrowError('One of the differentiated Tensors does not require grad');
  });

  it('with createGraph gives differentiable gradients: d/dx, d2/dx2, d3/dx3 of x^3', () => {
    // torch: [0.75, 3, 12], [3, -6, 12], [6, 6, 6]
    const x = leaf([0.5, -1, 2]);
    const [d1] = grad(x.pow(3).sum(), x, { createGraph: true });
    expect(d1!.tolist()).toEqual([0.75, 3, 12]);
    expect(d1!.requiresGrad).toBe(true);
    const [d2] = grad(d1!.sum(), x, { createGraph: true });
    expect(d2!.tolist()).toEqual([3, -6, 12]);
    const [d3] = grad(d2!.sum(), x);
    expect(d3!.tolist()).toEqual([6, 6, 6]);
  });

  it('computes Hessian-vector products', () => {
    // f = sum(sin(x) x^2) + x0 x2, H v as printed by torch
    const x = leaf([0.3, -0.7, 1.1]);
    const f = x
      .sin()
      .mul(x.pow(2))
      .sum()
      .add(x.select(0, 0).mul(x.select(0, 2)));
    const [g] = grad(f, x, { createGraph: true });
    const [hv] = grad(g!, x, { gradOutputs: tensor([1, 0.5, -2]) });
    near(hv!, [-0.28915250301361084, -1.5571633577346802, -4.399753570556641]);
  });

  it('backpropagates a gradient penalty through the input gradient', () => {
    // WGAN-GP style: mean((||d D / d x||_2 - 1)^2) with D = sum(tanh(x W)); values from torch.
    const w = leaf([
      [0.2, -0.4],
      [0.7, 0.1],
      [-0.3, 0.5],
    ]);
    const x = leaf([
      [1, 2, -1],
      [0.5, -0.5, 0.25],
    ]);
    const d = tanh(matmul(x, w)).sum();
    const [gx] = grad(d, x, { createGraph: true });
    const gp = gx!.pow(2).sum(1).sqrt().sub(1).pow(2).mean();
    gp.backward();
    expect(gp.item()).toBeCloseTo(0.20443038642406464, 6);
    near(
      w.grad,
      [0.039601005613803864, -0.020245254039764404, -0.18347415328025818, -0.8932380080223083, -0.09357709437608719, -0.048202961683273315],
    );
    near(
      x.grad,
      [0.11622823774814606, -0.03815846890211105, -0.14467853307724, -0.005014498718082905, -0.04356404021382332, 0.00925596896559],
    );
  });

  it('backward with createGraph leaves a differentiable .grad', () => {
    const x = leaf([1, 2, 3]);
    x.mul(x).sum().backward(null, { createGraph: true });
    expect(x.grad!.tolist()).toEqual([2, 4, 6]);
    expect(x.grad!.requiresGrad).toBe(true);
    const [h] = grad(x.grad!.sum(), x);
    expect(h!.tolist()).toEqual([2, 2, 2]);
  });
});
