import { dispatch } from '../dispatch.js';
import { isFloatingPoint, promoteTypes, scalarTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { View } from '../backend/backend.js';
import { commonBackend, emptyTensor, viewOf } from './util.js';

/** A backend's optional dot kernel (`fused.dot`): a · b into the 0-d out. */
type FusedDot = (out: View, a: View, b: View) => void;

function checkMatmulDtypes(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype)
    throw new RuntimeError(
      `expected m1 and m2 to have the same dtype, but got: ${scalarTypeName(a.dtype).toLowerCase()} != ${scalarTypeName(b.dtype).toLowerCase()}`,
    );
  if (a.dtype === 'bool') throw new RuntimeError(`"addmm_impl_cpu_" not implemented for '${scalarTypeName(a.dtype)}'`);
}

/** [B..., M, K] × [B..., K, N] with batch dims already broadcast; the kernel sees 3-d views. */
function batchedMatmul(a: Tensor, b: Tensor, batch: readonly number[]): Tensor {
  const backend = commonBackend(a, b);
  const M = a.shape[a.dim() - 2]!;
  const K = a.shape[a.dim() - 1]!;
  const N = b.shape[b.dim() - 1]!;
  const bs = batch.reduce((p, q) => p * q, 1);
  const out = emptyTensor([...batch, M, N], promoteTypes(a.dtype, b.dtype), backend);
  const flat = (t: Tensor, rows: number, cols: number) => {
    // Collapse the broadcast batch dims into one; a copy is needed only when they do not merge.
    const e = t.expand([...batch, rows, cols]);
    const r = e.dim();
    // Size-1 batch dims do not move through memory, so only the others must merge (and give the stride).
    const dims = batch.map((_, i) => i).filter((i) => e.shape[i]! > 1);
    let ok = true;
    for (let j = 0; j + 1 < dims.length; j++) if (e.strides[dims[j]!] !== e.strides[dims[j + 1]!]! * e.shape[dims[j + 1]!]!) ok = false;
    const src = ok ? e : e.contiguous();
    const inner = dims[dims.length - 1];
    const bstride = inner === undefined ? 0 : src.strides[inner]!;
    return viewOf(src, [bs, rows, cols], [bs === 1 ? 0 : bstride, src.strides[r - 2]!, src.strides[r - 1]!]);
  };
  backend.matmul(viewOf(out, [bs, M, N], [M * N, N, 1]), flat(a, M, K), flat(b, K, N));
  return out;
}

function shapeError(a: Tensor, b: Tensor, m1: readonly number[], m2: readonly number[]): never {
  void a;
  void b;
  throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${m1[0]}x${m1[1]} and ${m2[0]}x${m2[1]})`);
}

export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 2) throw new RuntimeError('self must be a matrix');
  if (b.dim() !== 2) throw new RuntimeError('mat2 must be a matrix');
  if (a.shape[1] !== b.shape[0]) shapeError(a, b, a.shape, b.shape);
  checkMatmulDtypes(a, b);
  return dispatch('mm', [a, b], {}, () => batchedMatmul(a, b, []));
}

export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 3) throw new RuntimeError(`batch1 must be a 3D tensor`);
  if (b.dim() !== 3) throw new RuntimeError(`batch2 must be a 3D tensor`);
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1])
    throw new RuntimeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`,
    );
  checkMatmulDtypes(a, b);
  return dispatch('bmm', [a, b], {}, () => batchedMatmul(a, b, [a.shape[0]!]));
}

/** torch.matmul: 1-D, 2-D and broadcast batched semantics. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const da = a.dim();
  const db = b.dim();
  if (da === 0 || db === 0) throw new RuntimeError(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  checkMatmulDtypes(a, b);
  return dispatch('matmul', [a, b], {}, () => {
    if (da === 1 && db === 1) {
      if (a.shape[0] !== b.shape[0])
        throw new RuntimeError(
          `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
        );
      const fusedDot = a.storage.backend.fused?.dot as FusedDot | undefined;
      if (fusedDot && a.dtype === b.dtype) {
        const out = emptyTensor([], a.dtype, commonBackend(a, b));
        fusedDot(out, a, b);
        return out;
      }
      return batchedMatmul(a.view([1, -1]), b.view([-1, 1]), []).view([]);
    }
    const a2 = da === 1 ? a.unsqueeze(0) : a;
    const b2 = db === 1 ? b.unsqueeze(1) : b;
    const K = a2.shape[a2.dim() - 1]!;
    if (b2.shape[b2.dim() - 2] !== K) {
      const m1 = [a2.shape.slice(0, -1).reduce((p, s) => p * s, 1), K];
      shapeError(a, b, da === 1 ? [1, K] : m1, [b2.shape[b2.dim() - 2]!, b2.shape[b2.dim() - 1]!]);
    }
    const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
    let out = batchedMatmul(a2, b2, batch);
    if (da === 1) out = out.squeeze(-2);
    if (db === 1) out = out.squeeze(-1);
    return out;
  });
}

export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 1 || b.dim() !== 1) throw new RuntimeError(`1D tensors expected, but got ${a.dim()}D and ${b.dim()}D tensors`);
  if (!isFloatingPoint(a.dtype) && a.dtype !== b.dtype) checkMatmulDtypes(a, b);
  return matmul(a, b);
}

/**
 * The outer product of two 1-d tensors, a.unsqueeze(1) * b, recorded as those ops (PyTorch's
 * grad_fn for it is MulBackward0 too).
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 1) throw new RuntimeError(`outer: Expected 1-D argument self, but got ${a.dim()}-D`);
  if (b.dim() !== 1) throw new RuntimeError(`outer: Expected 1-D argument vec2, but got ${b.dim()}-D`);
  return a.unsqueeze(1).mul(b);
}
