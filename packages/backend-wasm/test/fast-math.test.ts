import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, type DType, type TypedArray, type UnaryOp, type View, cpuBackend } from '@gd/tensor';
import { type WasmBackend, wasmBackend } from '../src/index.js';

const FAST_OPS: readonly UnaryOp[] = ['exp', 'sigmoid', 'tanh', 'log'];
/**
 * Largest distance from cpu's result (SLEEF, as PyTorch), in float32 steps, as measured over every
 * 257th bit pattern: sigmoid's 1 / (1 + e^-x) compounds the two exps' errors.
 */
const MAX_ULPS: Record<string, number> = { exp: 1, sigmoid: 3, tanh: 1, log: 1 };

let fast: WasmBackend;
let exact: WasmBackend;
let fastThreads: WasmBackend;

beforeAll(async () => {
  fast = await wasmBackend({ name: 'wasm-fast' });
  exact = await wasmBackend({ fastMath: false, name: 'wasm-exact' });
  fastThreads = await wasmBackend({ threads: 2, name: 'wasm-fast-2t' });
});
afterAll(async () => {
  await fastThreads.terminate();
});

/** Special values and the edges of the polynomials' ranges, where results must match cpu exactly. */
// biome-ignore format: a list of values
const SPECIAL = [
  0, -0, NaN, -NaN, Infinity, -Infinity, 1e-45, -1e-45, 1e-40, -1e-40, 1.17549435e-38, -1.17549435e-38, 1e-30, -1e-30,
  88.7228393554687, 89, 100, 1e30, -103.97, -104, -200, -1e30, 3.4028234663852886e38, -3.4028234663852886e38, 1, -1,
  10, -10, 20, -20,
];

/** Every 2049th float32 bit pattern: both signs, every binade, varied low bits. */
function sweep(): Float32Array {
  const step = 2049;
  const bits = new Uint32Array(Math.floor(2 ** 32 / step));
  for (let i = 0; i < bits.length; i++) bits[i] = i * step;
  return new Float32Array(bits.buffer);
}

/** float32 bits ordered as integers, so neighbouring floats differ by 1 (-0 and 0 are both 0). */
function ordered(v: Float32Array): Int32Array {
  const bits = new Int32Array(v.buffer, v.byteOffset, v.length);
  return bits.map((b) => (b < 0 ? -2147483648 - b : b));
}

/** The largest distance in float32 steps between a and b, with the input where it occurs; NaN only matches NaN. */
function worstUlps(x: Float32Array, a: Float32Array, b: Float32Array): { ulps: number; at: number } {
  const [oa, ob] = [ordered(a), ordered(b)];
  let worst = { ulps: 0, at: 0 };
  for (let i = 0; i < a.length; i++) {
    const d =
      Number.isNaN(a[i]!) || Number.isNaN(b[i]!) ? (Number.isNaN(a[i]!) && Number.isNaN(b[i]!) ? 0 : Infinity) : Math.abs(oa[i]! - ob[i]!);
    if (d > worst.ulps) worst = { ulps: d, at: x[i]! };
  }
  return worst;
}

function viewOf(b: Backend, dtype: DType, data: TypedArray, shape = [data.length], strides = [1]): View {
  return { storage: b.fromArray(dtype, data), shape, strides, offset: 0, dtype };
}

/** op over x on backend b, as a plain array (the backend's storages freed). */
function run(b: Backend, op: UnaryOp, x: TypedArray, dtype: DType = 'float32', shape?: number[], strides?: number[]): TypedArray {
  const input = viewOf(b, dtype, x, shape, strides);
  const out: View = { storage: b.alloc(dtype, x.length), shape: input.shape, strides: input.strides, offset: 0, dtype };
  b.unary(op, out, input);
  const result = b.read(out.storage);
  input.storage.free();
  out.storage.free();
  return result;
}

/** Padded to 16 lanes with 1s, so every value goes through the f32x4 polynomials, not the scalar tail. */
function padded(values: readonly number[]): Float32Array {
  const out = new Float32Array(Math.ceil(values.length / 16) * 16).fill(1);
  out.set(values);
  return out;
}

function sameBits(a: TypedArray, b: TypedArray): boolean {
  const [x, y] = [new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(b.buffer, b.byteOffset, b.byteLength)];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

describe('fastMath: float32 exp, sigmoid, tanh and log by f32x4 polynomials', () => {
  const values = sweep();

  it('is reported by the backend and on by default', () => {
    expect(fast.fastMath).toBe(true);
    expect(fastThreads.fastMath).toBe(true);
    expect(exact.fastMath).toBe(false);
  });

  it('is ignored by the baseline build, which keeps the exact kernels', async () => {
    const baseline = await wasmBackend({ simd: false, fastMath: true, name: 'wasm-baseline-fast' });
    expect(baseline.fastMath).toBe(false);
    const x = values.subarray(0, 1 << 16);
    for (const op of FAST_OPS) expect(sameBits(run(baseline, op, x), run(cpuBackend, op, x)), op).toBe(true);
  });

  for (const op of FAST_OPS) {
    it(`${op} is within ${MAX_ULPS[op]} ulp of cpu over every 2049th float32 bit pattern`, () => {
      const worst = worstUlps(values, run(fast, op, values) as Float32Array, run(cpuBackend, op, values) as Float32Array);
      expect(worst.ulps, `${worst.ulps} ulp at x = ${worst.at}`).toBeLessThanOrEqual(MAX_ULPS[op]!);
      expect(worst.ulps).toBeGreaterThan(0);
    });

    it(`${op} of NaN, infinities, zeros, subnormals and overflowing arguments matches cpu exactly`, () => {
      const x = padded(SPECIAL);
      const [a, e] = [run(fast, op, x), run(cpuBackend, op, x)];
      for (let i = 0; i < SPECIAL.length; i++)
        expect(Object.is(a[i], e[i]) || (Number.isNaN(a[i]!) && Number.isNaN(e[i]!)), `${op}(${x[i]}) = ${a[i]}, cpu ${e[i]}`).toBe(true);
    });
  }

  it('tanh keeps the sign of zero and saturates to ±1', () => {
    expect(Array.from(run(fast, 'tanh', padded([-0, 0, 10, -10, 50, -Infinity])).subarray(0, 6))).toEqual([-0, 0, 1, -1, 1, -1]);
  });

  it('a fastMath: false backend beside a fast one stays bit-identical to cpu', () => {
    for (const op of FAST_OPS) expect(sameBits(run(exact, op, values), run(cpuBackend, op, values)), op).toBe(true);
  });

  it('strided rows, float64, and ops without a polynomial keep the exact kernels', () => {
    const x = values.subarray(0, 1 << 16);
    // every other element of a [2^15, 2] tensor: a strided row
    const strided = (b: Backend): TypedArray => run(b, 'exp', x, 'float32', [x.length / 2], [2]);
    expect(sameBits(strided(fast), strided(cpuBackend))).toBe(true);
    const x64 = Float64Array.from(x);
    expect(sameBits(run(fast, 'exp', x64, 'float64'), run(cpuBackend, 'exp', x64, 'float64'))).toBe(true);
    for (const op of ['expm1', 'log1p'] as const) expect(sameBits(run(fast, op, x), run(cpuBackend, op, x)), op).toBe(true);
  });

  it('with threads: 2 gives the one-thread fastMath results bit for bit', () => {
    for (const op of FAST_OPS) {
      const threaded = run(fastThreads, op, values);
      expect(sameBits(threaded, run(fast, op, values)), op).toBe(true);
      expect(sameBits(threaded, run(cpuBackend, op, values)), `${op} took the polynomials`).toBe(false);
    }
  });
});
