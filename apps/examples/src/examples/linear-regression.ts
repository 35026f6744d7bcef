import { Linear, MSELoss } from '@gd/nn';
import { ASGD, Adadelta, Adagrad, Adam, Adamax, AdamW, LBFGS, NAdam, type Optimizer, RAdam, RMSprop, Rprop, SGD } from '@gd/optim';
import { arange, manualSeed, type Tensor, tensor } from '@gd/tensor';
import type { Example } from '../example.js';
import { LinearRegressionModel } from './seed-003.js';

const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]).view(-1, 1);
const tUn = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]).mul(0.1).view(-1, 1);

/** One optimizer per row; the learning rates are each optimizer's usual scale for this problem. */
const CONTENDERS: readonly [string, (params: Tensor[]) => Optimizer][] = [
  ['SGD', (p) => new SGD(p, { lr: 1e-2 })],
  ['SGD+momentum', (p) => new SGD(p, { lr: 1e-2, momentum: 0.9 })],
  ['Adam', (p) => new Adam(p, { lr: 0.5 })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.5 })],
  ['Adamax', (p) => new Adamax(p, { lr: 0.5 })],
  ['NAdam', (p) => new NAdam(p, { lr: 0.5 })],
  ['RAdam', (p) => new RAdam(p, { lr: 0.05 })],
  ['RMSprop', (p) => new RMSprop(p, { lr: 0.05 })],
  ['Adagrad', (p) => new Adagrad(p, { lr: 2 })],
  ['Adadelta', (p) => new Adadelta(p, { lr: 10 })],
  ['ASGD', (p) => new ASGD(p, { lr: 1e-2 })],
  ['Rprop', (p) => new Rprop(p, { lr: 0.01 })],
  ['LBFGS', (p) => new LBFGS(p, { lr: 1, lineSearchFn: 'strong_wolfe' })],
];

/** A Linear(1, 1) fit of the thermometer data; returns the final loss and the first step within 1e-3 of the optimum. */
function fitThermometer(make: (params: Tensor[]) => Optimizer, steps: number, optimum: number): { loss: number; converged: number | null } {
  manualSeed(0);
  const model = new Linear(1, 1);
  const optimizer = make([...model.parameters()]);
  const criterion = new MSELoss();
  let loss = Number.NaN;
  let converged: number | null = null;
  for (let step = 1; step <= steps; step++) {
    const closure = (): Tensor => {
      optimizer.zeroGrad();
      const l = criterion.forward(model.forward(tUn), tC);
      l.backward();
      return l;
    };
    const l = optimizer.step(closure) as Tensor;
    loss = l.item() as number;
    if (converged === null && loss - optimum < 1e-3) converged = step;
  }
  return { loss, converged };
}

/**
 * Lesson 003's LinearRegressionModel on y = 2x + 1, then the thermometer data of lesson 004 fitted
 * by every optimizer side by side.
 */
export const linearRegression: Example = {
  name: 'linear-regression',
  description: "lesson 003's model on y = 2x + 1, then every optimizer on the thermometer data",
  run(print) {
    manualSeed(0);
    const x = arange(11, { dtype: 'float32' }).view(-1, 1);
    const y = x.mul(2).add(1);
    const model = new LinearRegressionModel();
    const criterion = new MSELoss();
    const sgd = new SGD(model.parameters(), { lr: 0.01 });
    let loss: Tensor = criterion.forward(model.forward(x), y);
    for (let epoch = 0; epoch < 50; epoch++) {
      sgd.zeroGrad();
      loss = criterion.forward(model.forward(x), y);
      loss.backward();
      sgd.step();
    }
    print(
      `Linear(1, 1, bias=False) on y = 2x + 1 after 50 epochs: weight ${(model.linear.weight.item() as number).toFixed(4)}, loss ${(loss.item() as number).toFixed(4)}`,
    );
    print('(without a bias the best fit of 2x + 1 on 0..10 is w = 2.1429)');
    print('');
    const optimum = 2.927647;
    print('Thermometer data (lesson 004), Linear(1, 1), 2000 steps:');
    print('| optimizer | final loss | steps to within 1e-3 of 2.927647 |');
    print('| --- | --- | --- |');
    for (const [name, make] of CONTENDERS) {
      const { loss: final, converged } = fitThermometer(make, name === 'LBFGS' ? 20 : 2000, optimum);
      print(`| ${name} | ${final.toFixed(6)} | ${converged ?? 'not within 2000'} |`);
    }
  },
};
