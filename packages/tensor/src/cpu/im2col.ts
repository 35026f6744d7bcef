import type { View, Window2d } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';

// Direct loops for the sliding-window ops (im2col, col2im, max pooling). The generic path builds
// them from strided copies whose rows are only a kernel width long; these walk each output row once.

function outputSize(h: number, w: number, g: Window2d): [number, number] {
  const [pt, pb, pl, pr] = g.padding;
  return [
    Math.floor((h + pt + pb - g.dilation[0] * (g.kernel[0] - 1) - 1) / g.stride[0]) + 1,
    Math.floor((w + pl + pr - g.dilation[1] * (g.kernel[1] - 1) - 1) / g.stride[1]) + 1,
  ];
}

/** The output columns [first, end) whose input column ow·sw - pl + j·dw lies inside [0, W). */
function validColumns(wo: number, width: number, sw: number, offset: number): [number, number] {
  const first = offset >= 0 ? 0 : Math.ceil(-offset / sw);
  const end = Math.max(first, Math.min(wo, Math.floor((width - 1 - offset) / sw) + 1));
  return [Math.min(first, wo), end];
}

/** See WindowKernels.im2col. */
export function im2colKernel(cols: View, x: View, g: Window2d): void {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [sN, sC, sH, sW] = x.strides as [number, number, number, number];
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const [pt, , pl] = g.padding;
  const [ho, wo] = outputSize(H, W, g);
  const X = x.storage.data as TypedArray;
  const O = cols.storage.data as TypedArray;
  let o = cols.offset;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = x.offset + n * sN + c * sC;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const colOffset = j * dw - pl;
          const [first, end] = validColumns(wo, W, sw, colOffset);
          for (let oh = 0; oh < ho; oh++, o += wo) {
            const ih = oh * sh - pt + i * dh;
            if (ih < 0 || ih >= H) {
              O.fill(0, o, o + wo);
              continue;
            }
            O.fill(0, o, o + first);
            let src = plane + ih * sH + (first * sw + colOffset) * sW;
            const step = sw * sW;
            for (let ow = first; ow < end; ow++, src += step) O[o + ow] = X[src]!;
            O.fill(0, o + end, o + wo);
          }
        }
      }
    }
  }
}

/** See WindowKernels.col2im. */
export function col2imKernel(out: View, cols: View, g: Window2d): void {
  const [N, C, H, W] = out.shape as [number, number, number, number];
  const [cN, cR, cL] = cols.strides as [number, number, number];
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const [pt, , pl] = g.padding;
  const [ho, wo] = outputSize(H, W, g);
  const S = cols.storage.data as TypedArray;
  const O = out.storage.data as TypedArray;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = out.offset + (n * C + c) * H * W;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const colOffset = j * dw - pl;
          const [first, end] = validColumns(wo, W, sw, colOffset);
          const row = cols.offset + n * cN + ((c * kh + i) * kw + j) * cR;
          for (let oh = 0; oh < ho; oh++) {
            const ih = oh * sh - pt + i * dh;
            if (ih < 0 || ih >= H) continue;
            let dst = plane + ih * W + first * sw + colOffset;
            let src = row + (oh * wo + first) * cL;
            for (let ow = first; ow < end; ow++, dst += sw, src += cL) O[dst] = O[dst]! + S[src]!;
          }
        }
      }
    }
  }
}

/** Each window's first maximum (a NaN counts as the maximum) and its flat position in the input plane. */
export function maxPool2dKernel(values: View, indices: View, x: View, g: Window2d): void {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [sN, sC, sH, sW] = x.strides as [number, number, number, number];
  const [, , ho, wo] = values.shape as [number, number, number, number];
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const [pt, , pl] = g.padding;
  const X = x.storage.data as TypedArray;
  const V = values.storage.data as TypedArray;
  const I = indices.storage.data as TypedArray;
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = x.offset + n * sN + c * sC;
      for (let oh = 0; oh < ho; oh++) {
        const h0 = oh * sh - pt;
        for (let ow = 0; ow < wo; ow++, o++) {
          const w0 = ow * sw - pl;
          let best = -Infinity;
          let at = -1;
          for (let i = 0; i < kh; i++) {
            const ih = h0 + i * dh;
            if (ih < 0 || ih >= H) continue;
            for (let j = 0; j < kw; j++) {
              const iw = w0 + j * dw;
              if (iw < 0 || iw >= W) continue;
              const v = X[plane + ih * sH + iw * sW]!;
              if (v > best || (v !== v && best === best) || at < 0) {
                best = v;
                at = ih * W + iw;
              }
            }
          }
          V[values.offset + o] = best;
          I[indices.offset + o] = at;
        }
      }
    }
  }
}
