import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AdamStepScalars, type DType, type OptimizerKernels, Tensor, type View, withGradMode } from '@gd/tensor';
import { RUNS, type Twin, expectAgree, prng, randomData, release, seedArb, twinOf, useBackends } from './helpers.js';

const { arb: backendArb, get: backends } = useBackends();
const EXACT = { rtol: 0, atol: 0 };
const kernels = (b: { fused?: unknown }) => b.fused as OptimizerKernels;

/** The in-place tensor ops @gd/optim's Adam runs when the backend has no fused kernel. */
function adamByOps(p: Tensor, g: Tensor, m: Tensor, v: Tensor, s: AdamStepScalars): void {
  withGradMode(false, () => {
    m.lerp_(g, 1 - s.beta1);
    v.mul_(s.beta2).addcmul_(g, g, { value: 1 - s.beta2 });
    p.addcdiv_(m, v.sqrt().div_(s.biasCorrection2Sqrt).add_(s.eps), { value: -s.stepSize });
  });
}

const asTensor = (v: View) => new Tensor(v.storage, v.shape, v.strides, v.offset);

/**
 * Values for the four tensors: ordinary floats, or coarse ones (multiples of powers of two around
 * 2^24) whose fused multiply-adds often land exactly between two float32s.
 */
function tensorData(dtype: DType, size: number, seed: number, coarse: boolean, nonNegative: boolean) {
  const data = randomData(dtype, size, seed, { special: 0.02 });
  const r = prng(seed + 7);
  for (let i = 0; i < size; i++) {
    if (coarse) data[i] = Math.round((r() * 2 - 1) * 64) * 2 ** Math.floor(r() * 26);
    if (nonNegative) data[i] = Math.abs(data[i]!);
  }
  return data;
}

const stepCase = fc.record({
  size: fc.integer({ min: 0, max: 41 }),
  dtype: fc.constantFrom<DType>('float32', 'float64'),
  coarse: fc.boolean(),
  beta1: fc.constantFrom(0, 0.25, 0.5, 0.75, 0.9, 0.95),
  beta2: fc.constantFrom(0.5, 0.99, 0.999),
  step: fc.integer({ min: 1, max: 20 }),
  lr: fc.constantFrom(1e-3, 0.1, 1),
  eps: fc.constantFrom(1e-8, 1e-3),
});

describe('fused Adam kernel', () => {
  it('updates param and both moments bit for bit as the op-by-op path on cpu', () => {
    fc.assert(
      fc.property(stepCase, seedArb, backendArb, (c, seed, w) => {
        const layout = { shape: [c.size], strides: [1], offset: 0, storageSize: c.size };
        const make = (k: number, nonNegative = false): Twin =>
          twinOf(w, c.dtype, layout, tensorData(c.dtype, c.size, seed + k, c.coarse, nonNegative));
        const [p, g, m, v] = [make(0), make(1), make(2), make(3, true)];
        const s: AdamStepScalars = {
          beta1: c.beta1,
          beta2: c.beta2,
          eps: c.eps,
          stepSize: c.lr / (1 - c.beta1 ** c.step),
          biasCorrection2Sqrt: Math.sqrt(1 - c.beta2 ** c.step),
        };
        try {
          adamByOps(asTensor(p.cpu), asTensor(g.cpu), asTensor(m.cpu), asTensor(v.cpu), s);
          kernels(w).adam(p.wasm, g.wasm, m.wasm, v.wasm, s);
          expectAgree(m, EXACT);
          expectAgree(v, EXACT);
          expectAgree(p, EXACT);
        } finally {
          release(p, g, m, v);
        }
      }),
      RUNS,
    );
  });

  it('rounds an exp_avg_sq multiply-add whose float64 sum lands on a float32 tie as one fma', () => {
    // grad·(1 - beta2)·grad = 2^-1·(1 - 2^-46) and exp_avg_sq·beta2 = 2^23 + 1: the exact sum lies just
    // below the float32 midpoint 2^23 + 1.5, which a float64 sum would round onto (and then up).
    const beta2 = 0.5 + 2 ** -23;
    const s: AdamStepScalars = { beta1: 0.9, beta2, eps: 1e-8, stepSize: 1e-3, biasCorrection2Sqrt: 1 };
    const layout = { shape: [6], strides: [1], offset: 0, storageSize: 6 };
    for (const w of Object.values(backends())) {
      const fill = (x: number) => twinOf(w, 'float32', layout, new Float32Array(6).fill(x));
      const [p, g, m, v] = [fill(1), fill(1 + 2 ** -23), fill(0), fill(16777214)];
      try {
        adamByOps(asTensor(p.cpu), asTensor(g.cpu), asTensor(m.cpu), asTensor(v.cpu), s);
        kernels(w).adam(p.wasm, g.wasm, m.wasm, v.wasm, s);
        expect(v.wasm.storage.backend.read(v.wasm.storage)[0]).toBe(2 ** 23 + 1);
        expectAgree(v, EXACT);
        expectAgree(p, EXACT);
      } finally {
        release(p, g, m, v);
      }
    }
  });

  it('rounds an exp_avg multiply-add whose float64 sum lands on a subnormal float32 midpoint as one fma', () => {
    // (1 - beta1)·(grad - exp_avg) = 2049·2^-34 · 4192257·2^-149 = 2^-150 + 2^-183 (2^33 + 1 =
    // 2049·4192257), added to exp_avg = 2^-128: the float64 sum drops the 2^-183 and lands on the
    // midpoint 2^-128 + 2^-150 of the subnormal grid, which no normal-range tie test sees; the one
    // rounding of the fma goes up, to 2^-128 + 2^-149.
    const s: AdamStepScalars = { beta1: 1 - 2049 * 2 ** -34, beta2: 0.999, eps: 1e-8, stepSize: 1e-3, biasCorrection2Sqrt: 1 };
    const layout = { shape: [8], strides: [1], offset: 0, storageSize: 8 };
    for (const w of Object.values(backends())) {
      const fill = (x: number) => twinOf(w, 'float32', layout, new Float32Array(8).fill(x));
      const [p, g, m, v] = [fill(1), fill(6289409 * 2 ** -149), fill(2 ** -128), fill(1)];
      try {
        adamByOps(asTensor(p.cpu), asTensor(g.cpu), asTensor(m.cpu), asTensor(v.cpu), s);
        kernels(w).adam(p.wasm, g.wasm, m.wasm, v.wasm, s);
        expect(m.wasm.storage.backend.read(m.wasm.storage)[0]).toBe(2 ** -128 + 2 ** -149);
        expectAgree(m, EXACT);
        expectAgree(v, EXACT);
        expectAgree(p, EXACT);
      } finally {
        release(p, g, m, v);
      }
    }
  });
});
