import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DType, type TypedArray, type View, typedArrayFor } from '@gd/tensor';
import { type WasmBackend, wasmBackend } from '../src/index.js';
import { randomData } from './helpers.js';

let single: WasmBackend;
let two: WasmBackend;
let three: WasmBackend;

beforeAll(async () => {
  single = await wasmBackend({ name: 'wasm-1t' });
  two = await wasmBackend({ threads: 2, name: 'wasm-2t' });
  three = await wasmBackend({ threads: 3, name: 'wasm-3t' });
});
afterAll(async () => {
  await two.terminate();
  await three.terminate();
});

const contiguous = (shape: readonly number[]): number[] => {
  const strides = new Array<number>(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
};

/** A view over fresh storage holding `data`, laid out with `strides` (contiguous by default). */
function viewOf(w: WasmBackend, dtype: DType, shape: number[], data: TypedArray, strides = contiguous(shape)): View {
  return { storage: w.fromArray(dtype, data), shape, strides, offset: 0, dtype };
}

/** Runs `op` on fresh copies of the same inputs on `w`, and returns the output's bytes. */
type Op = (w: WasmBackend, make: (i: number) => View) => View;
function runOn(w: WasmBackend, inputs: readonly { dtype: DType; shape: number[]; strides?: number[] }[], op: Op): Uint8Array {
  const views = inputs.map((s, i) => {
    const size = s.strides ? s.shape.reduce((n, d, k) => n + (d - 1) * s.strides![k]!, 1) : s.shape.reduce((a, b) => a * b, 1);
    return viewOf(w, s.dtype, s.shape, randomData(s.dtype, size, 1000 + i), s.strides);
  });
  const out = op(w, (i) => views[i]!);
  const data = read(out);
  for (const v of [...views, out]) if (!v.storage.isDisposed) v.storage.free();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Asserts that the threaded backends produce the single-threaded backend's bytes exactly. */
function expectSameBits(inputs: Parameters<typeof runOn>[1], op: Op): void {
  const expected = runOn(single, inputs, op);
  for (const w of [two, three]) {
    const actual = runOn(w, inputs, op);
    const first = actual.findIndex((byte, i) => byte !== expected[i]);
    expect(first, `${w.name} differs from one thread at byte ${first}`).toBe(-1);
    expect(actual.length).toBe(expected.length);
  }
}

const read = (v: View): TypedArray => v.storage.backend.read(v.storage);

/** The fused elementwise kernels the backend offers. */
interface Pointwise {
  addcmul(out: View, self: View, t1: View, t2: View, value: number): void;
  lerp(out: View, self: View, end: View, weight: View | number): void;
}
const pointwise = (w: WasmBackend) => w.fused as unknown as Pointwise;

function output(w: WasmBackend, dtype: DType, shape: number[]): View {
  return viewOf(w, dtype, shape, new (typedArrayFor(dtype))(shape.reduce((a, b) => a * b, 1)));
}

function matmulCase(B: number, M: number, K: number, N: number, dtype: DType = 'float32'): void {
  expectSameBits(
    [
      { dtype, shape: [B, M, K] },
      { dtype, shape: [B, K, N] },
    ],
    (w, v) => {
      const out = output(w, dtype, [B, M, N]);
      w.matmul(out, v(0), v(1));
      return out;
    },
  );
}

describe('wasmBackend({ threads })', () => {
  it('runs the requested number of threads over a shared memory', () => {
    expect(single.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(three.threads).toBe(3);
    expect(two.simd).toBe(true);
  });

  it('gives float32 matmuls bit-identical to one thread, at odd sizes', () => {
    matmulCase(1, 257, 300, 259);
    matmulCase(1, 37, 129, 1000);
    matmulCase(2, 61, 257, 131);
  });

  it('gives float32 matmuls bit-identical to one thread over a batch-broadcast or transposed B (packed once for all threads)', () => {
    const matmulOf = (shape: number[]) => (w: WasmBackend, v: (i: number) => View) => {
      const out = output(w, 'float32', shape);
      w.matmul(out, v(0), v(1));
      return out;
    };
    expectSameBits(
      [
        { dtype: 'float32', shape: [3, 70, 90] },
        { dtype: 'float32', shape: [3, 90, 530], strides: [0, 530, 1] },
      ],
      matmulOf([3, 70, 530]),
    );
    expectSameBits(
      [
        { dtype: 'float32', shape: [1, 150, 300] },
        { dtype: 'float32', shape: [1, 300, 141], strides: [0, 1, 300] },
      ],
      matmulOf([1, 150, 141]),
    );
  });

  it('gives bit-identical matmuls on the float64 and short-K float32 paths', () => {
    matmulCase(1, 130, 150, 140, 'float64');
    matmulCase(1, 300, 17, 600);
  });

  it('shares a matmul with fewer rows than threads by batches, or runs it whole', () => {
    matmulCase(6, 2, 600, 600);
    matmulCase(1, 2, 1200, 1000);
  });

  it('writes a matmul into a column-strided output identically', () => {
    expectSameBits(
      [
        { dtype: 'float32', shape: [1, 200, 300] },
        { dtype: 'float32', shape: [1, 300, 190] },
      ],
      (w, v) => {
        const out = output(w, 'float32', [1, 200, 190]);
        w.matmul({ ...out, strides: [0, 1, 200], shape: [1, 200, 190] }, v(0), v(1));
        return out;
      },
    );
  });

  const n = 200_003;
  for (const op of ['exp', 'tanh', 'sigmoid', 'log', 'sin'] as const) {
    it(`gives bit-identical float32 ${op} over contiguous and row-strided inputs`, () => {
      expectSameBits([{ dtype: 'float32', shape: [n] }], (w, v) => {
        const out = output(w, 'float32', [n]);
        w.unary(op, out, v(0));
        return out;
      });
      expectSameBits([{ dtype: 'float32', shape: [3, 70_001], strides: [70_017, 1] }], (w, v) => {
        const out = output(w, 'float32', [3, 70_001]);
        w.unary(op, out, v(0));
        return out;
      });
    });
  }

  it('gives bit-identical binary ops with broadcasts, scalars and alpha', () => {
    expectSameBits(
      [
        { dtype: 'float32', shape: [301, 1001] },
        { dtype: 'float32', shape: [301, 1001], strides: [0, 1] },
      ],
      (w, v) => {
        const out = output(w, 'float32', [301, 1001]);
        w.binary('sub', out, v(0), v(1), 0.5);
        w.binary('mul', out, out, v(1));
        w.binaryScalar('div', out, out, 3, true);
        return out;
      },
    );
    expectSameBits(
      [
        { dtype: 'float64', shape: [2, 99_999] },
        { dtype: 'int32', shape: [2, 99_999] },
      ],
      (w, v) => {
        const out = output(w, 'float64', [2, 99_999]);
        w.binary('pow', out, v(0), v(1));
        return out;
      },
    );
  });

  it('gives bit-identical fill, transposing copy, where, addcmul and lerp', () => {
    const shape = [400, 401];
    const f32 = { dtype: 'float32' as const, shape };
    expectSameBits([f32, f32, f32, { dtype: 'bool', shape }], (w, v) => {
      const out = output(w, 'float32', shape);
      w.fill(out, 0.25);
      w.copy(out, { ...v(0), shape: [400, 401], strides: [1, 400] });
      w.where(out, v(3), out, v(1));
      pointwise(w).addcmul(out, out, v(1), v(2), 0.1);
      pointwise(w).lerp(out, out, v(2), 0.3);
      pointwise(w).lerp(out, out, v(1), v(2));
      return out;
    });
  });

  it('runs small ops on the calling thread alone, correctly, after a shared one', () => {
    const big = viewOf(two, 'float32', [100_000], new Float32Array(100_000).fill(1));
    two.unary('neg', big, big);
    const small = viewOf(two, 'float32', [3], new Float32Array([1, 2, 3]));
    two.binaryScalar('mul', small, small, 2, false);
    expect([...read(small)]).toEqual([2, 4, 6]);
    expect(read(big).every((v) => v === -1)).toBe(true);
    big.storage.free();
    small.storage.free();
  });

  it('keeps working after a large allocation grows the shared memory', () => {
    const size = 3_000_000;
    const before = two.memory().heapBytes;
    expectSameBits([{ dtype: 'float64', shape: [size] }], (w, v) => {
      const out = output(w, 'float64', [size]);
      w.unary('exp', out, v(0));
      return out;
    });
    expect(two.memory().heapBytes).toBeGreaterThan(before);
  });

  it('shuts the pool down with terminate(), then runs on the calling thread alone', async () => {
    const w = await wasmBackend({ threads: 2 });
    const x = viewOf(w, 'float32', [100_000], randomData('float32', 100_000, 7));
    const out = output(w, 'float32', [100_000]);
    w.unary('exp', out, x);
    const threaded = read(out);
    const inUse = w.memory().bytesInUse;
    await w.terminate();
    expect(w.threads).toBe(1);
    expect(w.memory().bytesInUse).toBeLessThan(inUse);
    w.fill(out, 0);
    w.unary('exp', out, x);
    expect(read(out)).toEqual(threaded);
    await w.terminate();
  });
});

describe('wasmBackend({ threads }) refuses', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('a thread count that is not an integer from 1 to 64', async () => {
    for (const threads of [0, -1, 1.5, Number.NaN, 65, '2' as unknown as number])
      await expect(wasmBackend({ threads })).rejects.toThrow(
        new RangeError(`wasmBackend: threads must be an integer from 1 to 64, got ${String(threads)}`),
      );
  });

  it('to start without shared memory, saying how to get it', async () => {
    vi.stubGlobal('crossOriginIsolated', false);
    await expect(wasmBackend({ threads: 2 })).rejects.toThrow(
      'threads: 2 needs SharedArrayBuffer: serve the page cross-origin isolated (COOP/COEP)',
    );
    vi.stubGlobal('SharedArrayBuffer', undefined);
    vi.stubGlobal('crossOriginIsolated', undefined);
    await expect(wasmBackend({ threads: 4 })).rejects.toThrow('threads: 4 needs SharedArrayBuffer');
    // One thread needs no shared memory.
    expect((await wasmBackend({ threads: 1 })).threads).toBe(1);
  });

  it('threads combined with the baseline build', async () => {
    await expect(wasmBackend({ threads: 2, simd: false })).rejects.toThrow(RangeError);
  });
});
