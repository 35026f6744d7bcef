import { mseLoss, type Tensor, tensor } from '@gd/tensor';
import { noGrad } from '@gd/autograd';
import { describe, expect, it } from 'vitest';
import { fixtureTensor, mismatches, type RawTensor, readGolden } from './golden.js';

interface SeedCase {
  id: string;
  kind: string;
  expected: Record<string, RawTensor> & { epochs?: number[] };
  params?: number[];
  data?: Record<string, RawTensor>;
  input?: string;
  rtol: number;
  atol: number;
}

const seeds = new Map(
  readGolden<SeedCase>('nn.json')
    .filter((c) => c.kind === 'seed')
    .map((c) => [c.id, c]),
);
const seed = (id: string): SeedCase => seeds.get(id)!;
const expectMatches = (actual: Tensor, c: SeedCase, key: string) =>
  expect(mismatches(actual, c.expected[key]!, c.rtol, c.atol)).toEqual([]);

/** The lesson's model and loss: t_p = w * t_u + b with params = [w, b], loss = mean((t_p - t_c)^2). */
function thermometerLoss(params: Tensor, tU: Tensor, tC: Tensor): Tensor {
  const tP = params.select(0, 0).mul(tU).add(params.select(0, 1));
  return tP.sub(tC).pow(2).mean();
}

describe('the seed lessons (nn.json seed cases)', () => {
  it('loss = theta * theta gives grad 2 at theta = 1', () => {
    const c = seed('seed/square/backward');
    const theta = tensor(1).requiresGrad_();
    const loss = theta.mul(theta);
    loss.backward();
    expectMatches(loss, c, 'loss');
    expectMatches(theta.grad!, c, 'grad');
  });

  it('backward accumulates into .grad: three calls give 2, 4, 6', () => {
    const c = seed('seed/grad_accumulation');
    const theta = tensor(1).requiresGrad_();
    const grads: number[] = [];
    for (let i = 0; i < 3; i++) {
      theta.mul(theta).backward();
      grads.push(theta.grad!.item() as number);
    }
    expect(mismatches(tensor(grads), c.expected.grads!, c.rtol, c.atol)).toEqual([]);
  });

  it('manual gradient descent on theta^2 under noGrad follows 0.6^(i+1)', () => {
    const c = seed('seed/square/manual_gd');
    const theta = tensor(1).requiresGrad_();
    const thetas: number[] = [];
    for (let i = 0; i < 20; i++) {
      theta.mul(theta).backward();
      noGrad(() => {
        theta.sub_(theta.grad!.mul(0.2));
        theta.grad!.zero_();
      });
      thetas.push(theta.item() as number);
    }
    expect(mismatches(tensor(thetas), c.expected.thetas!, c.rtol, c.atol)).toEqual([]);
  });

  it('E = (theta x - y)^2 has gradient -4, by hand and through mseLoss', () => {
    for (const id of ['seed/scalar_regression/manual', 'seed/scalar_regression/mse_loss']) {
      const c = seed(id);
      const theta = tensor(1).requiresGrad_();
      const prediction = theta.mul(2);
      const e = id.endsWith('manual') ? prediction.sub(3).pow(2) : mseLoss(prediction, tensor(3));
      e.backward();
      expectMatches(e, c, 'E');
      expectMatches(theta.grad!, c, 'grad');
    }
  });

  it('thermometer gradient on raw t_u is [4517.2969, 82.6]', () => {
    const c = seed('seed/thermometer/grad_raw');
    const params = tensor(c.params!).requiresGrad_();
    const loss = thermometerLoss(params, fixtureTensor(c.data!.tU!), fixtureTensor(c.data!.tC!));
    loss.backward();
    expectMatches(loss, c, 'loss');
    expectMatches(params.grad!, c, 'grad');
  });

  it('5000 epochs of manual SGD on t_un reach the lesson losses and params', () => {
    const c = seed('seed/thermometer/train_normalized');
    const params = tensor(c.params!).requiresGrad_();
    const tUn = fixtureTensor(c.data!.tUn!);
    const tC = fixtureTensor(c.data!.tC!);
    const losses: number[] = [];
    const logged = new Set(c.expected.epochs);
    for (let epoch = 1; epoch <= 5000; epoch++) {
      const loss = thermometerLoss(params, tUn, tC);
      params.grad?.zero_();
      loss.backward();
      noGrad(() => params.sub_(params.grad!.mul(1e-2)));
      if (logged.has(epoch)) losses.push(loss.item() as number);
    }
    expect(mismatches(tensor(losses), c.expected.losses!, c.rtol, c.atol)).toEqual([]);
    expectMatches(params, c, 'params');
  });
});
