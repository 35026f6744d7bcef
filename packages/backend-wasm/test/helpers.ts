import fc from 'fast-check';
import { beforeAll } from 'vitest';
import { type Backend, type DType, type Storage, type TypedArray, type View, cpuBackend, typedArrayFor } from '@gd/tensor';
import { type WasmBackend, wasmBackend } from '../src/index.js';

/**
 * One SIMD and one baseline backend for a test file, created in beforeAll, and an arbitrary that
 * picks either (shown as 'simd' or 'baseline' in counterexamples). Both run the exact kernels
 * (fastMath: false) of the plain SIMD build (relaxed SIMD's fused matmul rounds differently), which
 * these tests hold to cpu bit for bit; fast-math.test.ts and relaxed-simd.test.ts cover the rest.
 */
export function useBackends(): { arb: fc.Arbitrary<WasmBackend>; get: () => { simd: WasmBackend; baseline: WasmBackend } } {
  const pair = {} as { simd: WasmBackend; baseline: WasmBackend };
  beforeAll(async () => {
    pair.simd = await wasmBackend({ fastMath: false, relaxedSimd: false, name: 'wasm' });
    pair.baseline = await wasmBackend({ simd: false, name: 'wasm-baseline' });
  });
  const arb = fc.constantFrom<'simd' | 'baseline'>('simd', 'baseline').map(
    (kind) => pair[kind],
    (w) => ((w as WasmBackend).simd ? 'simd' : 'baseline'),
  );
  return { arb, get: () => pair };
}

export const RUNS = { numRuns: 200 };
export const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
export const ALL_DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64', 'bool'];

/** A small deterministic generator, so one fast-check integer seeds a whole tensor's data. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DataOptions {
  /** Share of float elements replaced by NaN, ±Infinity, ±0 (default 0.05). */
  special?: number;
  /** Floats drawn from [-scale, scale] (default 3). */
  scale?: number;
  /** Integers drawn from [-intRange, intRange] (default 6). */
  intRange?: number;
}

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1, -1];

export function randomData(dtype: DType, size: number, seed: number, o: DataOptions = {}): TypedArray {
  const r = prng(seed);
  const out = new (typedArrayFor(dtype))(size);
  const special = o.special ?? 0.05;
  const scale = o.scale ?? 3;
  const intRange = o.intRange ?? 6;
  for (let i = 0; i < size; i++) {
    if (dtype === 'bool') out[i] = r() < 0.5 ? 1 : 0;
    else if (dtype === 'int32' || dtype === 'int64') out[i] = Math.floor(r() * (2 * intRange + 1)) - intRange;
    else out[i] = r() < special ? SPECIALS[Math.floor(r() * SPECIALS.length)]! : (2 * r() - 1) * scale;
  }
  return out;
}

/** A view layout over a storage: shape, strides, offset, and the storage size it needs. */
export interface Layout {
  readonly shape: number[];
  readonly strides: number[];
  readonly offset: number;
  readonly storageSize: number;
}

/**
 * Random layouts of a given logical shape: dims stored in a random order (transposes), with
 * gaps (slices with a step), an offset, and for inputs optionally stride-0 dims (broadcasts).
 */
export function layoutArb(shape: readonly number[], allowBroadcast: boolean): fc.Arbitrary<Layout> {
  const rank = shape.length;
  return fc
    .record({
      order: fc.shuffledSubarray([...Array(rank).keys()], { minLength: rank, maxLength: rank }),
      steps: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: rank, maxLength: rank }),
      broadcast: fc.array(fc.boolean(), { minLength: rank, maxLength: rank }),
      offset: fc.integer({ min: 0, max: 3 }),
    })
    .map(({ order, steps, broadcast, offset }) => {
      const strides = new Array<number>(rank).fill(0);
      let acc = 1;
      // order[rank-1] is the innermost stored dim.
      for (let i = rank - 1; i >= 0; i--) {
        const d = order[i]!;
        if (allowBroadcast && broadcast[d] && shape[d] !== 0) continue;
        strides[d] = acc * steps[d]!;
        acc = strides[d]! * Math.max(shape[d]!, 1);
      }
      let extent = 0;
      for (let d = 0; d < rank; d++) extent += (shape[d]! - 1) * strides[d]!;
      const empty = shape.some((s) => s === 0);
      return { shape: shape.slice(), strides, offset, storageSize: empty ? offset : offset + extent + 1 };
    });
}

export const shapeArb = (maxRank = 4, maxDim = 5, minDim = 0): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: 0, maxLength: maxRank });

/** The same view (layout and data) built on two backends. */
export interface Twin {
  readonly cpu: View;
  readonly wasm: View;
}

/** The same view of given data (layout and values) on cpu and on `wasm`. */
export function twinOf(wasm: Backend, dtype: DType, layout: Layout, data: TypedArray): Twin {
  const mk = (b: Backend): View => ({
    storage: b.fromArray(dtype, data),
    shape: layout.shape,
    strides: layout.strides,
    offset: layout.offset,
    dtype,
  });
  return { cpu: mk(cpuBackend), wasm: mk(wasm) };
}

export function twin(wasm: Backend, dtype: DType, layout: Layout, seed: number, o?: DataOptions): Twin {
  return twinOf(wasm, dtype, layout, randomData(dtype, layout.storageSize, seed, o));
}

export interface Tolerance {
  rtol: number;
  atol: number;
}

/**
 * Golden-style tolerances per dtype: float32 1e-5; float64 (and int64, stored as float64) within
 * the last few ulps of libm differences; int32 and bool exact.
 */
export function toleranceFor(dtype: DType): Tolerance {
  if (dtype === 'float32') return { rtol: 1e-5, atol: 1e-6 };
  if (dtype === 'float64' || dtype === 'int64') return { rtol: 1e-9, atol: 1e-12 };
  return { rtol: 0, atol: 0 };
}

/** The first element where two storages disagree (NaN matches NaN), or null. */
export function mismatch(expected: Storage, actual: Storage, tol: Tolerance): string | null {
  const e = expected.backend.read(expected);
  const a = actual.backend.read(actual);
  if (e.length !== a.length) return `length ${a.length} != ${e.length}`;
  for (let i = 0; i < e.length; i++) {
    const x = e[i]!;
    const y = a[i]!;
    if (x === y || (x !== x && y !== y)) continue;
    if (Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(x)) continue;
    return `element ${i}: wasm ${y}, cpu ${x}`;
  }
  return null;
}

/** Asserts both storages of a twin agree; frees the wasm side. */
export function expectAgree(t: Twin, tol: Tolerance = toleranceFor(t.cpu.dtype)): void {
  const m = mismatch(t.cpu.storage, t.wasm.storage, tol);
  if (m !== null) throw new Error(`${t.wasm.storage.backend.name} disagrees with cpu at ${m}`);
}

export function release(...twins: Twin[]): void {
  for (const t of twins) if (!t.wasm.storage.isDisposed) t.wasm.storage.free();
}
