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
