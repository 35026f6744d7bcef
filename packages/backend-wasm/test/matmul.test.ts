import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DType, type View, cpuBackend, promoteTypes } from '@gd/tensor';
import { ALL_DTYPES, type Layout, RUNS, expectAgree, layoutArb, release, seedArb, twin, twinOf, useBackends } from './helpers.js';

type DotKernel = (out: View, a: View, b: View) => void;

const { arb: backendArb, get } = useBackends();
const EXACT = { rtol: 0, atol: 0 };

/** A [1, rows, cols] row-major layout. */
const rowMajor = (rows: number, cols: number): Layout => ({
  shape: [1, rows, cols],
  strides: [rows * cols, cols, 1],
  offset: 0,
  storageSize: rows * cols,
});

// Mostly small, sometimes past the kernel's blocking edges (MR 4, NR 8, MC 64, KC 256 on the float64 path).
const dimArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: 13, max: 70 }) },
);
const kArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 250, max: 300 }) },
);

describe('matmul agrees with cpu', () => {
  it('batched, over transposed, sliced and batch-broadcast operands of any dtype', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.integer({ min: 1, max: 3 }), dimArb, kArb, dimArb)
          .chain(([B, M, K, N]) =>
            fc.record({ a: layoutArb([B, M, K], true), b: layoutArb([B, K, N], true), out: layoutArb([B, M, N], false) }),
          ),
        fc.oneof(
          fc.constant<[DType, DType]>(['float32', 'float32']),
          fc.tuple(fc.constantFrom(...ALL_DTYPES), fc.constantFrom(...ALL_DTYPES)),
        ),
        seedArb,
        backendArb,
        (layouts, [da, db], seed, w) => {
          const a = twin(w, da, layouts.a, seed, { special: 0.01 });
          const b = twin(w, db, layouts.b, seed + 1, { special: 0.01 });
          const outDtype = promoteTypes(da, db);
          const out = twin(w, outDtype, layouts.out, seed + 2);
          const K = layouts.a.shape[2]!;
          try {
            cpuBackend.matmul(out.cpu, a.cpu, b.cpu);
            w.matmul(out.wasm, a.wasm, b.wasm);
            // Bit for bit: K < 32 all-float32 (OpenBLAS's fma chain) and every float64-accumulated
            // product. From 2^18 multiply-adds, float32 accumulates in float32 on wasm: allow for K steps.
            const [B, M, N] = [layouts.a.shape[0]!, layouts.a.shape[1]!, layouts.b.shape[2]!];
            const f32Kernel = da === 'float32' && db === 'float32' && K >= 32 && B * M * N * K >= 1 << 14;
            expectAgree(out, f32Kernel ? { rtol: 1e-5, atol: 2e-6 * K } : EXACT);
          } finally {
            release(a, b, out);
          }
        },
      ),
      RUNS,
    );
  });
});

describe('float32 matmul with K >= 32 (the f32x4 kernel)', () => {
  /** A contiguous [1, rows, cols] operand, stored row-major or transposed (as W^T and X^T in a linear layer's backward). */
  const operand = (rows: number, cols: number, transposed: boolean) => ({
    shape: [1, rows, cols],
    strides: transposed ? [0, 1, rows] : [0, cols, 1],
    offset: 0,
    storageSize: rows * cols,
  });

  // N mostly small, sometimes past a column block of B (NC 512); K past a K block (KC 512) about one time in six.
  const nArb = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 70 }) },
    { weight: 1, arbitrary: fc.integer({ min: 500, max: 530 }) },
  );

  it('agrees with cpu over row-major and transposed operands, across the register tile, K block and column block edges', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 32, max: 600 }), nArb),
        fc.boolean(),
        fc.boolean(),
        seedArb,
        backendArb,
        ([M, K, N], ta, tb, seed, w) => {
          const a = twin(w, 'float32', operand(M, K, ta), seed, { special: 0 });
          const b = twin(w, 'float32', operand(K, N, tb), seed + 1, { special: 0 });
          const out = twin(w, 'float32', operand(M, N, false), seed + 2);
          try {
            cpuBackend.matmul(out.cpu, a.cpu, b.cpu);
            w.matmul(out.wasm, a.wasm, b.wasm);
            expectAgree(out, { rtol: 1e-5, atol: 2e-6 * K });
          } finally {
            release(a, b, out);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('float32 matmul with K < 32 is bit-identical to cpu', () => {
  it('also past the size where larger K takes the f32x4 kernel', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.integer({ min: 60, max: 130 }), fc.integer({ min: 1, max: 31 }), fc.integer({ min: 60, max: 130 }))
          .chain(([M, K, N]) =>
            fc.record({ a: layoutArb([1, M, K], true), b: layoutArb([1, K, N], true), out: layoutArb([1, M, N], false) }),
          ),
        seedArb,
        backendArb,
        (layouts, seed, w) => {
          const a = twin(w, 'float32', layouts.a, seed, { special: 0.01 });
          const b = twin(w, 'float32', layouts.b, seed + 1, { special: 0.01 });
          const out = twin(w, 'float32', layouts.out, seed + 2);
          try {
            cpuBackend.matmul(out.cpu, a.cpu, b.cpu);
            w.matmul(out.wasm, a.wasm, b.wasm);
            expectAgree(out, EXACT);
          } finally {
            release(a, b, out);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('where a step summed in float64 lands on a float32 tie, or passes below the normal range', () => {
    // 1 + a·b lies just above the tie 1 + 2^-24 (so fmaf rounds up), but its float64 sum is the tie itself.
    const a = 1.0938596725463867;
    const b = 5.4490211454094606e-8;
    const tiny = 2 ** -140;
    // Each case a [1, 2] row times a [2, 8] B of two alternating columns: eight outputs, one f64x2 group.
    const cases = [
      { row: [1, a], columns: [1, 2, b, 3], first: Math.fround(1 + 2 ** -23) },
      { row: [tiny, tiny], columns: [tiny, 1, -tiny, 2 ** -20], first: -0 },
    ];
    const { simd, baseline } = get();
    for (const w of [simd, baseline]) {
      for (const { row, columns, first } of cases) {
        const [top0, top1, bottom0, bottom1] = columns as [number, number, number, number];
        const bData = Float32Array.from({ length: 16 }, (_, i) => (i < 8 ? (i % 2 ? top1 : top0) : i % 2 ? bottom1 : bottom0));
        const A = twinOf(w, 'float32', rowMajor(1, 2), Float32Array.from(row));
        const B = twinOf(w, 'float32', rowMajor(2, 8), bData);
        const out = twinOf(w, 'float32', rowMajor(1, 8), new Float32Array(8));
        try {
          cpuBackend.matmul(out.cpu, A.cpu, B.cpu);
          w.matmul(out.wasm, A.wasm, B.wasm);
          expect(w.read(out.wasm.storage as never)[0]).toBe(first);
          expectAgree(out, EXACT);
        } finally {
          release(A, B, out);
        }
      }
    }
  });
});

describe('dot agrees with cpu bit for bit', () => {
  it('over strided vectors of any float dtype, short (OpenBLAS sdot order) and long', () => {
    fc.assert(
      fc.property(
        fc
          .oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 250, max: 300 }))
          .chain((n) => fc.tuple(layoutArb([n], false), layoutArb([n], false))),
        fc.constantFrom<DType>('float32', 'float64'),
        seedArb,
        backendArb,
        ([la, lb], dtype, seed, w) => {
          const a = twin(w, dtype, la, seed, { special: 0.01 });
          const b = twin(w, dtype, lb, seed + 1, { special: 0.01 });
          const out = twin(w, dtype, { shape: [], strides: [], offset: 0, storageSize: 1 }, seed + 2);
          try {
            (cpuBackend.fused!.dot as DotKernel)(out.cpu, a.cpu, b.cpu);
            (w.fused!.dot as DotKernel)(out.wasm, a.wasm, b.wasm);
            expectAgree(out, EXACT);
          } finally {
            release(a, b, out);
          }
        },
      ),
      RUNS,
    );
  });
});
