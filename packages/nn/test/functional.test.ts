import { tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { F, Parameter } from '../src/index.js';

describe('F', () => {
  it('gathers torch.nn.functional under camelCase names', () => {
    for (const name of [
      'linear',
      'relu',
      'softmax',
      'logSoftmax',
      'mseLoss',
      'crossEntropy',
      'nllLoss',
      'conv2d',
      'maxPool2d',
      'layerNorm',
      'batchNorm',
      'embedding',
      'dropout',
      'unfold',
      'fold',
    ])
      expect(typeof (F as Record<string, unknown>)[name], name).toBe('function');
  });

  it('relu(x, true) works in place and returns x', () => {
    const x = tensor([-1, 2]);
    expect(F.relu(x, true)).toBe(x);
    expect(x.tolist()).toEqual([0, 2]);
    expect(F.relu(tensor([-3, 3])).tolist()).toEqual([0, 3]);
  });

  it("softmax without a dim uses PyTorch's legacy choice: dim 1 for 2-d input, dim 0 for 1-d and 3-d", () => {
    const two = F.softmax(
      tensor([
        [0, 0],
        [1, 1],
      ]),
    ).tolist() as number[][];
    expect(two).toEqual([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
    const three = F.softmax(tensor([[[0]], [[0]]])).tolist() as number[][][];
    expect(three).toEqual([[[0.5]], [[0.5]]]);
    expect(F.logSoftmax(tensor([0, 0]), 0).tolist()).toEqual([Math.fround(-Math.LN2), Math.fround(-Math.LN2)]);
  });
});

describe('Parameter', () => {
  it('prints as PyTorch prints a parameter', () => {
    expect(String(new Parameter(tensor([1])))).toBe('Parameter containing:\ntensor([1.], requires_grad=True)');
  });

  it('param.data = t rebinds the values and keeps the object', () => {
    const p = new Parameter(tensor([1, 2]));
    p.data = tensor([[3], [4], [5]], { dtype: 'float64' });
    expect(p.shape).toEqual([3, 1]);
    expect(p.dtype).toBe('float64');
    expect(p.requiresGrad).toBe(true);
    expect(p.tolist()).toEqual([[3], [4], [5]]);
  });
});
