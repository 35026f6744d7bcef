import type { View, Window2d, WindowKernels } from '../backend/backend.js';
import { RuntimeError } from '../errors.js';
import { contiguousStrides } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { emptyTensor, viewOf } from './util.js';

// Sliding-window geometry shared by convolution, im2col/col2im and pooling. Windows are strided
// views of a padded copy, so every backend runs them with its copy, reduce and add kernels.

export type Pair = readonly [number, number];
/** Padding of the two spatial dims: top, bottom, left, right. */
export type Padding4 = readonly [number, number, number, number];

export type { Window2d };

/** The backend's fused sliding-window kernel `name`, if it has one. */
export function windowKernel<K extends keyof WindowKernels>(t: Tensor, name: K): WindowKernels[K] | undefined {
  return t.storage.backend.fused?.[name] as WindowKernels[K] | undefined;
}

/** PyTorch's `_pair`: a number or a list of one or two numbers. */
export function pair(v: number | readonly number[], name: string): Pair {
  if (typeof v === 'number') return [v, v];
  if (v.length === 1) return [v[0]!, v[0]!];
  if (v.length === 2) return [v[0]!, v[1]!];
  throw new RuntimeError(
    `expected ${name} to be a single integer value or a list of 2 values to match the convolution dimensions, but got ${name}=[${v.join(', ')}]`,
  );
}

/** A symmetric padding (number or [ph, pw]) or an explicit [top, bottom, left, right]. */
export function padding4(v: number | readonly number[]): Padding4 {
  if (typeof v !== 'number' && v.length === 4) return [v[0]!, v[1]!, v[2]!, v[3]!];
  const [ph, pw] = pair(v, 'padding');
  return [ph, ph, pw, pw];
}

/** Number of window positions along one dim. */
export function windowCount(size: number, padBefore: number, padAfter: number, kernel: number, dilation: number, stride: number): number {
  return Math.floor((size + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Output spatial size [Ho, Wo] of a window over an [.., H, W] input. */
export function windowOutput(h: number, w: number, win: Window2d): Pair {
  const [pt, pb, pl, pr] = win.padding;
  return [
    windowCount(h, pt, pb, win.kernel[0], win.dilation[0], win.stride[0]),
    windowCount(w, pl, pr, win.kernel[1], win.dilation[1], win.stride[1]),
  ];
}

/** x [N, C, H, W] copied into a fresh contiguous buffer with `value` around it. */
function padded(x: Tensor, p: Padding4, value: number): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [pt, pb, pl, pr] = p;
  if (pt === 0 && pb === 0 && pl === 0 && pr === 0 && x.isContiguous()) return x;
  const hp = H + pt + pb;
  const wp = W + pl + pr;
  const backend = x.storage.backend;
  const out = emptyTensor([N, C, hp, wp], x.dtype, backend);
  if (value !== 0) backend.fill(out, value);
  backend.copy(viewOf(out, x.shape, out.strides, pt * wp + pl), x);
  return out;
}

/** The windows of a contiguous padded [N, C, Hp, Wp] tensor as an [N, C, kh, kw, Ho, Wo] view. */
function windowsView(xp: View, win: Window2d, out: Pair): View {
  const [N, C] = xp.shape as [number, number, number, number];
  const [sN, sC, sH] = xp.strides as [number, number, number, number];
  const [kh, kw] = win.kernel;
  const [dh, dw] = win.dilation;
  const [sh, sw] = win.stride;
  return viewOf(xp, [N, C, kh, kw, out[0], out[1]], [sN, sC, dh * sH, dw, sh * sH, sw]);
}

/**
 * Every window of x [N, C, H, W], padded with `padValue`, as a view [N, C, kh, kw, Ho, Wo] of a
 * padded copy (valid while that copy lives; callers read it at once).
 */
export function windowsOf(x: Tensor, win: Window2d, padValue: number): View {
  const [, , H, W] = x.shape as [number, number, number, number];
  return windowsView(padded(x, win.padding, padValue), win, windowOutput(H, W, win));
}

/** im2col: x [N, C, H, W] → [N, C·kh·kw, Ho·Wo], channel-major like F.unfold. */
export function unfoldWindows(x: Tensor, win: Window2d): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [ho, wo] = windowOutput(H, W, win);
  const k = win.kernel[0] * win.kernel[1];
  const out = emptyTensor([N, C * k, ho * wo], x.dtype, x.storage.backend);
  const fused = windowKernel(x, 'im2col');
  if (fused) {
    fused(out, x, win);
    return out;
  }
  const src = windowsOf(x, win, 0);
  x.storage.backend.copy(viewOf(out, src.shape, contiguousStrides(src.shape)), src);
  return out;
}

/** col2im: cols [N, C·kh·kw, Ho·Wo] summed back onto [N, C, H, W] (the adjoint of unfoldWindows). */
export function foldWindows(cols: Tensor, size: Pair, win: Window2d): Tensor {
  const [N, ck, L] = cols.shape as [number, number, number];
  const [kh, kw] = win.kernel;
  const C = ck / (kh * kw);
  const [H, W] = size;
  const [pt, pb, pl, pr] = win.padding;
  const [ho, wo] = windowOutput(H, W, win);
  const backend = cols.storage.backend;
  const fused = windowKernel(cols, 'col2im');
  if (fused) {
    const out = emptyTensor([N, C, H, W], cols.dtype, backend);
    fused(out, cols, win);
    return out;
  }
  const hp = H + pt + pb;
  const wp = W + pl + pr;
  const acc = emptyTensor([N, C, hp, wp], cols.dtype, backend);
  const c = cols.contiguous();
  const [dh, dw] = win.dilation;
  const [sh, sw] = win.stride;
  // One strided add per kernel offset: within one offset the windows never overlap.
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const target = viewOf(acc, [N, C, ho, wo], [C * hp * wp, hp * wp, sh * wp, sw], i * dh * wp + j * dw);
      const source = viewOf(c, [N, C, ho, wo], [ck * L, kh * kw * L, wo, 1], c.offset + (i * kw + j) * L);
      backend.binary('add', target, target, source, 1);
    }
  }
  if (pt === 0 && pb === 0 && pl === 0 && pr === 0) return acc;
  const out = emptyTensor([N, C, H, W], cols.dtype, backend);
  backend.copy(out, viewOf(acc, [N, C, H, W], acc.strides, pt * wp + pl));
  return out;
}
