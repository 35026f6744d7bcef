import { describe, expect, it } from 'vitest';
import { type GoldenCase, loadGoldenFile } from '../src/fixtures.js';
import { runNnSuite } from '../src/suites/nn.js';

const golden = loadGoldenFile(new URL('../../../../shared/golden/nn.json', import.meta.url).pathname);
const byId = (id: string): GoldenCase => golden.cases.find((c) => c.id === id)!;

describe('runNnSuite', () => {
  it('passes every module, model and seed case of nn.json', () => {
    const failures = runNnSuite(golden.cases).filter((r) => r.failure !== null);
    expect(failures).toEqual([]);
  });

  it('fails a model case whose expected training loss differs, naming the step', () => {
    const c = byId('nn/model/mlp_mse/0');
    const train = c.train as { losses: { shape: number[]; data: number[] } };
    const wrong = {
      ...c,
      id: 'model/wrong',
      train: { ...train, losses: { ...train.losses, data: train.losses.data.map((v, i) => (i === 2 ? v + 1 : v)) } },
    };
    expect(runNnSuite([wrong])[0]!.failure).toMatch(/^train\.losses: 1 of 5 elements differ; worst at \[2\]/);
  });

  it('reports an unknown layer type as a failure instead of skipping the case', () => {
    const c = byId('nn/model/mlp_mse/0');
    const odd = { ...c, id: 'model/odd', layers: [{ type: 'Mish' }] };
    expect(runNnSuite([odd])).toEqual([
      { id: 'model/odd', failure: "threw Error: unknown module type 'Mish': the conformance runner has no mapping for it" },
    ]);
  });
});
