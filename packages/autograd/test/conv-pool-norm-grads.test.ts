import { readFileSync } from 'node:fs';
import { grad, gradcheck } from '@gd/autograd';
import {
  adaptiveAvgPool2d,
  avgPool2d,
  batchNorm,
  col2im,
  conv1d,
  conv2d,
  convTranspose2d,
  embedding,
  im2col,
  layerNorm,
  maxPool2d,
  randn,
  type Tensor,
  withGradMode,
} from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { fixtureTensor, mismatches, type RawTensor } from './golden.js';

/** A case of @gd/tensor's fixtures/conv.json, written from real torch by generate_conv.py. */
interface ConvCase {
  id: string;
  inputs: (RawTensor | null)[];
  attrs: Record<string, any>;
  output: RawTensor;
  gradOutput?: RawTensor;
  grads?: (RawTensor | null)[];
  rtol: number;
  atol: number;
}

const CASES = (JSON.parse(readFileSync(new URL('../../tensor/test/fixtures/conv.json', import.meta.url), 'utf8')) as { cases: ConvCase[] })
  .cases;

type Run = (inputs: (Tensor | null)[], a: Record<string, any>) => Tensor;

const RUNNERS: Record<string, Run> = {
  conv2d: ([x, w, b], a) => conv2d(x!, w!, b, a.stride, a.padding, a.dilation, a.groups),
  conv1d: ([x, w, b], a) => conv1d(x!, w!, b, a),
  convTranspose2d: ([x, w, b], a) => convTranspose2d(x!, w!, b, a),
  im2col: ([x], a) => im2col(x!, a.kernelSize, a),
  col2im: ([c], a) => col2im(c!, a.outputSize, a.kernelSize, a),
  maxPool2d: ([x], a) => maxPool2d(x!, a.kernelSize, a),
  avgPool2d: ([x], a) => avgPool2d(x!, a.kernelSize, a),
  adaptiveAvgPool2d: ([x], a) => adaptiveAvgPool2d(x!, a.outputSize),
  layerNorm: ([x, w, b], a) => layerNorm(x!, a.normalizedShape, w, b, a.eps),
  batchNorm: ([x, m, v, w, b], a) => batchNorm(x!, m ?? null, v ?? null, w ?? null, b ?? null, a.training, a.momentum, a.eps),
  embedding: ([i, w], a) => embedding(i!, w!, a.paddingIdx),
};

describe('recorded conv, pooling, normalization and embedding ops backpropagate like torch', () => {
  it.each(CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const op = c.id.split('/')[0]!;
    const inputs = c.inputs.map((raw, i) => {
      if (raw === null) return null;
      const t = fixtureTensor(raw);
      if (c.grads?.[i]) t.requiresGrad_();
      return t;
    });
    const out = RUNNERS[op]!(inputs, c.attrs);
    expect(mismatches(out, c.output, c.rtol, c.atol)).toEqual([]);
    out.backward(fixtureTensor(c.gradOutput!));
    c.grads!.forEach((g, i) => {
      if (g !== null) expect(mismatches(inputs[i]!.grad!, g, c.rtol, c.atol), `grad ${i}`).toEqual([]);
    });
  });
});

/**
 * The first derivative d/dx sum(fn(x) * v) built with createGraph, as a function gradcheck can
 * differentiate again. Its finite differences run with grad mode off and inputs that do not
 * require grad, so the derivative is taken here with grad mode on, from fresh leaves.
 */
function firstDerivative(fn: (...xs: Tensor[]) => Tensor, v: Tensor): (...xs: Tensor[]) => Tensor[] {
  return (...xs) =>
    withGradMode(true, () => {
      const leaves = xs.map((x) => (x.requiresGrad ? x : x.detach().requiresGrad_()));
      return grad([fn(...leaves)], leaves, { gradOutputs: [v], createGraph: true }) as Tensor[];
    });
}

function checkSecondOrder(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const v = randn(fn(...inputs).shape, { dtype: 'float64' });
  expect(gradcheck(fn, inputs)).toBe(true);
  expect(gradcheck(firstDerivative(fn, v), inputs)).toBe(true);
}

describe('backward formulas are themselves differentiable (float64, second order)', () => {
  const f64 = (...shape: number[]) => randn(shape, { dtype: 'float64', requiresGrad: true });
  it('conv2d with stride, padding and groups', () => {
    checkSecondOrder((x, w, b) => conv2d(x, w, b, { stride: 2, padding: 1, groups: 2 }), [f64(1, 4, 5, 5), f64(2, 2, 3, 3), f64(2)]);
  });
  it('convTranspose2d with stride, output padding and groups', () => {
    checkSecondOrder(
      (x, w, b) => convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }),
      [f64(1, 4, 3, 3), f64(4, 1, 3, 3), f64(2)],
    );
  });
  it('maxPool2d and avgPool2d in ceil mode', () => {
    checkSecondOrder((t) => maxPool2d(t, 2, { ceilMode: true }).square(), [f64(1, 2, 5, 5)]);
    checkSecondOrder((t) => avgPool2d(t, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }).square(), [f64(1, 2, 5, 5)]);
  });
  it('layerNorm and batchNorm in training mode', () => {
    checkSecondOrder((t, w, b) => layerNorm(t, [3], w, b), [f64(4, 3), f64(3), f64(3)]);
    checkSecondOrder((t, w, b) => batchNorm(t, null, null, w, b, true), [f64(4, 3), f64(3), f64(3)]);
  });
});
