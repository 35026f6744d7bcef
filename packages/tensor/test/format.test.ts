import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { arange, type DType, fromArray, type GradFn, setPrintOptions, type Tensor, tensor } from '../src/index.js';

interface PrintCase {
  id: string;
  shape: number[];
  dtype: DType;
  data: (number | 'NaN' | 'Infinity' | '-Infinity')[];
  requiresGrad: boolean;
  gradFn: 'mul' | 'add' | null;
  expected: string;
}

const golden = JSON.parse(readFileSync(new URL('../../../../shared/golden/print.json', import.meta.url), 'utf8')) as { cases: PrintCase[] };

const decode = (v: PrintCase['data'][number]): number =>
  v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v;

/** Autograd's history as the printer sees it: only the node's name matters. */
function fakeHistory(t: Tensor, name: string): Tensor {
  const node: GradFn = { name, nextFunctions: [] };
  t._setHistory(node, 0);
  return t;
}

function build(c: PrintCase): Tensor {
  const t = fromArray(c.data.map(decode), c.shape, { dtype: c.dtype });
  if (c.requiresGrad) t.requiresGrad = true;
  if (c.gradFn === 'mul') fakeHistory(t, 'MulBackward0');
  if (c.gradFn === 'add') fakeHistory(t, 'AddBackward0');
  return t;
}

afterEach(() => setPrintOptions({ profile: 'default' }));

describe('String(tensor) matches PyTorch on every golden print case', () => {
  it.each(golden.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(String(build(c))).toBe(c.expected);
  });
});

describe('tensor printing as in the lesson seeds', () => {
  const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
  const tU = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);
  /** PyTorch's CPU sum of these 11 float32 values: accumulated in float32 (gd's sum accumulates in float64). */
  const float32Sum = (t: Tensor): number => Array.from(t.dataSync()).reduce((acc, v) => Math.fround(acc + v), 0);
  /** d(mean((w*u + b - c)^2))/d[w, b] in the order PyTorch's backward computes it (no autograd here). */
  const gradOf = (params: Tensor, u: Tensor): Tensor => {
    const [w, b] = [params.select(0, 0), params.select(0, 1)];
    const dLoss = tensor(1 / u.numel()).mul(u.mul(w).add(b).sub(tC).mul(2));
    return tensor([float32Sum(dLoss.mul(u)), float32Sum(dLoss)]);
  };

  it('prints a gradient with mixed widths in fixed notation', () => {
    expect(String(gradOf(tensor([1.0, 0.0]), tU))).toBe('tensor([4517.2969,   82.6000])');
  });

  it('prints trained parameters with requires_grad', () => {
    const tUn = tU.mul(0.1);
    const params = tensor([1.0, 0.0]);
    for (let epoch = 0; epoch < 5000; epoch++) params.sub_(gradOf(params, tUn).mul(1e-2));
    params.requiresGrad = true;
    expect(String(params)).toBe('tensor([  5.3671, -17.3012], requires_grad=True)');
  });

  it('switches to scientific notation when magnitudes differ by more than 1000x', () => {
    const params = tensor([1.0, 0.0]);
    params.sub_(gradOf(params, tU).mul(1e-5));
    params.requiresGrad = true;
    expect(String(params)).toBe('tensor([ 9.5483e-01, -8.2600e-04], requires_grad=True)');
  });

  it('aligns the rows of a matrix and appends grad_fn after the last row', () => {
    const e = fakeHistory(
      tensor([
        [1, 2],
        [3, 4],
      ]).exp(),
      'ExpBackward0',
    );
    expect(String(e)).toBe('tensor([[ 2.7183,  7.3891],\n        [20.0855, 54.5982]], grad_fn=<ExpBackward0>)');
  });

  it('prints one-element and 0-d tensors', () => {
    expect(String(tensor([0.6]))).toBe('tensor([0.6000])');
    expect(tensor([1]).toString()).toBe('tensor([1.])');
    expect(String(fakeHistory(tensor(1), 'MseLossBackward0'))).toBe('tensor(1., grad_fn=<MseLossBackward0>)');
  });

  it('is what util.inspect shows in Node', () => {
    expect(inspect(tensor([true, false]))).toBe('tensor([ True, False])');
  });
});

describe('setPrintOptions behaves like torch.set_printoptions (expected strings printed by torch 1.13)', () => {
  const cases: [string, Parameters<typeof setPrintOptions>[0], () => Tensor, string][] = [
    ['rounds exact ties half to even', { precision: 2 }, () => tensor([0.125, 0.375, -0.125, 2.5]), 'tensor([ 0.12,  0.38, -0.12,  2.50])'],
    ['prints no decimal point at precision 0', { precision: 0 }, () => tensor([0.5, 1.5, 2.25]), 'tensor([0, 2, 2])'],
    ['forces scientific notation', { sciMode: true }, () => tensor([1.5, 2.0]), 'tensor([1.5000e+00, 2.0000e+00])'],
    ['forces fixed notation', { sciMode: false }, () => tensor([1e-6, 1e9]), 'tensor([    0.0000, 1000000000.0000])'],
    ['ignores sciMode when no value is nonzero and finite', { sciMode: true }, () => tensor([0, 0]), 'tensor([0., 0.])'],
    [
      'summarises past the threshold with edgeitems per end',
      { threshold: 5, edgeitems: 2 },
      () => arange(10),
      'tensor([0, 1,  ..., 8, 9])',
    ],
    [
      'wraps rows at the line width',
      { linewidth: 30 },
      () => arange(12).div(7),
      'tensor([0.0000, 0.1429,\n        0.2857, 0.4286,\n        0.5714, 0.7143,\n        0.8571, 1.0000,\n        1.1429, 1.2857,\n        1.4286, 1.5714])',
    ],
    [
      'applies the short profile',
      { profile: 'short' },
      () => arange(12).reshape(3, 4).div(7),
      'tensor([[0.00, 0.14, 0.29, 0.43],\n        [0.57, 0.71, 0.86, 1.00],\n        [1.14, 1.29, 1.43, 1.57]])',
    ],
    [
      'moves a suffix to its own line past the line width',
      { linewidth: 40 },
      () => fakeHistory(tensor([1.5, 1.5]), 'MulBackward0'),
      'tensor([1.5000, 1.5000],\n       grad_fn=<MulBackward0>)',
    ],
  ];
  it.each(cases)('%s', (_name, options, make, expected) => {
    setPrintOptions(options);
    expect(String(make())).toBe(expected);
  });

  it('formats huge doubles, nan in scientific mode and carries into a new digit', () => {
    expect(String(tensor([1e300, 1], { dtype: 'float64' }))).toBe('tensor([1.0000e+300,  1.0000e+00], dtype=torch.float64)');
    expect(String(tensor([NaN, 2000, 1]))).toBe('tensor([       nan, 2.0000e+03, 1.0000e+00])');
    expect(String(tensor([9.99995, 1]))).toBe('tensor([10.0000,  1.0000])');
  });
});
