import { AccumulateGrad, enableGrad, inferenceMode, isGradEnabled, noGrad, setGradEnabled } from '@gd/autograd';
import * as gd from '@gd/tensor';
import { type Tensor, tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';

const leaf = (data: gd.NestedArray) => tensor(data).requiresGrad_();

describe('recording', () => {
  it('names each node as PyTorch does', () => {
    const x = leaf([1, 2, 3]);
    const y = leaf([4, 5, 6]);
    const a = leaf([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = leaf([[1], [2], [3]]);
    const batch = leaf([[[1, 2, 3]]]);
    const w = leaf([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    // Names printed by torch 1.13 for the same expressions.
    const cases: [string, () => Tensor][] = [
      ['AddBackward0', () => x.add(y)],
      ['AddBackward0', () => gd.add(2, x)],
      ['SubBackward0', () => x.sub(2)],
      ['RsubBackward1', () => gd.sub(2, x)],
      ['MulBackward0', () => x.mul(2)],
      ['DivBackward0', () => x.div(y)],
      ['MulBackward0', () => gd.div(2, x)],
      ['PowBackward0', () => x.pow(2)],
      ['PowBackward1', () => x.pow(y)],
      ['PowBackward2', () => gd.pow(2, x)],
      ['ExpBackward0', () => x.exp()],
      ['MeanBackward0', () => x.mean()],
      ['MeanBackward1', () => a.mean(1)],
      ['SumBackward0', () => x.sum()],
      ['SumBackward1', () => a.sum(0)],
      ['MmBackward0', () => a.mm(b)],
      ['MmBackward0', () => a.matmul(b)],
      ['DotBackward0', () => x.matmul(y)],
      ['MvBackward0', () => a.matmul(x)],
      ['UnsafeViewBackward0', () => batch.matmul(b)],
      ['AddmmBackward0', () => gd.linear(a, w, x.slice(0, 0, 2))],
      ['MmBackward0', () => gd.linear(a, w)],
      ['MseLossBackward0', () => gd.mseLoss(x, y)],
      ['SelectBackward0', () => x.select(0, 1)],
      ['UnbindBackward0', () => x.unbind(0)[1]!],
      ['SplitBackward0', () => x.split(2)[1]!],
      ['SplitBackward0', () => x.chunk(2)[0]!],
      ['SplitWithSizesBackward0', () => x.split([1, 2])[1]!],
      ['SliceBackward0', () => x.slice(0, 1)],
      ['ViewBackward0', () => a.view(6)],
      ['UnsafeViewBackward0', () => a.t().reshape(6)],
      ['TransposeBackward0', () => a.transpose(0, 1)],
      ['TBackward0', () => a.t()],
      ['PermuteBackward0', () => a.T],
      ['TransposeBackward0', () => a.mT],
      ['PermuteBackward0', () => a.permute(1, 0)],
      ['ExpandBackward0', () => x.expand(2, 3)],
      ['SqueezeBackward0', () => b.squeeze()],
      ['SqueezeBackward1', () => b.squeeze(1)],
      ['UnsqueezeBackward0', () => x.unsqueeze(0)],
      ['CloneBackward0', () => x.clone()],
      ['ToCopyBackward0', () => x.double()],
      ['MaxBackward1', () => gd.max(x)],
      ['MaxBackward0', () => gd.max(a, 1).values],
      ['AmaxBackward0', () => a.amax(1)],
      ['ClampBackward1', () => x.clamp(0, 1)],
      ['WhereBackward0', () => gd.where(x.gt(2), x, y)],
      ['ReluBackward0', () => x.relu()],
      ['SoftmaxBackward0', () => gd.softmax(a, 1)],
      ['CatBackward0', () => gd.cat([x, y])],
      ['NllLossBackward0', () => gd.crossEntropy(a, tensor([0, 2], { dtype: 'int64' }))],
    ];
    for (const [name, f] of cases) expect(f().gradFn?.name).toBe(name);
  });

  it('marks user-created tensors as leaves and recorded results as non-leaves that require grad', () => {
    const x = leaf([1, 2]);
    const c = tensor([3, 4]);
    const y = x.mul(c);
    expect([x.isLeaf, x.gradFn]).toEqual([true, null]);
    expect([y.isLeaf, y.requiresGrad]).toEqual([false, true]);
    const z = c.mul(2);
    expect([z.isLeaf, z.requiresGrad, z.gradFn]).toEqual([true, false, null]);
  });

  it('links nodes through nextFunctions, (null, 0) for inputs without grad and a shared AccumulateGrad per leaf', () => {
    const x = leaf([1, 2]);
    const c = tensor([3, 4]);
    const y = x.mul(c);
    const [first, second] = y.gradFn!.nextFunctions;
    const [acc, nr] = first!;
    const [none, noneNr] = second!;
    expect(acc).toBeInstanceOf(AccumulateGrad);
    expect((acc as AccumulateGrad).variable).toBe(x);
    expect([nr, none, noneNr]).toEqual([0, null, 0]);
    expect(x.mul(3).gradFn!.nextFunctions[0]![0]).toBe(acc);
    expect(x.mul(2).gradFn!.nextFunctions).toEqual([
      [acc, 0],
      [null, 0],
    ]);
    const z = y.exp();
    expect(z.gradFn!.nextFunctions).toEqual([[y.gradFn, 0]]);
  });

  it('gives no history to integer outputs such as indices', () => {
    const x = leaf([
      [3, 1],
      [2, 5],
    ]);
    const { values, indices } = gd.max(x, 1);
    expect(values.gradFn?.name).toBe('MaxBackward0');
    expect([indices.gradFn, indices.requiresGrad, indices.dtype]).toEqual([null, false, 'int64']);
    expect(x.argmax().requiresGrad).toBe(false);
    expect(x.gt(2).requiresGrad).toBe(false);
  });

  it('records nothing under noGrad or inferenceMode, and again under enableGrad', () => {
    const x = leaf([1, 2]);
    expect(noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(inferenceMode(() => x.mul(2)).gradFn).toBeNull();
    expect(noGrad(() => enableGrad(() => x.mul(2))).gradFn?.name).toBe('MulBackward0');
    expect(noGrad(() => isGradEnabled())).toBe(false);
    expect(isGradEnabled()).toBe(true);
    setGradEnabled(false);
    try {
      expect(x.mul(2).requiresGrad).toBe(false);
    } finally {
      setGradEnabled(true);
    }
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  it('detach cuts a tensor from the graph and shares its storage', () => {
    const x = leaf([1, 2]);
    const y = x.mul(2);
    const d = y.detach();
    expect([d.requiresGrad, d.gradFn, d.storage]).toEqual([false, null, y.storage]);
  });

  it('moves history onto a non-leaf changed in place', () => {
    const x = leaf([1, 2]);
    const y = x.mul(2);
    y.add_(1);
    expect(y.gradFn?.name).toBe('AddBackward0');
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 2]);
  });
});
