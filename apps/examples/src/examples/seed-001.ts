import { Parameter } from '@gd/nn';
import { Adam, LBFGS, RMSprop, SGD } from '@gd/optim';
import { type Tensor, tensor } from '@gd/tensor';
import type { Example } from '../example.js';
import { pyFloat, show } from '../py.js';

/** Lesson 001: gradient descent by hand, then with autograd, then with torch.optim. */
export const seed001: Example = {
  name: 'seed-001',
  description: 'gradient descent by hand, with autograd and with an optimizer; optimizer reprs',
  run(print) {
    // 1. Plain numbers: the derivative of θ² is 2θ.
    const squareFunctionGrad = (theta: number) => 2 * theta;
    const oneStep = (theta: number, lr: number) => theta - lr * squareFunctionGrad(theta);
    print(pyFloat(oneStep(1, 0.2)));
    let theta = 1.0;
    for (let i = 0; i < 20; i++) {
      theta = oneStep(theta, 0.2);
      print(`𝜃:  ${pyFloat(theta)}`);
    }
    print(`𝜃 after optimization: ${pyFloat(theta)}`);

    // 2. Autograd: a Parameter remembers the operations applied to it.
    const parameters = new Parameter(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    print(String(parameters));
    print(String(parameters.add(5)));
    print(String(parameters.exp()));

    let t = new Parameter(tensor([1]));
    let loss = t.mul(t);
    print(String(loss));
    print(show(t.grad));
    loss = t.mul(t);
    loss.backward();
    print(show(t.grad));

    const gradientAutograd = (value: Tensor): Tensor => {
      const withGrad = new Parameter(value);
      withGrad.mul(withGrad).backward();
      return withGrad.grad!;
    };
    const gdTorchAutograd = (initial: Tensor, lr: number, steps: number): Tensor => {
      let value = initial;
      for (let i = 0; i < steps; i++) {
        value = value.sub(gradientAutograd(value).mul(lr));
        print(`${value} -- gd:  ${gradientAutograd(value)}`);
      }
      return value;
    };
    const initialTheta = tensor([1]);
    print(String(gdTorchAutograd(initialTheta, 0.2, 10)));
    print(String(gradientAutograd(initialTheta)));

    t = new Parameter(tensor([1]));
    loss = t.mul(t);
    print(show(t.grad));
    loss.backward();
    print(show(t.grad));
    print(String(t));

    // 3. Optimizers.
    const listParameters = [t];
    const optimizer = new SGD(listParameters, { lr: 0.2 });
    print(String(optimizer));
    for (const nth of ['1st', '2nd', '3rd']) {
      t.mul(t).backward();
      print(`After ${nth} loss.backward(): theta.grad=${show(t.grad)}`);
    }
    let optimiser = new SGD(listParameters, { lr: 0.2 });
    optimiser.zeroGrad();
    t.mul(t).backward();
    print(`After 1st loss.backward(): theta.grad=${show(t.grad)}`);
    optimiser.zeroGrad();
    print(`After optimiser.zero_grad(): theta.grad=${show(t.grad)}`);
    t.mul(t).backward();
    print(`After 2nd loss.backward(): theta.grad=${show(t.grad)}`);

    optimiser = new SGD(listParameters, { lr: 0.2 });
    optimiser.zeroGrad();
    t.mul(t).backward();
    print(`Before optimization step: ${t}`);
    optimiser.step();
    print(`After optimization step: ${t}`);

    const gdWithOptimizer = (initial: Tensor, lr: number, steps: number): Tensor => {
      const p = new Parameter(initial);
      const opt = new SGD([p], { lr });
      for (let i = 0; i < steps; i++) {
        opt.zeroGrad();
        p.mul(p).sum().backward();
        opt.step();
        print(String(p));
      }
      return p;
    };
    print(String(gdWithOptimizer(tensor([1, -1]), 0.2, 10)));

    print(String(new Adam(listParameters)));
    print(String(new RMSprop(listParameters)));
    print(String(new LBFGS(listParameters)));
  },
};
