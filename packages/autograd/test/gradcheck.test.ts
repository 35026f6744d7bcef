import { Function, type FunctionCtx, GradcheckError, gradcheck, gradgradcheck } from '@gd/autograd';
import * as gd from '@gd/tensor';
import { Generator, type Tensor } from '@gd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const RUNS = { numRuns: 12 };

/** A float64 leaf of random normal values (seeded by fast-check), mapped into an op's domain. */
function leaf(shape: readonly number[], seed: number, domain: (t: Tensor) => Tensor = (t) => t): Tensor {
  return domain(gd.randn(shape, { dtype: 'float64', generator: new Generator(seed) }))
    .detach()
    .requiresGrad_();
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 });
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const positive = (t: Tensor) => t.abs().add(0.5);
const unit = (t: Tensor) => t.tanh().mul(0.9);
const awayFromZero = (t: Tensor) => t.sign().add(t.eq(0)).mul(t.abs().add(0.2));

const UNARY: [string, (x: Tensor) => Tensor, ((t: Tensor) => Tensor)?][] = [
  ['neg', gd.neg],
  ['exp', gd.exp],
  ['log', gd.log, positive],
  ['sqrt', gd.sqrt, positive],
  ['rsqrt', gd.rsqrt, positive],
  ['abs', gd.abs, awayFromZero],
  ['sin', gd.sin],
  ['cos', gd.cos],
  ['tan', gd.tan, unit],
  ['tanh', gd.tanh],
  ['sigmoid', gd.sigmoid],
  ['asin', gd.asin, unit],
  ['atan', gd.atan],
  ['erf', gd.erf],
  ['reciprocal', gd.reciprocal, awayFromZero],
  ['relu', gd.relu, awayFromZero],
  ['gelu', (x) => gd.gelu(x)],
  ['gelu tanh', (x) => gd.gelu(x, { approximate: 'tanh' })],
  ['softplus', (x) => gd.softplus(x)],
  ['silu', (x) => gd.silu(x)],
  ['mish', (x) => gd.mish(x)],
  ['elu', (x) => gd.elu(x), awayFromZero],
  ['logSigmoid', gd.logSigmoid],
  ['pow 3', (x) => x.pow(3)],
  ['pow 0.5', (x) => x.pow(0.5), positive],
  ['2 ** x', (x) => gd.pow(2, x)],
];

/** b's shape: a's with some dims set to 1 and some leading dims dropped, so that it broadcasts. */
const broadcastPair = shapeArb.chain((a) =>
  fc
    .tuple(fc.constant(a), fc.array(fc.boolean(), { minLength: a.length, maxLength: a.length }), fc.integer({ min: 0, max: a.length }))
    .map(([s, ones, drop]) => [s, s.map((d, i) => (ones[i] ? 1 : d)).slice(drop)] as const),
);

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor, ((t: Tensor) => Tensor)?][] = [
  ['add', (a, b) => a.add(b, { alpha: 2 })],
  ['sub', (a, b) => a.sub(b)],
  ['mul', (a, b) => a.mul(b)],
  ['div', (a, b) => a.div(b), awayFromZero],
  ['pow', (a, b) => a.pow(b), positive],
  ['atan2', (a, b) => gd.atan2(a, b), awayFromZero],
  ['maximum', (a, b) => gd.maximum(a, b)],
  ['hypot', (a, b) => gd.hypot(a, b), awayFromZero],
];

describe('gradcheck of the derivative rules (float64 finite differences, random shapes)', () => {
  it.each(UNARY)('%s', (_name, f, domain) => {
    fc.assert(
      fc.property(shapeArb, seedArb, (shape, seed) => gradcheck(f, [leaf(shape, seed, domain)])),
      RUNS,
    );
  });

  it.each(BINARY)('%s with broadcasting', (_name, f, domain) => {
    fc.assert(
      fc.property(broadcastPair, seedArb, ([sa, sb], seed) => gradcheck(f, [leaf(sa, seed, domain), leaf(sb, seed + 1, domain)])),
      RUNS,
    );
  });

  const withDims = shapeArb
    .filter((s) => s.length > 0)
    .chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.subarray(
          s.map((_, i) => i),
          { minLength: 1 },
        ),
        fc.boolean(),
      ),
    );
  const REDUCTIONS: [string, (x: Tensor, dims: number[], keepdim: boolean) => Tensor, ((t: Tensor) => Tensor)?][] = [
    ['sum', (x, dim, keepdim) => x.sum(dim, keepdim)],
    ['mean', (x, dim, keepdim) => x.mean(dim, keepdim)],
    ['amax', (x, dim, keepdim) => x.amax(dim, keepdim)],
    ['logsumexp', (x, dim, keepdim) => gd.logsumexp(x, { dim, keepdim })],
    ['var', (x, dim, keepdim) => gd.var(x, { dim, keepdim, correction: 0 })],
    ['std', (x, dim, keepdim) => gd.std(x, { dim, keepdim })],
    ['prod', (x, dim, keepdim) => gd.prod(x, { dim, keepdim })],
    ['norm', (x, dim, keepdim) => gd.norm(x, 2, { dim, keepdim })],
    ['softmax', (x, dim) => gd.softmax(x, dim[0]!)],
    ['logSoftmax', (x, dim) => gd.logSoftmax(x, dim[0]!)],
    ['cumsum', (x, dim) => gd.cumsum(x, dim[0]!)],
    ['cumprod', (x, dim) => gd.cumprod(x, dim[0]!)],
  ];
  it.each(REDUCTIONS)('%s over random dims', (name, f, domain) => {
    fc.assert(
      fc.property(withDims, seedArb, ([shape, dims, keepdim], seed) => {
        // var/std with one element per group are undefined; the rules are checked where they are not.
        fc.pre(dims.reduce((p, d) => p * shape[d]!, 1) > 1 || !/var|std/.test(name));
        return gradcheck((x: Tensor) => f(x, dims, keepdim), [leaf(shape, seed, domain)]);
      }),
      RUNS,
    );
  });

  it('cumprod and prod through zeros', () => {
    const x = gd
      .tensor(
        [
          [2, 0, 3, 0.5],
          [0, 0, 1, 2],
        ],
        { dtype: 'float64' },
      )
      .requiresGrad_();
    expect(gradcheck((t: Tensor) => gd.cumprod(t, 1), [x])).toBe(true);
    expect(gradcheck((t: Tensor) => gd.prod(t, { dim: [1] }), [x])).toBe(true);
    expect(gradcheck((t: Tensor) => gd.prod(t), [x])).toBe(true);
  });

  it('matmul for 1-d, 2-d and broadcast batched operands', () => {
    const dims = fc.integer({ min: 1, max: 3 });
    const batch = fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 2 });
    fc.assert(
      fc.property(dims, dims, dims, batch, fc.boolean(), fc.boolean(), seedArb, (m, k, n, b, vecA, vecB, seed) => {
        const a = leaf(vecA ? [k] : [...b, m, k], seed);
        const w = leaf(vecB ? [k] : [...b.slice(1), k, n], seed + 1);
        return gradcheck(gd.matmul, [a, w]);
      }),
      RUNS,
    );
  });

  it('linear with and without bias', () => {
    expect(gradcheck(gd.linear, [leaf([2, 3, 4], 1), leaf([5, 4], 2), leaf([5], 3)])).toBe(true);
    expect(gradcheck((x: Tensor, w: Tensor) => gd.linear(x, w), [leaf([4], 1), leaf([5, 4], 2)])).toBe(true);
  });
});

describe('gradgradcheck: backward formulas are differentiable themselves', () => {
  const cases: [string, (...x: Tensor[]) => Tensor, Tensor[]][] = [
    ['div', (a, b) => a.div(b), [leaf([3], 1), leaf([3], 2, awayFromZero)]],
    ['pow tensor', (a, b) => a.pow(b), [leaf([3], 1, positive), leaf([3], 2)]],
    ['tanh, sigmoid, exp', (x) => x.tanh().mul(x.sigmoid()).add(x.exp()), [leaf([2, 2], 3)]],
    ['logSoftmax', (x) => gd.logSoftmax(x, 1), [leaf([2, 3], 4)]],
    ['matmul', (a, b) => gd.matmul(a, b), [leaf([2, 3], 5), leaf([3, 2], 6)]],
    ['mean and expand', (x) => x.mean(0, true).expand(3, 2).mul(x), [leaf([3, 2], 7)]],
    ['mseLoss', (a, b) => gd.mseLoss(a, b), [leaf([4], 8), leaf([4], 9)]],
    ['crossEntropy', (x) => gd.crossEntropy(x, gd.tensor([0, 2], { dtype: 'int64' }), { labelSmoothing: 0.1 }), [leaf([2, 3], 10)]],
    [
      'select and slice',
      (x) =>
        x
          .select(0, 1)
          .mul(x.slice(0, 0, 1).squeeze(0))
          .pow(2),
      [leaf([2, 3], 11)],
    ],
    [
      'cat and indexSelect',
      (a, b) => gd.indexSelect(gd.cat([a, b]).pow(2), 0, gd.tensor([2, 0, 2], { dtype: 'int64' })),
      [leaf([2], 12), leaf([2], 13)],
    ],
  ];
  it.each(cases)('%s', (_name, f, inputs) => {
    expect(gradgradcheck(f, inputs)).toBe(true);
  });
});

class WrongDerivative extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(x);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(3);
  }
}

describe('gradcheck failures', () => {
  it('raises a GradcheckError naming the output and input, or returns false', () => {
    const x = leaf([2], 1);
    expect(() => gradcheck((t: Tensor) => WrongDerivative.apply<Tensor>(t), [x])).toThrowError(GradcheckError);
    expect(() => gradcheck((t: Tensor) => WrongDerivative.apply<Tensor>(t), [x])).toThrowError(
      /^Jacobian mismatch for output 0 with respect to input 0,\nnumerical:/,
    );
    expect(gradcheck((t: Tensor) => WrongDerivative.apply<Tensor>(t), [x], { raiseException: false })).toBe(false);
  });
});
