import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adaptiveAvgPool2d,
  avgPool2d,
  avgPool2dBackward,
  batchNorm,
  batchNormBackward,
  col2im,
  conv1d,
  conv2d,
  conv2dBackward,
  convTranspose2d,
  convTranspose2dBackward,
  embedding,
  embeddingBackward,
  im2col,
  layerNorm,
  layerNormBackward,
  maxPool2d,
  maxPool2dBackward,
  type Backend,
  cpuBackend,
  setBackend,
  Storage,
  randn,
  type Tensor,
  type TypedArray,
  typedArrayFor,
} from '../src/index.js';
import { expectClose, fixtureTensor, type RawTensor, readCases } from './golden-cases.js';

/** A case of fixtures/conv.json (written by fixtures/generate_conv.py from real torch). */
interface ConvCase {
  id: string;
  inputs: (RawTensor | null)[];
  attrs: Record<string, any>;
  output: RawTensor;
  gradOutput?: RawTensor;
  grads?: (RawTensor | null)[];
  indices?: RawTensor;
  runningMean?: RawTensor;
  runningVar?: RawTensor;
  rtol: number;
  atol: number;
}

const CASES = readCases<ConvCase>(new URL('./fixtures/conv.json', import.meta.url));
const opOf = (c: ConvCase) => c.id.split('/')[0]!;

function check(c: ConvCase, actual: Tensor, expected: RawTensor, what: string): void {
  expectClose(actual, expected, c.rtol, c.atol, `${c.id} ${what}`);
}

function checkGrads(c: ConvCase, grads: readonly (Tensor | null)[]): void {
  c.grads!.forEach((g, i) => {
    if (g !== null) check(c, grads[i]!, g, `grad ${i}`);
  });
}

const cases = (op: string) => CASES.filter((c) => opOf(c) === op);
const inputsOf = (c: ConvCase) => c.inputs.map((t) => (t === null ? null : fixtureTensor(t)));

/** The cpu kernels without their fused sliding-window kernels: the path every other backend takes. */
const unfusedCpu: Backend = {
  ...cpuBackend,
  name: 'cpu-unfused',
  fused: undefined,
  allocUninitialized: undefined,
  alloc: (dtype, size) => new Storage(unfusedCpu, dtype, size, new (typedArrayFor(dtype))(size)),
  fromArray: (dtype, data) => new Storage(unfusedCpu, dtype, data.length, typedArrayFor(dtype).from(data as TypedArray)),
};

function pairOf(v: number | number[]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0]!, v[1]!];
}

/** conv2d's dispatched padding: [top, bottom, left, right], 'same' putting the odd pixel last. */
function paddingOf(p: number | number[] | string, w: Tensor): [number, number, number, number] {
  if (p === 'valid') return [0, 0, 0, 0];
  if (p === 'same') {
    const [th, tw] = [w.shape[2]! - 1, w.shape[3]! - 1];
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  const [ph, pw] = pairOf(p as number | number[]);
  return [ph, ph, pw, pw];
}

for (const backend of [cpuBackend, unfusedCpu]) {
  describe(`on the ${backend.name} backend`, () => {
    beforeAll(() => {
      setBackend(backend);
    });
    afterAll(() => {
      setBackend(cpuBackend);
    });

    describe('conv2d matches torch.nn.functional.conv2d', () => {
      for (const c of cases('conv2d')) {
        it(`${c.id}: output and gradients`, () => {
          const [x, w, b] = inputsOf(c) as [Tensor, Tensor, Tensor | null];
          const { stride, padding, dilation, groups } = c.attrs;
          check(c, conv2d(x, w, b, stride, padding, dilation, groups), c.output, 'output');
          // The backward formula sees the batched call that conv2d dispatches.
          const xb = x.dim() === 3 ? x.unsqueeze(0) : x;
          const g = fixtureTensor(c.gradOutput!);
          const attrs = { stride: pairOf(stride), padding: paddingOf(padding, w), dilation: pairOf(dilation), groups };
          const [gx, gw, gb] = conv2dBackward(g.dim() === 3 ? g.unsqueeze(0) : g, xb, w, attrs, [true, true, b !== null]);
          checkGrads(c, [x.dim() === 3 ? gx!.squeeze(0) : gx, gw, gb]);
        });
      }
    });

    it('conv2d, maxPool2d and col2im read non-contiguous inputs by their strides', () => {
      const x = randn(2, 3, 6, 5).transpose(2, 3);
      const w = randn(4, 3, 3, 3).transpose(2, 3);
      expect(conv2d(x, w, null, 1, 1).tolist()).toEqual(conv2d(x.contiguous(), w.contiguous(), null, 1, 1).tolist());
      expect(maxPool2d(x, 2).tolist()).toEqual(maxPool2d(x.contiguous(), 2).tolist());
      const cols = randn(2, 12, 12).transpose(1, 2);
      expect(col2im(cols, [4, 5], 2).tolist()).toEqual(col2im(cols.contiguous(), [4, 5], 2).tolist());
    });

    describe('convTranspose2d matches torch.nn.functional.conv_transpose2d', () => {
      for (const c of cases('convTranspose2d')) {
        it(`${c.id}: output and gradients`, () => {
          const [x, w, b] = inputsOf(c) as [Tensor, Tensor, Tensor | null];
          const { stride, padding, outputPadding, groups, dilation } = c.attrs;
          check(c, convTranspose2d(x, w, b, stride, padding, outputPadding, groups, dilation), c.output, 'output');
          const attrs = {
            stride: pairOf(stride),
            padding: paddingOf(padding, w),
            dilation: pairOf(dilation),
            groups,
            outputPadding: pairOf(outputPadding),
          };
          checkGrads(c, convTranspose2dBackward(fixtureTensor(c.gradOutput!), x, w, attrs, [true, true, b !== null]));
        });
      }
    });

    describe('conv1d matches torch.nn.functional.conv1d', () => {
      for (const c of cases('conv1d')) {
        it(`${c.id}: output`, () => {
          const [x, w, b] = inputsOf(c) as [Tensor, Tensor, Tensor];
          check(
            c,
            conv1d(x, w, b, { stride: c.attrs.stride, padding: c.attrs.padding, dilation: c.attrs.dilation, groups: c.attrs.groups }),
            c.output,
            'output',
          );
        });
      }
    });

    describe('im2col and col2im match F.unfold and F.fold', () => {
      it('im2col/basic/0: output, and col2im as its adjoint gives the input gradient', () => {
        const c = cases('im2col')[0]!;
        const [x] = inputsOf(c) as [Tensor];
        const o = { dilation: c.attrs.dilation, padding: c.attrs.padding, stride: c.attrs.stride };
        check(c, im2col(x, c.attrs.kernelSize, o), c.output, 'output');
        check(c, col2im(fixtureTensor(c.gradOutput!), [x.shape[2]!, x.shape[3]!], c.attrs.kernelSize, o), c.grads![0]!, 'grad');
      });
      it('col2im/basic/0: output, and im2col as its adjoint gives the input gradient', () => {
        const c = cases('col2im')[0]!;
        const [cols] = inputsOf(c) as [Tensor];
        const o = { dilation: c.attrs.dilation, padding: c.attrs.padding, stride: c.attrs.stride };
        check(c, col2im(cols, c.attrs.outputSize, c.attrs.kernelSize, o), c.output, 'output');
        check(c, im2col(fixtureTensor(c.gradOutput!), c.attrs.kernelSize, o), c.grads![0]!, 'grad');
      });
    });

    describe('maxPool2d matches F.max_pool2d', () => {
      for (const c of cases('maxPool2d')) {
        it(`${c.id}: values, indices and gradient`, () => {
          const [x] = inputsOf(c) as [Tensor];
          const { kernelSize, stride, padding, dilation, ceilMode } = c.attrs;
          const [values, indices] = maxPool2d(x, kernelSize, { stride, padding, dilation, ceilMode, returnIndices: true });
          check(c, values, c.output, 'output');
          expect(indices.dtype).toBe('int64');
          expect(indices.tolist()).toEqual(fixtureTensor(c.indices!).tolist());
          const batched = (t: Tensor) => (x.dim() === 3 ? t.unsqueeze(0) : t);
          const gx = maxPool2dBackward(batched(fixtureTensor(c.gradOutput!)), batched(indices), batched(x).shape);
          check(c, x.dim() === 3 ? gx.squeeze(0) : gx, c.grads![0]!, 'grad');
        });
      }
    });

    describe('avgPool2d matches F.avg_pool2d', () => {
      for (const c of cases('avgPool2d')) {
        it(`${c.id}: output and gradient`, () => {
          const [x] = inputsOf(c) as [Tensor];
          const { kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride } = c.attrs;
          check(c, avgPool2d(x, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride), c.output, 'output');
          const kernel = pairOf(kernelSize);
          const attrs = {
            kernel,
            stride: stride === null ? kernel : pairOf(stride),
            padding: pairOf(padding),
            dilation: [1, 1] as [number, number],
            ceilMode,
            countIncludePad,
            divisorOverride,
          };
          check(c, avgPool2dBackward(fixtureTensor(c.gradOutput!), x.shape, attrs), c.grads![0]!, 'grad');
        });
      }
    });

    describe('adaptiveAvgPool2d matches F.adaptive_avg_pool2d', () => {
      for (const c of cases('adaptiveAvgPool2d')) {
        it(`${c.id}: output`, () => {
          const [x] = inputsOf(c) as [Tensor];
          check(c, adaptiveAvgPool2d(x, c.attrs.outputSize), c.output, 'output');
        });
      }
    });

    describe('layerNorm matches F.layer_norm', () => {
      for (const c of cases('layerNorm')) {
        it(`${c.id}: output and gradients`, () => {
          const [x, w, b] = inputsOf(c) as [Tensor, Tensor | null, Tensor | null];
          check(c, layerNorm(x, c.attrs.normalizedShape, w, b, c.attrs.eps), c.output, 'output');
          checkGrads(c, layerNormBackward(fixtureTensor(c.gradOutput!), x, w, c.attrs as never, [true, w !== null, b !== null]));
        });
      }
    });

    describe('batchNorm matches F.batch_norm', () => {
      for (const c of cases('batchNorm')) {
        it(`${c.id}: output, running statistics and gradients`, () => {
          const [x, rm, rv, w, b] = inputsOf(c) as [Tensor, Tensor, Tensor, Tensor | null, Tensor | null];
          const { training, momentum, eps } = c.attrs;
          const [rm0, rv0] = [rm.clone(), rv.clone()];
          check(c, batchNorm(x, rm, rv, w, b, training, momentum, eps), c.output, 'output');
          check(c, rm, c.runningMean!, 'running mean');
          check(c, rv, c.runningVar!, 'running var');
          const grads = batchNormBackward(fixtureTensor(c.gradOutput!), x, rm0, rv0, w, c.attrs as never, [
            true,
            false,
            false,
            w !== null,
            b !== null,
          ]);
          checkGrads(c, grads);
        });
      }
    });

    describe('embedding matches F.embedding', () => {
      for (const c of cases('embedding')) {
        it(`${c.id}: output and weight gradient`, () => {
          const [idx, w] = inputsOf(c) as [Tensor, Tensor];
          check(c, embedding(idx, w, c.attrs.paddingIdx), c.output, 'output');
          check(c, embeddingBackward(fixtureTensor(c.gradOutput!), idx, w.shape[0]!, c.attrs.paddingIdx), c.grads![1]!, 'grad');
        });
      }
    });
  });
}
