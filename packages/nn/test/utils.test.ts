import { ones, type Tensor, tensor, zeros } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { clipGradNorm_, clipGradValue_, Linear, parametersToVector, vectorToParameters } from '../src/index.js';
import { expectClose, type FixtureTensor, fromFixture, readJson } from './helpers.js';

interface ClipCase {
  normType: number | 'inf';
  maxNorm: number;
  grads: FixtureTensor[];
  totalNorm: number;
  clipped: FixtureTensor[];
}
const { utils } = readJson<{ utils: { clipGradNorm: ClipCase[]; clipGradValue: { grad: FixtureTensor; clipped: FixtureTensor } } }>(
  './fixtures/reference.json',
);

function withGrads(grads: FixtureTensor[]): Tensor[] {
  return grads.map((g) => {
    const p = zeros(g.shape).requiresGrad_();
    p.grad = fromFixture(g);
    return p;
  });
}

describe('clipGradNorm_', () => {
  for (const c of utils.clipGradNorm) {
    it(`scales grads as torch does for normType ${c.normType}, maxNorm ${c.maxNorm}`, () => {
      const params = withGrads(c.grads);
      const total = clipGradNorm_(params, c.maxNorm, c.normType === 'inf' ? Infinity : c.normType);
      expect(total.item()).toBeCloseTo(c.totalNorm, 5);
      params.forEach((p, i) => expectClose(p.grad!, c.clipped[i]!));
    });
  }

  it('returns 0 when no parameter has a gradient', () => {
    expect(clipGradNorm_([zeros(2).requiresGrad_()], 1).item()).toBe(0);
  });

  it('refuses a non-finite norm with errorIfNonfinite, leaving the grads as they were', () => {
    const [p] = withGrads([{ shape: [2], data: ['Infinity', 1] }]);
    expect(() => clipGradNorm_([p!], 1, { errorIfNonfinite: true })).toThrow(
      'The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped.',
    );
    expect(p!.grad!.tolist()).toEqual([Infinity, 1]);
  });
});

describe('clipGradValue_', () => {
  it('clamps every grad into [-clipValue, clipValue] as torch does', () => {
    const [p] = withGrads([utils.clipGradValue.grad]);
    clipGradValue_([p!], 0.5);
    expectClose(p!.grad!, utils.clipGradValue.clipped);
  });
});

describe('parameter vectors', () => {
  it('parametersToVector concatenates parameters in order and vectorToParameters writes them back', () => {
    const m = new Linear(2, 2);
    m.loadStateDict({
      weight: tensor([
        [1, 2],
        [3, 4],
      ]),
      bias: tensor([5, 6]),
    });
    const v = parametersToVector(m.parameters());
    expect(v.tolist()).toEqual([1, 2, 3, 4, 5, 6]);
    vectorToParameters(v.detach().mul(10), m.parameters());
    expect(m.weight.tolist()).toEqual([
      [10, 20],
      [30, 40],
    ]);
    expect(m.bias!.tolist()).toEqual([50, 60]);
  });

  it('vectorToParameters refuses a vector of the wrong length without writing anything', () => {
    const m = new Linear(2, 1);
    const before = parametersToVector(m.parameters()).tolist();
    expect(() => vectorToParameters(ones(2), m.parameters())).toThrow('does not hold the 3 values the parameters need');
    expect(parametersToVector(m.parameters()).tolist()).toEqual(before);
  });
});
