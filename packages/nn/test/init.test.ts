import { manualSeed, type Tensor, zeros } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { init } from '../src/index.js';
import { construct, expectClose, type FixtureTensor, readJson } from './helpers.js';

interface Reference {
  seededModules: Record<string, Record<string, FixtureTensor>>;
  inits: Record<string, FixtureTensor>;
  gains: Record<string, number>;
}
const ref = readJson<Reference>('./fixtures/reference.json');

function seeded(shape: number[], fill: (t: Tensor) => void, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  manualSeed(0);
  const t = zeros(shape, { dtype });
  fill(t);
  return t;
}

describe('default initialisation draws what torch draws', () => {
  for (const [expression, state] of Object.entries(ref.seededModules)) {
    it(`manualSeed(0); new ${expression} has torch's parameters, bit for bit`, () => {
      manualSeed(0);
      const sd = construct(expression).stateDict();
      for (const [key, value] of Object.entries(state)) expect(Array.from(sd[key]!.dataSync()), key).toEqual(value.data);
    });
  }
});

describe('init functions match torch.nn.init under the same seed', () => {
  const cases: Record<string, () => Tensor> = {
    'uniform_(x, -2, 3)': () => seeded([5], (t) => init.uniform_(t, -2, 3)),
    'uniform_ float64': () => seeded([5], (t) => init.uniform_(t, -1, 1), 'float64'),
    'normal_(x, 1, 2) small': () => seeded([7], (t) => init.normal_(t, 1, 2)),
    'normal_(x) large': () => seeded([4, 5], (t) => init.normal_(t)),
    xavierUniform_: () => seeded([3, 4], (t) => init.xavierUniform_(t)),
    'xavierNormal_(x, 2)': () => seeded([4, 6], (t) => init.xavierNormal_(t, 2)),
    'kaimingUniform_ relu fan_out': () => seeded([3, 2, 2], (t) => init.kaimingUniform_(t, { mode: 'fan_out', nonlinearity: 'relu' })),
    kaimingNormal_: () => seeded([5, 4], (t) => init.kaimingNormal_(t)),
    truncNormal_: () => seeded([6], (t) => init.truncNormal_(t, 0.5, 1.0, -1.0, 1.5)),
    'orthogonal_ tall': () => seeded([5, 3], (t) => init.orthogonal_(t)),
    'orthogonal_ wide gain 2': () => seeded([2, 6], (t) => init.orthogonal_(t, 2)),
    eye_: () => seeded([2, 3], (t) => init.eye_(t)),
  };
  for (const [name, run] of Object.entries(cases)) {
    it(name, () => expectClose(run(), ref.inits[name]!, 1e-5, 1e-6));
  }

  it('calculateGain gives torch.nn.init.calculate_gain', () => {
    expect(init.calculateGain('linear')).toBe(ref.gains.linear);
    expect(init.calculateGain('tanh')).toBe(ref.gains.tanh);
    expect(init.calculateGain('relu')).toBe(ref.gains.relu);
    expect(init.calculateGain('leaky_relu')).toBe(ref.gains.leaky_relu);
    expect(init.calculateGain('leaky_relu', 0.2)).toBe(ref.gains['leaky_relu 0.2']);
    expect(init.calculateGain('selu')).toBe(ref.gains.selu);
    expect(init.calculateGain('sigmoid')).toBe(ref.gains.sigmoid);
  });

  it("fan-based initialisers refuse 1-d tensors with PyTorch's message", () => {
    expect(() => init.xavierUniform_(zeros(3))).toThrow('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  });

  it('initialises a parameter that requires grad without recording', () => {
    const t = zeros(2, 2).requiresGrad_();
    init.ones_(t);
    expect(t.tolist()).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(t.isLeaf).toBe(true);
  });
});
