import type { View } from '../backend/backend.js';
import type { TypedArray } from '../dtype.js';

/** A batched matmul's operands a [B, M, K] × b [B, K, N] → out [B, M, N], unpacked once per call. */
export interface MatmulOperands {
  readonly B: number;
  readonly M: number;
  readonly K: number;
  readonly N: number;
  readonly A: TypedArray;
  readonly Bd: TypedArray;
  readonly O: TypedArray;
  readonly asb: number;
  readonly asm: number;
  readonly ask: number;
  readonly bsb: number;
  readonly bsk: number;
  readonly bsn: number;
  readonly osb: number;
  readonly osm: number;
  readonly osn: number;
}

export function matmulOperands(out: View, a: View, b: View): MatmulOperands {
  const [B, M, K] = a.shape as [number, number, number];
  const [asb, asm, ask] = a.strides as [number, number, number];
  const [bsb, bsk, bsn] = b.strides as [number, number, number];
  const [osb, osm, osn] = out.strides as [number, number, number];
  return {
    B,
    M,
    K,
    N: b.shape[2]!,
    A: a.storage.data as TypedArray,
    Bd: b.storage.data as TypedArray,
    O: out.storage.data as TypedArray,
    asb,
    asm,
    ask,
    bsb,
    bsk,
    bsn,
    osb,
    osm,
    osn,
  };
}

/**
 * Calls `row` for every output row of every batch with the offsets of that row of A, of the
 * batch's B and of that row of out: the loop of the kernels that compute one row at a time.
 */
export function forEachOutputRow(
  out: View,
  a: View,
  b: View,
  op: MatmulOperands,
  row: (aRow: number, bBatch: number, oRow: number) => void,
): void {
  for (let batch = 0; batch < op.B; batch++) {
    for (let i = 0; i < op.M; i++) {
      row(a.offset + batch * op.asb + i * op.asm, b.offset + batch * op.bsb, out.offset + batch * op.osb + i * op.osm);
    }
  }
}
