import { readFileSync } from 'node:fs';
import { type Tensor, tensor, zeros } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { swaUtils } from '../src/index.js';

/** torch's averages of a weight over four updates (fixtures/extra_schedules.py). */
const averages = (
  JSON.parse(readFileSync(new URL('./fixtures/extra-schedules.json', import.meta.url), 'utf8')) as {
    cases: { AveragedModel: { ema: number[][]; swa: number[][] } };
  }
).cases.AveragedModel;

const TARGETS = [
  [1, -2],
  [3, 0.5],
  [-1, 4],
  [0.25, 0.75],
];

/** A model as @gd/nn would shape it, written structurally: parameters, buffers and forward. */
class TinyLinear {
  weight = tensor([1, -2], { requiresGrad: true });
  runningMean = zeros(2);
  parameters(): Tensor[] {
    return [this.weight];
  }
  buffers(): Tensor[] {
    return [this.runningMean];
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.weight).sum();
  }
}

function track(avg: swaUtils.AveragedModel<TinyLinear>, model: TinyLinear): number[][] {
  return TARGETS.map((t) => {
    model.weight.detach().copy_(tensor(t));
    avg.updateParameters(model);
    return Array.from(avg.module.weight.dataSync());
  });
}

describe('AveragedModel', () => {
  it('keeps the SWA running mean of the parameters, as torch does', () => {
    const model = new TinyLinear();
    const swa = new swaUtils.AveragedModel(model);
    expect(track(swa, model)).toEqual(averages.swa);
    expect(swa.nAveraged).toBe(4);
  });

  it('keeps an exponential moving average with getEmaAvgFn', () => {
    const model = new TinyLinear();
    expect(track(new swaUtils.AveragedModel(model, swaUtils.getEmaAvgFn(0.9)), model)).toEqual(averages.ema);
    const multi = new TinyLinear();
    expect(track(new swaUtils.AveragedModel(multi, { multiAvgFn: swaUtils.getEmaMultiAvgFn(0.9) }), multi).at(-1)![0]).toBeCloseTo(
      averages.ema.at(-1)![0]!,
      6,
    );
  });

  it('works on a deep copy: same class, own tensors, forward runs the copy', () => {
    const model = new TinyLinear();
    const avg = new swaUtils.AveragedModel(model);
    expect(avg.module).toBeInstanceOf(TinyLinear);
    expect(avg.module.weight).not.toBe(model.weight);
    expect(avg.module.weight.requiresGrad).toBe(true);
    model.weight.detach().fill_(5);
    expect((avg.forward(tensor([1, 1])) as Tensor).item()).toBe(-1);
  });

  it('copies buffers from the model unless useBuffers averages them too', () => {
    const model = new TinyLinear();
    const synced = new swaUtils.AveragedModel(model);
    const averagedBuffers = new swaUtils.AveragedModel(model, { useBuffers: true });
    for (const v of [2, 4]) {
      model.runningMean.fill_(v);
      synced.updateParameters(model);
      averagedBuffers.updateParameters(model);
    }
    expect(synced.module.runningMean.tolist()).toEqual([4, 4]);
    expect(averagedBuffers.module.runningMean.tolist()).toEqual([3, 3]);
  });
});

describe('updateBn', () => {
  it('resets batch-norm statistics, runs the loader with momentum null, then restores momentum and mode', () => {
    const seen: (number | null)[] = [];
    const bn = {
      momentum: 0.1 as number | null,
      runningMean: tensor([5]),
      resets: 0,
      resetRunningStats(): void {
        this.resets++;
      },
    };
    const model = {
      training: false,
      modes: [] as boolean[],
      modules: () => [model, bn],
      train(mode = true): void {
        model.training = mode;
        model.modes.push(mode);
      },
      forward: (x: Tensor): void => void seen.push(bn.momentum, x.item() as number),
    };
    swaUtils.updateBn([[tensor([1]), 'label'], tensor([2])], model);
    expect(bn.resets).toBe(1);
    expect(seen).toEqual([null, 1, null, 2]);
    expect(bn.momentum).toBe(0.1);
    expect(model.modes).toEqual([true, false]);
  });
});
