import { readArgs } from '../args.js';
import { dispatch } from '../dispatch.js';
import { isFloatingPoint, scalarTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { matmul } from './linalg.js';
import { sum } from './reduction.js';
import { sliceScatter } from './slice-scatter.js';
import { checkSameDtype, emptyTensor, viewOf } from './util.js';
import { foldWindows, type Padding4, type Pair, padding4, pair, unfoldWindows, type Window2d, windowOutput } from './window.js';

type IntOrPair = number | readonly number[];

export interface WindowOptions {
  dilation?: IntOrPair;
  /** A number, [ph, pw], or (a gd extension used by backward formulas) [top, bottom, left, right]. */
  padding?: IntOrPair;
  stride?: IntOrPair;
}

/** Attrs of im2col / col2im as dispatched (normalized). */
export type Im2colAttrs = {
  kernel: Pair;
  dilation: Pair;
  padding: Padding4;
  stride: Pair;
};

/** PyTorch's checks of a window's stride, padding and dilation. */
function checkWindow(w: Pick<Window2d, 'stride' | 'padding' | 'dilation'>): void {
  if (w.stride.some((s) => s <= 0)) throw new RuntimeError('non-positive stride is not supported');
  if (w.padding.some((p) => p < 0)) throw new RuntimeError('negative padding is not supported');
  if (w.dilation.some((d) => d <= 0)) throw new RuntimeError('dilation should be greater than zero');
}

function windowFrom(kernelSize: IntOrPair, o: WindowOptions): Window2d {
  const win = {
    kernel: pair(kernelSize, 'kernel_size'),
    dilation: pair(o.dilation ?? 1, 'dilation'),
    padding: padding4(o.padding ?? 0),
    stride: pair(o.stride ?? 1, 'stride'),
  };
  if (win.kernel.some((k) => k <= 0))
    throw new RuntimeError(`kernel size should be greater than zero, but got kernel_size=(${win.kernel.join(', ')})`);
  checkWindow(win);
  return win;
}

const tuple = (p: readonly number[]) => `(${p.join(', ')})`;
const symmetric = (p: Padding4): Pair => [p[0], p[2]];

/** F.unfold (PyTorch's im2col): x [N, C, H, W] or [C, H, W] → [N, C·kh·kw, L], every sliding block as a column. */
export function im2col(x: Tensor, kernelSize: IntOrPair, options: WindowOptions = {}): Tensor {
  const win = windowFrom(kernelSize, options);
  if (x.dim() !== 3 && x.dim() !== 4)
    throw new RuntimeError(
      `Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got: ${formatShape(x.shape)}`,
    );
  if (x.dim() === 3) return im2col(x.unsqueeze(0), kernelSize, options).squeeze(0);
  const [ho, wo] = windowOutput(x.shape[2]!, x.shape[3]!, win);
  if (ho < 1 || wo < 1)
    throw new RuntimeError(
      `Given input with spatial size ${tuple(x.shape.slice(2))}, kernel_size=${tuple(win.kernel)}, dilation=${tuple(win.dilation)}, padding=${tuple(symmetric(win.padding))}, calculated shape of the array of sliding blocks as ${tuple([ho, wo])}, but its components must be at least one.`,
    );
  const attrs: Im2colAttrs = { kernel: win.kernel, dilation: win.dilation, padding: win.padding, stride: win.stride };
  return dispatch('im2col', [x], attrs, () => unfoldWindows(x, win));
}

/** F.fold (PyTorch's col2im): sums columns [N, C·kh·kw, L] back into [N, C, H, W] (overlaps add up). */
export function col2im(cols: Tensor, outputSize: IntOrPair, kernelSize: IntOrPair, options: WindowOptions = {}): Tensor {
  const win = windowFrom(kernelSize, options);
  const size = pair(outputSize, 'output_size');
  if (cols.dim() !== 2 && cols.dim() !== 3)
    throw new RuntimeError(
      `Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got: ${formatShape(cols.shape)}`,
    );
  if (cols.dim() === 2) return col2im(cols.unsqueeze(0), outputSize, kernelSize, options).squeeze(0);
  const k = win.kernel[0] * win.kernel[1];
  if (cols.shape[1]! % k !== 0)
    throw new RuntimeError(
      `Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${cols.shape[1]} and kernel_size=${tuple(win.kernel)}.`,
    );
  const [ho, wo] = windowOutput(size[0], size[1], win);
  if (ho * wo !== cols.shape[2])
    throw new RuntimeError(
      `Given output_size=${tuple(size)}, kernel_size=${tuple(win.kernel)}, dilation=${tuple(win.dilation)}, padding=${tuple(symmetric(win.padding))}, stride=${tuple(win.stride)}, expected size of input's dimension 2 to match the calculated number of sliding blocks ${ho} * ${wo} = ${ho * wo}, but got input.size(2)=${cols.shape[2]}.`,
    );
  const attrs: Im2colAttrs & { outputSize: Pair } = {
    outputSize: size,
    kernel: win.kernel,
    dilation: win.dilation,
    padding: win.padding,
    stride: win.stride,
  };
  return dispatch('col2im', [cols], attrs, () => foldWindows(cols, size, win));
}

// ---------------------------------------------------------------- convolution

export interface ConvOptions {
  stride?: IntOrPair;
  padding?: IntOrPair | 'same' | 'valid';
  dilation?: IntOrPair;
  groups?: number;
}

/** Attrs of conv2d as dispatched: padding resolved to [top, bottom, left, right]. */
export type Conv2dAttrs = {
  stride: Pair;
  padding: Padding4;
  dilation: Pair;
  groups: number;
};

/** 'same' pads d·(k-1) in total per dim, the odd one at the end (bottom/right), as PyTorch does. */
function resolvePadding(padding: IntOrPair | 'same' | 'valid', kernel: Pair, dilation: Pair, stride: Pair): Padding4 {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new RuntimeError("padding='same' is not supported for strided convolutions");
    const total = [dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1)];
    return [
      Math.floor(total[0]! / 2),
      total[0]! - Math.floor(total[0]! / 2),
      Math.floor(total[1]! / 2),
      total[1]! - Math.floor(total[1]! / 2),
    ];
  }
  if (typeof padding === 'string') throw new RuntimeError(`Invalid padding string: '${padding}'`);
  return padding4(padding);
}

function checkConvArgs(x: Tensor, weight: Tensor, bias: Tensor | null, groups: number, attrsOf: () => Conv2dAttrs): Conv2dAttrs {
  if (x.dim() !== 3 && x.dim() !== 4)
    throw new RuntimeError(`Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: ${formatShape(x.shape)}`);
  if (weight.dim() !== 4)
    throw new RuntimeError(
      `expected stride to be a single integer value or a list of ${weight.dim() - 2} values to match the convolution dimensions, but got stride=[1, 1]`,
    );
  if (groups <= 0) throw new RuntimeError('non-positive groups is not supported');
  const attrs = attrsOf();
  checkWindow(attrs);
  const shape = x.dim() === 3 ? [1, ...x.shape] : x.shape;
  if (weight.shape[0]! % groups !== 0)
    throw new RuntimeError(
      `Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size [${formatShape(weight.shape)}] instead`,
    );
  if (shape[1] !== weight.shape[1]! * groups)
    throw new RuntimeError(
      `Given groups=${groups}, weight of size ${formatShape(weight.shape)}, expected input${formatShape(shape)} to have ${weight.shape[1]! * groups} channels, but got ${shape[1]} channels instead`,
    );
  if (bias !== null && (bias.dim() !== 1 || bias.shape[0] !== weight.shape[0]))
    throw new RuntimeError(
      `Given weight of size ${formatShape(weight.shape)}, expected bias to be 1-dimensional with ${weight.shape[0]} elements, but got bias of size ${formatShape(bias.shape)} instead`,
    );
  const [pt, pb, pl, pr] = attrs.padding;
  const padded = [shape[2]! + pt + pb, shape[3]! + pl + pr];
  const effective = [attrs.dilation[0] * (weight.shape[2]! - 1) + 1, attrs.dilation[1] * (weight.shape[3]! - 1) + 1];
  if (padded[0]! < effective[0]! || padded[1]! < effective[1]!)
    throw new RuntimeError(
      `Calculated padded input size per channel: (${padded.join(' x ')}). Kernel size: (${effective.join(' x ')}). Kernel size can't be greater than actual input size`,
    );
  checkSameDtype(x, weight);
  checkSameDtype(x, bias);
  if (!isFloatingPoint(x.dtype)) throw new RuntimeError(`"slow_conv2d_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  return attrs;
}

/**
 * F.conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1): cross-correlation
 * of x [N, C, H, W] (or unbatched [C, H, W]) with weight [O, C/groups, kh, kw]; padding may be a
 * number, a pair, 'valid' or 'same'. Arguments after bias may come as one options object.
 */
export function conv2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null | ConvOptions,
  stride?: IntOrPair | ConvOptions,
  padding?: IntOrPair | 'same' | 'valid' | ConvOptions,
  dilation?: IntOrPair | ConvOptions,
  groups?: number | ConvOptions,
): Tensor {
  const a = readArgs<{
    bias: Tensor | null;
    stride: IntOrPair;
    padding: IntOrPair | 'same' | 'valid';
    dilation: IntOrPair;
    groups: number;
  }>([bias, stride, padding, dilation, groups], ['bias', 'stride', 'padding', 'dilation', 'groups'], {
    bias: null,
    stride: 1,
    padding: 0,
    dilation: 1,
    groups: 1,
  });
  const attrs = checkConvArgs(x, weight, a.bias, a.groups, () => {
    const s = pair(a.stride, 'stride');
    const d = pair(a.dilation, 'dilation');
    return { stride: s, padding: resolvePadding(a.padding, [weight.shape[2]!, weight.shape[3]!], d, s), dilation: d, groups: a.groups };
  });
  if (x.dim() === 3) return conv2dBatched(x.unsqueeze(0), weight, a.bias, attrs).squeeze(0);
  return conv2dBatched(x, weight, a.bias, attrs);
}

function conv2dBatched(x: Tensor, weight: Tensor, bias: Tensor | null, attrs: Conv2dAttrs): Tensor {
  return dispatch('conv2d', [x, weight, bias], attrs, () => {
    const [N, , H, W] = x.shape as [number, number, number, number];
    const [O, cg, kh, kw] = weight.shape as [number, number, number, number];
    const g = attrs.groups;
    const win: Window2d = { kernel: [kh, kw], stride: attrs.stride, padding: attrs.padding, dilation: attrs.dilation };
    const [ho, wo] = windowOutput(H, W, win);
    const L = ho * wo;
    const og = O / g;
    const ckg = cg * kh * kw;
    const cols = unfoldWindows(x, win);
    const w = weight.contiguous();
    const backend = x.storage.backend;
    const out = emptyTensor([N, O, ho, wo], x.dtype, backend);
    // Per group: out[n, g] = W[g] [og, ckg] × cols[n, g] [ckg, L], batched over n (W broadcast).
    for (let gi = 0; gi < g; gi++) {
      backend.matmul(
        viewOf(out, [N, og, L], [O * L, L, 1], gi * og * L),
        viewOf(w, [N, og, ckg], [0, ckg, 1], w.offset + gi * og * ckg),
        viewOf(cols, [N, ckg, L], [g * ckg * L, L, 1], gi * ckg * L),
      );
    }
    if (bias !== null) backend.binary('add', out, out, viewOf(bias, out.shape, [0, bias.strides[0]!, 0, 0]), 1);
    return out;
  });
}

/** F.conv1d: conv2d over a height-1 image, with weight [O, C/groups, k]. */
export function conv1d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null | ConvOptions,
  stride?: number | readonly number[] | ConvOptions,
  padding?: number | readonly number[] | 'same' | 'valid' | ConvOptions,
  dilation?: number | readonly number[] | ConvOptions,
  groups?: number | ConvOptions,
): Tensor {
  const a = readArgs<{
    bias: Tensor | null;
    stride: IntOrPair;
    padding: IntOrPair | 'same' | 'valid';
    dilation: IntOrPair;
    groups: number;
  }>([bias, stride, padding, dilation, groups], ['bias', 'stride', 'padding', 'dilation', 'groups'], {
    bias: null,
    stride: 1,
    padding: 0,
    dilation: 1,
    groups: 1,
  });
  if (x.dim() !== 2 && x.dim() !== 3)
    throw new RuntimeError(`Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: ${formatShape(x.shape)}`);
  if (weight.dim() !== 3)
    throw new RuntimeError(
      `Expected ${weight.dim()}-dimensional input for ${weight.dim()}-dimensional weight ${formatShape(weight.shape)}, but got ${x.dim()}-dimensional input of size ${formatShape(x.shape)} instead`,
    );
  const one = (v: IntOrPair, fill: number): Pair => [fill, typeof v === 'number' ? v : v[0]!];
  if (a.groups > 0 && x.shape[x.dim() - 2] !== weight.shape[1]! * a.groups)
    throw new RuntimeError(
      `Given groups=${a.groups}, weight of size ${formatShape(weight.shape)}, expected input${formatShape(x.dim() === 2 ? [1, ...x.shape] : x.shape)} to have ${weight.shape[1]! * a.groups} channels, but got ${x.shape[x.dim() - 2]} channels instead`,
    );
  const pad = typeof a.padding === 'string' ? a.padding : one(a.padding, 0);
  const y = conv2d(x.unsqueeze(-2), weight.unsqueeze(-2), a.bias, one(a.stride, 1), pad, one(a.dilation, 1), a.groups);
  return y.squeeze(-2);
}

/** grad [N, O, Ho, Wo] with every (n, position) as a column, per group: [g, O/g, N·Ho·Wo]. */
function columnsPerGroup(grad: Tensor, groups: number): Tensor {
  const [N, O] = grad.shape as [number, number];
  const L = grad.shape[2]! * grad.shape[3]!;
  return grad
    .reshape([N, groups, O / groups, L])
    .permute([1, 2, 0, 3])
    .reshape([groups, O / groups, N * L]);
}

/** The input gradient of conv2d: col2im of Wᵀ·grad per group, onto an input of spatial size `size`. */
function convInputGrad(grad: Tensor, weight: Tensor, size: Pair, attrs: Conv2dAttrs): Tensor {
  const [O, cg, kh, kw] = weight.shape as [number, number, number, number];
  const g = attrs.groups;
  const N = grad.shape[0]!;
  const L = grad.shape[2]! * grad.shape[3]!;
  const ckg = cg * kh * kw;
  const cols = matmul(weight.reshape([g, O / g, ckg]).transpose(1, 2), columnsPerGroup(grad, g));
  const perImage = cols
    .reshape([g, ckg, N, L])
    .permute([2, 0, 1, 3])
    .reshape([N, g * ckg, L]);
  return col2im(perImage, size, [kh, kw], { dilation: attrs.dilation, padding: attrs.padding, stride: attrs.stride });
}

/** The weight gradient of conv2d: grad · im2col(x)ᵀ per group, shaped like the weight. */
function convWeightGrad(grad: Tensor, x: Tensor, weightShape: readonly number[], attrs: Conv2dAttrs): Tensor {
  const [, cg, kh, kw] = weightShape as [number, number, number, number];
  const g = attrs.groups;
  const N = x.shape[0]!;
  const ckg = cg * kh * kw;
  const L = grad.shape[2]! * grad.shape[3]!;
  const cols = im2col(x, [kh, kw], { dilation: attrs.dilation, padding: attrs.padding, stride: attrs.stride })
    .reshape([N, g, ckg, L])
    .permute([1, 0, 3, 2])
    .reshape([g, N * L, ckg]);
  return matmul(columnsPerGroup(grad, g), cols).reshape(weightShape);
}

/** The gradients of conv2d (input, weight, bias) for `grad` [N, O, Ho, Wo], in public ops. */
export function conv2dBackward(
  grad: Tensor,
  x: Tensor,
  weight: Tensor,
  attrs: Conv2dAttrs,
  needs: readonly boolean[],
): [Tensor | null, Tensor | null, Tensor | null] {
  return [
    needs[0] ? convInputGrad(grad, weight, [x.shape[2]!, x.shape[3]!], attrs) : null,
    needs[1] ? convWeightGrad(grad, x, weight.shape, attrs) : null,
    needs[2] ? sum(grad, { dim: [0, 2, 3] }) : null,
  ];
}

// ---------------------------------------------------------------- transposed convolution

export interface ConvTransposeOptions {
  stride?: IntOrPair;
  padding?: IntOrPair;
  outputPadding?: IntOrPair;
  groups?: number;
  dilation?: IntOrPair;
}

/** Attrs of convTranspose2d as dispatched: the matching conv2d's, plus the output padding. */
export type ConvTranspose2dAttrs = Conv2dAttrs & { outputPadding: Pair };

/**
 * F.conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
 * dilation=1): the adjoint of conv2d, weight [C_in, C_out/groups, kh, kw]. The output is
 * (H - 1)·stride - 2·padding + dilation·(kh - 1) + output_padding + 1 high.
 */
export function convTranspose2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null | ConvTransposeOptions,
  stride?: IntOrPair | ConvTransposeOptions,
  padding?: IntOrPair | ConvTransposeOptions,
  outputPadding?: IntOrPair | ConvTransposeOptions,
  groups?: number | ConvTransposeOptions,
  dilation?: IntOrPair | ConvTransposeOptions,
): Tensor {
  const a = readArgs<{
    bias: Tensor | null;
    stride: IntOrPair;
    padding: IntOrPair;
    outputPadding: IntOrPair;
    groups: number;
    dilation: IntOrPair;
  }>([bias, stride, padding, outputPadding, groups, dilation], ['bias', 'stride', 'padding', 'outputPadding', 'groups', 'dilation'], {
    bias: null,
    stride: 1,
    padding: 0,
    outputPadding: 0,
    groups: 1,
    dilation: 1,
  });
  if (x.dim() !== 3 && x.dim() !== 4)
    throw new RuntimeError(
      `Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: ${formatShape(x.shape)}`,
    );
  if (weight.dim() !== 4)
    throw new RuntimeError(
      `expected stride to be a single integer value or a list of ${weight.dim() - 2} values to match the convolution dimensions, but got stride=[1, 1]`,
    );
  if (a.groups <= 0) throw new RuntimeError('non-positive groups is not supported');
  const s = pair(a.stride, 'stride');
  const d = pair(a.dilation, 'dilation');
  const op = pair(a.outputPadding, 'output_padding');
  const attrs: ConvTranspose2dAttrs = { stride: s, padding: padding4(a.padding), dilation: d, groups: a.groups, outputPadding: op };
  checkWindow(attrs);
  if (op.some((v, i) => v >= s[i]! && v >= d[i]!))
    throw new RuntimeError(
      `output padding must be smaller than either stride or dilation, but got output_padding_height: ${op[0]} output_padding_width: ${op[1]} stride_height: ${s[0]} stride_width: ${s[1]} dilation_height: ${d[0]} dilation_width: ${d[1]}`,
    );
  const shape = x.dim() === 3 ? [1, ...x.shape] : x.shape;
  if (shape[1] !== weight.shape[0])
    throw new RuntimeError(
      `Given transposed=1, weight of size ${formatShape(weight.shape)}, expected input${formatShape(shape)} to have ${weight.shape[0]} channels, but got ${shape[1]} channels instead`,
    );
  if (weight.shape[0]! % a.groups !== 0)
    throw new RuntimeError(
      `Given groups=${a.groups}, expected weight to be divisible by ${a.groups} at dimension 0, but got weight of size [${formatShape(weight.shape)}] instead`,
    );
  const out = weight.shape[1]! * a.groups;
  if (a.bias !== null && (a.bias.dim() !== 1 || a.bias.shape[0] !== out))
    throw new RuntimeError(
      `Given transposed=1, weight of size ${formatShape(weight.shape)}, expected bias to be 1-dimensional with ${out} elements, but got bias of size ${formatShape(a.bias.shape)} instead`,
    );
  checkSameDtype(x, weight);
  checkSameDtype(x, a.bias);
  if (x.dtype === 'bool') throw new RuntimeError(`"slow_conv_transpose2d_out_cpu" not implemented for 'Bool'`);
  if (x.dim() === 3) return convTranspose2dBatched(x.unsqueeze(0), weight, a.bias, attrs).squeeze(0);
  return convTranspose2dBatched(x, weight, a.bias, attrs);
}

/**
 * A transposed conv is the conv2d input gradient onto the full, unpadded extent
 * (H - 1)·stride + dilation·(kh - 1) + 1, cropped by the padding on each side; output padding
 * shortens the bottom/right crop and past the full extent adds zero rows and columns.
 */
function transposedGeometry(x: Tensor, weight: Tensor, a: ConvTranspose2dAttrs): { full: Pair; out: Pair; kept: Pair } {
  const [pt, pb, pl, pr] = a.padding;
  const full = (i: 0 | 1) => (x.shape[2 + i]! - 1) * a.stride[i] + a.dilation[i] * (weight.shape[2 + i]! - 1) + 1;
  const f: Pair = [full(0), full(1)];
  const out: Pair = [f[0] - pt - pb + a.outputPadding[0], f[1] - pl - pr + a.outputPadding[1]];
  return { full: f, out, kept: [Math.min(out[0], f[0] - pt), Math.min(out[1], f[1] - pl)] };
}

const unpadded = (a: Conv2dAttrs): Conv2dAttrs => ({ stride: a.stride, padding: [0, 0, 0, 0], dilation: a.dilation, groups: a.groups });

function convTranspose2dBatched(x: Tensor, weight: Tensor, bias: Tensor | null, attrs: ConvTranspose2dAttrs): Tensor {
  const { full, out, kept } = transposedGeometry(x, weight, attrs);
  if (out[0] < 1 || out[1] < 1)
    throw new RuntimeError(
      `Given input size per channel: (${x.shape[2]} x ${x.shape[3]}). Calculated output size per channel: (${out.join(' x ')}). Output size is too small`,
    );
  return dispatch('convTranspose2d', [x, weight, bias], attrs, () => {
    const y = convInputGrad(x, weight, full, unpadded(attrs));
    const [N, C] = y.shape as [number, number];
    const backend = y.storage.backend;
    const result = emptyTensor([N, C, out[0], out[1]], y.dtype, backend);
    const [pt, , pl] = attrs.padding;
    const window = [N, C, kept[0], kept[1]];
    backend.copy(viewOf(result, window, result.strides), viewOf(y, window, y.strides, y.offset + pt * y.strides[2]! + pl * y.strides[3]!));
    if (bias !== null) backend.binary('add', result, result, viewOf(bias, result.shape, [0, bias.strides[0]!, 0, 0]), 1);
    return result;
  });
}

/** The gradients of convTranspose2d (input, weight, bias): conv2d of the gradient placed back on the full extent, and conv2d's weight gradient with the roles swapped. */
export function convTranspose2dBackward(
  grad: Tensor,
  x: Tensor,
  weight: Tensor,
  attrs: ConvTranspose2dAttrs,
  needs: readonly boolean[],
): [Tensor | null, Tensor | null, Tensor | null] {
  const { full, kept } = transposedGeometry(x, weight, attrs);
  const [N, C] = grad.shape as [number, number];
  const [pt, , pl] = attrs.padding;
  const inside = grad.narrow(2, 0, kept[0]).narrow(3, 0, kept[1]);
  const zeros = (h: number, w: number) => emptyTensor([N, C, h, w], grad.dtype, grad.storage.backend);
  const rows = sliceScatter(zeros(kept[0], full[1]), inside, 3, pl, pl + kept[1]);
  const g = sliceScatter(zeros(full[0], full[1]), rows, 2, pt, pt + kept[0]);
  const conv = unpadded(attrs);
  return [
    needs[0] ? conv2d(g, weight, null, { stride: conv.stride, dilation: conv.dilation, groups: conv.groups }) : null,
    needs[1] ? convWeightGrad(x, g, weight.shape, conv) : null,
    needs[2] ? sum(grad, { dim: [0, 2, 3] }) : null,
  ];
}
