import { readArgs } from '../args.js';
import { dispatch } from '../dispatch.js';
import { isFloatingPoint, scalarTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div } from './arithmetic.js';
import { col2im } from './conv.js';
import { fromHostValues, hostValues } from './host-values.js';
import { scatterAdd } from './indexing.js';
import { matmul } from './linalg.js';
import { sum } from './reduction.js';
import { emptyTensor, viewOf } from './util.js';
import { type Pair, pair, unfoldWindows, type Window2d, windowKernel, windowsOf } from './window.js';

type IntOrPair = number | readonly number[];

/** Attrs of maxPool2d / avgPool2d as dispatched (pairs normalized; stride defaults to the kernel). */
export type Pool2dAttrs = {
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  dilation: Pair;
  ceilMode: boolean;
};

export type AvgPool2dAttrs = Pool2dAttrs & {
  countIncludePad: boolean;
  divisorOverride: number | null;
};

/** PyTorch's pooling_output_shape: with ceilMode the last window must start inside the input or left padding. */
function pooledSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  let out = Math.floor((size + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

/** The window geometry of a pooling, with ceilMode's extra bottom/right padding made explicit. */
function poolWindow(h: number, w: number, a: Pool2dAttrs): { win: Window2d; out: Pair } {
  const out: Pair = [
    pooledSize(h, a.kernel[0], a.stride[0], a.padding[0], a.dilation[0], a.ceilMode),
    pooledSize(w, a.kernel[1], a.stride[1], a.padding[1], a.dilation[1], a.ceilMode),
  ];
  const extra = (size: number, i: 0 | 1) =>
    Math.max(0, (out[i] - 1) * a.stride[i] + a.dilation[i] * (a.kernel[i] - 1) + 1 - (size + 2 * a.padding[i]));
  const [ph, pw] = a.padding;
  return { win: { kernel: a.kernel, stride: a.stride, dilation: a.dilation, padding: [ph, ph + extra(h, 0), pw, pw + extra(w, 1)] }, out };
}

function checkPool(x: Tensor, a: Pool2dAttrs): void {
  if ((x.dim() !== 3 && x.dim() !== 4) || x.numel() === 0)
    throw new RuntimeError('non-empty 3D or 4D (batch mode) tensor expected for input');
  if (a.stride.some((s) => s === 0)) throw new RuntimeError('stride should not be zero');
  if (a.kernel.some((k) => k <= 0))
    throw new RuntimeError(`kernel_size must be greater than zero, but got kH: ${a.kernel[0]} kW: ${a.kernel[1]}`);
  for (let i = 0; i < 2; i++)
    if (a.padding[i]! > Math.floor(a.kernel[i]! / 2))
      throw new RuntimeError(`pad should be at most half of kernel size, but got pad=${a.padding[i]} and kernel_size=${a.kernel[i]}`);
  const [C, H, W] = x.shape.slice(-3) as [number, number, number];
  const { out } = poolWindow(H, W, a);
  if (out[0] < 1 || out[1] < 1)
    throw new RuntimeError(
      `Given input size: (${C}x${H}x${W}). Calculated output size: (${C}x${out[0]}x${out[1]}). Output size is too small`,
    );
}

type PoolArgs = {
  kernelSize: IntOrPair;
  stride: IntOrPair | null;
  padding: IntOrPair;
  dilation: IntOrPair;
  ceilMode: boolean;
};

function poolAttrs(a: PoolArgs): Pool2dAttrs {
  const kernel = pair(a.kernelSize, 'kernel_size');
  const stride = a.stride === null || (Array.isArray(a.stride) && a.stride.length === 0) ? kernel : pair(a.stride, 'stride');
  return { kernel, stride, padding: pair(a.padding, 'padding'), dilation: pair(a.dilation, 'dilation'), ceilMode: a.ceilMode };
}

/** Runs a pooling on a batched input; an unbatched [C, H, W] one is viewed as a batch of one. */
function batched<T extends Tensor | Tensor[]>(x: Tensor, run: (xb: Tensor) => T): T {
  if (x.dim() === 4) return run(x);
  const r = run(x.unsqueeze(0));
  return (Array.isArray(r) ? r.map((t) => t.squeeze(0)) : r.squeeze(0)) as T;
}

// ---------------------------------------------------------------- max pooling

export interface MaxPool2dOptions {
  stride?: IntOrPair | null;
  padding?: IntOrPair;
  dilation?: IntOrPair;
  ceilMode?: boolean;
  returnIndices?: boolean;
}

/**
 * F.max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
 * return_indices=False); with returnIndices, also the int64 position of each max within its
 * input plane (flattened H·W), as PyTorch gives them.
 */
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, options: MaxPool2dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, options?: MaxPool2dOptions): Tensor;
export function maxPool2d(
  x: Tensor,
  kernelSize: IntOrPair,
  stride?: IntOrPair | null,
  padding?: IntOrPair,
  dilation?: IntOrPair,
  ceilMode?: boolean,
  returnIndices?: boolean,
): Tensor | [Tensor, Tensor];
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  const a = readArgs<PoolArgs & { returnIndices: boolean }>(
    [kernelSize, ...rest],
    ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'],
    { kernelSize, stride: null, padding: 0, dilation: 1, ceilMode: false, returnIndices: false },
  );
  const attrs = poolAttrs(a);
  checkPool(x, attrs);
  if (!isFloatingPoint(x.dtype)) throw new RuntimeError(`"max_pool2d" not implemented for '${scalarTypeName(x.dtype)}'`);
  const [values, indices] = batched(x, (xb) => dispatch('maxPool2d', [xb], attrs, () => maxPoolForward(xb, attrs)));
  return a.returnIndices ? [values!, indices!] : values!;
}

function maxPoolForward(x: Tensor, a: Pool2dAttrs): Tensor[] {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const { win, out } = poolWindow(H, W, a);
  const backend = x.storage.backend;
  const values = emptyTensor([N, C, out[0], out[1]], x.dtype, backend);
  const fused = windowKernel(x, 'maxPool2d');
  if (fused) {
    const indices = emptyTensor(values.shape, 'int64', backend);
    fused(values, indices, x, win);
    return [values, indices];
  }
  return maxPoolByArgmax(x, a, win, out, values);
}

/** maxPool2d from backend primitives: windows copied out, argmax over each, gathered. */
function maxPoolByArgmax(x: Tensor, a: Pool2dAttrs, win: Window2d, out: Pair, values: Tensor): Tensor[] {
  const [N, C, , W] = x.shape as [number, number, number, number];
  const [ho, wo] = out;
  const [kh, kw] = a.kernel;
  const k = kh * kw;
  const backend = x.storage.backend;
  // Windows laid out [N, C, Ho, Wo, kh·kw] so the max runs over the last dim.
  const w6 = windowsOf(x, win, -Infinity);
  const s = w6.strides;
  const windows = emptyTensor([N, C, ho, wo, k], x.dtype, backend);
  backend.copy(
    viewOf(windows, [N, C, ho, wo, kh, kw], [C * ho * wo * k, ho * wo * k, wo * k, k, kw, 1]),
    viewOf(w6, [N, C, ho, wo, kh, kw], [s[0]!, s[1]!, s[4]!, s[5]!, s[2]!, s[3]!]),
  );
  const arg = emptyTensor([N, C, ho, wo, 1], 'int64', backend);
  backend.argReduce('argmax', arg, windows, 4);
  backend.gather(viewOf(values, arg.shape, [...values.strides, 1]), windows, 4, arg);
  // The window offset of each max becomes its flat position in the input plane.
  const offsets = hostValues(arg);
  const [sh, sw] = a.stride;
  const [ph, pw] = a.padding;
  const [dh, dw] = a.dilation;
  const flat = new Float64Array(offsets.length);
  for (let i = 0; i < offsets.length; i++) {
    const ow = i % wo;
    const oh = Math.floor(i / wo) % ho;
    const o = offsets[i]!;
    flat[i] = (oh * sh - ph + Math.floor(o / kw) * dh) * W + (ow * sw - pw + (o % kw) * dw);
  }
  return [values, fromHostValues(flat, values.shape, 'int64', backend)];
}

/** The input gradient of maxPool2d: each output's gradient lands on its max (repeats add up). */
export function maxPool2dBackward(grad: Tensor, indices: Tensor, inputShape: readonly number[]): Tensor {
  const [N, C, H, W] = inputShape as [number, number, number, number];
  const zeros = emptyTensor([N, C, H * W], grad.dtype, grad.storage.backend);
  return scatterAdd(zeros, 2, indices.reshape([N, C, -1]), grad.reshape([N, C, -1])).view([N, C, H, W]);
}

// ---------------------------------------------------------------- average pooling

export interface AvgPool2dOptions {
  stride?: IntOrPair | null;
  padding?: IntOrPair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/**
 * F.avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
 * divisor_override=None).
 */
export function avgPool2d(
  x: Tensor,
  kernelSize: IntOrPair,
  stride?: IntOrPair | null | AvgPool2dOptions,
  padding?: IntOrPair | AvgPool2dOptions,
  ceilMode?: boolean | AvgPool2dOptions,
  countIncludePad?: boolean | AvgPool2dOptions,
  divisorOverride?: number | null | AvgPool2dOptions,
): Tensor {
  const a = readArgs<Omit<PoolArgs, 'dilation'> & { countIncludePad: boolean; divisorOverride: number | null }>(
    [kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride],
    ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'],
    { kernelSize, stride: null, padding: 0, ceilMode: false, countIncludePad: true, divisorOverride: null },
  );
  const attrs: AvgPool2dAttrs = {
    ...poolAttrs({ ...a, dilation: 1 }),
    countIncludePad: a.countIncludePad,
    divisorOverride: a.divisorOverride,
  };
  checkPool(x, attrs);
  if (attrs.divisorOverride === 0) throw new RuntimeError('divisor must be not zero');
  return batched(x, (xb) =>
    dispatch('avgPool2d', [xb], attrs, () => {
      const [N, C, H, W] = xb.shape as [number, number, number, number];
      const { win, out } = poolWindow(H, W, attrs);
      const k = attrs.kernel[0] * attrs.kernel[1];
      const sums = sum(unfoldWindows(xb, win).view([N, C, k, out[0], out[1]]), { dim: 2 });
      const divisor = avgPoolDivisor(H, W, attrs, xb);
      // Integral inputs divide in integer arithmetic (truncating), as PyTorch's CPU kernel does.
      return isFloatingPoint(xb.dtype) ? div(sums, divisor) : div(sums, divisor, { roundingMode: 'trunc' }).to(xb.dtype);
    }),
  );
}

/** The [Ho, Wo] divisor of each average-pool window, by PyTorch's rules for padding and ceil mode. */
function avgPoolDivisor(h: number, w: number, a: AvgPool2dAttrs, like: Tensor): Tensor {
  const { out } = poolWindow(h, w, a);
  const counts = (size: number, i: 0 | 1): number[][] =>
    Array.from({ length: out[i] }, (_, o) => {
      const start = o * a.stride[i] - a.padding[i];
      const end = Math.min(start + a.kernel[i], size + a.padding[i]);
      return [end - start, Math.min(end, size) - Math.max(start, 0)];
    });
  const rows = counts(h, 0);
  const cols = counts(w, 1);
  const values = new Float64Array(out[0] * out[1]);
  for (let i = 0; i < out[0]; i++)
    for (let j = 0; j < out[1]; j++)
      values[i * out[1] + j] = a.divisorOverride ?? (a.countIncludePad ? rows[i]![0]! * cols[j]![0]! : rows[i]![1]! * cols[j]![1]!);
  return fromHostValues(values, [out[0], out[1]], like.dtype, like.storage.backend);
}

/** The input gradient of avgPool2d: each output's gradient, divided by its divisor, spread over its window. */
export function avgPool2dBackward(grad: Tensor, inputShape: readonly number[], attrs: AvgPool2dAttrs): Tensor {
  const [N, C, H, W] = inputShape as [number, number, number, number];
  const { win, out } = poolWindow(H, W, attrs);
  const k = attrs.kernel[0] * attrs.kernel[1];
  const L = out[0] * out[1];
  const perWindow = div(grad, avgPoolDivisor(H, W, attrs, grad))
    .reshape([N, C, 1, L])
    .expand([N, C, k, L])
    .reshape([N, C * k, L]);
  return col2im(perWindow, [H, W], attrs.kernel, { stride: win.stride, padding: win.padding });
}

// ---------------------------------------------------------------- adaptive pooling

/** Row i of the [out, size] matrix averaging input positions floor(i·size/out) .. ceil((i+1)·size/out). */
function adaptiveMatrix(size: number, out: number, like: Tensor): Tensor {
  const m = new Float64Array(out * size);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out);
    const end = Math.ceil(((i + 1) * size) / out);
    for (let j = start; j < end; j++) m[i * size + j] = 1 / (end - start);
  }
  return fromHostValues(m, [out, size], like.dtype, like.storage.backend);
}

/**
 * F.adaptive_avg_pool2d(input, output_size): averages over PyTorch's adaptive windows, as two
 * matmuls with averaging matrices (so autograd differentiates it through matmul).
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  if (x.dim() !== 3 && x.dim() !== 4)
    throw new RuntimeError(`adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ${formatShape(x.shape)}`);
  const [H, W] = x.shape.slice(-2) as [number, number];
  const sizes = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  const ho = sizes[0] ?? H;
  const wo = sizes[1] ?? W;
  for (let i = 0; i < x.dim() - 2; i++)
    if (x.shape[i] === 0)
      throw new RuntimeError(
        `adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${formatShape(x.shape)} with dimension ${i} being empty`,
      );
  if (!isFloatingPoint(x.dtype)) throw new RuntimeError(`"adaptive_avg_pool2d" not implemented for '${scalarTypeName(x.dtype)}'`);
  return matmul(matmul(adaptiveMatrix(H, ho, x), x), adaptiveMatrix(W, wo, x).t());
}
