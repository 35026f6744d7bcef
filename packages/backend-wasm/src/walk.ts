import type { View } from '@gd/tensor';
import type { Heap } from './heap.js';
import { BYTES, DTYPE_CODE } from './op-codes.js';

/** One operand of a strided walk: byte address of its first element, dtype code, element strides. */
export interface Operand {
  readonly address: number;
  readonly code: number;
  readonly bytes: number;
  readonly strides: readonly number[];
}

export function operandOf(v: View, strides: readonly number[] = v.strides): Operand {
  const bytes = BYTES[v.dtype];
  return { address: (v.storage.data as number) + v.offset * bytes, code: DTYPE_CODE[v.dtype], bytes, strides };
}

const SLOTS = 4;
const MAX_DIMS = 32;
const NO_OPERAND: Operand = { address: 0, code: 0, bytes: 0, strides: [] };

/**
 * Writes the descriptor the kernels walk (layout in assembly/iter.ts): size-1 dims dropped and
 * neighbouring dims merged wherever every operand is contiguous across them, so the kernels run
 * over rows as long as possible. Returns false when the shape is empty (nothing to run).
 */
export function writeWalk(heap: Heap, descriptor: number, shape: readonly number[], operands: readonly Operand[]): boolean {
  const dims: number[] = [];
  const strides: number[][] = operands.map(() => []);
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    if (size === 0) return false;
    if (size === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && operands.every((op, j) => op.strides[d] === strides[j]![last]! * dims[last]!)) {
      dims[last] = dims[last]! * size;
      continue;
    }
    dims.push(size);
    operands.forEach((op, j) => strides[j]!.push(op.strides[d]!));
  }
  // dims/strides are innermost-first; the innermost is the row.
  const n = dims.length > 0 ? dims[0]! : 1;
  const outer = dims.slice(1).reverse();
  const nd = outer.length;
  if (nd > MAX_DIMS) throw new RangeError(`wasm backend: tensors with more than ${MAX_DIMS + 1} non-mergeable dims are not supported`);
  const w = heap.i32;
  let p = descriptor >> 2;
  w[p++] = operands.length;
  w[p++] = n;
  w[p++] = nd;
  for (const s of outer) w[p++] = s;
  for (let j = 0; j < SLOTS; j++) {
    const op = operands[j] ?? NO_OPERAND;
    const st = strides[j] ?? [];
    w[p++] = op.address;
    w[p++] = op.code;
    w[p++] = (st[0] ?? 0) * op.bytes;
    for (let d = nd; d >= 1; d--) w[p++] = (st[d] ?? 0) * op.bytes;
  }
  return true;
}

/** Elements per f32x4 step group of the kernels (PyTorch's vector step): row cuts land on multiples of it. */
const ROW_CUT_ALIGN = 16;

/** [start, end) of share `part` of `parts` over `total` items, cut at multiples of `align`. */
export function shareOf(total: number, part: number, parts: number, align: number): [number, number] {
  const chunk = Math.ceil(total / parts / align) * align;
  const start = Math.min(total, part * chunk);
  return [start, Math.min(total, start + chunk)];
}

/**
 * Writes into `to` the descriptor at `from` restricted to share `part` of `parts`: a range of the
 * outermost dim when it has at least `parts` entries, else a range of every row, cut at multiples
 * of ROW_CUT_ALIGN elements so each element takes the same SIMD or scalar path as in the whole
 * walk (bit-identical results). `from` and `to` may be the same block. Returns false for an empty share.
 */
export function writeWalkShare(heap: Heap, from: number, to: number, part: number, parts: number): boolean {
  const w = heap.i32;
  const p = from >> 2;
  const q = to >> 2;
  const n = w[p + 1]!;
  const nd = w[p + 2]!;
  const words = 3 + nd + SLOTS * (3 + nd);
  if (q !== p) w.copyWithin(q, p, p + words);
  const slot = (j: number) => q + 3 + nd + j * (3 + nd);
  if (nd > 0 && w[p + 3]! >= parts) {
    const [start, end] = shareOf(w[p + 3]!, part, parts, 1);
    w[q + 3] = end - start;
    for (let j = 0; j < SLOTS; j++) w[slot(j)] = w[slot(j)]! + start * w[slot(j) + 3]!;
    return end > start;
  }
  const [start, end] = shareOf(n, part, parts, ROW_CUT_ALIGN);
  w[q + 1] = end - start;
  for (let j = 0; j < SLOTS; j++) w[slot(j)] = w[slot(j)]! + start * w[slot(j) + 2]!;
  return end > start;
}
