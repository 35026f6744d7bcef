import { loadAs, sizeOf, storeAs } from './dtype';

// Sliding-window kernels over [N, C, H, W] planes (the fused im2col / col2im / maxPool2d of
// @gd/tensor's WindowKernels). Strides are in bytes; cols, out, values and indices are contiguous.

/** First output column whose input column ow·sw + offset is ≥ 0. */
function firstValid(wo: i32, sw: i32, offset: i32): i32 {
  return offset >= 0 ? 0 : min(wo, <i32>Math.ceil(<f64>-offset / <f64>sw));
}

/** One past the last output column whose input column is < width. */
function endValid(wo: i32, width: i32, sw: i32, offset: i32, first: i32): i32 {
  return max(first, min(wo, <i32>Math.floor(<f64>(width - 1 - offset) / <f64>sw) + 1));
}

export function im2col(
  n: i32, c: i32, h: i32, w: i32, px: usize, dx: i32, sN: i32, sC: i32, sH: i32, sW: i32,
  po: usize, dout: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, ho: i32, wo: i32,
): void {
  const osz = sizeOf(dout);
  const rowBytes = <usize>(wo * osz);
  let o = po;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const plane = px + <usize>(b * sN + ch * sC);
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const colOffset = j * dw - pl;
          const first = firstValid(wo, sw, colOffset);
          const end = endValid(wo, w, sw, colOffset, first);
          for (let oh = 0; oh < ho; oh++, o += rowBytes) {
            const ih = oh * sh - pt + i * dh;
            if (ih < 0 || ih >= h) {
              memory.fill(o, 0, rowBytes);
              continue;
            }
            memory.fill(o, 0, <usize>(first * osz));
            let src = plane + <usize>(ih * sH + (first * sw + colOffset) * sW);
            const step = <usize>(sw * sW);
            for (let ow = first; ow < end; ow++, src += step) storeAs(o + <usize>(ow * osz), dout, loadAs(src, dx));
            memory.fill(o + <usize>(end * osz), 0, <usize>((wo - end) * osz));
          }
        }
      }
    }
  }
}

export function col2im(
  n: i32, c: i32, h: i32, w: i32, po: usize, dout: i32,
  pc: usize, dc: i32, cN: i32, cR: i32, cL: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, ho: i32, wo: i32,
): void {
  const osz = sizeOf(dout);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const plane = po + <usize>((b * c + ch) * h * w * osz);
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const colOffset = j * dw - pl;
          const first = firstValid(wo, sw, colOffset);
          const end = endValid(wo, w, sw, colOffset, first);
          const row = pc + <usize>(b * cN + ((ch * kh + i) * kw + j) * cR);
          for (let oh = 0; oh < ho; oh++) {
            const ih = oh * sh - pt + i * dh;
            if (ih < 0 || ih >= h) continue;
            let dst = plane + <usize>((ih * w + first * sw + colOffset) * osz);
            let src = row + <usize>((oh * wo + first) * cL);
            const step = <usize>(sw * osz);
            for (let ow = first; ow < end; ow++, dst += step, src += cL) storeAs(dst, dout, loadAs(dst, dout) + loadAs(src, dc));
          }
        }
      }
    }
  }
}

/** Each window's first maximum (a NaN counts as the maximum) and its flat position in the input plane. */
export function maxPool2d(
  n: i32, c: i32, h: i32, w: i32, px: usize, dx: i32, sN: i32, sC: i32, sH: i32, sW: i32,
  pv: usize, dv: i32, pi: usize, di: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, ho: i32, wo: i32,
): void {
  const vsz = <usize>sizeOf(dv);
  const isz = <usize>sizeOf(di);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const plane = px + <usize>(b * sN + ch * sC);
      for (let oh = 0; oh < ho; oh++) {
        const h0 = oh * sh - pt;
        for (let ow = 0; ow < wo; ow++, pv += vsz, pi += isz) {
          const w0 = ow * sw - pl;
          let best = -Infinity;
          let at = -1;
          for (let i = 0; i < kh; i++) {
            const ih = h0 + i * dh;
            if (ih < 0 || ih >= h) continue;
            for (let j = 0; j < kw; j++) {
              const iw = w0 + j * dw;
              if (iw < 0 || iw >= w) continue;
              const v = loadAs(plane + <usize>(ih * sH + iw * sW), dx);
              if (v > best || (v != v && best == best) || at < 0) {
                best = v;
                at = ih * w + iw;
              }
            }
          }
          storeAs(pv, dv, best);
          storeAs(pi, di, <f64>at);
        }
      }
    }
  }
}
