import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Backend, type DType, cpuBackend } from '@gd/tensor';
import { ALL_DTYPES, RUNS, type Layout, expectAgree, layoutArb, prng, release, seedArb, twin, twinOf, useBackends } from './helpers.js';

const { arb: backendArb } = useBackends();
const dtypeArb = fc.constantFrom(...ALL_DTYPES);

/** An index tensor (int64 or int32) on both backends with entries in [-size, size), or one entry out of range. */
function indexTwin(w: Backend, layout: Layout, size: number, seed: number, outOfRange: boolean, dtype: DType) {
  const r = prng(seed);
  const data = new (dtype === 'int32' ? Int32Array : Float64Array)(layout.storageSize);
  for (let i = 0; i < data.length; i++) data[i] = size === 0 ? 0 : Math.floor(r() * 2 * size) - size;
  if (outOfRange && data.length > layout.offset) data[layout.offset] = size + Math.floor(r() * 3);
  return twinOf(w, dtype, layout, data);
}

/** Runs a kernel on both backends: both throw the same error (and write nothing), or both succeed. */
function both(run: (b: Backend, side: 'cpu' | 'wasm') => void, w: Backend): void {
  let cpuError: unknown = null;
  let wasmError: unknown = null;
  try {
    run(cpuBackend, 'cpu');
  } catch (e) {
    cpuError = e;
  }
  try {
    run(w, 'wasm');
  } catch (e) {
    wasmError = e;
  }
  if (cpuError || wasmError) {
    expect((wasmError as Error | null)?.name).toBe((cpuError as Error | null)?.name);
    expect((wasmError as Error).message).toBe((cpuError as Error).message);
  }
}

/** x's shape, a dim, and an index shape that fits gather/scatter (≤ x's sizes off the dim). */
const gatherCase = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((xShape) =>
  fc.integer({ min: 0, max: xShape.length - 1 }).chain((dim) =>
    fc.tuple(...xShape.map((s, d) => fc.integer({ min: 0, max: d === dim ? 5 : s }))).chain((indexShape) =>
      fc.record({
        dim: fc.constant(dim),
        x: layoutArb(xShape, true),
        index: layoutArb(indexShape, true),
        out: layoutArb(indexShape, false),
        xOut: layoutArb(xShape, false),
      }),
    ),
  ),
);

describe('indexing kernels agree with cpu', () => {
  it('gather reads x along dim at each index, negative indices counting from the end', () => {
    fc.assert(
      fc.property(
        gatherCase,
        dtypeArb,
        fc.constantFrom<DType>('int64', 'int32'),
        fc.boolean(),
        seedArb,
        backendArb,
        (c, dtype, indexDtype, bad, seed, w) => {
          const x = twin(w, dtype, c.x, seed);
          const index = indexTwin(w, c.index, c.x.shape[c.dim]!, seed + 1, bad, indexDtype);
          const out = twin(w, dtype, c.out, seed + 2);
          try {
            both((b, side) => b.gather(out[side], x[side], c.dim, index[side]), w);
            expectAgree(out);
          } finally {
            release(x, index, out);
          }
        },
      ),
      RUNS,
    );
  });

  it('scatterAdd accumulates src into out at each index, repeated indices adding up', () => {
    fc.assert(
      fc.property(gatherCase, dtypeArb, fc.boolean(), seedArb, backendArb, (c, dtype, bad, seed, w) => {
        // out plays x's part (the indexed tensor); src has the index's shape.
        const out = twin(w, dtype, c.xOut, seed);
        const index = indexTwin(w, c.index, c.x.shape[c.dim]!, seed + 1, bad, 'int64');
        const src = twin(w, dtype, c.out, seed + 2);
        try {
          both((b, side) => b.scatterAdd(out[side], c.dim, index[side], src[side]), w);
          expectAgree(out);
        } finally {
          release(out, index, src);
        }
      }),
      RUNS,
    );
  });

  const selectCase = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((xShape) =>
    fc.tuple(fc.integer({ min: 0, max: xShape.length - 1 }), fc.integer({ min: 0, max: 6 })).chain(([dim, len]) => {
      const picked = xShape.map((s, d) => (d === dim ? len : s));
      return fc.record({
        dim: fc.constant(dim),
        x: layoutArb(xShape, true),
        xOut: layoutArb(xShape, false),
        index: layoutArb([len], true),
        picked: layoutArb(picked, false),
        src: layoutArb(picked, true),
      });
    }),
  );

  it('indexSelect copies the selected slices of x', () => {
    fc.assert(
      fc.property(selectCase, dtypeArb, fc.boolean(), seedArb, backendArb, (c, dtype, bad, seed, w) => {
        const x = twin(w, dtype, c.x, seed);
        const index = indexTwin(w, c.index, c.x.shape[c.dim]!, seed + 1, bad, 'int64');
        const out = twin(w, dtype, c.picked, seed + 2);
        try {
          both((b, side) => b.indexSelect(out[side], x[side], c.dim, index[side]), w);
          expectAgree(out);
        } finally {
          release(x, index, out);
        }
      }),
      RUNS,
    );
  });

  it('indexAdd adds the slices of src into the selected slices of out', () => {
    fc.assert(
      fc.property(selectCase, dtypeArb, fc.boolean(), seedArb, backendArb, (c, dtype, bad, seed, w) => {
        const out = twin(w, dtype, c.xOut, seed);
        const index = indexTwin(w, c.index, c.x.shape[c.dim]!, seed + 1, bad, 'int64');
        const src = twin(w, dtype, c.src, seed + 2);
        try {
          both((b, side) => b.indexAdd(out[side], c.dim, index[side], src[side]), w);
          expectAgree(out);
        } finally {
          release(out, index, src);
        }
      }),
      RUNS,
    );
  });
});
