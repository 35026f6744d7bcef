import { Parameter } from '@gd/nn';
import { SGD } from '@gd/optim';
import { tensor } from '@gd/tensor';
import type { Example } from '../example.js';
import { show } from '../py.js';

/** Lesson 000: gradients accumulate; zeroGrad() clears them; step() applies θ ← θ − λ·∂L/∂θ. */
export const seed000: Example = {
  name: 'seed-000',
  description: 'zero_grad() and step(): gradients accumulate until cleared; one SGD step',
  run(print) {
    {
      const theta = new Parameter(tensor([1]));
      let loss = theta.mul(theta);
      loss.backward();
      print(`After 1st loss.backward(): theta.grad=${show(theta.grad)}`);
      loss = theta.mul(theta); // the loss must be recomputed before each backward()
      loss.backward();
      print(`After 2nd loss.backward(): theta.grad=${show(theta.grad)}`);
      loss = theta.mul(theta);
      loss.backward();
      print(`After 3rd loss.backward(): theta.grad=${show(theta.grad)}`);
    }
    {
      const theta = new Parameter(tensor([1]));
      const optimiser = new SGD([theta], { lr: 0.2 });
      optimiser.zeroGrad();
      let loss = theta.mul(theta);
      loss.backward();
      print(`After 1st loss.backward(): theta.grad=${show(theta.grad)}`);
      optimiser.zeroGrad();
      print(`After optimiser.zero_grad(): theta.grad=${show(theta.grad)}`);
      print('# gd follows PyTorch 2.x: zeroGrad() sets grads to None; the lesson, run on PyTorch 1.x, printed tensor([0.])');
      loss = theta.mul(theta);
      loss.backward();
      print(`After 2nd loss.backward(): theta.grad=${show(theta.grad)}`);
    }
    {
      const theta = new Parameter(tensor([1]));
      const optimiser = new SGD([theta], { lr: 0.2 });
      optimiser.zeroGrad();
      const loss = theta.mul(theta);
      loss.backward();
      print(`Parameters BEFORE optimisation step: ${theta}`);
      optimiser.step();
      print(`Parameters AFTER optimisation step: ${theta}`);
    }
  },
};
