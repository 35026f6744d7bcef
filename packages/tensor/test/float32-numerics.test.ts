import { describe, expect, it } from 'vitest';
import { exp, expm1, fromArray, log, log1p, mean, nansum, rsqrt, sigmoid, sum, tanh, type Tensor } from '../src/index.js';
import { readFileSync } from 'node:fs';

/** fixtures/float32-numerics.json, written by fixtures/generate_float32_numerics.py from real torch. */
interface SumCase {
  id: string;
  seed: number;
  shape: number[];
  permute: number[] | null;
  dim: number[] | null;
  keepdim: boolean;
  dtype: 'float32' | 'float64';
  sum: number[];
  mean: number[];
}
const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/float32-numerics.json', import.meta.url), 'utf8')) as {
  unary: Record<string, number[]>;
  sums: SumCase[];
  nansums: { seed: number; shape: number[]; dim: number[] | null; nansum: number[] }[];
};

const fromBits = (bits: number[]): Float32Array => new Float32Array(Uint32Array.from(bits).buffer);
/** Bit patterns, every NaN as the canonical quiet NaN (payloads are not part of the contract). */
const canonical = (bits: Uint32Array | number[]): number[] =>
  Array.from(bits, (b) => ((b & 0x7f800000) === 0x7f800000 && b & 0x7fffff ? 0x7fc00000 : b));
const bitsOf = (t: Tensor): number[] => canonical(new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer));

/** The generator's values(n, seed): exact double arithmetic, so both sides get the same numbers. */
function values(n: number, seed: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = Number((BigInt(i) * 2654435761n + BigInt(seed) * 40503n + 12345n) % 2n ** 32n);
    const e = ((i * 7919 + seed) % 13) - 6;
    out.push(((k / 2 ** 32) * 2 - 1) * 2 ** e);
  }
  return out;
}

describe('float32 exp, expm1, log, log1p, tanh, sigmoid and rsqrt match PyTorch (SLEEF u10 on AVX2) bit for bit', () => {
  const x = fromArray(fromBits(FIXTURE.unary.x!), [FIXTURE.unary.x!.length]);
  for (const [name, op] of [
    ['exp', exp],
    ['expm1', expm1],
    ['log', log],
    ['log1p', log1p],
    ['tanh', tanh],
    ['sigmoid', sigmoid],
    ['rsqrt', rsqrt],
  ] as const) {
    it(`${name} over the whole float32 range, including overflow, underflow, subnormals, inf and NaN`, () => {
      expect(bitsOf(op(x))).toEqual(canonical(FIXTURE.unary[name]!));
    });
  }
  it('prints exp(4) as PyTorch does (54.5982, one ulp above the correctly rounded value)', () => {
    expect(exp(fromArray([4], [1])).item()).toBe(Math.fround(54.59815216064453));
  });
});

describe('float sums accumulate in PyTorch order, bit for bit', () => {
  for (const c of FIXTURE.sums) {
    it(`${c.dtype} ${c.shape.join('x')}${c.permute ? ` permuted ${c.permute}` : ''} over ${c.dim ?? 'all'}`, () => {
      let x = fromArray(
        values(
          c.shape.reduce((a, b) => a * b, 1),
          c.seed,
        ),
        c.shape,
        { dtype: c.dtype },
      );
      if (c.permute) x = x.permute(...c.permute);
      const opts = c.dim === null ? {} : { dim: c.dim, keepdim: c.keepdim };
      const s = sum(x, opts);
      const m = mean(x, opts);
      if (c.dtype === 'float32') {
        expect(bitsOf(s)).toEqual(c.sum);
        expect(bitsOf(m)).toEqual(c.mean);
      } else {
        expect(Array.from(s.dataSync())).toEqual(c.sum);
        expect(Array.from(m.dataSync())).toEqual(c.mean);
      }
    });
  }
});

describe('float32 nansum skips NaN in PyTorch order, bit for bit', () => {
  for (const c of FIXTURE.nansums) {
    it(`${c.shape.join('x')} over ${c.dim ?? 'all'}`, () => {
      const data = values(
        c.shape.reduce((a, b) => a * b, 1),
        c.seed,
      ).map((v, k) => (k % 5 === 2 ? NaN : v));
      const s = nansum(fromArray(data, c.shape), c.dim === null ? {} : { dim: c.dim });
      expect(bitsOf(s)).toEqual(c.nansum);
    });
  }
});
