import { noGrad } from '@gd/autograd';
import * as optim from '@gd/optim';
import { SGD } from '@gd/optim';
import { type Tensor, tensor } from '@gd/tensor';
import type { Example } from '../example.js';

const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const tU = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
const tUn = tU.mul(0.1);

const model = (t: Tensor, w: Tensor, b: Tensor): Tensor => w.mul(t).add(b);
const lossFn = (tP: Tensor, t: Tensor): Tensor => tP.sub(t).pow(2).mean();

/** Lesson 004: the thermometer: autograd on a linear model, a training loop, then torch.optim. */
export const seed004: Example = {
  name: 'seed-004',
  description: 'the thermometer model: grads, a 5000-epoch training loop, and SGD steps',
  run(print) {
    let params = tensor([1.0, 0.0], { requiresGrad: true });
    let loss = lossFn(model(tU, ...(params.unbind() as [Tensor, Tensor])), tC);
    loss.backward();
    print(String(params.grad));

    const trainingLoop = (nEpochs: number, learningRate: number, p: Tensor, tu: Tensor, tc: Tensor): Tensor => {
      for (let epoch = 1; epoch <= nEpochs; epoch++) {
        if (p.grad !== null) p.grad.zero_();
        const tP = model(tu, ...(p.unbind() as [Tensor, Tensor]));
        const l = lossFn(tP, tc);
        l.backward();
        noGrad(() => p.sub_(p.grad!.mul(learningRate)));
        if (epoch % 500 === 0) print(`Epoch ${epoch}, Loss ${(l.item() as number).toFixed(6)}`);
      }
      return p;
    };
    print(String(trainingLoop(5000, 1e-2, tensor([1.0, 0.0], { requiresGrad: true }), tUn, tC)));

    // dir(torch.optim), gd's way: everything @gd/optim exports, printed as Python prints a list.
    print(
      `[${Object.keys(optim)
        .sort()
        .map((name) => `'${name}'`)
        .join(',\n ')}]`,
    );

    params = tensor([1.0, 0.0], { requiresGrad: true });
    let optimizer = new SGD([params], { lr: 1e-5 });
    loss = lossFn(model(tU, ...(params.unbind() as [Tensor, Tensor])), tC);
    loss.backward();
    optimizer.step();
    print(String(params));

    params = tensor([1.0, 0.0], { requiresGrad: true });
    optimizer = new SGD([params], { lr: 1e-2 });
    loss = lossFn(model(tUn, ...(params.unbind() as [Tensor, Tensor])), tC);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    print(String(params));
  },
};
