// CONTRIBUTING.md, recipe 2 ("add an optimizer or an lr scheduler"), followed on a toy pair
// defined here: Signum, which steps by the sign of a momentum buffer, and an inverse-square-root
// lr schedule. In the package each class is one file in src/ (plus its export line); the checks
// are the ones a new optimizer needs: a trajectory against real torch (fixtures/recipe_signum.py
// runs the same classes written for torch.optim) and a bit-for-bit resume from a JSON checkpoint.
import '@gd/autograd';
import { readFileSync } from 'node:fs';
import { readArgs, type Tensor, zerosLike } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { type Closure, LRScheduler, Optimizer, type OptimizerStateDict, stateDictFromJSON, stateDictToJSON } from '../src/index.js';
import { firstMismatch, fromJson, type JsonTensor } from './golden.js';

type SignumOptions = { lr: number; beta: number };

class Signum extends Optimizer<SignumOptions> {
  constructor(params: Iterable<Tensor>, ...args: (number | Partial<SignumOptions> | undefined)[]) {
    super(params, readArgs<SignumOptions>(args, ['lr', 'beta'], { lr: 1e-3, beta: 0.9 }));
  }

  step(closure?: Closure): unknown {
    return this.updateEach(closure, (p, grad, { lr, beta }) => {
      const state = this.stateOf(p);
      state.momentumBuffer ??= zerosLike(p);
      const buf = (state.momentumBuffer as Tensor).mul_(beta).add_(grad, { alpha: 1 - beta });
      p.add_(buf.sign(), { alpha: -lr });
    });
  }
}

class InverseSqrtLR extends LRScheduler {
  constructor(optimizer: Optimizer<object>, lastEpoch = -1) {
    super(optimizer);
    this.initialize(lastEpoch);
  }

  getLr(): number[] {
    return this.baseLrs.map((lr) => lr / Math.sqrt(this.lastEpoch + 1));
  }
}

interface Reference {
  options: SignumOptions;
  data: { X: JsonTensor; Y: JsonTensor };
  init: JsonTensor[];
  steps: number;
  trajectory: JsonTensor[][];
  lrs: number[];
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/recipe-signum.json', import.meta.url), 'utf8')) as Reference;
const X = fromJson(ref.data.X);
const Y = fromJson(ref.data.Y);

function fresh() {
  const params = ref.init.map((t) => fromJson(t, true));
  const optimizer = new Signum(params, ref.options);
  const scheduler = new InverseSqrtLR(optimizer);
  const epoch = (): void => {
    optimizer.step(() => {
      optimizer.zeroGrad();
      X.matmul(params[0]!.t()).add(params[1]!).sub(Y).pow(2).mean().backward();
    });
    scheduler.step();
  };
  return { params, optimizer, scheduler, epoch };
}

describe('recipe: add an optimizer and an lr scheduler', () => {
  it('follows the torch trajectory and lr sequence step by step', () => {
    const run = fresh();
    for (let step = 0; step < ref.steps; step++) {
      run.epoch();
      expect(run.scheduler.getLastLr()).toEqual([ref.lrs[step]]);
      run.params.forEach((p, i) => {
        const expected = ref.trajectory[step]![i]!.data;
        const at = firstMismatch(p.dataSync(), expected, 1e-5, 1e-6);
        expect(at, `step ${step + 1}, param ${i}: got ${p.dataSync()[at]}, expected ${expected[at]}`).toBe(-1);
      });
    }
  });

  it('resumes from a JSON checkpoint bit for bit', () => {
    const straight = fresh();
    for (let i = 0; i < ref.steps; i++) straight.epoch();

    const first = fresh();
    for (let i = 0; i < ref.steps / 2; i++) first.epoch();
    const checkpoint = JSON.stringify({
      params: first.params.map((p) => stateDictToJSON(p)),
      optimizer: stateDictToJSON(first.optimizer.stateDict()),
      scheduler: stateDictToJSON(first.scheduler.stateDict()),
    });
    const saved = JSON.parse(checkpoint) as { params: unknown[]; optimizer: unknown; scheduler: unknown };
    const resumed = fresh();
    resumed.params.forEach((p, i) => p.detach().copy_(stateDictFromJSON<Tensor>(saved.params[i])));
    resumed.optimizer.loadStateDict(stateDictFromJSON<OptimizerStateDict>(saved.optimizer));
    resumed.scheduler.loadStateDict(stateDictFromJSON(saved.scheduler));
    for (let i = 0; i < ref.steps / 2; i++) resumed.epoch();

    expect(resumed.params.map((p) => Array.from(p.dataSync()))).toEqual(straight.params.map((p) => Array.from(p.dataSync())));
    expect(resumed.scheduler.getLastLr()).toEqual(straight.scheduler.getLastLr());
  });
});
