import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type DType, type View, type Window2d, type WindowKernels, cpuBackend, fromArray, logSoftmax, softmax } from '@gd/tensor';
import { RUNS, expectAgree, layoutArb, mismatch, randomData, release, seedArb, toleranceFor, twin, useBackends } from './helpers.js';

const { arb: backendArb } = useBackends();
const windows = (b: { fused?: unknown }) => b.fused as WindowKernels;

/** A window geometry and input size with at least one window position. */
const windowCase = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 7 }),
    w: fc.integer({ min: 1, max: 7 }),
    kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    padding: fc.tuple(
      fc.integer({ min: 0, max: 1 }),
      fc.integer({ min: 0, max: 1 }),
      fc.integer({ min: 0, max: 1 }),
      fc.integer({ min: 0, max: 1 }),
    ),
  })
  .map((g) => {
    const ho = Math.floor((g.h + g.padding[0] + g.padding[1] - g.dilation[0] * (g.kernel[0] - 1) - 1) / g.stride[0]) + 1;
    const wo = Math.floor((g.w + g.padding[2] + g.padding[3] - g.dilation[1] * (g.kernel[1] - 1) - 1) / g.stride[1]) + 1;
    const window: Window2d = { kernel: g.kernel, stride: g.stride, padding: g.padding, dilation: g.dilation };
    return { ...g, ho, wo, window };
  })
  .filter((g) => g.ho >= 1 && g.wo >= 1)
  .chain((g) =>
    fc.record({
      g: fc.constant(g),
      x: layoutArb([g.n, g.c, g.h, g.w], false),
      cols: layoutArb([g.n, g.c * g.kernel[0] * g.kernel[1], g.ho * g.wo], false),
    }),
  );

const contiguous = (shape: number[]) => {
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  return { shape, strides, offset: 0, storageSize: shape.reduce((a, b) => a * b, 1) };
};
const floatArb = fc.constantFrom<DType>('float32', 'float64');

describe('fused sliding-window kernels agree with cpu', () => {
  it('im2col lays every window out as a column, zero outside the input', () => {
    fc.assert(
      fc.property(windowCase, floatArb, seedArb, backendArb, ({ g, x: lx }, dtype, seed, w) => {
        const x = twin(w, dtype, lx, seed);
        const cols = twin(w, dtype, contiguous([g.n, g.c * g.kernel[0] * g.kernel[1], g.ho * g.wo]), seed + 1);
        try {
          windows(cpuBackend).im2col(cols.cpu, x.cpu, g.window);
          windows(w).im2col(cols.wasm, x.wasm, g.window);
          expectAgree(cols);
        } finally {
          release(x, cols);
        }
      }),
      RUNS,
    );
  });

  it('col2im sums strided columns back onto the input plane', () => {
    fc.assert(
      fc.property(windowCase, floatArb, seedArb, backendArb, ({ g, cols: lc }, dtype, seed, w) => {
        const cols = twin(w, dtype, lc, seed);
        const out = twin(w, dtype, contiguous([g.n, g.c, g.h, g.w]), seed + 1);
        try {
          windows(cpuBackend).col2im(out.cpu, cols.cpu, g.window);
          windows(w).col2im(out.wasm, cols.wasm, g.window);
          expectAgree(out);
        } finally {
          release(cols, out);
        }
      }),
      RUNS,
    );
  });

  it('maxPool2d takes the first maximum of each window (NaN wins) and its position', () => {
    fc.assert(
      fc.property(windowCase, floatArb, seedArb, backendArb, ({ g, x: lx }, dtype, seed, w) => {
        const x = twin(w, dtype, lx, seed, { special: 0.1 });
        const values = twin(w, dtype, contiguous([g.n, g.c, g.ho, g.wo]), seed + 1);
        const indices = twin(w, 'int64', contiguous([g.n, g.c, g.ho, g.wo]), seed + 2);
        try {
          windows(cpuBackend).maxPool2d(values.cpu, indices.cpu, x.cpu, g.window);
          windows(w).maxPool2d(values.wasm, indices.wasm, x.wasm, g.window);
          expectAgree(values);
          expectAgree(indices);
        } finally {
          release(x, values, indices);
        }
      }),
      RUNS,
    );
  });
});

type Pointwise = {
  addcmul(out: View, self: View, t1: View, t2: View, value: number): void;
  lerp(out: View, self: View, end: View, weight: View | number): void;
};
const pointwise = (b: { fused?: unknown }) => b.fused as Pointwise;
const EXACT = { rtol: 0, atol: 0 };

describe('fused multiply-add kernels match cpu bit for bit', () => {
  const operands = fc
    .array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 })
    .chain((shape) => fc.tuple(layoutArb(shape, true), layoutArb(shape, true), layoutArb(shape, true), layoutArb(shape, false)));

  it('addcmul rounds value·t1·t2 + self once', () => {
    fc.assert(
      fc.property(operands, floatArb, fc.constantFrom(1, -0.5, 0.1, 3), seedArb, backendArb, ([ls, l1, l2, lo], dtype, value, seed, w) => {
        const [self, t1, t2, out] = [
          twin(w, dtype, ls, seed),
          twin(w, dtype, l1, seed + 1),
          twin(w, dtype, l2, seed + 2),
          twin(w, dtype, lo, seed + 3),
        ];
        try {
          pointwise(cpuBackend).addcmul(out.cpu, self.cpu, t1.cpu, t2.cpu, value);
          pointwise(w).addcmul(out.wasm, self.wasm, t1.wasm, t2.wasm, value);
          expectAgree(out, EXACT);
        } finally {
          release(self, t1, t2, out);
        }
      }),
      RUNS,
    );
  });

  it('lerp with a scalar or tensor weight, exact at weights 0 and 1', () => {
    fc.assert(
      fc.property(
        operands,
        floatArb,
        fc.option(fc.constantFrom(0, 1, 0.25, 0.5, 0.9, -2)),
        seedArb,
        backendArb,
        ([ls, le, lw, lo], dtype, scalar, seed, w) => {
          const [self, end, weight, out] = [
            twin(w, dtype, ls, seed),
            twin(w, dtype, le, seed + 1),
            twin(w, dtype, lw, seed + 2, { scale: 1.5 }),
            twin(w, dtype, lo, seed + 3),
          ];
          try {
            pointwise(cpuBackend).lerp(out.cpu, self.cpu, end.cpu, scalar ?? weight.cpu);
            pointwise(w).lerp(out.wasm, self.wasm, end.wasm, scalar ?? weight.wasm);
            expectAgree(out, EXACT);
          } finally {
            release(self, end, weight, out);
          }
        },
      ),
      RUNS,
    );
  });
});

describe('fused softmax agrees with the composed cpu softmax', () => {
  for (const [name, op] of [
    ['softmax', softmax],
    ['logSoftmax', logSoftmax],
  ] as const) {
    it(`${name} along any dim, with infinities and NaN`, () => {
      fc.assert(
        fc.property(
          fc
            .array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 })
            .chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }))),
          floatArb,
          fc.boolean(),
          seedArb,
          backendArb,
          ([shape, dim], dtype, transposed, seed, w) => {
            const data = randomData(
              dtype,
              shape.reduce((a, b) => a * b, 1),
              seed,
              { scale: 10, special: 0.05 },
            );
            const onCpu = fromArray(data, shape, { dtype, backend: cpuBackend });
            const x = transposed && shape.length > 1 ? onCpu.transpose(0, -1) : onCpu;
            const expected = op(x, dim);
            const actual = op(x.to(w), dim);
            const m = mismatch(expected.storage, actual.contiguous().to(cpuBackend).storage, toleranceFor(dtype));
            actual.dispose();
            if (m !== null) throw new Error(`${name} disagrees at ${m}`);
          },
        ),
        RUNS,
      );
    });
  }
});
