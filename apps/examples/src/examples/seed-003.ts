import { Linear, Module, MSELoss } from '@gd/nn';
import { SGD } from '@gd/optim';
import { arange, manualSeed, type Tensor } from '@gd/tensor';
import type { Example } from '../example.js';
import { show } from '../py.js';

/** The lesson's model: one weight, no bias. */
export class LinearRegressionModel extends Module {
  linear = new Linear(1, 1, { bias: false });

  override forward(x: Tensor): Tensor {
    return this.linear.forward(x);
  }
}

/**
 * Lesson 003: a Module, MSELoss and SGD in a training loop. The lesson does not show its data;
 * like the tutorial it comes from, it fits y = 2x + 1 on x = 0..10. The weights start from
 * manualSeed(0), as `torch.manual_seed(0)` would give them.
 */
export const seed003: Example = {
  name: 'seed-003',
  description: 'LinearRegressionModel (Linear(1, 1, bias=False)), MSELoss and SGD over 50 epochs',
  run(print) {
    manualSeed(0);
    const xTrain = arange(11, { dtype: 'float32' }).view(-1, 1);
    const yTrain = xTrain.mul(2).add(1);
    const model = new LinearRegressionModel();
    const criterion = new MSELoss();
    const optimizer = new SGD(model.parameters(), { lr: 0.01 });
    print(String(model));

    let loss = criterion.forward(model.forward(xTrain.clone().requiresGrad_()), yTrain);
    loss.backward();
    optimizer.step();
    print(`before zero grad :  ${show(model.linear.weight.grad)}`);
    optimizer.zeroGrad();
    print(`After zero grad :  ${show(model.linear.weight.grad)}`);

    for (let epoch = 0; epoch < 50; epoch++) {
      const inputs = xTrain.clone().requiresGrad_();
      optimizer.zeroGrad();
      const outputs = model.forward(inputs);
      loss = criterion.forward(outputs, yTrain);
      loss.backward();
      optimizer.step();
      print(`epoch ${epoch}, loss ${loss.item()}`);
    }
  },
};
