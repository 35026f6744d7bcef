import { describe, expect, it } from 'vitest';
import type { AdamStepScalars, View } from '../src/backend/backend.js';
import { adamKernel } from '../src/cpu/adam.js';
import { type DType, fromArray, type Tensor, withGradMode } from '../src/index.js';

/** The in-place tensor ops @gd/optim's Adam runs when the backend has no fused kernel. */
function adamByOps(p: Tensor, g: Tensor, m: Tensor, v: Tensor, s: AdamStepScalars): void {
  withGradMode(false, () => {
    m.lerp_(g, 1 - s.beta1);
    v.mul_(s.beta2).addcmul_(g, g, { value: 1 - s.beta2 });
    p.addcdiv_(m, v.sqrt().div_(s.biasCorrection2Sqrt).add_(s.eps), { value: -s.stepSize });
  });
}

const viewOf = (t: Tensor): View => ({ storage: t.storage, shape: t.shape, strides: t.strides, offset: t.offset, dtype: t.dtype });

/** Runs both paths on copies of the same four tensors and expects the same bits in all three results. */
function expectSameAsOps(dtype: DType, data: [number[], number[], number[], number[]], s: AdamStepScalars, offset = 0): Tensor[] {
  // each tensor a view `offset` elements into its storage
  const make = () =>
    data.map((d) =>
      fromArray([...new Array<number>(offset).fill(7), ...d], [offset + d.length], { dtype }).narrow(0, offset, d.length),
    ) as [Tensor, Tensor, Tensor, Tensor];
  const byOps = make();
  const fused = make();
  adamByOps(...byOps, s);
  adamKernel(...(fused.map(viewOf) as [View, View, View, View]), s);
  for (const i of [0, 2, 3]) expect(Array.from(fused[i]!.dataSync())).toEqual(Array.from(byOps[i]!.dataSync()));
  return fused;
}

/** Deterministic values: ordinary ones, or coarse ones (multiples of powers of two up to 2^25) whose fmas often tie. */
function values(n: number, seed: number, coarse: boolean, nonNegative: boolean): number[] {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  return Array.from({ length: n }, () => {
    const v = coarse ? Math.round((next() * 2 - 1) * 64) * 2 ** Math.floor(next() * 26) : (next() * 2 - 1) * 2 ** (next() * 8 - 4);
    return nonNegative ? Math.abs(v) : v;
  });
}

describe('cpu fused Adam kernel', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const coarse of [false, true]) {
      for (const [beta1, beta2, step] of [
        [0.9, 0.999, 1],
        [0.9, 0.999, 7],
        [0.5, 0.99, 3],
        [0.25, 0.5, 2],
        [0, 0.999, 1],
      ] as const) {
        it(`${dtype}${coarse ? ', coarse values' : ''}, betas (${beta1}, ${beta2}), step ${step}: param and both moments bit for bit as the op-by-op update`, () => {
          const n = 67;
          const data = [values(n, 1, coarse, false), values(n, 2, coarse, false), values(n, 3, coarse, false), values(n, 4, coarse, true)];
          const s: AdamStepScalars = {
            beta1,
            beta2,
            eps: 1e-8,
            stepSize: 0.1 / (1 - beta1 ** step),
            biasCorrection2Sqrt: Math.sqrt(1 - beta2 ** step),
          };
          expectSameAsOps(dtype, data as [number[], number[], number[], number[]], s);
        });
      }
    }
  }

  it('updates views past a storage offset, over more elements than one chunk of the float32 loop', () => {
    const n = 2 * 4096 + 5;
    const data = [values(n, 5, false, false), values(n, 6, true, false), values(n, 7, false, false), values(n, 8, false, true)];
    const s: AdamStepScalars = { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1e-3, biasCorrection2Sqrt: 0.1 };
    for (const dtype of ['float32', 'float64'] as const) expectSameAsOps(dtype, data as [number[], number[], number[], number[]], s, 3);
  });

  it('rounds an exp_avg_sq multiply-add whose float64 sum lands on a float32 tie as one fma', () => {
    // grad·(1 - beta2)·grad = 2^-1·(1 - 2^-46) and exp_avg_sq·beta2 = 2^23 + 1: the exact sum lies just
    // below the float32 midpoint 2^23 + 1.5, which a float64 sum would round onto (and then up).
    const s: AdamStepScalars = { beta1: 0.9, beta2: 0.5 + 2 ** -23, eps: 1e-8, stepSize: 1e-3, biasCorrection2Sqrt: 1 };
    const fused = expectSameAsOps('float32', [[1], [1 + 2 ** -23], [0], [16777214]], s);
    expect(fused[3]!.item()).toBe(2 ** 23 + 1);
  });

  it('rounds an exp_avg multiply-add whose float64 sum lands on a subnormal float32 midpoint as one fma', () => {
    // (1 - beta1)·(grad - exp_avg) = 2^-150 + 2^-183, added to exp_avg = 2^-128: the float64 sum lands on
    // the subnormal midpoint 2^-128 + 2^-150; the one rounding of the fma goes up.
    const s: AdamStepScalars = { beta1: 1 - 2049 * 2 ** -34, beta2: 0.999, eps: 1e-8, stepSize: 1e-3, biasCorrection2Sqrt: 1 };
    const fused = expectSameAsOps('float32', [[1], [6289409 * 2 ** -149], [2 ** -128], [1]], s);
    expect(fused[2]!.item()).toBe(2 ** -128 + 2 ** -149);
  });
});
