import { type Tensor, tensor, zeros } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { Dropout } from '../src/index.js';
import { construct, expectClose, type FixtureTensor, fromFixture, readJson } from './helpers.js';

interface LayerCase {
  name: string;
  expression: string;
  mode: 'train' | 'eval';
  steps: number;
  state: Record<string, FixtureTensor>;
  inputs: FixtureTensor[];
  output: FixtureTensor;
  gradOutput: FixtureTensor;
  inputGrads: (FixtureTensor | null)[];
  paramGrads: Record<string, FixtureTensor>;
  stateAfter: Record<string, FixtureTensor>;
  evalOutput?: FixtureTensor;
}

const { cases } = readJson<{ cases: LayerCase[] }>('./fixtures/layers.json');
const RTOL = 1e-4;
const ATOL = 1e-5;

describe('every layer and loss computes what torch.nn computes, forward and backward', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.expression}`, () => {
      const m = construct(c.expression);
      m.train(c.mode === 'train');
      m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, fromFixture(v)])));
      const inputs = c.inputs.map((f) => fromFixture(f));
      for (let i = 1; i < c.steps; i++) m.call(...inputs.map((x) => x.detach()));
      const leaves = inputs.map((x) => (x.isFloatingPoint() ? x.detach().requiresGrad_() : x));
      const out = m.call(...leaves) as Tensor;
      expectClose(out, c.output, RTOL, ATOL);
      out.backward(fromFixture(c.gradOutput));
      c.inputGrads.forEach((g, i) => {
        if (g) expectClose(leaves[i]!.grad!, g, RTOL, ATOL);
      });
      const params = Object.fromEntries(m.namedParameters());
      expect(
        Object.keys(params)
          .filter((k) => params[k]!.grad !== null)
          .sort(),
      ).toEqual(Object.keys(c.paramGrads).sort());
      for (const [k, g] of Object.entries(c.paramGrads)) expectClose(params[k]!.grad!, g, RTOL, ATOL);
      const after = m.stateDict();
      for (const [k, v] of Object.entries(c.stateAfter)) expectClose(after[k]!, v, RTOL, ATOL);
      if (c.evalOutput) {
        m.eval();
        expectClose(m.call(...inputs) as Tensor, c.evalOutput, RTOL, ATOL);
      }
    });
  }
});

describe('Dropout', () => {
  it('in training zeroes some elements and scales the others by 1/(1-p)', () => {
    const x = tensor(Array.from({ length: 400 }, (_, i) => i + 1));
    const y = new Dropout(0.25).call(x).tolist() as number[];
    const kept = y.filter((v) => v !== 0);
    expect(kept.length).toBeGreaterThan(240);
    expect(kept.length).toBeLessThan(360);
    y.forEach((v, i) => {
      if (v !== 0) expect(v).toBeCloseTo((i + 1) / 0.75, 3);
    });
  });

  it('is the identity in eval mode and with p = 0, and zeroes everything with p = 1', () => {
    const x = tensor([1, 2, 3]);
    expect(new Dropout(0.5).eval().call(x).tolist()).toEqual([1, 2, 3]);
    expect(new Dropout(0).call(x).tolist()).toEqual([1, 2, 3]);
    expect(new Dropout(1).call(x).tolist()).toEqual([0, 0, 0]);
  });

  it('refuses a probability outside [0, 1]', () => {
    expect(() => new Dropout(1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5');
  });
});

const { errors } = readJson<{ errors: Record<string, { type: string; message: string }> }>('./fixtures/reference.json');

describe('bad input leaves the model unchanged', () => {
  it("CrossEntropyLoss refuses a class index out of range with PyTorch's error", () => {
    const expected = errors['cross entropy class out of range']!;
    const call = () => construct('CrossEntropyLoss()').call(zeros(2, 3), tensor([0, 3], { dtype: 'int64' }));
    expect(call).toThrow(expected.message);
    expect(call).toThrow(expect.objectContaining({ name: expected.type }));
  });

  it('BatchNorm1d refuses 4-d input before touching its running statistics', () => {
    const bn = construct('BatchNorm1d(3)');
    expect(() => bn.call(zeros(2, 3, 4, 5))).toThrow(errors['batchnorm1d dims']!.message);
    expect(bn.stateDict().num_batches_tracked!.item()).toBe(0);
  });
});
