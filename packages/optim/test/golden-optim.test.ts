import '@gd/autograd';
import { readFileSync } from 'node:fs';
import type { Tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { type Optimizer, optimizers } from '../src/index.js';
import { firstMismatch, fromJson, type JsonTensor, loadCases } from './golden.js';
import { problems } from './problems.js';

interface OptimCase {
  id: string;
  optimizer: keyof typeof optimizers;
  options: Record<string, unknown>;
  paramGroups?: { params: number[]; options: Record<string, unknown> }[];
  problem: string;
  negateLoss: boolean;
  data: Record<string, JsonTensor>;
  init: JsonTensor[];
  steps: number;
  losses: number[];
  trajectory: JsonTensor[][];
  averagedTrajectory?: JsonTensor[][];
  rtol: number;
  atol: number;
}

/**
 * optim.json comes from torch 1.13, whose NAdam counts mu twice in mu_product_next (fixed in
 * 2.0). gd follows 2.x, so NAdam cases are checked against fixtures/nadam-2x.json: the same
 * cases run by torch with its NAdam lines changed to their 2.x form (see fixtures/nadam_2x.py).
 */
const nadam2x = new Map(
  (
    JSON.parse(readFileSync(new URL('./fixtures/nadam-2x.json', import.meta.url), 'utf8')) as {
      cases: Pick<OptimCase, 'id' | 'losses' | 'trajectory'>[];
    }
  ).cases.map((c) => [c.id, c]),
);
const cases = loadCases<OptimCase>('optim.json').map((c) => (c.optimizer === 'NAdam' ? { ...c, ...nadam2x.get(c.id)! } : c));

function build(c: OptimCase): { params: Tensor[]; optimizer: Optimizer; closure: () => Tensor } {
  const params = c.init.map((t) => fromJson(t, true));
  const data = Object.fromEntries(Object.entries(c.data).map(([k, t]) => [k, fromJson(t)]));
  const groups = c.paramGroups?.map((g) => ({ ...g.options, params: g.params.map((i) => params[i]!) }));
  const Ctor = optimizers[c.optimizer] as unknown as new (params: unknown, options: Record<string, unknown>) => Optimizer;
  const optimizer = new Ctor(groups ?? params, c.options);
  const closure = (): Tensor => {
    optimizer.zeroGrad();
    let loss = problems[c.problem]!(params, data);
    if (c.negateLoss) loss = loss.neg();
    loss.backward();
    return loss;
  };
  return { params, optimizer, closure };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, c: OptimCase, what: string): void {
  const i = firstMismatch(actual, expected, c.rtol, c.atol);
  expect(i, `${what}: got ${actual[i]}, expected ${expected[i]} (index ${i})`).toBe(-1);
}

describe('optimizer trajectories match PyTorch (optim.json)', () => {
  it('covers every optimizer of the fixtures', () => {
    expect(new Set(cases.map((c) => c.optimizer)).size).toBe(12);
  });

  for (const c of cases) {
    it(c.id, () => {
      const { params, optimizer, closure } = build(c);
      const losses: number[] = [];
      for (let i = 0; i < c.steps; i++) {
        if (c.optimizer === 'LBFGS') losses.push((optimizer.step(closure) as Tensor).item() as number);
        else {
          losses.push(closure().item() as number);
          optimizer.step();
        }
        params.forEach((p, k) => expectClose(p.dataSync(), c.trajectory[i]![k]!.data, c, `step ${i} param ${k}`));
        (c.averagedTrajectory?.[i] ?? []).forEach((ax, k) =>
          expectClose((optimizer.state.get(params[k]!)!.ax as Tensor).dataSync(), ax.data, c, `step ${i} ax ${k}`),
        );
      }
      expectClose(losses, c.losses, c, 'losses');
    });
  }
});
