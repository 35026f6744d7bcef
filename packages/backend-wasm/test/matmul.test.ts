import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type DType, cpuBackend, promoteTypes } from '@gd/tensor';
import { ALL_DTYPES, RUNS, expectAgree, layoutArb, release, seedArb, toleranceFor, twin, useBackends } from './helpers.js';

const { arb: backendArb } = useBackends();

// Mostly small, sometimes past the kernel's blocking edges (MR 4, NR 8, MC 64, KC 256).
const dimArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 12 }) }, { weight: 1, arbitrary: fc.integer({ min: 13, max: 70 }) });
const kArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 20 }) }, { weight: 1, arbitrary: fc.integer({ min: 250, max: 300 }) });

describe('matmul agrees with cpu', () => {
  it('batched, over transposed, sliced and batch-broadcast operands of any dtype', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 3 }), dimArb, kArb, dimArb).chain(([B, M, K, N]) =>
          fc.record({ a: layoutArb([B, M, K], true), b: layoutArb([B, K, N], true), out: layoutArb([B, M, N], false) }),
        ),
        fc.oneof(fc.constant<[DType, DType]>(['float32', 'float32']), fc.tuple(fc.constantFrom(...ALL_DTYPES), fc.constantFrom(...ALL_DTYPES))),
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
            // float32 accumulates in float32 on wasm (float64 on cpu): allow for K rounding steps.
            const tol = toleranceFor(outDtype);
            expectAgree(out, outDtype === 'float32' ? { rtol: 1e-5, atol: 2e-6 * Math.max(K, 1) } : tol);
          } finally {
            release(a, b, out);
          }
        },
      ),
      RUNS,
    );
  });
});
