import '@gd/autograd';
import { tensor, type Tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { Adadelta, Adagrad, Adam, AdamW, LBFGS, NAdam, OneCycleLR, RMSprop, Rprop, SGD, swaUtils } from '../src/index.js';

const param = (): Tensor => tensor([1, 2], { requiresGrad: true });

describe('refused arguments raise PyTorch errors', () => {
  it.each([
    ['a negative lr', () => new SGD([param()], { lr: -0.1 }), 'ValueError', 'Invalid learning rate: -0.1'],
    ['a negative momentum', () => new SGD([param()], { lr: 0.1, momentum: -0.5 }), 'ValueError', 'Invalid momentum value: -0.5'],
    ['a negative weight decay', () => new AdamW([param()], { weightDecay: -1 }), 'ValueError', 'Invalid weight_decay value: -1.0'],
    ['beta1 of 1', () => new Adam([param()], { betas: [1, 0.999] }), 'ValueError', 'Invalid beta parameter at index 0: 1.0'],
    ['beta2 above 1', () => new NAdam([param()], { betas: [0.9, 1.5] }), 'ValueError', 'Invalid beta parameter at index 1: 1.5'],
    ['a negative eps', () => new RMSprop([param()], { eps: -1e-8 }), 'ValueError', 'Invalid epsilon value: -1e-08'],
    ['rho above 1', () => new Adadelta([param()], { rho: 1.5 }), 'ValueError', 'Invalid rho value: 1.5'],
    ['a negative lr decay', () => new Adagrad([param()], { lrDecay: -1 }), 'ValueError', 'Invalid lr_decay value: -1.0'],
    ['etas out of order', () => new Rprop([param()], { etas: [1.2, 0.5] }), 'ValueError', 'Invalid eta values: 1.2, 0.5'],
    [
      'Nesterov without momentum',
      () => new SGD([param()], { lr: 0.1, nesterov: true }),
      'ValueError',
      'Nesterov momentum requires a momentum and zero dampening',
    ],
    [
      'Nesterov with dampening',
      () => new SGD([param()], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }),
      'ValueError',
      'Nesterov momentum requires a momentum and zero dampening',
    ],
    ['no parameters', () => new SGD([], { lr: 0.1 }), 'ValueError', 'optimizer got an empty parameter list'],
    [
      'a bare tensor',
      () => new SGD(param() as never, { lr: 0.1 }),
      'TypeError',
      'params argument given to the optimizer should be an iterable of Tensors or dicts, but got Tensor',
    ],
    [
      'a non-tensor parameter',
      () => new SGD([1 as never], { lr: 0.1 }),
      'TypeError',
      'optimizer can only optimize Tensors, but one of the params is int',
    ],
    ['a non-leaf tensor', () => new SGD([param().mul(2)], { lr: 0.1 }), 'ValueError', "can't optimize a non-leaf Tensor"],
    [
      'a parameter in two groups',
      () => {
        const p = param();
        return new SGD([{ params: [p] }, { params: [p] }], { lr: 0.1 });
      },
      'ValueError',
      'some parameters appear in more than one parameter group',
    ],
    [
      'LBFGS with two groups',
      () => new LBFGS([{ params: [param()] }, { params: [param()] }]),
      'ValueError',
      "LBFGS doesn't support per-parameter options (parameter groups)",
    ],
    [
      'LBFGS.step without a closure',
      () => new LBFGS([param()]).step(),
      'TypeError',
      "LBFGS.step() missing 1 required positional argument: 'closure'",
    ],
    [
      'an unknown SWALR anneal strategy',
      () => new swaUtils.SWALR(new SGD([param()], 0.1), { swaLr: 0.01, annealStrategy: 'step' as never }),
      'ValueError',
      "anneal_strategy must by one of 'cos' or 'linear', instead got step",
    ],
  ])('%s', (_, make, name, message) => {
    expect(make).toThrowError(expect.objectContaining({ name, message }));
  });
});

describe('a refused call changes nothing', () => {
  it('addParamGroup with a parameter already optimized leaves the groups as they were', () => {
    const p = param();
    const opt = new SGD([p], { lr: 0.1 });
    expect(() => opt.addParamGroup({ params: [param(), p] })).toThrow('some parameters appear in more than one parameter group');
    expect(opt.paramGroups.length).toBe(1);
  });

  it('loadStateDict with another group structure leaves state and groups untouched', () => {
    const p = param();
    const opt = new Adam([p], { lr: 0.1 });
    p.grad = tensor([1, -1]);
    opt.step();
    const before = opt.stateDict();
    const other = new Adam([{ params: [param()] }, { params: [param()] }]).stateDict();
    expect(() => opt.loadStateDict(other)).toThrowError(
      expect.objectContaining({ name: 'ValueError', message: 'loaded state dict has a different number of parameter groups' }),
    );
    const sized = new Adam([param(), param()]).stateDict();
    expect(() => opt.loadStateDict(sized)).toThrow(
      "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
    );
    expect(opt.stateDict().paramGroups).toEqual(before.paramGroups);
    expect((opt.state.get(p)!.expAvg as Tensor).tolist()).toEqual((before.state[0]!.expAvg as Tensor).tolist());
  });

  it('OneCycleLR refuses to step past totalSteps and keeps its epoch and lr', () => {
    const opt = new SGD([param()], { lr: 0.1, momentum: 0.9 });
    const sched = new OneCycleLR(opt, { maxLr: 1, totalSteps: 11 });
    for (let i = 0; i < 11; i++) sched.step();
    const lr = opt.paramGroups[0]!.lr;
    expect(() => sched.step()).toThrowError(
      expect.objectContaining({ name: 'ValueError', message: 'Tried to step 13 times. The specified number of total steps is 11' }),
    );
    expect(sched.lastEpoch).toBe(11);
    expect(opt.paramGroups[0]!.lr).toBe(lr);
  });
});
