import { noGrad } from '@gd/autograd';
import * as nn from '@gd/nn';
import { SGD } from '@gd/optim';
import { type Tensor, tensor } from '@gd/tensor';
import { actualOf, compareTensor, type Tolerance } from '../compare.js';
import { type GoldenCase, parseTensor, toTensor } from '../fixtures.js';
import { runCase, type Suite } from '../suite.js';

type Json = Record<string, unknown>;

/** A fixture tensor (`{shape, data, dtype?}`) as a gd tensor, requiring grad when asked. */
function fixture(raw: unknown, requiresGrad = false): Tensor {
  const t = toTensor(parseTensor(raw));
  if (requiresGrad) t.requiresGrad = true;
  return t;
}

function isFixtureTensor(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'shape' in v && 'data' in v;
}

/** Compares named results in order; the first mismatch, prefixed with its name, is the failure. */
function compareAll(pairs: readonly (readonly [string, Tensor | null | undefined, unknown])[], tol: Tolerance): string | null {
  for (const [name, actual, expected] of pairs) {
    if (actual === null || actual === undefined) return `${name}: gd computed nothing (expected a tensor)`;
    const failure = compareTensor(actualOf(actual), parseTensor(expected), tol);
    if (failure) return `${name}: ${failure}`;
  }
  return null;
}

/** A module or loss from the fixture's type name and camelCase options (tensor options become tensors). */
function build(type: string, options: Json): nn.Module {
  const opts = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, isFixtureTensor(v) ? fixture(v) : v]));
  switch (type) {
    case 'Linear':
      return new nn.Linear(opts.inFeatures as number, opts.outFeatures as number, { bias: opts.bias as boolean });
    case 'ReLU':
      return new nn.ReLU();
    case 'Tanh':
      return new nn.Tanh();
    case 'Sigmoid':
      return new nn.Sigmoid();
    case 'MSELoss':
      return new nn.MSELoss(opts);
    case 'CrossEntropyLoss':
      return new nn.CrossEntropyLoss(opts);
    case 'BCEWithLogitsLoss':
      return new nn.BCEWithLogitsLoss(opts);
    default:
      throw new Error(`unknown module type '${type}': the conformance runner has no mapping for it`);
  }
}

function stateOf(params: Json): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, fixture(v)]));
}

/** One module (a layer or a loss) forward, then backward with gradOutput; output and every listed grad compared. */
function checkModule(c: GoldenCase): string | null {
  const grads = c.grads as Json;
  const m = build(c.module as string, c.options as Json);
  if (c.params) m.loadStateDict(stateOf(c.params as Json));
  const input = fixture(c.input, 'input' in grads);
  const args = c.target === undefined ? [input] : [input, fixture(c.target, 'target' in grads)];
  const out = m.call(...args) as Tensor;
  out.backward(fixture(c.gradOutput));
  const params = Object.fromEntries(m.namedParameters());
  const gradOf = (name: string) => (name === 'input' ? args[0]!.grad : name === 'target' ? args[1]!.grad : params[name]?.grad);
  return compareAll(
    [['output', out, c.output], ...Object.entries(grads).map(([name, g]) => [`grads.${name}`, gradOf(name), g] as const)],
    c,
  );
}

function buildModel(c: GoldenCase): { model: nn.Sequential; loss: nn.Module } {
  const model = new nn.Sequential(...(c.layers as Json[]).map(({ type, ...options }) => build(type as string, options)));
  model.loadStateDict(stateOf(c.params as Json));
  const { type, ...lossOptions } = c.lossModule as Json;
  return { model, loss: build(type as string, lossOptions) };
}

/**
 * A small model: forward, loss and gradients (parameters by state-dict name, and the input), then
 * `trainConfig.steps` SGD steps from the same start: losses before each step and the final parameters.
 */
function checkModel(c: GoldenCase): string | null {
  const grads = c.grads as Json;
  const { model, loss } = buildModel(c);
  const input = fixture(c.input, 'input' in grads);
  const target = fixture(c.target);
  const output = model.call(input) as Tensor;
  const value = loss.call(output, target) as Tensor;
  value.backward();
  const params = Object.fromEntries(model.namedParameters());
  const forward = compareAll(
    [
      ['output', output, c.output],
      ['loss', value, c.loss],
      ...Object.entries(grads).map(([name, g]) => [`grads.${name}`, name === 'input' ? input.grad : params[name]?.grad, g] as const),
    ],
    c,
  );
  if (forward) return forward;

  const config = c.trainConfig as { optimizer: string; options: { lr: number }; steps: number };
  if (config.optimizer !== 'SGD') return `unknown optimizer '${config.optimizer}' in trainConfig`;
  const run = buildModel(c);
  const optimizer = new SGD(run.model.parameters(), config.options);
  const losses: number[] = [];
  for (let i = 0; i < config.steps; i++) {
    optimizer.zeroGrad();
    const l = run.loss.call(run.model.call(fixture(c.input)) as Tensor, target) as Tensor;
    l.backward();
    losses.push(l.item() as number);
    optimizer.step();
  }
  const train = c.train as { losses: unknown; params: Json };
  const after = run.model.stateDict();
  return compareAll(
    [
      ['train.losses', tensor(losses), train.losses],
      ...Object.entries(train.params).map(([k, v]) => [`train.params.${k}`, after[k], v] as const),
    ],
    c,
  );
}

/** A scalar as a 0-d float32 tensor. */
const scalar = (v: unknown, requiresGrad = false): Tensor => tensor(v as number, { requiresGrad });

/** The thermometer model of the seed lesson: t_p = w · t_u + b with params = [w, b], loss = mean((t_p − t_c)²). */
function thermometerLoss(params: Tensor, tU: Tensor, tC: Tensor): Tensor {
  return params.select(0, 0).mul(tU).add(params.select(0, 1)).sub(tC).pow(2).mean();
}

/** The project's seed examples, each reproduced step by step as its `description` says. */
const SEEDS: Readonly<Record<string, (c: GoldenCase) => Record<string, Tensor>>> = {
  'seed/square/backward': (c) => {
    const theta = scalar(c.theta, true);
    const loss = theta.mul(theta);
    loss.backward();
    return { loss, grad: theta.grad! };
  },
  'seed/square/sgd_step': (c) => {
    const theta = new nn.Parameter(scalar(c.theta));
    const optimizer = new SGD([theta], { lr: c.lr as number });
    optimizer.zeroGrad();
    theta.mul(theta).backward();
    optimizer.step();
    return { theta };
  },
  'seed/square/manual_gd': (c) => {
    const theta = scalar(c.theta, true);
    const thetas: number[] = [];
    for (let i = 0; i < (c.steps as number); i++) {
      theta.mul(theta).backward();
      noGrad(() => {
        theta.sub_(theta.grad!.mul(c.lr as number));
        theta.grad!.zero_();
      });
      thetas.push(theta.item() as number);
    }
    return { thetas: tensor(thetas) };
  },
  'seed/scalar_regression/manual': (c) => scalarRegression(c, (p, x, y) => p.mul(x).sub(y).pow(2)),
  'seed/scalar_regression/mse_loss': (c) => scalarRegression(c, (p, x, y) => new nn.MSELoss().call(p.mul(x), y)),
  'seed/thermometer/grad_raw': (c) => {
    const { params, tU, tC } = thermometer(c);
    const loss = thermometerLoss(params, tU, tC);
    loss.backward();
    return { loss, grad: params.grad! };
  },
  'seed/thermometer/train_normalized': (c) => {
    const { params, tU, tC } = thermometer(c);
    const optimizer = new SGD([params], { lr: c.lr as number });
    const logAt = new Set((c.expected as { epochs: number[] }).epochs);
    const losses: number[] = [];
    for (let epoch = 1; epoch <= (c.epochs as number); epoch++) {
      const loss = thermometerLoss(params, tU, tC);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      if (logAt.has(epoch)) losses.push(loss.item() as number);
    }
    return { losses: tensor(losses), params };
  },
  'seed/thermometer/sgd_step_raw': (c) => thermometerStep(c),
  'seed/thermometer/sgd_step_normalized': (c) => thermometerStep(c),
  'seed/grad_accumulation': (c) => {
    const theta = scalar(c.theta, true);
    const grads: number[] = [];
    for (let i = 0; i < (c.calls as number); i++) {
      theta.mul(theta).backward();
      grads.push(theta.grad!.item() as number);
    }
    return { grads: tensor(grads) };
  },
};

function scalarRegression(c: GoldenCase, error: (theta: Tensor, x: Tensor, y: Tensor) => Tensor): Record<string, Tensor> {
  const theta = new nn.Parameter(scalar(c.theta));
  const optimizer = new SGD([theta], { lr: c.lr as number });
  const E = error(theta, scalar(c.x), scalar(c.y));
  E.backward();
  const grad = theta.grad!.clone();
  optimizer.step();
  return { E, grad, thetaAfterStep: theta };
}

function thermometer(c: GoldenCase): { params: Tensor; tU: Tensor; tC: Tensor } {
  const data = c.data as Json;
  return { params: tensor(c.params as number[], { requiresGrad: true }), tU: fixture(data[c.input as string]), tC: fixture(data.tC) };
}

function thermometerStep(c: GoldenCase): Record<string, Tensor> {
  const { params, tU, tC } = thermometer(c);
  const optimizer = new SGD([params], { lr: c.lr as number });
  const loss = thermometerLoss(params, tU, tC);
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  return { loss, params };
}

function checkSeed(c: GoldenCase): string | null {
  const run = SEEDS[c.id];
  if (!run) return `unknown seed case '${c.id}': the conformance runner has no mapping for it`;
  const got = run(c);
  const expected = Object.entries(c.expected as Json).filter(([, v]) => isFixtureTensor(v));
  return compareAll(
    expected.map(([name, v]) => [name, got[name], v] as const),
    c,
  );
}

const CHECKS: Readonly<Record<string, (c: GoldenCase) => string | null>> = { module: checkModule, model: checkModel, seed: checkSeed };

/** nn.json (shared/golden/README.md "nn.json"): modules, small models with SGD training, and the seed examples. */
export const runNnSuite: Suite = (cases) =>
  cases.map((c) =>
    runCase(c.id, () => {
      const check = CHECKS[c.kind as string];
      return check ? check(c) : `unknown case kind '${String(c.kind)}'`;
    }),
  );
