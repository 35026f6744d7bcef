import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type DType, type ReduceOp, type ScanOp, cpuBackend, isFloatingPoint } from '@gd/tensor';
import { REDUCE_CODE, SCAN_CODE } from '../src/op-codes.js';
import { ALL_DTYPES, RUNS, expectAgree, layoutArb, release, seedArb, shapeArb, twin, useBackends } from './helpers.js';

const { arb: backendArb } = useBackends();
const dtypeArb = fc.constantFrom(...ALL_DTYPES);

/** A shape, one of its dims (0 for a 0-d shape), and layouts for x and for the keepdim result. */
const alongDim = shapeArb().chain((shape) => {
  const lineShape = shape.slice();
  return fc.integer({ min: 0, max: Math.max(shape.length - 1, 0) }).chain((dim) => {
    if (shape.length > 0) lineShape[dim] = 1;
    return fc.record({
      dim: fc.constant(dim),
      x: layoutArb(shape, true),
      line: layoutArb(lineShape, false),
      full: layoutArb(shape, false),
    });
  });
});

describe('reductions agree with cpu', () => {
  for (const op of Object.keys(REDUCE_CODE) as ReduceOp[]) {
    it(`${op} over random dims of strided views`, () => {
      fc.assert(
        fc.property(
          fc.oneof(shapeArb(), fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 90 }))).chain((shape) =>
            fc.subarray([...shape.keys()]).chain((dims) => {
              const outShape = shape.map((s, d) => (dims.includes(d) ? 1 : s));
              return fc.record({ dims: fc.constant(dims), x: layoutArb(shape, true), out: layoutArb(outShape, false) });
            }),
          ),
          dtypeArb,
          seedArb,
          backendArb,
          ({ dims, x: lx, out: lo }, dtype, seed, w) => {
            // The cpu kernel cannot write an empty result through a non-contiguous layout (a RangeError).
            fc.pre(lo.shape.every((s) => s > 0));
            const outDtype: DType =
              op === 'all' || op === 'any' ? 'bool' : op === 'amax' || op === 'amin' || isFloatingPoint(dtype) ? dtype : 'int64';
            const x = twin(w, dtype, lx, seed, { scale: op === 'prod' ? 1.5 : 3 });
            const out = twin(w, outDtype, lo, seed + 1);
            try {
              cpuBackend.reduce(op, out.cpu, x.cpu, dims);
              w.reduce(op, out.wasm, x.wasm, dims);
              // Float sums (and nansums) follow PyTorch's cascade order on both backends: bit for bit.
              expectAgree(
                out,
                (op === 'sum' || op === 'nansum') && isFloatingPoint(dtype) && outDtype === dtype ? { rtol: 0, atol: 0 } : undefined,
              );
            } finally {
              release(x, out);
            }
          },
        ),
        RUNS,
      );
    });
  }

  it('float sums of long rows and columns fold their partial sums in the same levels as cpu', () => {
    fc.assert(
      fc.property(
        fc
          .oneof(
            fc.integer({ min: 0, max: 6000 }).map((n) => [n]),
            fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 100, max: 700 })),
            fc.tuple(fc.integer({ min: 100, max: 700 }), fc.integer({ min: 1, max: 40 })),
          )
          .chain((shape) =>
            fc.subarray([...shape.keys()], { minLength: 1 }).chain((dims) => {
              const outShape = shape.map((s, d) => (dims.includes(d) ? 1 : s));
              return fc.record({ dims: fc.constant(dims), x: layoutArb(shape, false), out: layoutArb(outShape, false) });
            }),
          ),
        fc.constantFrom<DType>('float32', 'float64'),
        seedArb,
        backendArb,
        ({ dims, x: lx, out: lo }, dtype, seed, w) => {
          const x = twin(w, dtype, lx, seed, { special: 0 });
          const out = twin(w, dtype, lo, seed + 1);
          try {
            cpuBackend.reduce('sum', out.cpu, x.cpu, dims);
            w.reduce('sum', out.wasm, x.wasm, dims);
            expectAgree(out, { rtol: 0, atol: 0 });
          } finally {
            release(x, out);
          }
        },
      ),
      RUNS,
    );
  });

  for (const op of ['argmax', 'argmin'] as const) {
    it(`${op} finds the first extreme (NaN wins) along a dim`, () => {
      fc.assert(
        fc.property(alongDim, dtypeArb, fc.boolean(), seedArb, backendArb, ({ dim, x: lx, line }, dtype, special, seed, w) => {
          // Few distinct values, so ties are common.
          const x = twin(w, dtype, lx, seed, { scale: 2, intRange: 2, special: special ? 0.2 : 0 });
          const out = twin(w, 'int64', line, seed + 1);
          try {
            cpuBackend.argReduce(op, out.cpu, x.cpu, dim);
            w.argReduce(op, out.wasm, x.wasm, dim);
            expectAgree(out);
          } finally {
            release(x, out);
          }
        }),
        RUNS,
      );
    });
  }
});

describe('scans and sort agree with cpu', () => {
  for (const op of Object.keys(SCAN_CODE) as ScanOp[]) {
    it(`${op} along a dim of strided views`, () => {
      fc.assert(
        fc.property(
          alongDim,
          op === 'logcumsumexp' ? fc.constantFrom<DType>('float32', 'float64') : dtypeArb,
          seedArb,
          backendArb,
          ({ dim, x: lx, full }, dtype, seed, w) => {
            const outDtype: DType = isFloatingPoint(dtype) || op === 'cummax' || op === 'cummin' ? dtype : 'int64';
            const x = twin(w, dtype, lx, seed, { scale: op === 'cumprod' ? 1.5 : 3, intRange: 2 });
            const out = twin(w, outDtype, full, seed + 1);
            const withIndices = op === 'cummax' || op === 'cummin';
            const idx = withIndices ? twin(w, 'int64', full, seed + 2) : undefined;
            try {
              cpuBackend.scan(op, out.cpu, x.cpu, dim, idx?.cpu);
              w.scan(op, out.wasm, x.wasm, dim, idx?.wasm);
              expectAgree(out);
              if (idx) expectAgree(idx);
            } finally {
              release(x, out, ...(idx ? [idx] : []));
            }
          },
        ),
        RUNS,
      );
    });
  }

  it('sort is stable, puts NaN last (first when descending) and returns the permutation', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          alongDim,
          fc
            .integer({ min: 0, max: 80 })
            .chain((n) =>
              fc.record({ dim: fc.constant(0), x: layoutArb([n], true), line: layoutArb([1], false), full: layoutArb([n], false) }),
            ),
        ),
        dtypeArb,
        fc.boolean(),
        seedArb,
        backendArb,
        ({ dim, x: lx, full }, dtype, descending, seed, w) => {
          const x = twin(w, dtype, lx, seed, { scale: 2, intRange: 2, special: 0.2 });
          const values = twin(w, dtype, full, seed + 1);
          const indices = twin(w, 'int64', full, seed + 2);
          try {
            cpuBackend.sort(values.cpu, indices.cpu, x.cpu, dim, descending);
            w.sort(values.wasm, indices.wasm, x.wasm, dim, descending);
            expectAgree(values);
            expectAgree(indices);
          } finally {
            release(x, values, indices);
          }
        },
      ),
      RUNS,
    );
  });
});
