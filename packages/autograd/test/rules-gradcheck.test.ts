import { gradcheck, gradgradcheck } from '@gd/autograd';
import * as gd from '@gd/tensor';
import { Generator, type Tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';

/** A float64 leaf of seeded normal values, mapped into the op's domain first. */
function leaf(shape: readonly number[], seed: number, domain: (t: Tensor) => Tensor = (t) => t): Tensor {
  return domain(gd.randn(shape, { dtype: 'float64', generator: new Generator(seed) }))
    .detach()
    .requiresGrad_();
}
const long = (data: gd.NestedArray) => gd.tensor(data, { dtype: 'int64' });
const positive = (t: Tensor) => t.abs().add(0.5);
const unit = (t: Tensor) => t.tanh().mul(0.9);
const aboveOne = (t: Tensor) => t.abs().add(1.5);
const awayFromZero = (t: Tensor) => t.sign().add(t.eq(0)).mul(t.abs().add(0.2));
const mask = gd.tensor([
  [true, false, true],
  [false, false, true],
]);

/**
 * Every rule the golden fixtures do not reach, checked against float64 finite differences
 * (first order) and, through createGraph, second order.
 */
const CASES: [string, (...x: Tensor[]) => Tensor, Tensor[]][] = [
  ['fmax', (a, b) => gd.fmax(a, b), [leaf([2, 3], 1), leaf([3], 2)]],
  ['fmin', (a, b) => gd.fmin(a, b), [leaf([2, 3], 1), leaf([3], 2)]],
  ['remainder', (a, b) => gd.remainder(a, b), [leaf([4], 3), leaf([4], 4, aboveOne)]],
  ['fmod', (a, b) => gd.fmod(a, b), [leaf([4], 3), leaf([4], 4, aboveOne)]],
  ['xlogy', (a, b) => gd.xlogy(a, b), [leaf([4], 5), leaf([4], 6, positive)]],
  [
    'expm1, exp2, log1p, log2, log10',
    (x) => x.expm1().add(gd.exp2(x)).add(x.log1p()).add(gd.log2(x)).add(gd.log10(x)),
    [leaf([3], 7, positive)],
  ],
  ['square, acos, sinh, cosh, asinh', (x) => x.square().add(x.acos()).add(x.sinh()).add(x.cosh()).add(gd.asinh(x)), [leaf([3], 8, unit)]],
  ['acosh', (x) => gd.acosh(x), [leaf([3], 9, aboveOne)]],
  ['atanh, erfc, erfinv', (x) => gd.atanh(x).add(gd.erfc(x)).add(x.erfinv()), [leaf([3], 10, unit)]],
  ['sign, floor, frac', (x) => x.sign().add(x.floor()).add(x.frac()), [leaf([3], 11, awayFromZero)]],
  ['nanToNum', (x) => x.nanToNum(), [leaf([3], 12)]],
  ['clamp', (x) => x.clamp(-0.5, 0.5), [leaf([6], 13)]],
  ['where', (x, y) => gd.where(x.gt(0), x, y), [leaf([2, 3], 14), leaf([3], 15)]],
  ['leakyRelu, hardtanh', (x) => gd.leakyRelu(x, 0.2).add(gd.hardtanh(x, -0.5, 0.5)), [leaf([6], 16, awayFromZero)]],
  ['selu, celu', (x) => gd.selu(x).add(gd.celu(x, 0.7)), [leaf([6], 17, awayFromZero)]],
  ['hardsigmoid, hardswish', (x) => gd.hardsigmoid(x).add(gd.hardswish(x)), [leaf([6], 18, (t) => t.mul(2))]],
  ['prod with dim', (x) => gd.prod(x, { dim: [1], keepdim: true }), [leaf([2, 3], 19)]],
  ['nansum', (x) => gd.nansum(x, { dim: [0] }), [leaf([2, 3], 20)]],
  [
    'norm p=1, 3, inf',
    (x) =>
      gd
        .norm(x, 1)
        .add(gd.norm(x, 3, { dim: [1] }).sum())
        .add(gd.norm(x, Infinity)),
    [leaf([2, 3], 21, awayFromZero)],
  ],
  ['logcumsumexp', (x) => gd.logcumsumexp(x, 1), [leaf([2, 4], 22)]],
  ['cummax, cummin', (x) => gd.cummax(x, 1).values.add(gd.cummin(x, 0).values), [leaf([2, 4], 23)]],
  [
    'sort, topk, kthvalue',
    (x) =>
      gd
        .sort(x, { dim: 1 })
        .values.mul(2)
        .add(gd.topk(x, 4, { dim: 1 }).values)
        .add(gd.kthvalue(x, 2, 1, true).values),
    [leaf([2, 4], 24)],
  ],
  ['max/min along dim', (x) => gd.max(x, 1).values.add(gd.min(x, 1).values), [leaf([2, 4], 25)]],
  [
    'scatter',
    (x, s) =>
      gd.scatter(
        x,
        1,
        long([
          [2, 0],
          [1, 2],
        ]),
        s,
      ),
    [leaf([2, 3], 26), leaf([2, 2], 27)],
  ],
  [
    'scatter value',
    (x) =>
      gd.scatter(
        x,
        1,
        long([
          [2, 0],
          [1, 2],
        ]),
        1.5,
      ),
    [leaf([2, 3], 26)],
  ],
  [
    'scatterAdd',
    (x, s) =>
      gd.scatterAdd(
        x,
        0,
        long([
          [1, 0, 1],
          [1, 1, 0],
        ]),
        s,
      ),
    [leaf([2, 3], 28), leaf([2, 3], 29)],
  ],
  ['indexAdd', (x, s) => gd.indexAdd(x, 1, long([2, 0, 2]), s, { alpha: 2 }), [leaf([2, 3], 30), leaf([2, 3], 31)]],
  [
    'take',
    (x) =>
      gd.take(
        x,
        long([
          [5, 0],
          [-1, 3],
        ]),
      ),
    [leaf([2, 3], 32)],
  ],
  ['maskedFill', (x, v) => gd.maskedFill(x, mask, v), [leaf([2, 3], 33), leaf([], 34)]],
  ['maskedSelect', (x) => gd.maskedSelect(x, mask), [leaf([3], 35)]],
  ['repeat', (x) => gd.repeat(x, [2, 1, 3]), [leaf([2, 2], 36)]],
  [
    'flip, roll',
    (x) =>
      gd
        .flip(x, [1])
        .mul(gd.roll(x, [1, -1], [0, 1]))
        .add(gd.roll(x, 2)),
    [leaf([2, 3], 37)],
  ],
  [
    'diagonal, diag, tril, triu',
    (x) =>
      gd
        .diagonal(x, 1)
        .sum()
        .add(gd.diag(gd.diag(x)))
        .add(gd.tril(x, -1))
        .add(gd.triu(x)),
    [leaf([3, 3], 38)],
  ],
  [
    'addcmul, addcdiv',
    (a, b, c) => gd.addcmul(a, b, c, { value: 0.5 }).add(gd.addcdiv(a, b, c, { value: 2 })),
    [leaf([3], 39), leaf([3], 40), leaf([3], 41, awayFromZero)],
  ],
  ['lerp', (a, b, w) => gd.lerp(a, b, w).add(gd.lerp(a, b, 0.3)), [leaf([3], 42), leaf([3], 43), leaf([3], 44)]],
  [
    'sliceScatter, selectScatter, diagonalScatter',
    (x, s, r, d) =>
      gd
        .sliceScatter(x, s, 1, 0, 3, 2)
        .add(gd.selectScatter(x, r, 0, 1))
        .add(gd.diagonalScatter(x, d)),
    [leaf([3, 3], 45), leaf([3, 2], 46), leaf([3], 47), leaf([3], 48)],
  ],
  // Only some outputs used: the unused ones reach UnbindBackward0 as zeros.
  ['unbind', (x) => x.unbind(1)[0]!.mul(x.unbind(1)[2]!), [leaf([2, 3], 50)]],
  ['split, chunk', (x) => x.split([1, 3], 1)[1]!.sum(1).add(x.chunk(2, 0)[0]!.sum()), [leaf([2, 4], 51)]],
  [
    'nllLoss with weight and ignoreIndex',
    (x) => gd.nllLoss(x, long([0, 2, -100]), { weight: gd.tensor([1, 2, 3], { dtype: 'float64' }) }),
    [leaf([3, 3], 49)],
  ],
  [
    'crossEntropy on [N, C, d]',
    (x) =>
      gd.crossEntropy(
        x,
        long([
          [0, 1],
          [2, 2],
        ]),
        { reduction: 'sum' },
      ),
    [leaf([2, 3, 2], 50)],
  ],
  [
    'crossEntropy with probabilities',
    (x, t) => gd.crossEntropy(x, t.softmax(1), { labelSmoothing: 0.2 }),
    [leaf([2, 3], 51), leaf([2, 3], 52)],
  ],
  [
    'binaryCrossEntropyWithLogits with posWeight',
    (x, t) => gd.binaryCrossEntropyWithLogits(x, t.sigmoid(), { posWeight: gd.tensor([2, 0.5, 1], { dtype: 'float64' }) }),
    [leaf([2, 3], 53), leaf([2, 3], 54)],
  ],
  ['binaryCrossEntropy', (x, t) => gd.binaryCrossEntropy(x.sigmoid(), t.sigmoid(), { reduction: 'sum' }), [leaf([4], 55), leaf([4], 56)]],
  [
    'smoothL1Loss, huberLoss, l1Loss',
    (x, t) =>
      gd
        .smoothL1Loss(x, t, { beta: 0.5 })
        .add(gd.huberLoss(x, t, { delta: 0.7 }))
        .add(gd.l1Loss(x, t)),
    [leaf([5], 57), leaf([5], 58)],
  ],
];

describe('gradcheck of the rules the golden fixtures do not reach', () => {
  it.each(CASES)('%s', (_name, f, inputs) => {
    expect(gradcheck(f, inputs)).toBe(true);
  });
});

describe('gradgradcheck of the same rules', () => {
  // Piecewise-linear ops have zero second derivatives almost everywhere, which this checks too.
  it.each(CASES)('%s', (_name, f, inputs) => {
    expect(gradgradcheck(f, inputs)).toBe(true);
  });
});
