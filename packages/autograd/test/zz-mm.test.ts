import '@gd/autograd';
import { gradcheck } from '@gd/autograd';
import * as gd from '@gd/tensor';
import { Generator } from '@gd/tensor';
import fc from 'fast-check';
import { it } from 'vitest';
const leaf = (shape: number[], seed: number) => gd.randn(shape, { dtype: 'float64', generator: new Generator(seed) }).detach().requiresGrad_();
it('mm', () => {
  const dims = fc.integer({ min: 1, max: 3 });
  const batch = fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 2 });
  fc.assert(fc.property(dims, dims, dims, batch, fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (m, k, n, b, vecA, vecB, seed) => {
    const a = leaf(vecA ? [k] : [...b, m, k], seed);
    const w = leaf(vecB ? [k] : [...b.slice(1), k, n], seed + 1);
    return gradcheck(gd.matmul, [a, w]);
  }), { numRuns: 300 });
});
