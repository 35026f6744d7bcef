import '@gd/autograd';
import { NAdam, optimizers, type Optimizer } from '@gd/optim';
import { sub, type Tensor } from '@gd/tensor';
import { actualOf, compareTensor, isClose, type Tolerance } from '../compare.js';
import { type GoldenCase, parseTensor, toTensor } from '../fixtures.js';
import { runCase, type Suite } from '../suite.js';

type Problem = (params: readonly Tensor[], data: Readonly<Record<string, Tensor>>) => Tensor;

/** The problems of optim.json (shared/golden/README.md), evaluated in the order the README writes them. */
const PROBLEMS: Readonly<Record<string, Problem>> = {
  rosenbrock: ([x, y]) =>
    sub(1, x!)
      .pow(2)
      .add(y!.sub(x!.pow(2)).pow(2).mul(100))
      .sum(),
  linreg: ([W, b], { X, Y }) => X!.matmul(W!.t()).add(b!).sub(Y!).pow(2).mean(),
  seed_thermometer: ([params], { tUn, tC }) => params!.select(0, 0).mul(tUn!).add(params!.select(0, 1)).sub(tC!).pow(2).mean(),
};

type OptimizerClass = new (params: unknown, options: Record<string, unknown>) => Optimizer;

/**
 * Runs one optimizer trajectory by the README's protocol and compares every step's parameters,
 * ASGD's averages and the losses. The first mismatch is the failure.
 */
function checkOptimCase(c: GoldenCase, torchVersion: string): string | null {
  const Ctor = optimizerClass(c.optimizer as string, torchVersion);
  if (Ctor === undefined) return `unknown optimizer '${String(c.optimizer)}'`;
  const problem = PROBLEMS[c.problem as string];
  if (problem === undefined) return `unknown problem '${String(c.problem)}'`;
  const tol: Tolerance = { rtol: c.rtol, atol: c.atol };
  const params = (c.init as unknown[]).map((t) => {
    const p = toTensor(parseTensor(t));
    p.requiresGrad = true;
    return p;
  });
  const data = Object.fromEntries(Object.entries(c.data as Record<string, unknown>).map(([k, t]) => [k, toTensor(parseTensor(t))]));
  const groups = (c.paramGroups as { params: number[]; options: Record<string, unknown> }[] | undefined)?.map((g) => ({
    ...g.options,
    params: g.params.map((i) => params[i]!),
  }));
  const optimizer = new Ctor(groups ?? params, c.options as Record<string, unknown>);
  const closure = (): Tensor => {
    optimizer.zeroGrad();
    let loss = problem(params, data);
    if (c.negateLoss === true) loss = loss.neg();
    loss.backward();
    return loss;
  };
  const trajectory = c.trajectory as unknown[][];
  const averaged = c.averagedTrajectory as unknown[][] | undefined;
  const expectedLosses = c.losses as number[];
  for (let i = 0; i < (c.steps as number); i++) {
    let loss: number;
    if (c.optimizer === 'LBFGS') loss = (optimizer.step(closure) as Tensor).item() as number;
    else {
      loss = closure().item() as number;
      optimizer.step();
    }
    if (!isClose(loss, expectedLosses[i]!, tol)) return `loss before step ${i}: got ${loss}, expected ${expectedLosses[i]}`;
    for (const [k, p] of params.entries()) {
      const failure = compareTensor(actualOf(p), parseTensor(trajectory[i]![k]), tol);
      if (failure !== null) return `step ${i}, parameter ${k}: ${failure}`;
      if (averaged === undefined) continue;
      const ax = optimizer.state.get(p)?.ax as Tensor | undefined;
      if (ax === undefined) return `step ${i}, parameter ${k}: no averaged parameter (state.ax)`;
      const axFailure = compareTensor(actualOf(ax), parseTensor(averaged[i]![k]), tol);
      if (axFailure !== null) return `step ${i}, averaged parameter ${k}: ${axFailure}`;
    }
  }
  return null;
}

/**
 * torch 1.13's NAdam multiplies mu_product_next by mu a second time (`mu_product * mu * mu_next`,
 * fixed in PyTorch 2.0). gd follows 2.x, so 1.13 fixtures are checked against gd's NAdam with only
 * that product done the 1.13 way, rounded as 1.13's float32 tensors round it; everything else in
 * the trajectory is gd's own. packages/optim/test/fixtures/nadam-2x.json checks the 2.x formula.
 */
class Torch113NAdam extends NAdam {
  protected override nextMuProduct(muProduct: number, mu: number, muNext: number): number {
    return Math.fround(Math.fround(muProduct * Math.fround(mu)) * Math.fround(muNext));
  }
}

function optimizerClass(name: string, torchVersion: string): OptimizerClass | undefined {
  if (name === 'NAdam' && torchVersion.startsWith('1.')) return Torch113NAdam as unknown as OptimizerClass;
  return (optimizers as Record<string, unknown>)[name] as OptimizerClass | undefined;
}

export const runOptimSuite: Suite = (cases, file) => cases.map((c) => runCase(c.id, () => checkOptimCase(c, file?.torch ?? '')));
