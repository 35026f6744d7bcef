import '@gd/autograd';
import { tensor, type Tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, LBFGS, optimizers, RMSprop, SGD, stateDictFromJSON, stateDictToJSON, type OptimizerStateDict } from '../src/index.js';

const param = (values: number[]): Tensor => tensor(values, { requiresGrad: true });

describe('Optimizer', () => {
  it('takes the seed lesson step: theta 1, loss theta², SGD lr 0.2 gives 0.6', () => {
    const theta = param([1]);
    const opt = new SGD([theta], { lr: 0.2 });
    opt.zeroGrad();
    theta.mul(theta).backward();
    opt.step();
    expect(theta.item()).toBe(Math.fround(0.6));
    expect(new SGD([theta], 0.1).paramGroups[0]!.lr).toBe(0.1);
  });

  it('zeroGrad sets grads to null by default and to zeros with setToNone false', () => {
    const p = param([1, 2]);
    const opt = new SGD([p], { lr: 0.1 });
    p.mul(p).sum().backward();
    opt.zeroGrad(false);
    expect(p.grad!.tolist()).toEqual([0, 0]);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });

  it('step returns the closure loss and skips parameters without a grad', () => {
    const a = param([1]);
    const b = param([5]);
    const opt = new SGD([a, b], { lr: 0.5, momentum: 0.9, weightDecay: 0.1 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = a.mul(a).sum();
      l.backward();
      return l;
    });
    expect((loss as Tensor).item()).toBe(1);
    expect(a.item()).toBeCloseTo(1 - 0.5 * 2.1, 6);
    expect(b.item()).toBe(5);
    expect(opt.state.has(b)).toBe(false);
  });

  it('reads options from the mutable parameter groups: a changed lr takes effect at the next step', () => {
    const p = param([1]);
    const opt = new SGD([p], { lr: 0.1 });
    opt.paramGroups[0]!.lr = 0.25;
    p.grad = tensor([2]);
    opt.step();
    expect(p.item()).toBe(0.5);
  });

  it('fills a new group from the defaults and keeps its own options', () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new Adam([a], { lr: 0.01, betas: [0.8, 0.9] });
    opt.addParamGroup({ params: b, lr: 0.5 });
    expect(opt.paramGroups[1]).toMatchObject({ params: [b], lr: 0.5, betas: [0.8, 0.9], eps: 1e-8, amsgrad: false });
  });

  it('prints PyTorch layout with sorted camelCase options', () => {
    const p = param([1]);
    expect(String(new SGD([p], { lr: 0.2 }))).toBe(
      'SGD (\nParameter Group 0\n    dampening: 0\n    lr: 0.2\n    maximize: false\n    momentum: 0\n    nesterov: false\n    weightDecay: 0\n)',
    );
    expect(String(new LBFGS([p]))).toBe(
      'LBFGS (\nParameter Group 0\n    historySize: 100\n    lineSearchFn: null\n    lr: 1\n    maxEval: 25\n    maxIter: 20\n    toleranceChange: 1e-9\n    toleranceGrad: 1e-7\n)',
    );
    expect(String(new Adam([{ params: [p] }, { params: [param([2])], lr: 0.1, betas: [0.5, 0.6] }]))).toContain(
      'Parameter Group 1\n    amsgrad: false\n    betas: [0.5, 0.6]\n    eps: 1e-8\n    lr: 0.1\n',
    );
  });

  it('runs step pre-hooks (which may replace the arguments) and post-hooks until removed', () => {
    const p = param([1]);
    const opt = new SGD([p], { lr: 1 });
    const calls: string[] = [];
    const pre = opt.registerStepPreHook((o, args) => {
      calls.push(`pre ${o === opt} ${args.length}`);
      return [() => 7];
    });
    const post = opt.registerStepPostHook(() => void calls.push('post'));
    expect(opt.step()).toBe(7);
    pre.remove();
    post.remove();
    expect(opt.step()).toBeUndefined();
    expect(calls).toEqual(['pre true 0', 'post']);
  });

  it('saves state keyed by parameter index and groups with index lists, as JSON', () => {
    const a = param([1, 2]);
    const b = param([3]);
    const opt = new RMSprop([{ params: [a] }, { params: [b], lr: 0.5 }], { momentum: 0.9 });
    a.grad = tensor([0.5, -1]);
    opt.step();
    const sd = opt.stateDict();
    expect(sd.paramGroups.map((g) => [g.params, g.lr])).toEqual([
      [[0], 0.01],
      [[1], 0.5],
    ]);
    expect(Object.keys(sd.state)).toEqual(['0']);
    expect(Object.keys(sd.state[0]!)).toEqual(['step', 'squareAvg', 'momentumBuffer']);
    const json = JSON.parse(JSON.stringify(stateDictToJSON(sd))) as { state: Record<string, { squareAvg: unknown }> };
    const squareAvg = sd.state[0]!.squareAvg as Tensor;
    expect(json.state['0']!.squareAvg).toEqual({ $tensor: { dtype: 'float32', shape: [2], data: Array.from(squareAvg.dataSync()) } });
    const restored = stateDictFromJSON<OptimizerStateDict>(json);
    expect((restored.state[0]!.squareAvg as Tensor).tolist()).toEqual(squareAvg.tolist());
  });

  it('lists the optimizers of dir(torch.optim) (without SparseAdam)', () => {
    expect(Object.keys(optimizers)).toEqual([
      'ASGD',
      'Adadelta',
      'Adagrad',
      'Adam',
      'AdamW',
      'Adamax',
      'LBFGS',
      'NAdam',
      'Optimizer',
      'RAdam',
      'RMSprop',
      'Rprop',
      'SGD',
    ]);
  });
});
