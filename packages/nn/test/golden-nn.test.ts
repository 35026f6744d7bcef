import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// The conformance package owns the nn.json runner (modules, models with SGD training, seeds);
// this suite runs its module and model cases here so a regression in @gd/nn fails nn's own tests.
import { loadGoldenFile } from '../../conformance/src/fixtures.js';
import { runNnSuite } from '../../conformance/src/suites/nn.js';

const goldenPath = fileURLToPath(new URL('../../../../shared/golden/nn.json', import.meta.url));
const cases = loadGoldenFile(goldenPath).cases.filter((c) => c.kind === 'module' || c.kind === 'model');

describe('nn.json: modules and models match PyTorch 1.13', () => {
  it('has module and model cases to run', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(c.id, () => {
      expect(runNnSuite([c])[0]!.failure).toBeNull();
    });
  }
});
