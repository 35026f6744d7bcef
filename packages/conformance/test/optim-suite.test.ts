import { describe, expect, it } from 'vitest';
import { type GoldenCase, loadGoldenFile } from '../src/fixtures.js';
import { runOptimSuite } from '../src/suites/optim.js';

const golden = loadGoldenFile(new URL('../../../../shared/golden/optim.json', import.meta.url).pathname);
const byId = (id: string): GoldenCase => golden.cases.find((c) => c.id === id)!;

describe('runOptimSuite', () => {
  it('passes trajectories gd reproduces: momentum SGD, ASGD averages, LBFGS with a line search', () => {
    const ids = [
      'SGD/momentum/linreg/0',
      'ASGD/averaging/rosenbrock/0',
      'LBFGS/strongWolfe/seed_thermometer/0',
      'Adam/paramGroups/linreg/0',
    ];
    expect(runOptimSuite(ids.map(byId))).toEqual(ids.map((id) => ({ id, failure: null })));
  });

  it("checks torch 1.13's NAdam fixtures with 1.13's mu_product_next and fails them with 2.x's", () => {
    const ids = golden.cases.filter((c) => c.optimizer === 'NAdam').map((c) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(runOptimSuite(ids.map(byId), golden)).toEqual(ids.map((id) => ({ id, failure: null })));
    const as2x = runOptimSuite(ids.map(byId), { torch: '2.5.0' });
    expect(as2x.every((r) => r.failure !== null)).toBe(true);
  });

  it('fails a case whose trajectory differs, naming the step and parameter', () => {
    const c = byId('SGD/plain/linreg/0');
    const trajectory = structuredClone(c.trajectory) as { data: number[] }[][];
    trajectory[3]![1]!.data[2]! += 0.5;
    const [result] = runOptimSuite([{ ...c, id: 'SGD/wrong', trajectory }]);
    expect(result!.failure).toMatch(/^step 3, parameter 1: 1 of 3 elements differ; worst at \[2\]/);
  });
});
