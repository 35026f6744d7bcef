import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type BinaryOp, type DType, type UnaryOp, type UnaryParams, cpuBackend, promoteTypes } from '@gd/tensor';
import { BINARY_CODE, UNARY_CODE } from '../src/op-codes.js';
import { ALL_DTYPES, RUNS, expectAgree, seedArb, layoutArb, prng, release, shapeArb, twin, twinOf, useBackends } from './helpers.js';

const { arb: backendArb, get } = useBackends();

const dtypeArb = fc.constantFrom(...ALL_DTYPES);
// Small random ranks and sizes, plus long 1-D rows that exercise the f32x4 loops and their tails.
const anyShape = fc.oneof(
  shapeArb(),
  fc.integer({ min: 0, max: 70 }).map((n) => [n]),
);

/** Scalar parameters the parameterised unary ops take (the values gd's ops pass). */
const PARAMS: Partial<Record<UnaryOp, fc.Arbitrary<UnaryParams>>> = {
  leakyRelu: fc.constantFrom({ a: 0.01 }, { a: 0.2 }),
  elu: fc.constantFrom({ a: 1 }, { a: 0.5 }),
  celu: fc.constantFrom({ a: 1 }, { a: 1.5 }),
  softplus: fc.constantFrom({ a: 1, b: 20 }, { a: 2, b: 1 }),
  hardtanh: fc.constantFrom({ a: -1, b: 1 }, { a: -0.5, b: 2 }),
  clamp: fc.constantFrom({ a: -1, b: 1 }, { a: NaN, b: 0.5 }, { a: -0.5, b: NaN }),
  powScalar: fc.constantFrom({ a: 2 }, { a: 0.5 }, { a: 3 }, { a: -1 }, { a: 1.7 }),
  rpowScalar: fc.constantFrom({ a: 2 }, { a: 0.5 }, { a: Math.E }),
  nanToNum: fc.constantFrom({ a: 0, b: 1e6, c: -1e6 }),
};

/** float32 ops both backends compute in PyTorch's SLEEF order (and rsqrt's float32 steps): bit for bit. */
const SLEEF_FLOAT32 = new Set<UnaryOp>(['exp', 'expm1', 'log', 'log1p', 'tanh', 'sigmoid', 'rsqrt']);
const EXACT = { rtol: 0, atol: 0 };

describe('unary kernels agree with cpu', () => {
  for (const op of Object.keys(UNARY_CODE) as UnaryOp[]) {
    it(`${op} on random dtypes, strides and broadcasts`, () => {
      fc.assert(
        fc.property(
          anyShape.chain((shape) => fc.tuple(layoutArb(shape, true), layoutArb(shape, false))),
          dtypeArb,
          PARAMS[op] ?? fc.constant({}),
          fc.constantFrom<DType | null>(null, 'float32', 'float64'),
          seedArb,
          backendArb,
          fc.boolean(),
          ([lx, lo], dtype, params, resultDtype, seed, w, inPlace) => {
            const outDtype = resultDtype ?? dtype;
            const x = twin(w, dtype, lx, seed);
            // In place: out is x itself (same layout), as unaryInplace calls the kernel.
            const out = inPlace && outDtype === dtype && !lx.strides.includes(0) ? x : twin(w, outDtype, lo, seed + 1);
            try {
              cpuBackend.unary(op, out.cpu, x.cpu, params);
              w.unary(op, out.wasm, x.wasm, params);
              expectAgree(out, SLEEF_FLOAT32.has(op) && dtype === 'float32' && outDtype === 'float32' ? EXACT : undefined);
            } finally {
              release(x, out);
            }
          },
        ),
        RUNS,
      );
    });
  }
});

const COMPARE = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor']);
const outDtypeOf = (op: BinaryOp, a: DType, b: DType): DType => (COMPARE.has(op) ? 'bool' : promoteTypes(a, b));

describe('binary kernels agree with cpu', () => {
  for (const op of Object.keys(BINARY_CODE) as BinaryOp[]) {
    it(`${op} on random dtypes, strides and broadcasts`, () => {
      fc.assert(
        fc.property(
          anyShape.chain((shape) => fc.tuple(layoutArb(shape, true), layoutArb(shape, true), layoutArb(shape, false))),
          fc.oneof(fc.constant<[DType, DType]>(['float32', 'float32']), fc.tuple(dtypeArb, dtypeArb)),
          op === 'add' || op === 'sub' ? fc.constantFrom(1, 1, 2, -0.5) : fc.constant(1),
          seedArb,
          backendArb,
          ([la, lb, lo], [da, db], alpha, seed, w) => {
            const a = twin(w, da, la, seed);
            const b = twin(w, db, lb, seed + 1);
            const out = twin(w, outDtypeOf(op, da, db), lo, seed + 2);
            try {
              cpuBackend.binary(op, out.cpu, a.cpu, b.cpu, alpha);
              w.binary(op, out.wasm, a.wasm, b.wasm, alpha);
              expectAgree(out);
            } finally {
              release(a, b, out);
            }
          },
        ),
        RUNS,
      );
    });

    it(`${op} with a scalar operand on either side`, () => {
      fc.assert(
        fc.property(
          anyShape.chain((shape) => fc.tuple(layoutArb(shape, true), layoutArb(shape, false))),
          fc.oneof(fc.constant<DType>('float32'), dtypeArb),
          fc.constantFrom(2, 0.5, -3, 0.1, 0, NaN, Infinity, 1e10),
          fc.boolean(),
          seedArb,
          backendArb,
          ([la, lo], da, scalar, reversed, seed, w) => {
            const a = twin(w, da, la, seed);
            const out = twin(w, outDtypeOf(op, da, da), lo, seed + 1);
            try {
              cpuBackend.binaryScalar(op, out.cpu, a.cpu, scalar, reversed);
              w.binaryScalar(op, out.wasm, a.wasm, scalar, reversed);
              expectAgree(out);
            } finally {
              release(a, out);
            }
          },
        ),
        RUNS,
      );
    });
  }
});

describe('where, copy and fill agree with cpu', () => {
  it('where picks from a or b by a broadcast condition', () => {
    fc.assert(
      fc.property(
        anyShape.chain((shape) =>
          fc.tuple(layoutArb(shape, true), layoutArb(shape, true), layoutArb(shape, true), layoutArb(shape, false)),
        ),
        fc.oneof(fc.constant<DType>('bool'), dtypeArb),
        dtypeArb,
        dtypeArb,
        seedArb,
        backendArb,
        ([lc, la, lb, lo], dc, da, db, seed, w) => {
          const c = twin(w, dc, lc, seed);
          const a = twin(w, da, la, seed + 1);
          const b = twin(w, db, lb, seed + 2);
          const out = twin(w, promoteTypes(da, db), lo, seed + 3);
          try {
            cpuBackend.where(out.cpu, c.cpu, a.cpu, b.cpu);
            w.where(out.wasm, c.wasm, a.wasm, b.wasm);
            expectAgree(out);
          } finally {
            release(c, a, b, out);
          }
        },
      ),
      RUNS,
    );
  });

  it('copy converts between every pair of dtypes over strided views', () => {
    fc.assert(
      fc.property(
        anyShape.chain((shape) => fc.tuple(layoutArb(shape, true), layoutArb(shape, false))),
        dtypeArb,
        dtypeArb,
        seedArb,
        backendArb,
        ([lx, lo], dx, dout, seed, w) => {
          // The cpu kernel cannot copy into an empty view whose outer strides are not 0 (a RangeError).
          fc.pre(lo.shape.every((s) => s > 0));
          const x = twin(w, dx, lx, seed, { scale: 400 });
          const out = twin(w, dout, lo, seed + 1);
          try {
            cpuBackend.copy(out.cpu, x.cpu);
            w.copy(out.wasm, x.wasm);
            expectAgree(out);
          } finally {
            release(x, out);
          }
        },
      ),
      RUNS,
    );
  });

  it('fill writes a converted value into a strided view only', () => {
    fc.assert(
      fc.property(
        anyShape.chain((shape) => layoutArb(shape, false)),
        dtypeArb,
        fc.constantFrom(0, 1.5, -3, NaN, Infinity, 0.1, 300, -(2 ** 40), 2 ** 31),
        seedArb,
        backendArb,
        (lo, dtype, value, seed, w) => {
          const out = twin(w, dtype, lo, seed);
          try {
            cpuBackend.fill(out.cpu, value);
            w.fill(out.wasm, value);
            expectAgree(out);
          } finally {
            release(out);
          }
        },
      ),
      RUNS,
    );
  });
});

describe('float32 kernels that match cpu bit for bit', () => {
  it('add and sub with alpha round a + alpha·b once, as the optimizers rely on', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 70 }).chain((n) => fc.tuple(layoutArb([n], true), layoutArb([n], true), layoutArb([n], false))),
        fc.constantFrom<BinaryOp>('add', 'sub'),
        fc.constantFrom(-1e-3, 0.1, -0.5, 2, Math.fround(0.9)),
        seedArb,
        backendArb,
        ([la, lb, lo], op, alpha, seed, w) => {
          const [a, b, out] = [twin(w, 'float32', la, seed), twin(w, 'float32', lb, seed + 1), twin(w, 'float32', lo, seed + 2)];
          try {
            cpuBackend.binary(op, out.cpu, a.cpu, b.cpu, alpha);
            w.binary(op, out.wasm, a.wasm, b.wasm, alpha);
            expectAgree(out, { rtol: 0, atol: 0 });
          } finally {
            release(a, b, out);
          }
        },
      ),
      RUNS,
    );
  });
});

describe('float32 SLEEF ops are bit-identical to cpu', () => {
  // Every binade from subnormals to the overflow edges, both signs, a dense run over exp's whole
  // range, positive values for log's (the f32x4 paths take whole vectors in range), magnitudes
  // down to where the f32x4 paths hand over to the scalar ones, and the special values.
  const values = new Float32Array(120000);
  const r = prng(7);
  for (let i = 0; i < 40000; i++) values[i] = (r() < 0.5 ? -1 : 1) * 2 ** (r() * 260 - 150) * (1 + r());
  for (let i = 40000; i < 80000; i++) values[i] = 210 * r() - 110;
  for (let i = 80000; i < 100000; i++) values[i] = 2 ** (r() * 40 - 20) * (1 + r());
  for (let i = 100000; i < values.length; i++) values[i] = (r() - 0.5) * 2 ** -(r() * 40);
  values.set([
    0,
    -0,
    NaN,
    Infinity,
    -Infinity,
    88.72283172607421875,
    88.7228393554687,
    -103.97,
    -104,
    100,
    8.664339742,
    -16.6355323,
    1e38,
    -1,
    1.17549435e-38,
  ]);
  const layout = { shape: [values.length], strides: [1], offset: 0, storageSize: values.length };
  for (const op of SLEEF_FLOAT32) {
    it(`${op} over every binade`, () => {
      for (const w of [get().simd, get().baseline]) {
        const x = twinOf(w, 'float32', layout, values);
        const out = twin(w, 'float32', layout, 1);
        try {
          cpuBackend.unary(op, out.cpu, x.cpu);
          w.unary(op, out.wasm, x.wasm);
          expectAgree(out, EXACT);
        } finally {
          release(x, out);
        }
      }
    });
  }
});
