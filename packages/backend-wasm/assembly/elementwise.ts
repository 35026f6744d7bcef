import { F32, F64, U8, loadAs, storeAs } from './dtype';
import { beginRows, nextRow, N, P0, P1, P2, P3, D0, D1, D2, D3, S0, S1, S2, S3 } from './iter';
import { Binary, Unary, applyBinary, applyUnary, applyUnaryF32 } from './ops';
import { expf } from './sleef-float32';
import { hasFastUnary, unaryFastF32x4 } from './fast-math';
import { binaryF32x4, compareF32x4, hasSimdBinary, hasSimdUnary, isComparison, selectF32x4, sigmoidF32x4, unaryF32x4 } from './simd-math';

/** Operand 0 = value. */
export function fill(value: f64): void {
  const rows = beginRows();
  for (let r = 0; r < rows; r++) {
    let p = P0;
    if (D0 == F32 && S0 == 4) {
      const v = <f32>value;
      for (let i = 0; i < N; i++, p += 4) store<f32>(p, v);
    } else for (let i = 0; i < N; i++, p += S0) storeAs(p, D0, value);
    nextRow();
  }
}

/** Operand 0 = operand 1, converting dtype; `toBool` stores x != 0 (a cast to bool). */
export function copy(toBool: bool): void {
  const rows = beginRows();
  const size = D0 == F64 ? 8 : D0 == F32 ? 4 : D0 == 3 ? 1 : 4;
  for (let r = 0; r < rows; r++) {
    let po = P0;
    let px = P1;
    if (!toBool && D0 == D1 && S0 == size && S1 == size) memory.copy(po, px, <usize>(N * size));
    else if (!toBool && D0 == F32 && D1 == F32) for (let i = 0; i < N; i++, po += S0, px += S1) store<f32>(po, load<f32>(px));
    else if (!toBool && D0 == F64 && D1 == F64) for (let i = 0; i < N; i++, po += S0, px += S1) store<f64>(po, load<f64>(px));
    else if (toBool) for (let i = 0; i < N; i++, po += S0, px += S1) store<u8>(po, loadAs(px, D1) != 0 ? 1 : 0);
    else for (let i = 0; i < N; i++, po += S0, px += S1) storeAs(po, D0, loadAs(px, D1));
    nextRow();
  }
}

/** Elements per step of PyTorch's vectorised loops (two AVX2 float32 registers). */
const VEC_STEP_FLOAT32: i32 = 16;

/**
 * Operand 0 = op(operand 1); a, b, c are the op's scalar parameters. With `fastMath`, contiguous
 * float32 exp, sigmoid, tanh and log take fast-math.ts's polynomials instead of SLEEF's functions.
 */
export function unary(op: i32, a: f64, b: f64, c: f64, fastMath: bool): void {
  const rows = beginRows();
  const contiguousF32 = ASC_FEATURE_SIMD && D0 == F32 && D1 == F32 && S0 == 4 && S1 == 4;
  const fast = contiguousF32 && fastMath && hasFastUnary(op);
  const simd = contiguousF32 && !fast && hasSimdUnary(op);
  for (let r = 0; r < rows; r++) {
    let po = P0;
    let px = P1;
    let i = 0;
    if (fast || simd) {
      i = fast ? unaryFastF32x4(op, po, px, N) : unaryF32x4(op, po, px, N);
      po += <usize>(i << 2);
      px += <usize>(i << 2);
    }
    if (D0 == F32 && D1 == F32) {
      if (op == Unary.sigmoid && !fast) {
        // PyTorch vectorises contiguous runs in steps of 16 with SLEEF's exp; the leftover
        // elements (and strided runs) take its scalar path, whose std::exp is correctly rounded.
        const vectorised = S0 == 4 && S1 == 4 ? N - (N % VEC_STEP_FLOAT32) : 0;
        if (ASC_FEATURE_SIMD) {
          sigmoidF32x4(po, px, vectorised);
          i = vectorised;
          po += <usize>(vectorised << 2);
          px += <usize>(vectorised << 2);
        } else for (; i < vectorised; i++, po += 4, px += 4) store<f32>(po, <f32>(1 / <f64><f32>(1 + expf(-<f64>load<f32>(px)))));
        for (; i < N; i++, po += S0, px += S1) store<f32>(po, <f32>(1 / <f64><f32>(1 + <f64><f32>Math.exp(-<f64>load<f32>(px)))));
      } else for (; i < N; i++, po += S0, px += S1) store<f32>(po, <f32>applyUnaryF32(op, <f64>load<f32>(px), a, b, c));
    }
    else if (D0 == F64 && D1 == F64) for (; i < N; i++, po += S0, px += S1) store<f64>(po, applyUnary(op, load<f64>(px), a, b, c));
    else for (; i < N; i++, po += S0, px += S1) storeAs(po, D0, applyUnary(op, loadAs(px, D1), a, b, c));
    nextRow();
  }
}

/** Operand 0 = operand 1 op operand 2; for add and sub, alpha scales operand 2. */
export function binary(op: i32, alpha: f64): void {
  const rows = beginRows();
  const scaled = alpha != 1 && (op == Binary.add || op == Binary.sub);
  const f32Inputs = ASC_FEATURE_SIMD && D1 == F32 && D2 == F32 && (S1 == 4 || S1 == 0) && (S2 == 4 || S2 == 0);
  const simd = f32Inputs && D0 == F32 && S0 == 4 && hasSimdBinary(op);
  const simdCompare = f32Inputs && D0 == U8 && S0 == 1 && isComparison(op);
  // a + s * b in float64, as the cpu backend computes the scaled form.
  const s = op == Binary.sub ? -alpha : alpha;
  const kernel = scaled ? Binary.add : op;
  for (let r = 0; r < rows; r++) {
    let po = P0;
    let pa = P1;
    let pb = P2;
    let i = 0;
    if (simdCompare) {
      i = compareF32x4(op, po, pa, S1, pb, S2, N);
      po += <usize>i;
      pa += <usize>(i * S1);
      pb += <usize>(i * S2);
    }
    if (simd) {
      i = binaryF32x4(op, po, pa, S1, pb, S2, N, scaled, s);
      po += <usize>(i << 2);
      pa += <usize>(i * S1);
      pb += <usize>(i * S2);
    }
    if (scaled) for (; i < N; i++, po += S0, pa += S1, pb += S2) storeAs(po, D0, loadAs(pa, D1) + s * loadAs(pb, D2));
    else if (D0 == F32 && D1 == F32 && D2 == F32)
      for (; i < N; i++, po += S0, pa += S1, pb += S2) store<f32>(po, <f32>applyBinary(kernel, <f64>load<f32>(pa), <f64>load<f32>(pb)));
    else if (D0 == F64 && D1 == F64 && D2 == F64)
      for (; i < N; i++, po += S0, pa += S1, pb += S2) store<f64>(po, applyBinary(kernel, load<f64>(pa), load<f64>(pb)));
    else for (; i < N; i++, po += S0, pa += S1, pb += S2) storeAs(po, D0, applyBinary(kernel, loadAs(pa, D1), loadAs(pb, D2)));
    nextRow();
  }
}

/** Operand 0 = operand 1 ? operand 2 : operand 3. */
export function where(): void {
  const rows = beginRows();
  const simd = ASC_FEATURE_SIMD && D0 == F32 && D1 == U8 && D2 == F32 && D3 == F32 && S0 == 4 && S1 == 1 && (S2 == 4 || S2 == 0) && (S3 == 4 || S3 == 0);
  for (let r = 0; r < rows; r++) {
    let po = P0;
    let pc = P1;
    let pa = P2;
    let pb = P3;
    let i = 0;
    if (simd) {
      i = selectF32x4(po, pc, pa, S2, pb, S3, N);
      po += <usize>(i << 2);
      pc += <usize>i;
      pa += <usize>(i * S2);
      pb += <usize>(i * S3);
    }
    for (; i < N; i++, po += S0, pc += S1, pa += S2, pb += S3) {
      const c = loadAs(pc, D1);
      storeAs(po, D0, c != 0 && c == c ? loadAs(pa, D2) : loadAs(pb, D3));
    }
    nextRow();
  }
}
