import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { noGrad } from '@gd/autograd';
import { type GradFn, type Tensor, tensor } from '@gd/tensor';
import { expect, it } from 'vitest';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

it('10,000 training iterations of the thermometer loop keep no graph alive', async () => {
  const tC = tensor([0.5, 14, 15, 28, 11, 8, 3, -4, 6, 13, 21]);
  const tUn = tensor([3.57, 5.59, 5.82, 8.19, 5.63, 4.89, 3.39, 2.18, 4.84, 6.04, 6.84]);
  const params = tensor([1, 0]).requiresGrad_();
  let created = 0;
  let collected = 0;
  const registry = new FinalizationRegistry<null>(() => collected++);
  const watch = (fn: GradFn | null) => {
    registry.register(fn!, null);
    created++;
  };
  for (let epoch = 0; epoch < 10_000; epoch++) {
    const p: Tensor = params.select(0, 0).mul(tUn).add(params.select(0, 1));
    const loss = p.sub(tC).pow(2).mean();
    watch(loss.gradFn);
    watch(p.gradFn);
    params.grad?.zero_();
    loss.backward();
    noGrad(() => params.sub_(params.grad!.mul(1e-2)));
  }
  for (let i = 0; i < 5 && collected < created; i++) {
    await nextTask();
    collectGarbage();
  }
  await nextTask();
  expect(created).toBe(20_000);
  expect(collected).toBe(created);
  expect(params.gradFn).toBeNull();
}, 120_000);
