import { describe, expect, it } from 'vitest';
import { type GoldenCase, loadGoldenFile } from '../src/fixtures.js';
import { runOpsSuite } from '../src/suites/ops.js';

const golden = loadGoldenFile(new URL('../../../../shared/golden/ops.json', import.meta.url).pathname);
const byId = (id: string): GoldenCase => golden.cases.find((c) => c.id === id)!;

describe('runOpsSuite', () => {
  it('passes a golden case gd computes correctly, gradients included', () => {
    expect(runOpsSuite([byId('add/nograd/0'), byId('mul/broadcast/0')])).toEqual([
      { id: 'add/nograd/0', failure: null },
      { id: 'mul/broadcast/0', failure: null },
    ]);
  });

  it('fails a case whose expected output differs, naming the worst element', () => {
    const c = byId('add/nograd/0');
    const output = c.output as { shape: number[]; data: number[] };
    const wrong = { ...c, id: 'add/wrong', output: { ...output, data: output.data.map((v, i) => (i === 5 ? v + 1 : v)) } };
    const [result] = runOpsSuite([wrong]);
    expect(result!.failure).toMatch(/^output: 1 of 12 elements differ; worst at \[1, 1\]/);
  });

  it('counts an op it cannot map as failed with the reason instead of skipping it', () => {
    const unknown = { ...byId('add/nograd/0'), id: 'frobnicate/0', op: 'frobnicate' };
    expect(runOpsSuite([unknown])).toEqual([
      { id: 'frobnicate/0', failure: "unknown op 'frobnicate': the conformance runner has no mapping for it" },
    ]);
  });
});
